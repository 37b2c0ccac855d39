"""Client memory during a 200 MB upload: NemoClient's streamed multipart vs. a naive read-all upload.

    .venv/bin/python benchmarks/client_upload.py [--size-mb 200]

A discard-only server runs in its own process; each upload runs in a fresh process whose RSS is
sampled every 5 ms. Printed: peak RSS growth per method, the naive/streamed ratio, and throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

MB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
SID = "bench"


def serve(port: int) -> None:
    """A server that reads and discards request bodies and answers like an upload endpoint."""
    import uvicorn

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        size = 0
        while True:
            message = await receive()
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        if scope["path"].endswith("anonymous-token"):
            body = {"code": 0, "data": {"token": "bench-token"}}
        else:
            body = {"code": 0, "data": {"media": [{"id": "m1", "size": size}]}}
        data = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": data})

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")


def measure(method: str, url: str, path: str) -> dict:
    """Upload ``path`` with ``method`` in this (fresh) process; peak RSS growth in MB."""
    import httpx
    import psutil

    from nemo_nb import protocol
    from nemo_nb.client import NemoClient

    proc = psutil.Process()
    peak = base = proc.memory_info().rss
    stop = threading.Event()

    def sampler() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, proc.memory_info().rss)
            time.sleep(0.005)

    async def streamed() -> None:
        async with NemoClient(url, token="bench-token", config_dir=tempfile.mkdtemp()) as client:
            await client.upload(SID, path)

    async def naive() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=300) as http:
            data = Path(path).read_bytes()
            await http.post(protocol.PATH_UPLOAD.format(session_id=SID),
                            files={"files": (Path(path).name, data, "video/mp4")},
                            headers={"Authorization": "Bearer bench-token"})

    thread = threading.Thread(target=sampler, daemon=True)
    thread.start()
    started = time.perf_counter()
    asyncio.run(streamed() if method == "streamed" else naive())
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    return {"method": method, "rss_growth_mb": (peak - base) / MB, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, metavar=("METHOD", "URL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.mp4"
        with open(path, "wb") as fh:
            fh.write(MP4_HEAD)
            fh.write(os.urandom(MB))
            fh.truncate(args.size_mb * MB)
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            results = {}
            for method in ("streamed", "naive"):
                out = subprocess.run([sys.executable, __file__, "--measure", method, url, str(path)],
                                     capture_output=True, text=True, check=True, env=env)
                results[method] = json.loads(out.stdout.strip().splitlines()[-1])
        finally:
            server.terminate()
            server.wait(timeout=10)
    s, n = results["streamed"], results["naive"]
    print(f"{args.size_mb} MB upload, client process RSS growth (peak):")
    print(f"  NemoClient (streamed multipart): {s['rss_growth_mb']:7.1f} MB   {args.size_mb / s['seconds']:6.0f} MB/s")
    print(f"  naive read-all + httpx files=:   {n['rss_growth_mb']:7.1f} MB   {args.size_mb / n['seconds']:6.0f} MB/s")
    ratio = n["rss_growth_mb"] / max(s["rss_growth_mb"], 0.1)
    print(f"  ratio naive/streamed: {ratio:.1f}x   (target: streamed < 50 MB)")


if __name__ == "__main__":
    main()
