"""Issue 17 with real processes: a stuck render worker is cancelled within a second, SIGTERM stops the
engine and its worker within seconds, and a worker killed alone leaves no partial file."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from nemo_nb import protocol
from tests._support.engine import Api
from tests.test_engine_process import Proc, procs  # noqa: F401  (the fixture)
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
