"""The Studio over real HTTP to a real engine on 127.0.0.1: blocking and awaitable forms alike."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

import nemo_nb
from nemo_nb import protocol
from nemo_nb.backend import Backend, resolve
from nemo_nb.client import NemoError
from nemo_nb.draft import Draft
from nemo_nb.notebook import _runner
from nemo_nb.notebook.history import RenderHistory, RenderRecord
from nemo_nb.notebook.studio import Studio


@pytest.fixture
def studio(engine_url: str) -> Iterator[Studio]:
    s = Studio(resolve(base_url=engine_url), echo=False)
    s.sync.open()
    yield s
    s.sync.close()


def test_the_local_engine_is_the_default_and_the_studio_says_which_backend(
        engine_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    studio = nemo_nb.connect(base_url=engine_url, echo=False)
    try:
        assert studio.backend.name == "local"
        assert f"<Studio on the embedded engine at {engine_url} · session" in repr(studio)
        assert studio.session_id and studio.session_id in repr(studio)
    finally:
        studio.sync.close()
    monkeypatch.setenv("NEMO_TOKEN", "secret-token-123456")
    cloud = resolve()
    assert cloud.name == "cloud" and cloud.base_url == protocol.CLOUD_BASE_URL
    assert "secret-token" not in repr(cloud) and "secret-token" not in cloud.label
    with pytest.raises(ValueError, match="'local', 'cloud'"):
        resolve("gpu-farm")
    assert resolve("local", base_url=engine_url) == Backend("local", engine_url, None)


def test_blocking_twins_work_in_a_plain_script(studio: Studio, photos: list[Path]) -> None:
    results: dict[str, object] = {}

    def script() -> None:  # a thread with no event loop, like `python make_video.py`
        results["media"] = studio.sync.upload(*photos[:2])
        results["credits"] = studio.sync.credits()
        results["timeline"] = studio.sync.timeline()

    t = threading.Thread(target=script)
    t.start()
    t.join(60)
    media = results["media"]
    assert [m.name for m in media] == [p.name for p in photos[:2]]  # type: ignore[attr-defined]
    credits = results["credits"]
    assert list(credits.columns) == ["backend", "available", "frozen", "total", "charged",  # type: ignore[attr-defined]
                                     "limit"]
    assert credits.loc[0, "backend"] == "local" and credits.loc[0, "limit"] == "local · no limit"  # type: ignore[attr-defined]
    assert len(studio.media) == 2
    assert "empty" in repr(results["timeline"]) or "0 tracks" in repr(results["timeline"])


def test_awaitable_methods_run_from_the_kernels_loop_and_events_arrive_there(
        studio: Studio, photos: list[Path]) -> None:
    seen: list[tuple[str, bool]] = []

    async def cell() -> None:
        loop_thread = threading.current_thread()
        studio.subscribe(lambda kind, _data: seen.append((kind, threading.current_thread() is loop_thread)))
        media = await studio.upload(photos[0])
        assert media[0].name == photos[0].name
        frame = await studio.tracks()
        assert frame.empty
        assert not (await studio.credits()).empty

    asyncio.run(cell())
    kinds = [k for k, _ in seen]
    assert "busy" in kinds and "media" in kinds and "draft" in kinds
    assert all(on_caller for _, on_caller in seen), "listeners must run on the caller's thread"


def test_a_blocking_twin_inside_a_running_loop_does_not_deadlock(studio: Studio) -> None:
    async def cell() -> object:
        return studio.sync.credits()  # a %nemo magic does exactly this inside the kernel's loop

    frame = asyncio.run(asyncio.wait_for(cell(), 30))
    assert frame.loc[0, "available"] > 0  # type: ignore[attr-defined]


def test_blocking_where_it_would_deadlock_says_to_await(studio: Studio) -> None:
    async def on_nemo_loop() -> object:
        return studio.sync.credits()

    with pytest.raises(_runner.BlockingCallError, match="use `await` instead"):
        _runner.submit(on_nemo_loop()).result(30)


def test_intent_shortcuts_answer_without_the_agent(studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_agent(*_a: object, **_k: object) -> None:
        raise AssertionError("the agent must not be called for a shortcut")

    monkeypatch.setattr(studio.client, "send", no_agent)
    reply = studio.sync.ask("credits")
    assert reply.kind == "credits" and "local · no limit" in reply.text
    reply = studio.sync.ask("状态")
    assert reply.kind == "status" and reply.text.startswith("Timeline")
    reply = studio.sync.ask("upload")
    assert reply.kind == "upload" and "studio.upload" in reply.text
    assert [m["role"] for m in studio.chat] == ["user", "agent"] * 3


def test_a_lost_session_is_replaced_with_the_files_added_again(studio: Studio, photos: list[Path]) -> None:
    studio.sync.upload(*photos[:2])
    old = studio.session_id
    studio.session_id = "gone-0000"  # the backend no longer knows it (1002 / 404)
    timeline = studio.sync.timeline()
    assert studio.session_id not in (old, "gone-0000")
    assert timeline.draft.is_empty
    assert sorted(m.name for m in studio.media) == sorted(p.name for p in photos[:2])
    note = [m for m in studio.chat if m["role"] == "info"][-1]["text"]
    assert "timeline starts empty" in note and "2 file(s) were added to it again" in note


def test_bad_input_is_a_clear_error_in_the_chat_too(studio: Studio, samples: Path) -> None:
    with pytest.raises(NemoError) as err:
        studio.sync.upload(samples / "bad" / "windows_exe_named.mp4")
    assert err.value.hint and "mp4" in str(err.value)
    assert studio.chat[-1]["role"] == "error" and studio.chat[-1]["hint"]
    with pytest.raises(NemoError, match="timeline is empty") as err2:
        studio.sync.export()
    assert "ask for a video" in err2.value.hint
    with pytest.raises(NemoError, match="Unknown quality"):
        studio.sync.export("ultra")


def _start_render_behind_the_studios_back(studio: Studio, photos: list[Path]) -> str:
    """What a kernel does right before it dies: the job is running and in the history."""
    media = studio.sync.upload(*photos[:2])
    draft = Draft.from_json({"m": {"aspect": "16:9", "w": 320, "h": 180, "fps": 10}, "t": [{"tt": 0, "sg": [
        {"d": 1000, "m": {"type": "photo", "src": media[0].id, "motion": "still"}},
        {"d": 1000, "m": {"type": "photo", "src": media[1].id, "motion": "still"}}]}]})

    async def start() -> str:
        job = await studio.client.start_export(studio.session_id or "", draft, quality="preview")
        studio.history.add(RenderRecord(id=job.id, backend="local", base_url=studio.backend.base_url,
                                        session=studio.session_id or "", status=job.status))
        return job.id

    return _runner.run_sync(start())


@pytest.mark.slow
def test_a_render_started_before_a_restart_is_reattached_and_fetched(
        engine_url: str, photos: list[Path]) -> None:
    before = Studio(resolve(base_url=engine_url), echo=False)
    before.sync.open()
    job_id = _start_render_behind_the_studios_back(before, photos)
    before.sync.close()  # the kernel restarts: nothing of `before` survives but the history on disk

    after = Studio(resolve(base_url=engine_url), echo=False, history=RenderHistory())
    after.sync.open()
    try:
        assert after.history.get(job_id) is not None
        result = after.sync.attach()
        assert result.id == job_id
        with av.open(str(result.path)) as container:
            stream = container.streams.video[0]
            frames = sum(1 for _ in container.decode(stream))
        assert (result.width, result.height) == (320, 180) and frames >= 15
        df = after.sync.renders()
        row = df[df["id"] == job_id].iloc[0]
        assert row["status"] == "completed" and row["path"] == str(result.path) and row["width"] == 320
        again = after.sync.attach(job_id)  # already fetched: served from disk
        assert again.path == result.path
    finally:
        after.sync.close()


def test_ask_streams_the_answer_then_updates_the_timeline(studio: Studio, photos: list[Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    studio.sync.upload(*photos[:3])
    order: list[str] = []
    studio.subscribe(lambda kind, _data: order.append(kind))
    reply = studio.sync.ask("turn these photos into a 6-second video with background music", echo=True)
    printed = capsys.readouterr().out
    assert reply.kind == "agent" and reply.text and reply.text.splitlines()[0] in printed  # streamed into the cell
    assert reply.draft is not None and reply.draft.duration_ms == 6000
    assert reply.changes and "Timeline (2 tracks)" in repr(reply)
    assert order.index("chat") < order.index("draft")  # text first, then the refreshed timeline
    tracks = studio.sync.tracks()
    assert tracks["type"].tolist().count("photo") == 3 and tracks["end_s"].max() == 6.0
    chat = studio.chat
    assert chat[-2] == {"role": "user", "text": "turn these photos into a 6-second video with background music"}
    assert chat[-1]["role"] == "agent" and not chat[-1]["pending"] and chat[-1]["text"] == reply.text
    undo = studio.sync.undo()
    assert undo.draft is not None and undo.draft.is_empty


@pytest.mark.slow
def test_export_downloads_a_real_mp4_and_records_it(studio: Studio, photos: list[Path]) -> None:
    studio.sync.upload(*photos[:2])
    studio.sync.ask("turn these photos into a 4-second video")
    states: list[str] = []
    studio.subscribe(lambda kind, data: states.append(data["state"]) if kind == "render" else None)

    async def cell() -> object:
        return await studio.export("preview")

    result = asyncio.run(cell())
    assert states[0] == "queued" and states[-1] == "completed"
    with av.open(str(result.path)) as container:  # type: ignore[attr-defined]
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = sum(1 for _ in container.decode(stream))
    assert result.duration_s == pytest.approx(4.0, abs=0.1) and frames >= 4 * 24  # type: ignore[attr-defined]
    assert studio.render_state["state"] == "completed" and studio.render_state["id"] == result.id  # type: ignore[attr-defined]
    row = studio.sync.renders().iloc[-1]
    assert row["status"] == "completed" and row["seconds"] > 0 and row["size_mb"] > 0
    assert row["duration_s"] == pytest.approx(4.0, abs=0.1)


@pytest.mark.slow
def test_an_export_the_agent_starts_is_followed_and_fetched(studio: Studio, photos: list[Path]) -> None:
    studio.sync.upload(*photos[:2])
    studio.sync.ask("turn these photos into a 2-second video")
    reply = studio.sync.ask("export 1080p MP4")  # not a shortcut: the agent itself starts the render
    assert reply.kind == "export"
    result = reply.result
    assert result.path.is_file() and (result.width, result.height) == (1920, 1080)
    assert result.duration_s == pytest.approx(2.0, abs=0.1)
    assert studio.history.get(result.id).status == "completed"  # type: ignore[union-attr]
    assert studio.chat[-1]["role"] == "info" and "ready" in studio.chat[-1]["text"]
