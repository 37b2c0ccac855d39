"""The live player's kernel side: frames equal ``frame_at`` at that time, only the newest request
waits, the soundtrack arrives as an M4A, edits mark the changed span, and no frames for the cloud."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image

from nemo_nb.backend import Backend, resolve
from nemo_nb.client import NemoError
from nemo_nb.draft import Draft
from nemo_nb.engine.server import EngineServer
from nemo_nb.notebook.player import GIL_SWITCH_S, FrameServer, LatestWins, changed_region
from nemo_nb.notebook.studio import Studio
from nemo_nb.render import build_plan, frame_at
from tests.test_notebook_widget import Browser


@pytest.fixture(scope="module")
def engine_url_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = EngineServer(tmp_path_factory.mktemp("engine"), port=0).start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def made(engine_url_module: str, photos: list[Path]) -> Iterator[Studio]:
    s = Studio(resolve(base_url=engine_url_module), echo=False)
    s.sync.open()
    s.sync.upload(*[p for p in photos if p.suffix == ".jpg"][:3])
    s.sync.ask("turn these photos into a 6-second video with transitions and background music")
    yield s
    s.sync.close()


@pytest.fixture
def browser(made: Studio) -> Iterator[Browser]:
    widget = made.widget()
    widget._ready = True
    yield Browser(widget)


def _decode(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB")).astype(np.int16)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def test_a_frame_is_frame_at_that_time_within_jpeg_error(browser: Browser, made: Studio) -> None:
    media = {m.id: str(made.sync.media_file(m.id)) for m in made.media}
    plan = build_plan(made.draft, media, "preview")
    for t in (0.0, 1.234, 2.9, 5.95):
        reply = browser.request("frame", t=t)
        assert reply["ok"], reply
        data = reply["data"]
        assert abs(data["t"] - t) <= 0.5 / plan.fps + 1e-9 and (data["w"], data["h"]) == (plan.width, plan.height)
        (_content, buffers), = [(c, b) for c, b in browser.sent if c.get("id") == reply["id"]]
        shown, truth = _decode(buffers[0]), frame_at(plan, data["t"]).astype(np.int16)
        other = frame_at(plan, (data["t"] + 1.5) % plan.duration_s).astype(np.int16)
        assert shown.shape == truth.shape
        assert psnr(shown, truth) > 32, t  # JPEG error only
        assert psnr(shown, other) < psnr(shown, truth) - 10, t  # and not some other moment's picture


def test_a_quick_scrub_frame_is_frame_at_at_half_size(browser: Browser, made: Studio) -> None:
    media = {m.id: str(made.sync.media_file(m.id)) for m in made.media}
    plan = build_plan(made.draft, media, "preview")
    reply = browser.request("frame", t=2.5, quick=True)
    data = reply["data"]
    (_content, buffers), = [(c, b) for c, b in browser.sent if c.get("id") == reply["id"]]
    shown = _decode(buffers[0])
    assert data["quick"] and (data["w"], data["h"]) == (plan.width, plan.height)  # drawn at the full size
    assert shown.shape[:2] == (plan.height // 2, plan.width // 2)
    half = np.asarray(Image.fromarray(frame_at(plan, data["t"])).resize(shown.shape[1::-1], Image.BOX), np.int16)
    other = np.asarray(Image.fromarray(frame_at(plan, data["t"] + 1.5)).resize(shown.shape[1::-1], Image.BOX), np.int16)
    assert psnr(shown, half) > 30 and psnr(shown, other) < psnr(shown, half) - 8
    sharp = browser.request("frame", t=2.5)["data"]
    assert not sharp["quick"] and sharp["t"] == data["t"]


def test_serving_frames_shortens_the_gil_switch_interval(browser: Browser) -> None:
    # The kernel's thread and the render thread hand over the GIL at every frame: 5 ms each time.
    assert browser.request("frame", t=0.5)["ok"] and sys.getswitchinterval() <= GIL_SWITCH_S


def test_only_the_newest_waiting_request_is_rendered(browser: Browser) -> None:
    n = len(browser.sent)
    ids = []
    with browser.widget.player._lock:  # the kernel is busy with a frame while the whole drag arrives
        for k in range(30):  # a drag across the timeline, faster than frames can be made
            browser.n += 1
            ids.append(f"d{k}")
            browser.widget._on_custom(browser.widget, {"id": ids[-1], "kind": "frame", "t": k * 0.2}, [])
    replies = [browser.reply(i) for i in ids]
    assert all(r["ok"] for r in replies)
    rendered = [r for r in replies if not r["data"].get("superseded")]
    assert 1 <= len(rendered) <= 2 and replies[-1]["data"]["t"] == pytest.approx(29 * 0.2, abs=0.02)
    assert sum(1 for c, b in browser.sent[n:] if b) == len(rendered)  # JPEGs only for those rendered


def test_playback_asks_for_several_frames_at_once_and_gets_each_as_it_is_made(browser: Browser) -> None:
    ids = ["p0", "p1"]
    for k, msg_id in enumerate(ids):  # what the player keeps in flight while playing: two requests
        times = [2 + (3 * k + j) / 30 for j in range(3)]
        browser.widget._on_custom(browser.widget, {"id": msg_id, "kind": "frame", "ts": times, "play": True}, [])
    replies = [browser.reply(i) for i in ids]
    assert [r["data"] for r in replies] == [{"count": 3}, {"count": 3}]
    pushed = [(c, b) for c, b in browser.sent if c.get("kind") == "push"]
    assert [c["id"] for c, _ in pushed] == ["p0"] * 3 + ["p1"] * 3  # each frame before its reply
    assert [round(c["t"] * 30) for c, _ in pushed] == [60, 61, 62, 63, 64, 65]
    assert all(len(b) == 1 and b[0][:2] == b"\xff\xd8" for _, b in pushed)  # a JPEG each
    bad = browser.request("frame", ts=[1.0, -3], play=True)
    assert not bad["ok"] and "not valid" in bad["error"]["message"]


def test_the_soundtrack_arrives_as_an_m4a_of_the_timelines_length(browser: Browser, made: Studio,
                                                                   tmp_path: Path) -> None:
    reply = browser.request("sound")
    assert reply["ok"] and reply["data"]["key"], reply
    chunks = [(c, b) for c, b in browser.of_kind("video_chunk") if c["render_id"] == reply["data"]["key"]]
    assert chunks and chunks[0][0]["mime"] == "audio/mp4"
    out = tmp_path / "sound.m4a"
    out.write_bytes(b"".join(b[0] for _, b in chunks))
    with av.open(str(out)) as container:
        assert container.streams.audio[0].codec_context.name == "aac" and not container.streams.video
        assert abs(container.duration / 1e6 - made.draft.duration_ms / 1000) < 0.1


def test_an_edit_bumps_the_revision_marks_what_changed_and_dates_the_export(browser: Browser, made: Studio) -> None:
    before = browser.widget.timeline
    browser.widget._on_studio_event("render", {"state": "completed", "id": "render_before_the_edit"})  # an export
    assert browser.widget.render["rev"] == before["rev"]
    made.sync.ask("make it vertical")
    after = browser.widget.timeline
    assert browser.widget.render["rev"] < after["rev"]  # the export panel marks that video out of date
    assert after["rev"] > before["rev"] and (after["w"], after["h"]) != (before["w"], before["h"])
    assert after["changed"] == [0, after["duration_ms"]] and after["live"] is None
    reply = browser.request("frame", t=1.0)
    assert reply["ok"] and reply["data"]["h"] > reply["data"]["w"]  # the vertical frame, no export
    made.sync.ask("make it horizontal")


def _view(*segs: tuple[int, int, str], w: int = 1920, h: int = 1080) -> dict[str, Any]:
    return {"w": w, "h": h, "duration_ms": max(e for _, e, _ in segs), "tracks": [{"type": "video", "segments": [
        {"i": i, "start_ms": s, "end_ms": e, "src": src} for i, (s, e, src) in enumerate(segs)]}]}


def test_changed_region_is_the_span_of_the_segments_that_differ() -> None:
    a = _view((0, 2000, "p1"), (2000, 4000, "p2"), (4000, 6000, "p3"))
    assert changed_region(None, a) is None and changed_region(a, a) is None
    assert changed_region(a, _view((0, 2000, "p1"), (2000, 4000, "p9"), (4000, 6000, "p3"))) == [2000, 4000]
    assert changed_region(a, _view((0, 2000, "p1"), (2000, 4000, "p2"), (4000, 6000, "p3"), w=1080, h=1920)) == [0, 6000]
    assert changed_region(a, _view((0, 2000, "p1"), (2000, 4000, "p2"), (4000, 8000, "p3"))) == [4000, 8000]


def test_latest_wins_answers_every_request_once() -> None:
    answers: list[tuple[int, Any]] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        queue = LatestWins(lambda coro: loop.create_task(coro))

        def work(k: int) -> Any:
            async def run() -> int:
                await asyncio.sleep(0.01)
                return k
            return run

        for k in range(5):
            queue.submit(work(k), lambda result, err, k=k: answers.append((k, result)))
            if k == 0:
                await asyncio.sleep(0.001)  # the first one starts; the next four arrive while it runs
        await asyncio.sleep(0.1)

    asyncio.run(main())
    assert sorted(k for k, _ in answers) == [0, 1, 2, 3, 4]
    assert dict(answers) == {0: 0, 1: None, 2: None, 3: None, 4: 4}


def test_no_frames_are_made_for_the_cloud_where_they_could_be_wrong(photos: list[Path]) -> None:
    studio = Studio(Backend("cloud", "https://cloud.invalid"), echo=False)
    server = FrameServer(studio)
    draft = Draft.from_json({"m": {"w": 640, "h": 360}, "t": [{"tt": 0, "sg": [{"d": 2000, "m": {"src": "x"}}]}]})
    view = server.timeline(draft)
    assert view["live"]["message"] == "Live frames need the local engine" and "thumbnail" in view["live"]["hint"]
    with pytest.raises(NemoError, match="local engine"):
        asyncio.run(server.frame(0.5))
    server.close()


def test_media_not_uploaded_from_this_kernel_is_fetched_once_for_the_player(made: Studio) -> None:
    # Another kernel on the same session (same user): it has none of the files on its disk.
    other = Studio(made.backend, echo=False, client=made.client)
    other.session_id = made.session_id
    other.sync.open()
    first = made.media[0]
    path = other.sync.media_file(first.id)
    assert path is not None and path.read_bytes() == made.sync.media_file(first.id).read_bytes()
    assert path != made.sync.media_file(first.id)  # a copy fetched from the backend
    assert other.sync.media_file(first.id) == path and other.sync.media_file("no-such-id") is None
