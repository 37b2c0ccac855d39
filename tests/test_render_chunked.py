"""A chunked render (GOP-aligned chunks on 2 worker processes, joined without re-encoding, the
soundtrack rendered once) against the single-process render of the same draft: same frame count,
same length, the same audio packets, and the same pictures at and around every seam."""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import av
import pytest

from nemo_nb.render import render
from nemo_nb.render.chunked import chunk_ranges, render_chunked
from tests._support.video import frame_count, luma_frames, ssim


def _draft(seconds_per_photo: float, n: int) -> dict:
    total = round(seconds_per_photo * n * 1000)
    return {"m": {"aspect": "16:9", "w": 640, "h": 360, "fps": 30}, "t": [
        {"tt": 0, "sg": [{"d": round(seconds_per_photo * 1000), "m": {"type": "photo", "src": f"m{i}"}}
                         for i in range(n)]},
        {"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": total, "s": 0, "m": {"type": "music", "mood": "upbeat"}}]},
        {"tt": 7, "m": {"role": "caption"}, "sg": [{"d": total, "s": 0, "m": {
            "type": "text", "role": "caption", "text": "No seams here"}}]}]}


def _audio_packets(path: Path) -> list[tuple[int | None, bytes]]:
    with av.open(str(path)) as c:
        return [(p.pts, bytes(p)) for p in c.demux(c.streams.audio[0]) if p.size]


def test_chunks_start_on_keyframes_and_cover_every_frame() -> None:
    assert chunk_ranges(300, 30, 3) == [range(0, 120), range(120, 180), range(180, 300)]
    assert chunk_ranges(301, 30, 2) == [range(0, 180), range(180, 301)]
    assert chunk_ranges(50, 30, 8) == [range(0, 50)]  # shorter than a GOP: one chunk
    for total, n in ((9000, 2), (9001, 7), (61, 100)):
        ranges = chunk_ranges(total, 30, n)
        assert ranges[0].start == 0 and ranges[-1].stop == total
        assert all(a.stop == b.start and b.start % 60 == 0 for a, b in itertools.pairwise(ranges))


@pytest.mark.slow
def test_chunked_render_on_two_workers_matches_the_single_render(photos: list[Path], tmp_path: Path) -> None:
    media = {f"m{i}": str(p) for i, p in enumerate(photos[:4])}
    draft = _draft(2.5, 4)
    single = render(draft, media, tmp_path / "single.mp4", quality="preview")
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:  # no fork of threads
        chunked = render_chunked(draft, media, tmp_path / "chunked.mp4", quality="preview", chunks=3, executor=pool)
    out = chunked.result.path
    assert len(chunked.chunks) == 3 and frame_count(out) == frame_count(single.path) == 300
    with av.open(str(out)) as a, av.open(str(single.path)) as b:
        assert a.duration == b.duration and a.streams.video[0].frames == 300
        keys = [i for i, p in enumerate(a.demux(a.streams.video[0])) if p.is_keyframe]
    assert {r.start for r in chunked.chunks} <= set(keys)  # every chunk starts on a keyframe
    assert _audio_packets(out) == _audio_packets(single.path)  # one soundtrack: no drift, no seam
    seams = [r.start for r in chunked.chunks[1:]]
    wanted = sorted({s + d for s in seams for d in (-3, -2, -1, 0, 1, 2, 3)} | {0, 299})
    a, b = luma_frames(out, wanted), luma_frames(single.path, wanted)
    scores = {k: ssim(a[k], b[k]) for k in wanted}
    assert min(scores.values()) >= 0.99, scores
