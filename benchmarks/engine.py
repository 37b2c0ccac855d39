"""Engine benchmarks, each side by side with a baseline measured in the same run, reported as ratios.

1. Upload: a 200 MB file (a valid WAV, so it is stored, not refused) streamed to the engine, vs. the
   same bytes posted to a bare Starlette endpoint that reads and discards the body: throughput
   ratio, plus the engine's peak RSS growth during the upload.
2. API load: ``state`` and ``credits`` under 20 concurrent clients, vs. a bare Starlette endpoint
   returning a constant JSON: requests/s and p95 latency ratios.

Both servers run as separate processes under the same uvicorn; the load generator is the same.
Run: ``.venv/bin/python benchmarks/engine.py [--seconds 5] [--clients 20] [--upload-mb 200]``.
"""

from __future__ import annotations

import argparse
import asyncio
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
from _engine import start_engine  # benchmarks run as scripts: their folder is on sys.path

MB = 1024 * 1024

BASELINE_APP = r"""
import socket, sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

CONST = {"code": 0, "message": "ok", "data": {"available": 100, "frozen": 0, "total": 100}}

async def const(request):
    return JSONResponse(CONST)

async def sink(request):
    n = 0
    async for chunk in request.stream():
        n += len(chunk)
    return JSONResponse({"code": 0, "received": n})

app = Starlette(routes=[Route("/const", const), Route("/sink", sink, methods=["POST"])])
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); sock.listen(2048)
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])
"""


def start_baseline() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", BASELINE_APP], stdout=subprocess.PIPE, text=True)
    port = int(proc.stdout.readline())  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/const")
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    return proc, url


def wav_body(total_bytes: int, boundary: bytes) -> Iterator[bytes]:
    """A multipart body holding one valid 16-bit stereo WAV of ``total_bytes``, generated on the fly."""
    data_len = total_bytes - 44
    header = (b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, 44100,
              44100 * 4, 4, 16) + b"data" + struct.pack("<I", data_len))
    yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="files"; filename="long.wav"\r\n\r\n'
    yield header
    block = bytes(range(256)) * 4096  # 1 MB of audible noise
    left = data_len
    while left > 0:
        yield block[: min(left, len(block))]
        left -= len(block)
    yield b"\r\n--" + boundary + b"--\r\n"


class PeakRss:
    """Samples a process's RSS every 20 ms in a thread."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.base = self.proc.memory_info().rss
        self.peak = self.base
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.02)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return (self.peak - self.base) / MB


def timed_post(url: str, size: int, headers: dict[str, str]) -> tuple[float, httpx.Response]:
    t0 = time.perf_counter()
    resp = httpx.post(url, content=wav_body(size, b"bench"), timeout=600, trust_env=False,
                      headers={**headers, "content-type": "multipart/form-data; boundary=bench"})
    return time.perf_counter() - t0, resp


async def load(url: str, headers: dict[str, str], clients: int, seconds: float) -> tuple[float, float]:
    """(requests per second, p95 latency in ms) with ``clients`` concurrent keep-alive clients."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30, trust_env=False) as client:
        async def worker() -> None:
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                resp = await client.get(url)
                resp.raise_for_status()
                latencies.append(time.perf_counter() - t0)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        took = time.perf_counter() - start
    latencies.sort()
    return len(latencies) / took, latencies[int(0.95 * (len(latencies) - 1))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--upload-mb", type=int, default=200)
    args = parser.parse_args()
    size = args.upload_mb * MB - 4096  # the file itself stays just under the 200 MB cap

    with tempfile.TemporaryDirectory() as tmp:
        base_proc, base_url = start_baseline()
        eng_proc, eng_url = start_engine(Path(tmp) / "data")
        try:
            client_id = "bench-" + str(time.time())
            token = httpx.post(eng_url + "/api/auth/anonymous-token", headers={"X-Client-Id": client_id}).json()
            auth = {"Authorization": f"Bearer {token['data']['token']}"}
            sid = httpx.post(eng_url + "/api/tasks/me/with-session/nemo_agent", json={}, headers=auth).json()
            sid = sid["session_id"]

            warm = timed_post(f"{eng_url}/api/upload-video/nemo_agent/me/{sid}", MB, auth)[1]  # loads decoders
            assert warm.json()["code"] == 0, warm.text
            print(f"# upload of {size / MB:.0f} MB (engine warmed up by a 1 MB upload)")
            base_rss = PeakRss(base_proc.pid)
            base_s, base_resp = timed_post(base_url + "/sink", size, {})
            base_grow = base_rss.stop()
            assert base_resp.json()["received"] > size
            eng_rss = PeakRss(eng_proc.pid)
            eng_s, eng_resp = timed_post(f"{eng_url}/api/upload-video/nemo_agent/me/{sid}", size, auth)
            eng_grow = eng_rss.stop()
            body = eng_resp.json()
            assert body["code"] == 0, body
            print(f"baseline (bare Starlette sink): {size / MB / base_s:7.1f} MB/s  peak RSS +{base_grow:.1f} MB")
            print(f"engine (stream+sniff+probe+store): {size / MB / eng_s:7.1f} MB/s  peak RSS +{eng_grow:.1f} MB  "
                  f"RSS after {psutil.Process(eng_proc.pid).memory_info().rss / MB:.0f} MB")
            print(f"throughput ratio engine/baseline: {base_s / eng_s:.2f}")

            print(f"\n# {args.clients} concurrent clients, {args.seconds:g} s each")
            base_rps, base_p95 = asyncio.run(load(base_url + "/const", {}, args.clients, args.seconds))
            print(f"baseline constant JSON:  {base_rps:8.0f} req/s  p95 {base_p95:6.1f} ms")
            for name, path in (("credits", "/api/credits/balance/simple"),
                               ("state", f"/api/state/nemo_agent/me/{sid}/latest")):
                rps, p95 = asyncio.run(load(eng_url + path, auth, args.clients, args.seconds))
                print(f"engine {name:8s}:        {rps:8.0f} req/s  p95 {p95:6.1f} ms   "
                      f"ratio rps {rps / base_rps:.2f}, p95 {p95 / base_p95:.2f}x")
        finally:
            for proc in (base_proc, eng_proc):
                proc.terminate()
                proc.wait(15)


if __name__ == "__main__":
    main()
