"""The engine as a real separate process: memory while refusing a huge upload, SIGKILL mid-render,
the on-demand launcher with its runtime file and idle exit, and the CLI."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from nemo_nb import protocol
from nemo_nb.engine.launcher import ensure_engine
from tests._support.engine import Api
from tests.test_engine_render import photo_draft, start, wait

MB = 1024 * 1024


class Proc:
    """An engine subprocess (``python -m nemo_nb.engine``) and its URL from the runtime file."""

    def __init__(self, data_dir: Path, *extra: str) -> None:
        self.data_dir = data_dir
        runtime = data_dir / "engine.json"
        if runtime.exists():
            runtime.unlink()
        self.popen = subprocess.Popen([sys.executable, "-m", "nemo_nb.engine", "--port", "0", "--data-dir",
                                       str(data_dir), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while True:
            try:
                info = json.loads(runtime.read_text())
                if info["pid"] == self.popen.pid:
                    break
            except (OSError, ValueError):
                pass
            assert self.popen.poll() is None, self.popen.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "engine did not start"
            time.sleep(0.05)
        self.url = info["url"]
        self.ps = psutil.Process(self.popen.pid)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self.popen.stderr.close()  # type: ignore[union-attr]


@pytest.fixture
def procs() -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.stop()


def test_250mb_upload_refused_with_flat_memory(tmp_path: Path, procs: list[Proc], photos: list[Path]) -> None:
    proc = Proc(tmp_path / "data")
    procs.append(proc)
    with Api(proc.url) as api:
        cold = proc.ps.memory_info().rss
        assert api.upload([photos[0]]).status_code == 200  # a working engine: decoders loaded
        baseline = proc.ps.memory_info().rss
        peak = [baseline]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], proc.ps.memory_info().rss)
                time.sleep(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()

        def body() -> Iterator[bytes]:  # 250 MB generated on the fly, sent chunked
            yield b'--b0undary\r\nContent-Disposition: form-data; name="files"; filename="huge.jpg"\r\n\r\n'
            yield b"\xff\xd8\xff\xe0" + b"\0" * (MB - 4)
            block = b"\x5a" * MB
            for _ in range(249):
                yield block
            yield b"\r\n--b0undary--\r\n"

        t0 = time.monotonic()
        resp = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id), content=body(),
                             headers={"content-type": "multipart/form-data; boundary=b0undary"})
        took = time.monotonic() - t0
        stop.set()
        sampler.join()
        assert resp.status_code == 413 and resp.json()["code"] == protocol.ErrorCode.FILE_TOO_LARGE
        growth = (peak[0] - baseline) / MB
        print(f"250 MB refused in {took:.1f} s; engine RSS cold {cold / MB:.0f} MB, warm {baseline / MB:.0f} MB, "
              f"peak during the upload {peak[0] / MB:.0f} MB (+{growth:.1f} MB)")
        assert growth < 50, f"RSS grew by {growth:.1f} MB"
        assert list((proc.data_dir / "tmp").iterdir()) == []
        assert len(api.state()["data"]["state"]["video_infos"]) == 1


@pytest.mark.slow
def test_sigkill_mid_render_then_restart(tmp_path: Path, procs: list[Proc], photos: list[Path]) -> None:
    data = tmp_path / "data"
    proc = Proc(data)
    procs.append(proc)
    with Api(proc.url) as api:
        infos = api.upload(photos[:3]).json()["data"]["video_infos"]
        draft = photo_draft(infos, 60.0)
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": api.session_id,
                "new_message": {"parts": [{"text": ""}]}, "state_delta": {"draft": draft}}
        assert api.http.post(protocol.PATH_RUN_SSE, json=body).status_code == 200
        before = api.state()["data"]
        assert before["state"]["draft"] == draft and before["revision"] == 1
        assert start(api, "render_killed", draft).json()["code"] == 0
        wait(api, "render_killed", lambda b: b["status"] == "running" and (b["progress"]["frames_done"] or 0) > 30)
        workers = proc.ps.children(recursive=True)
        assert workers, "the render runs in a worker process"
        os.kill(proc.popen.pid, signal.SIGKILL)
        proc.popen.wait(10)
        _gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, "the render worker must stop when its engine dies"

        again = Proc(data)
        procs.append(again)
        api.http.close()
        api.http = httpx.Client(base_url=again.url, headers=api.http.headers, timeout=60)
        after = api.state()["data"]
        assert after["state"]["draft"] == draft and after["revision"] == before["revision"]
        assert after["state"]["video_infos"] == [
            {**v, "url": v["url"].replace(proc.url, again.url), "thumbnail_url": v["thumbnail_url"].replace(proc.url, again.url)}
            for v in before["state"]["video_infos"]]
        job = api.http.get(protocol.PATH_RENDER_STATUS.format(job_id="render_killed")).json()
        assert job["status"] == "failed" and "restarted" in job["error"]
        assert api.credits()["frozen"] == 0
        assert list((data / "renders").iterdir()) == [] and list((data / "tmp").iterdir()) == []
        api.http.close()


def test_launcher_reuses_and_idles_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    url = ensure_engine(data, idle_timeout=1.0)
    info = json.loads((data / "engine.json").read_text())
    try:
        assert stat.S_IMODE((data / "engine.json").stat().st_mode) == 0o600
        assert info["url"] == url and httpx.get(url + protocol.PATH_HEALTH).json()["data"]["data_dir_id"]
        assert ensure_engine(data, idle_timeout=1.0) == url  # a second notebook / restarted kernel reuses it
        assert json.loads((data / "engine.json").read_text())["pid"] == info["pid"]
        assert os.getsid(info["pid"]) != os.getsid(0)
        psutil.Process(info["pid"]).wait(15)  # idle: it stops by itself
        assert not (data / "engine.json").exists()
        url2 = ensure_engine(data, idle_timeout=30)
        pid2 = json.loads((data / "engine.json").read_text())["pid"]
        assert pid2 != info["pid"] and httpx.get(url2 + protocol.PATH_HEALTH).json()["code"] == 0
    finally:
        current = json.loads((data / "engine.json").read_text())["pid"] if (data / "engine.json").exists() else None
        if current:
            os.kill(current, signal.SIGTERM)
            psutil.Process(current).wait(15)


def test_cli_warns_on_public_host_and_refuses_busy_dir(tmp_path: Path, procs: list[Proc]) -> None:
    proc = Proc(tmp_path / "data")
    procs.append(proc)
    busy = subprocess.run([sys.executable, "-m", "nemo_nb.engine", "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2 and "Another nemo_nb engine" in busy.stderr
    exe = Path(sys.executable).with_name("nemo-nb")
    public = subprocess.Popen([str(exe), "serve", "--host", "0.0.0.0", "--port", "0", "--data-dir",
                               str(tmp_path / "other")], stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in public.stderr:  # type: ignore[union-attr]
            lines.append(line)
            if "listening on http" in line:
                break
        text = "".join(lines)
        assert "WARNING" in text and "0.0.0.0" in text and "127.0.0.1" in text
    finally:
        public.terminate()
        public.wait(15)
        public.stderr.close()  # type: ignore[union-attr]
    assert public.returncode == 0  # SIGTERM is a clean shutdown
