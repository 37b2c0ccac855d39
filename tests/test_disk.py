"""Disk: each MP4 stored once (the notebook links the local engine's file), renders kept within an
age and size limit, ``nemo-nb clean``, and ``renders()`` forgetting rows whose file is gone."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from nemo_nb import config
from nemo_nb.backend import resolve
from nemo_nb.cli import main
from nemo_nb.client.local import link_local_output
from nemo_nb.client.models import RenderJob
from nemo_nb.engine.server import EngineServer
from nemo_nb.engine.store import MAX_REVISIONS, PRUNED_REASON, Store
from nemo_nb.notebook import Studio
from nemo_nb.render import prepared


@pytest.mark.slow
def test_an_export_is_stored_once_and_renders_forgets_it_when_deleted(engine: EngineServer, photos: list[Path]) -> None:
    with Studio(resolve(base_url=engine.url), echo=False) as studio:
        _export_then_delete(studio, engine, photos)


def _export_then_delete(studio: Studio, engine: EngineServer, photos: list[Path]) -> None:
    studio.sync.upload(min(photos, key=lambda p: p.stat().st_size))
    studio.sync.ask("turn these photos into a 2-second video")
    result = studio.sync.export("preview")
    mine = os.stat(result.path)
    engine_files = list(engine.settings.data_dir.joinpath("renders").glob("*.mp4"))
    assert len(engine_files) == 1 and os.stat(engine_files[0]).st_ino == mine.st_ino  # one file, two names
    assert mine.st_nlink == 2 and mine.st_mode & 0o077 == 0
    assert result.id in set(studio.sync.renders()["id"])
    Path(result.path).unlink()
    assert result.id not in set(studio.sync.renders()["id"])  # the row went with its file, and it says so
    assert "1 render(s) no longer listed: their MP4 was deleted" in studio.state.chat[-1]["text"]


def _finished_job(store: Store, session, token_id: str, job_id: str, size: int, finished: float) -> Path:
    store.create_job(job_id, session, token_id, {"t": []}, quality="high", fmt="mp4", cost=0)
    store.start_job(job_id)
    name = f"{job_id}.mp4"
    (store.renders_dir / name).write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * (size - 12))
    store.finish_job(job_id, "completed", file=name, info={"size_bytes": size})
    store._db.execute("UPDATE jobs SET finished_at = ? WHERE id = ?", (finished, job_id))
    return store.renders_dir / name


def test_renders_are_kept_within_an_age_and_a_size_limit(tmp_path: Path) -> None:
    store = Store(tmp_path / "engine")
    token = store.authenticate(store.issue_token("c", ttl_s=60, window_s=60, per_window=1, credits=10))
    session = store.create_session("c", "p", "en", {"t": []})
    now = time.time()
    old = _finished_job(store, session, token.id, "old", 1000, now - 8 * 86400)
    mid = _finished_job(store, session, token.id, "mid", 3000, now - 3600)
    new = _finished_job(store, session, token.id, "new", 3000, now - 60)
    assert store.prune_renders(max_bytes=10_000, max_age_s=7 * 86400, now=now) == [("old", 1000)]
    assert store.prune_renders(max_bytes=5_000, max_age_s=None, now=now) == [("mid", 3000)]
    assert not old.exists() and not mid.exists() and new.exists()
    gone = store.get_job("mid")
    assert gone["status"] == "completed" and gone["file"] is None and gone["error"] == PRUNED_REASON
    assert store.job_by_key("x") is None and store.get_job("new")["file_key"]
    store.close()


def test_the_engine_serves_a_pruned_render_as_gone(tmp_path: Path) -> None:
    data = tmp_path / "engine"
    store = Store(data)
    token = store.authenticate(store.issue_token("c", ttl_s=60, window_s=60, per_window=1, credits=10))
    session = store.create_session("c", "p", "en", {"t": []})
    _finished_job(store, session, token.id, "r1", 2000, time.time() - 30 * 86400)
    store.close()
    with EngineServer(data) as server:  # the age limit (7 days) applies when it starts
        assert not list((data / "renders").iterdir())
        assert server.engine is not None and server.engine.store.get_job("r1")["error"] == PRUNED_REASON


def test_clean_removes_renders_and_caches_and_keeps_saved_copies(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = config.ensure_private_dir(config.data_dir())
    store = Store(data)
    token = store.authenticate(store.issue_token("c", ttl_s=60, window_s=60, per_window=1, credits=10))
    session = store.create_session("c", "p", "en", {"t": []})
    recent = _finished_job(store, session, token.id, "recent", 2000, time.time() - 60)
    old = _finished_job(store, session, token.id, "old", 4000, time.time() - 3 * 86400)
    store.close()
    saved = tmp_path / "promo.mp4"
    os.link(recent, saved)  # what export(out="promo.mp4") leaves: a second name
    copies = config.ensure_private_dir(data / "notebook" / "renders")
    (copies / "x.mp4").write_bytes(b"\x00" * 500)
    config.ensure_private_dir(prepared.store_dir())
    (prepared.store_dir() / "a.i420").write_bytes(b"\x00" * 700)

    assert main(["clean", "--older-than", "1"]) == 0
    assert "Removed 1 engine render(s) (0.0 MB)" in capsys.readouterr().out
    assert not old.exists() and recent.exists() and (copies / "x.mp4").exists()
    assert main(["clean", "--all"]) == 0
    out = capsys.readouterr().out
    assert "Removed 1 engine render(s)" in out and "1 notebook copy" in out and "not touched" in out
    assert not recent.exists() and not (copies / "x.mp4").exists() and not prepared.store_dir().exists()
    assert saved.read_bytes()[4:12] == b"ftypisom"  # the user's own file is untouched


def test_only_a_loopback_engines_regular_mp4_is_linked(tmp_path: Path) -> None:
    mp4 = tmp_path / "engine.mp4"
    mp4.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100)
    text = tmp_path / "secret.txt"
    text.write_text("not a video")

    def job(path: Path, size: int | None = None) -> RenderJob:
        output = {"url": "/files/renders/k/r.mp4", "path": str(path), "size_bytes": size or path.stat().st_size}
        return RenderJob.from_response({"id": "r", "status": "completed", "output": output})

    assert link_local_output(job(mp4), "http://example.com", tmp_path / "a.mp4") is None  # another machine
    assert link_local_output(job(text), "http://127.0.0.1:1", tmp_path / "b.mp4") is None  # not an MP4
    assert link_local_output(job(mp4, 5), "http://127.0.0.1:1", tmp_path / "c.mp4") is None  # not the announced file
    (tmp_path / "out").mkdir()
    linked = link_local_output(job(mp4), "http://127.0.0.1:1", tmp_path / "out")  # a folder: named by the URL
    assert linked == tmp_path / "out" / "r.mp4" and os.stat(linked).st_ino == os.stat(mp4).st_ino


def test_undo_history_is_capped_and_undo_stops_where_it_begins(tmp_path: Path) -> None:
    store = Store(tmp_path / "engine")
    session = store.create_session("c", "p", "en", {"t": [], "n": 0})
    head = None
    for n in range(1, MAX_REVISIONS + 51):
        head = store.commit_draft(session.id, {"t": [], "n": n}, expected_head=None, source="edit")
    assert store.revision_count(session.id) == MAX_REVISIONS
    assert head is not None and head.draft["n"] == MAX_REVISIONS + 50 and head.can_undo
    undone = 0
    while store.move_head(session.id, "undo") is not None:
        undone += 1
    assert undone == MAX_REVISIONS - 1  # back to the oldest kept revision, never past it
    oldest = store.head(session.id)
    assert oldest.draft["n"] == 51 and not oldest.can_undo and oldest.can_redo
    assert store.move_head(session.id, "redo").draft["n"] == 52
