"""Render jobs through the engine: real MP4s decoded with PyAV, progress, range requests, cancel,
frozen credits."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

from nemo_nb import protocol
from nemo_nb.engine.store import Store
from nemo_nb.engine.turn import scoped_job_id
from nemo_nb.render import prepared
from tests._support.engine import Api


def photo_draft(infos: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    per = int(seconds * 1000 / len(infos))
    return {"m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30},
            "t": [{"tt": 0, "m": {"role": "main"}, "sg": [
                {"d": per, "m": {"type": "photo", "src": i["id"], "name": i["name"], "motion": "auto",
                                 "transition": {"type": "crossfade", "d": 300}}} for i in infos]}]}


def start(api: Api, job_id: str, draft: dict[str, Any], quality: str = "preview") -> httpx.Response:
    return api.http.post(protocol.PATH_RENDER, json={"id": job_id, "sessionId": api.session_id, "draft": draft,
                                                     "output": {"format": "mp4", "quality": quality}})


def wait(api: Api, job_id: str, until: Any, timeout: float = 90.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body = api.http.get(protocol.PATH_RENDER_STATUS.format(job_id=job_id)).json()
        if until(body):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


@pytest.mark.slow
def test_render_completes_with_progress_and_ranges(api: Api, engine, photos: list[Path]) -> None:
    infos = api.upload(photos[:2]).json()["data"]["video_infos"]
    accepted = start(api, "render_t1", photo_draft(infos, 2.0))
    assert accepted.status_code == 200 and accepted.json()["code"] == 0
    assert accepted.json()["status"] == accepted.json()["data"]["status"] == "queued"
    again = start(api, "render_t1", photo_draft(infos, 2.0))  # a retried POST is the same job
    assert again.json()["id"] == "render_t1"
    seen = []
    done = wait(api, "render_t1", lambda b: seen.append(b) or b["status"] in protocol.RenderStatus.TERMINAL)
    assert done["status"] == done["data"]["status"] == "completed", done
    assert all(b["data"]["poll_interval_s"] > 0 for b in seen if b["status"] in ("queued", "running"))
    assert {b["status"] for b in seen} <= {"queued", "running", "completed"}
    progress = done["data"]["progress"]
    assert progress["fraction"] == 1.0 and progress["frames_done"] == progress["frames_total"] == 60
    url = done["output"]["url"]
    assert url == done["data"]["output"]["url"] and url.startswith(api.url)

    full = httpx.get(url)
    assert full.status_code == 200 and full.headers["content-type"] == "video/mp4"
    assert full.headers["accept-ranges"] == "bytes" and len(full.content) == done["data"]["output"]["size_bytes"]
    part = httpx.get(url, headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206 and part.content == full.content[100:1100]
    assert part.headers["content-range"] == f"bytes 100-1099/{len(full.content)}"
    tail = httpx.get(url, headers={"Range": "bytes=-500"})
    assert tail.status_code == 206 and tail.content == full.content[-500:]
    assert httpx.get(url, headers={"Range": f"bytes={len(full.content) + 10}-"}).status_code == 416

    with av.open(io.BytesIO(full.content)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and (stream.width, stream.height) == (960, 540)
        frames = sum(1 for _ in container.decode(stream))
    assert frames == 60

    state = api.state()["data"]["state"]
    assert [(g["id"], g["status"], g["url"]) for g in state["generated_media"]] == [("render_t1", "completed", url)]
    credits = api.credits()
    assert (credits["available"], credits["frozen"], credits["total"]) == (100, 0, 100)  # export is free
    assert httpx.get(url.rsplit("/", 2)[0] + "/wrongkey/x.mp4").status_code == 404


@pytest.mark.slow
def test_cancel_releases_frozen_credits(make_engine, photos: list[Path]) -> None:
    server = make_engine(cost_render=5)
    with Api(server.url) as api:
        infos = api.upload(photos[:3]).json()["data"]["video_infos"]
        assert start(api, "render_long", photo_draft(infos, 60.0)).json()["code"] == 0
        running = wait(api, "render_long", lambda b: b["status"] == "running" and b["progress"]["frames_done"])
        assert running["progress"]["frames_total"] == 1800 and 0 < running["progress"]["fraction"] < 1
        assert running["progress"]["eta_s"] is not None
        held = api.credits()
        assert (held["available"], held["frozen"], held["total"]) == (95, 5, 100)
        cancel = api.http.post(protocol.PATH_RENDER_CANCEL.format(job_id="render_long"))
        assert cancel.json()["status"] == "cancelled"
        final = wait(api, "render_long", lambda b: b["status"] in protocol.RenderStatus.TERMINAL)
        assert final["status"] == "cancelled" and "output" not in final
        back = api.credits()
        assert (back["available"], back["frozen"], back["total"]) == (100, 0, 100)
    assert list((server.settings.data_dir / "renders").iterdir()) == []


def test_completed_job_charges_its_frozen_credits(tmp_path: Path) -> None:
    store = Store(tmp_path / "s")
    token = store.issue_token("c", ttl_s=60, window_s=60, per_window=1, credits=10)
    row = store.authenticate(token)
    session = store.create_session("c", "p", "en", {"t": []})
    store.create_job("j1", session, row.id, {"t": []}, quality="high", fmt="mp4", cost=4)
    assert store.credits(row.id) == {"available": 6, "frozen": 4, "total": 10, "charged": 0}
    store.start_job("j1")
    assert store.finish_job("j1", "completed", file="x.mp4")
    assert store.credits(row.id) == {"available": 6, "frozen": 0, "total": 6, "charged": 4}
    assert not store.finish_job("j1", "failed", error="late")  # a closed job stays closed
    store.create_job("j2", session, row.id, {"t": []}, quality="high", fmt="mp4", cost=4)
    store.create_job("j3", session, row.id, {"t": []}, quality="high", fmt="mp4", cost=4)  # past 0: never refused
    assert store.credits(row.id) == {"available": -2, "frozen": 8, "total": 6, "charged": 4}
    assert store.recover_jobs() == ["j2", "j3"]
    job = store.get_job("j2")
    assert job["status"] == "failed" and "restarted" in job["error"]
    assert store.credits(row.id) == {"available": 6, "frozen": 0, "total": 6, "charged": 4}
    store.close()


@pytest.mark.slow
def test_graceful_stop_mid_render_fails_the_job_with_a_reason(make_engine, photos: list[Path]) -> None:
    server = make_engine()
    with Api(server.url) as api:
        infos = api.upload(photos[:2]).json()["data"]["video_infos"]
        start(api, "render_stop", photo_draft(infos, 60.0))
        wait(api, "render_stop", lambda b: b["status"] == "running")
    server.stop()
    store = Store(server.settings.data_dir)
    job = store.get_job(scoped_job_id(api.client_id, "render_stop"))
    assert job["status"] == "failed" and "stopped during the render" in job["error"]
    assert list(store.renders_dir.iterdir()) == []
    store.close()


@pytest.mark.slow
def test_uploaded_photos_are_prepared_for_the_first_preview(api: Api, photos: list[Path]) -> None:
    infos = api.upload(photos[:2]).json()["data"]["video_infos"]
    folder = prepared.store_dir()
    deadline = time.monotonic() + 30
    while len(list(folder.glob("*.i420"))) < 2:  # prepared in the background, after the answer
        assert time.monotonic() < deadline, "the engine did not prepare the uploaded photos"
        time.sleep(0.1)
    entries = sorted(folder.glob("*.i420"))
    for entry in entries:
        os.utime(entry, (1000, 1000))
    assert start(api, "render_prepared", photo_draft(infos, 2.0)).json()["code"] == 0
    done = wait(api, "render_prepared", lambda b: b["status"] in protocol.RenderStatus.TERMINAL)
    assert done["status"] == "completed", done
    assert all(e.stat().st_mtime > 1000 for e in entries)  # the first preview read them
    assert sorted(folder.glob("*.i420")) == entries  # and prepared nothing more
