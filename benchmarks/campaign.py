"""Campaign and chunked-render benchmarks, in one run, each against a baseline measured in the same run.

1. Campaign throughput (variants per minute) of one 12-variant campaign (2 directions × 3 formats ×
   2 copy rows, 3-second preview videos, 3 photos): one variant at a time on one engine worker
   (sequential, the baseline) vs. the local engine's job queue with its default workers vs. with one
   worker per core vs. a dask LocalCluster with one worker process per core. Each mode starts with
   an empty prepared-photo cache, so each decodes its photos once.
2. Chunked render of a 60-second preview: single process (baseline) vs. 4 GOP-aligned chunks on 1
   and on 2 worker processes; the per-chunk overhead measured from the 1-worker run; a projection
   for 8, 32 and 100 workers (a model, not a measurement).
3. A 5-minute preview rendered in 2 chunks on 2 workers vs. the single render: exact frame count and
   length, identical audio packets, SSIM of the frames at and around each seam.

Run: ``.venv/bin/python benchmarks/campaign.py [--json out.json] [--repeat 2] [--only campaign|chunked|five]``
(about 10 minutes on an idle 2-core machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import av
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nemo_nb import Campaign  # noqa: E402
from nemo_nb.engine.server import EngineServer  # noqa: E402
from nemo_nb.render import render  # noqa: E402
from nemo_nb.render.chunked import render_chunked  # noqa: E402
from tests._support.video import luma_frames, ssim  # noqa: E402

PHOTOS = sorted((ROOT / "tests" / "data" / "photos").glob("*.jpg"))[:3] or sorted(
    (ROOT / "nemo_nb" / "samples").glob("*.jpg"))[:3]
DIRECTIONS = {"calm": "a 3-second slideshow with calm music",
              "upbeat": "a 3-second slideshow with upbeat music and no transitions"}
FORMATS = ["16:9", "9:16", "1:1"]
#: Worker processes start fresh: forking this process (event-loop, Dask and encoder threads) can deadlock.
SPAWN = multiprocessing.get_context("spawn")
COPY = pd.DataFrame({"product": ["Cold brew", "Espresso"], "price": ["$4", "$3"]})


def fresh_cache(tag: str) -> None:
    """Renders started after this (engine workers, cluster workers) use an empty prepared-photo store."""
    os.environ["NEMO_NB_CACHE_DIR"] = tempfile.mkdtemp(prefix=f"nemo-bench-{tag}-")


def campaign_once(tag: str, workers: int | None, concurrency: int | None, executor: Any = None) -> dict[str, Any]:
    fresh_cache(tag)
    data = Path(tempfile.mkdtemp(prefix="nemo-bench-data-"))
    server = EngineServer(data, **({"render_workers": workers} if workers else {})).start()
    try:
        campaign = Campaign(PHOTOS, DIRECTIONS, FORMATS, COPY, title="product", caption="{price} today",
                            base_url=server.url, out_dir=data / "out")

        async def go() -> pd.DataFrame:
            await campaign.run(executor=executor, concurrency=concurrency)
            return await campaign.wait()

        t0 = time.perf_counter()
        table = asyncio.run(go())
        took = time.perf_counter() - t0
    finally:
        server.stop()
    ok = int((table["status"] == "done").sum())
    return {"mode": tag, "variants": len(table), "done": ok, "seconds": round(took, 1),
            "variants_per_min": round(ok / took * 60, 1), "engine_workers": server.settings.render_workers
            if executor is None else None}


def bench_campaign(repeat: int = 1) -> list[dict[str, Any]]:
    """Each mode ``repeat`` times, interleaved (ABCD ABCD: load changes hit every mode alike); the best run."""
    from distributed import Client, LocalCluster

    cores = os.cpu_count() or 1

    def on_cluster() -> dict[str, Any]:
        fresh_cache("dask")
        with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            return campaign_once(f"dask LocalCluster, {cores} processes", None, None, executor=client)

    modes = [lambda: campaign_once("sequential", 1, 1), lambda: campaign_once("local default", None, None),
             lambda: campaign_once(f"local, {cores} engine workers", cores, None), on_cluster]
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for mode in modes:
            row = mode()
            if row["mode"] not in best or row["seconds"] < best[row["mode"]]["seconds"]:
                best[row["mode"]] = row
    rows = list(best.values())
    base = rows[0]["variants_per_min"]
    for r in rows:
        r["speedup"] = round(r["variants_per_min"] / base, 2)
        r["runs"] = repeat
    return rows


def long_draft(seconds: int) -> tuple[dict[str, Any], dict[str, str]]:
    media = {f"m{i}": str(p) for i, p in enumerate(PHOTOS)}
    n = seconds // 3
    draft = {"m": {"aspect": "16:9", "fps": 30}, "t": [
        {"tt": 0, "sg": [{"d": 3000, "m": {"type": "photo", "src": f"m{i % len(PHOTOS)}"}} for i in range(n)]},
        {"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": n * 3000, "s": 0, "m": {"type": "music", "mood": "upbeat"}}]},
        {"tt": 7, "m": {"role": "caption"}, "sg": [{"d": n * 3000, "s": 0, "m": {
            "type": "text", "role": "caption", "text": "One video, many workers"}}]}]}
    return draft, media


def timed(fn: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_chunked(tmp: Path, seconds: int = 60, chunks: int = 4) -> dict[str, Any]:
    draft, media = long_draft(seconds)
    fresh_cache("single")
    _, single_s = timed(lambda: render(draft, media, tmp / "single60.mp4", quality="preview"))
    out: dict[str, Any] = {"seconds_of_video": seconds, "chunks": chunks, "single_s": round(single_s, 1)}
    for workers in (1, 2):
        fresh_cache(f"chunked{workers}")
        with ProcessPoolExecutor(workers, mp_context=SPAWN) as pool:
            result, took = timed(lambda pool=pool, w=workers: render_chunked(
                draft, media, tmp / f"chunked60_{w}.mp4", quality="preview", chunks=chunks, executor=pool))
        out[f"workers_{workers}_s"] = round(took, 1)
        out[f"workers_{workers}_speedup"] = round(single_s / took, 2)
        if workers == 1:
            out["chunk_work_s"] = round(sum(result.chunk_seconds), 1)
            out["soundtrack_s"] = round(result.soundtrack_s, 2)
            out["join_s"] = round(result.join_s, 2)
            out["overhead_per_chunk_s"] = round((took - single_s) / chunks, 2)
    out["projection"] = projection(out["chunk_work_s"], out["soundtrack_s"], out["overhead_per_chunk_s"],
                                   out["join_s"], gops=seconds // 2)
    return out


def projection(work: float, soundtrack: float, per_chunk: float, join: float, gops: int) -> dict[int, float]:
    """A model, not a measurement: N workers, one chunk each (at most one per GOP), one core per worker,
    no contention; the soundtrack (encoded once) runs beside the chunks; the join is serial."""
    return {n: round(max(soundtrack, work / min(n, gops) + per_chunk) + join, 1) for n in (8, 32, 100)}


def audio_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as c:
        return [bytes(p) for p in c.demux(c.streams.audio[0]) if p.size]


def bench_five_minutes(tmp: Path) -> dict[str, Any]:
    draft, media = long_draft(300)
    fresh_cache("five-single")
    single, single_s = timed(lambda: render(draft, media, tmp / "single300.mp4", quality="preview"))
    fresh_cache("five-chunked")
    with ProcessPoolExecutor(2, mp_context=SPAWN) as pool:
        chunked, chunked_s = timed(lambda: render_chunked(draft, media, tmp / "chunked300.mp4", quality="preview",
                                                          chunks=2, executor=pool))
    with av.open(str(single.path)) as a, av.open(str(chunked.result.path)) as b:
        frames = (sum(1 for _ in a.demux(a.streams.video[0]) if _.size), sum(1 for _ in b.demux(b.streams.video[0])
                                                                              if _.size))
        durations = (a.duration / 1e6, b.duration / 1e6)
    seams = [r.start for r in chunked.chunks[1:]]
    wanted = sorted({s + d for s in seams for d in range(-5, 6)})
    fa, fb = luma_frames(single.path, wanted), luma_frames(chunked.result.path, wanted)
    scores = [ssim(fa[k], fb[k]) for k in wanted]
    return {"single_s": round(single_s, 1), "chunked_2_workers_s": round(chunked_s, 1),
            "speedup": round(single_s / chunked_s, 2), "frames": frames, "durations_s": durations,
            "seams": seams, "seam_ssim_min": round(min(scores), 4),
            "audio_identical": audio_packets(single.path) == audio_packets(chunked.result.path)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", default=None)
    parser.add_argument("--only", choices=["campaign", "chunked", "five"], default=None)
    parser.add_argument("--repeat", type=int, default=1, help="campaign modes run this many times, interleaved")
    args = parser.parse_args()
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                              "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
                              "load_at_start": os.getloadavg()}
    if args.only in (None, "campaign"):
        report["campaign"] = bench_campaign(args.repeat)
        print(json.dumps(report["campaign"], indent=1), flush=True)
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp:
        if args.only in (None, "chunked"):
            report["chunked_60s"] = bench_chunked(Path(tmp))
            print(json.dumps(report["chunked_60s"], indent=1), flush=True)
        if args.only in (None, "five"):
            report["five_minutes"] = bench_five_minutes(Path(tmp))
            print(json.dumps(report["five_minutes"], indent=1), flush=True)
    report["load_at_end"] = os.getloadavg()
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
