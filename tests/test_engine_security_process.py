"""Issue 17 with real processes: a stuck render worker is cancelled within a second, SIGTERM stops the
engine and its worker within seconds, and a worker killed alone leaves no partial file."""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from nemo_nb import protocol
from tests._support.engine import Api
from tests.test_engine_process import MB, Proc, procs  # noqa: F401  (the fixture)
from tests.test_engine_render import photo_draft, start, wait


def _worker_of(pid: int) -> psutil.Process:
    """The render worker process under ``pid`` (the engine), waiting briefly for it to appear."""
    deadline = time.monotonic() + 30
    while True:
        found = []
        for child in psutil.Process(pid).children(recursive=True):
            try:
                if "nemo_nb.engine.render_worker" in " ".join(child.cmdline()):
                    found.append((child.create_time(), child))
            except psutil.NoSuchProcess:
                continue
        if found:
            return max(found, key=lambda pair: pair[0])[1]  # the newest: the current render's
        assert time.monotonic() < deadline, "no render worker started"
        time.sleep(0.05)


def _running(api: Api, job_id: str) -> None:
    wait(api, job_id, lambda b: b["status"] == "running" and (b["progress"]["frames_done"] or 0) > 5)


@pytest.mark.slow
def test_cancel_of_a_stuck_worker_takes_effect_within_a_second(api: Api, photos: list[Path]) -> None:
    infos = api.upload(photos[:2]).json()["data"]["video_infos"]
    assert start(api, "render_stuck", photo_draft(infos, 60.0)).json()["code"] == 0
    _running(api, "render_stuck")
    worker = _worker_of(os.getpid())
    worker.suspend()  # stuck: it will never read "cancel" nor reach its next frame
    try:
        t0 = time.monotonic()
        resp = api.http.post(protocol.PATH_RENDER_CANCEL.format(job_id="render_stuck"))
        took = time.monotonic() - t0
        assert resp.json()["status"] == "cancelled", resp.text
        assert took < 1.5, f"cancel took {took:.2f} s"
        _gone, alive = psutil.wait_procs([worker], timeout=5)
        assert not alive
    finally:
        if worker.is_running():
            worker.kill()
    renders = Path(api.engine.settings.data_dir) / "renders"  # type: ignore[union-attr]
    assert list(renders.iterdir()) == []


@pytest.mark.slow
def test_sigterm_with_a_stuck_render_stops_worker_and_engine(tmp_path: Path, procs: list[Proc],  # noqa: F811
                                                              photos: list[Path]) -> None:
    proc = Proc(tmp_path / "data")
    procs.append(proc)
    with Api(proc.url) as api:
        infos = api.upload(photos[:2]).json()["data"]["video_infos"]
        assert start(api, "render_term", photo_draft(infos, 60.0)).json()["code"] == 0
        _running(api, "render_term")
        worker = _worker_of(proc.popen.pid)
        worker.suspend()
        t0 = time.monotonic()
        proc.popen.send_signal(signal.SIGTERM)
        proc.popen.wait(8)
        took = time.monotonic() - t0
        _gone, alive = psutil.wait_procs([worker], timeout=2)
        assert not alive, "the worker outlived its engine"
        assert took < 5, f"the engine took {took:.1f} s to stop"
    assert list((tmp_path / "data" / "renders").iterdir()) == []


@pytest.mark.slow
def test_a_worker_killed_alone_leaves_no_partial_file(api: Api, photos: list[Path]) -> None:
    infos = api.upload(photos[:2]).json()["data"]["video_infos"]
    assert start(api, "render_killed", photo_draft(infos, 60.0)).json()["code"] == 0
    _running(api, "render_killed")
    renders = Path(api.engine.settings.data_dir) / "renders"  # type: ignore[union-attr]
    assert any(p.name.endswith(".part") for p in renders.iterdir())  # it is encoding
    _worker_of(os.getpid()).kill()
    done = wait(api, "render_killed", lambda b: b["status"] in protocol.RenderStatus.TERMINAL)
    assert done["status"] == "failed" and "stopped unexpectedly" in done["error"]
    assert list(renders.iterdir()) == []


def big_png(width: int, height: int) -> bytes:
    """A valid RGB PNG of ``width`` x ``height`` (a gradient), written row by row: ~1 MB for 100 MP."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\0" + (bytes(range(256)) * (width * 3 // 256 + 1))[: width * 3]
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


@pytest.mark.slow
def test_parallel_huge_png_uploads_keep_engine_memory_flat(tmp_path: Path, procs: list[Proc],  # noqa: F811
                                                           photos: list[Path]) -> None:
    proc = Proc(tmp_path / "data")
    procs.append(proc)
    png = big_png(5000, 5000)  # 25 MP (over photos.BIG_PIXELS): 75 MB decoded, ~0.3 MB on disk
    with Api(proc.url) as api:
        assert api.upload([photos[0]]).status_code == 200  # decoders loaded: the warm baseline
        baseline = proc.ps.memory_info().rss
        peak, stop = [baseline], threading.Event()

        def sample() -> None:
            while not stop.is_set():
                with contextlib.suppress(psutil.Error):
                    peak[0] = max(peak[0], proc.ps.memory_info().rss)
                time.sleep(0.02)

        def upload(i: int) -> int:
            with httpx.Client(base_url=proc.url, headers=dict(api.http.headers), timeout=300, trust_env=False) as c:
                return c.post(protocol.PATH_UPLOAD.format(session_id=api.session_id),
                              files=[("files", (f"big{i}.png", png))]).status_code

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            with ThreadPoolExecutor(6) as pool:
                assert list(pool.map(upload, range(6))) == [200] * 6
            truncated = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id),
                                      files=[("files", ("cut.png", png[: len(png) // 2]))])
            thumb = httpx.get(api.state()["data"]["state"]["video_infos"][-1]["thumbnail_url"], trust_env=False,
                              timeout=120)
        finally:
            stop.set()
            sampler.join()
        assert truncated.status_code == 415 and truncated.json()["code"] == protocol.ErrorCode.UNSUPPORTED_FILE
        assert "cut.png" in truncated.json()["message"]
        assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
        growth = (peak[0] - baseline) / MB
        print(f"6 x 25 MP PNG uploads: engine RSS {baseline / MB:.0f} MB warm, peak +{growth:.0f} MB")
        assert growth < 100, f"the engine grew by {growth:.0f} MB"
