"""One long video across workers, the way Remotion Lambda splits a render.

The frame range is cut at keyframe boundaries (multiples of the encoder's GOP, :data:`KEYINT_SECONDS`)
into chunks. Each chunk is composited and encoded on its own (any ``concurrent.futures.Executor`` or
Dask client; in this process by default) with the export's x264 settings, so every chunk starts with
an IDR frame of a closed GOP and has the same SPS/PPS. The soundtrack is mixed and encoded once for
the whole length. The chunks' packets are then joined without re-encoding (a PyAV remux, each
chunk's timestamps shifted by its first frame) and the soundtrack muxed beside them: the frame count
is the draft's exactly, and the audio is the single render's, so it cannot drift.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import itertools
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from ..draft import Draft
from .compose import cache_of
from .encode import (
    _STOP,
    KEYINT_SECONDS,
    EncodedVideo,
    _audio_stream,
    _AudioEncoder,
    _bound_heap,
    _Compositor,
    _video_stream,
)
from .errors import RenderError
from .music import SAMPLE_RATE
from .plan import Plan, build_plan

#: A chunk's media: a path on the worker, or ``(file name, bytes)`` to be written there once.
MediaRef = str | Path | tuple[str, bytes]


@dataclass(frozen=True)
class ChunkedResult:
    result: EncodedVideo
    chunks: list[range]
    #: Seconds each chunk took on its worker (compositing + encoding), and the join.
    chunk_seconds: list[float]
    soundtrack_s: float
    join_s: float


def chunk_ranges(total: int, fps: int, chunks: int) -> list[range]:
    """``total`` frames in at most ``chunks`` pieces, each starting on a keyframe (GOP boundary)."""
    gop = max(1, fps * KEYINT_SECONDS)
    gops = -(-total // gop)
    n = max(1, min(chunks, gops))
    bounds = [round(k * gops / n) * gop for k in range(n)] + [total]
    return [range(a, min(b, total)) for a, b in itertools.pairwise(bounds) if a < min(b, total)]


def local_media(media: dict[str, MediaRef]) -> dict[str, str]:
    """media id → a file on this machine; bytes are written once per content under the temp dir."""
    base = Path(tempfile.gettempdir()) / f"nemo_nb-media-{os.getuid() if hasattr(os, 'getuid') else 0}"
    out: dict[str, str] = {}
    for media_id, ref in media.items():
        if not isinstance(ref, tuple):
            out[media_id] = str(ref)
            continue
        name, data = ref
        base.mkdir(mode=0o700, exist_ok=True)
        path = base / f"{hashlib.blake2b(data, digest_size=16).hexdigest()}{Path(name).suffix.lower()}"
        if not path.is_file() or path.stat().st_size != len(data):
            tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        out[media_id] = str(path)
    return out


def encode_frames(plan: Plan, frames: range, out: str | Path, preroll: int = 0) -> None:
    """Frames ``frames`` of ``plan`` as a video-only MP4 (timestamps from 0), the export's x264 settings.

    ``preroll`` frames before the range are encoded first and dropped: x264's rate control then
    reaches the chunk's first frame (forced to an IDR) in the state the single render had there, so
    the chunk's pictures match the single render's instead of starting from a fresh encoder's guess.
    """
    _bound_heap()
    first = max(0, frames.start - preroll)
    preroll = frames.start - first
    compositor = _Compositor(plan, frames=range(first, frames.stop))
    container = av.open(str(out), "w", format="mp4")
    try:
        stream = _video_stream(container, plan)
        stream.options = {**stream.options, "forced-idr": "1"}
        compositor.start()

        def mux(packets: list[av.Packet]) -> None:
            for packet in packets:
                if packet.pts is not None and packet.pts < preroll:
                    continue  # the pre-roll: encoded only to warm the rate control
                packet.pts -= preroll
                packet.dts -= preroll
                container.mux(packet)

        for _ in range(first, frames.stop):
            i, item = compositor.ready.get()
            if item is _STOP:
                break
            if isinstance(item, BaseException):
                raise item
            item[0].pts = i - first
            item[0].pict_type = av.video.frame.PictureType.I if (preroll and i == frames.start) else \
                av.video.frame.PictureType.NONE
            mux(stream.encode(item[0]))
            compositor.recycle(item)
        mux(stream.encode(None))
    finally:
        compositor.stop()
        compositor.join(timeout=10)
        container.close()
        cache_of(plan).close()


def encode_soundtrack(plan: Plan, out: str | Path) -> None:
    """The whole soundtrack, once, as an AAC-only MP4 (the same packets a single render muxes)."""
    container = av.open(str(out), "w", format="mp4")
    try:
        stream = _audio_stream(container, plan)
        encoder = _AudioEncoder(plan, stream, round(plan.frames_total / plan.fps * SAMPLE_RATE))
        encoder.start()
        container.mux(encoder.rest())
    finally:
        container.close()


def _task(draft: dict[str, Any], media: dict[str, MediaRef], quality: str, work: Callable[[Plan, Path], None],
          ) -> tuple[bytes, float]:
    started = time.perf_counter()
    plan = build_plan(draft, local_media(media), quality)
    with tempfile.TemporaryDirectory(prefix="nemo-chunk-") as tmp:
        path = Path(tmp) / "part.mp4"
        work(plan, path)
        return path.read_bytes(), time.perf_counter() - started


def render_chunk(draft: dict[str, Any], media: dict[str, MediaRef], quality: str, start: int,
                 stop: int) -> tuple[bytes, float]:
    """Worker task: one chunk's MP4 bytes (one GOP of pre-roll) and the seconds it took."""
    def work(plan: Plan, path: Path) -> None:
        encode_frames(plan, range(start, stop), path, preroll=plan.fps * KEYINT_SECONDS)

    return _task(draft, media, quality, work)


def render_soundtrack(draft: dict[str, Any], media: dict[str, MediaRef], quality: str) -> tuple[bytes, float]:
    """Worker task: the soundtrack's MP4 bytes and the seconds it took."""
    return _task(draft, media, quality, encode_soundtrack)


def _packets(container: av.container.InputContainer, stream: Any, offset_s: Fraction) -> Iterator[tuple[Fraction, Any]]:
    """(dts in seconds, packet) of one stream, shifted by ``offset_s`` (flush packets dropped)."""
    shift = round(offset_s / stream.time_base)
    for packet in container.demux(stream):
        if packet.dts is None or packet.size == 0:
            continue
        packet.pts += shift
        packet.dts += shift
        yield packet.dts * stream.time_base, packet


def _tag(k: int, feed: Iterator[tuple[Fraction, Any]]) -> Iterator[tuple[Fraction, int, Any]]:
    for t, packet in feed:
        yield t, k, packet


def join(parts: list[Path], ranges: list[range], fps: int, soundtrack: Path | None, out: str | Path) -> Path:
    """Chunks (in order) and the soundtrack into one MP4 without re-encoding; written atomically."""
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    inputs = [av.open(str(p)) for p in parts]
    sound = av.open(str(soundtrack)) if soundtrack is not None else None
    ok = False
    try:
        first = inputs[0].streams.video[0]
        for k, c in enumerate(inputs[1:], 1):
            if bytes(c.streams.video[0].codec_context.extradata or b"") != bytes(first.codec_context.extradata or b""):
                raise RenderError(f"Chunk {k + 1} was encoded with other settings than chunk 1; render again.")
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as output:
            vout = output.add_stream_from_template(first)
            streams = [(c, c.streams.video[0], Fraction(r.start, fps), vout)
                       for c, r in zip(inputs, ranges, strict=True)]
            feeds = [_packets(c, s, off) for c, s, off, _ in streams]
            targets = [vout] * len(feeds)
            if sound is not None:
                aout = output.add_stream_from_template(sound.streams.audio[0])
                feeds.append(_packets(sound, sound.streams.audio[0], Fraction(0)))
                targets.append(aout)
            tagged = [_tag(k, feed) for k, feed in enumerate(feeds)]
            for _t, k, packet in heapq.merge(*tagged, key=lambda x: (x[0], x[1])):
                packet.stream = targets[k]
                output.mux(packet)
        os.replace(tmp, out)
        ok = True
    finally:
        for c in [*inputs, sound]:
            if c is not None:
                c.close()
        if not ok:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    return out


class _Inline:
    """Runs tasks in this process when no executor is given (one worker)."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any:
        from concurrent.futures import Future

        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def render_chunked(draft: Draft | dict[str, Any], media: dict[str, MediaRef], out: str | Path, *,
                   quality: str = "high", chunks: int = 2, executor: Any = None) -> ChunkedResult:
    """Render ``draft`` in ``chunks`` GOP-aligned pieces on ``executor`` (a ``concurrent.futures``
    executor or a ``dask.distributed.Client``; this process when None) and join them."""
    started = time.perf_counter()
    draft_json = draft.to_json() if isinstance(draft, Draft) else Draft.from_json(draft).to_json()
    plan = build_plan(draft_json, local_media(media), quality)
    ranges = chunk_ranges(plan.frames_total, plan.fps, chunks)
    pool = executor if executor is not None else _Inline()
    sound = pool.submit(render_soundtrack, draft_json, media, quality) if plan.has_audio else None
    futures = [pool.submit(render_chunk, draft_json, media, quality, r.start, r.stop) for r in ranges]
    with tempfile.TemporaryDirectory(prefix="nemo-chunked-") as tmp:
        parts, seconds = [], []
        for k, future in enumerate(futures):
            data, took = future.result()
            parts.append(Path(tmp) / f"chunk{k:04d}.mp4")
            parts[-1].write_bytes(data)
            seconds.append(took)
        sound_path, sound_s = None, 0.0
        if sound is not None:
            data, sound_s = sound.result()
            sound_path = Path(tmp) / "soundtrack.mp4"
            sound_path.write_bytes(data)
        joined = time.perf_counter()
        join(parts, ranges, plan.fps, sound_path, out)
        join_s = time.perf_counter() - joined
    out = Path(out)
    total = plan.frames_total
    result = EncodedVideo(out, plan.width, plan.height, plan.fps, total, total / plan.fps, out.stat().st_size,
                          plan.has_audio, time.perf_counter() - started)
    return ChunkedResult(result, ranges, seconds, sound_s, join_s)


__all__ = ["ChunkedResult", "chunk_ranges", "encode_frames", "encode_soundtrack", "join", "local_media",
           "render_chunk", "render_chunked", "render_soundtrack"]
