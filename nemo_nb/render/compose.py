"""The compositor: a frame is a pure function of (plan, t), computed in YUV 4:2:0 planes.

Each photo is decoded once at the size the output needs and converted once to Y/U/V; each frame is
then a sub-pixel affine warp of those planes straight into the output buffer (chroma at half size),
a blend only while a transition runs, and text blended only over its box. The output buffer is the
I420 layout the encoder takes, so no RGB round trip happens while rendering. Decoded sources live
in a small LRU cache (a few clips), so memory does not grow with the video's length; a photo shown
again later is decoded once (its pixels are kept, within a budget, until its last clip). A clip that
does not move is warped once. The compositor and decode threads run at a lower priority than x264, so
they fill the encoder's idle CPU instead of stalling its frame threads.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from . import prepared
from .media import decode_photo, gif_frames
from .motion import Move, Subject, affine, box_fits, find_subject, plan_move
from .overlay import draw_brand
from .plan import Clip, Plan, preview_size
from .text import TextSprite, render_text, text_state
from .transitions import TRANSITIONS, ease
from .yuv import i420_to_rgb, rgb_to_i420, split_planes

_WARP = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
#: Edge pixels repeated, not reflected: a bilinear tap reaches at most one pixel past the edge, where
#: both give the same value, and OpenCV's SIMD warp path handles only constant/replicate borders
#: (measured: reflect made every Ken Burns warp ~5x slower).
_BORDER = cv2.BORDER_REPLICATE
#: Decoded photos kept for reuse by a later clip of the same photo (bytes of I420 planes).
PIXEL_BUDGET = 64 << 20
#: Headroom decoded beyond the output size so the push-in never upscales much.
_ZOOM_HEADROOM = 1.12


#: Niceness added to the compositor and decode threads (Linux: per thread). x264 alone keeps ~1.5 of 2
#: cores busy and its frame threads wait on each other, so taking CPU from them stalls the whole
#: encoder; a lower-priority compositor mostly runs in x264's idle time and stays ahead thanks to its
#: queue of ready frames.
COMPOSITOR_NICE = 4


def yield_to_encoder() -> None:
    """Lower the calling thread's priority by :data:`COMPOSITOR_NICE` (no-op where unsupported)."""
    if COMPOSITOR_NICE <= 0 or not hasattr(os, "setpriority"):
        return
    with contextlib.suppress(OSError, AttributeError, ValueError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + COMPOSITOR_NICE)


def _even(rgb: np.ndarray) -> np.ndarray:
    h, w = rgb.shape[:2]
    return rgb[: h - h % 2, : w - w % 2]


@dataclass
class Source:
    """A clip's pixels, ready to warp: one or more I420 frames plus the motion aimed at its subject."""

    frames: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    times: list[float]  # start time of each frame within the clip's loop (GIF)
    loop: float
    width: int
    height: int
    move: Move
    subject: Subject
    #: For a photo that does not move: its warped planes, drawn once and then copied.
    still: list[np.ndarray] | None = None


@dataclass(frozen=True)
class Pixels:
    """A photo's decoded, converted pixels and its subject: shared by every clip showing that photo."""

    frames: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    times: list[float]
    loop: float
    subject: Subject

    @property
    def nbytes(self) -> int:
        return sum(p.nbytes for f in self.frames for p in f)


class VideoReader:
    """Sequential frame access to a video file (seeks only when asked to go back or jump far)."""

    def __init__(self, path: str, width: int, height: int) -> None:
        self.path, self.width, self.height = path, width, height
        self.container = av.open(path)
        self.stream = self.container.streams.video[0]
        self.stream.thread_type = "AUTO"
        self._iter: Any = None
        self._current: tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._next: tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]] | None = None

    def _convert(self, frame: av.VideoFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        f = frame.reformat(width=self.width, height=self.height, format="yuv420p")
        planes = []
        for i, (pw, ph) in enumerate(((self.width, self.height), (self.width // 2, self.height // 2),
                                      (self.width // 2, self.height // 2))):
            plane = f.planes[i]
            arr = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:ph, :pw]
            planes.append(np.ascontiguousarray(arr))
        return planes[0], planes[1], planes[2]

    def _decode(self) -> tuple[float, tuple[np.ndarray, np.ndarray, np.ndarray]] | None:
        if self._iter is None:
            self._iter = self.container.decode(self.stream)
        try:
            frame = next(self._iter)
        except (StopIteration, av.error.EOFError):
            return None
        t = float(frame.pts * self.stream.time_base) if frame.pts is not None else 0.0
        return t, self._convert(frame)

    def frame(self, t: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The frame showing at source time ``t`` (the last one with pts ≤ t)."""
        if self._current is None or t < self._current[0] - 1e-6 or t > self._current[0] + 2.0:
            target = max(0.0, t)
            self.container.seek(int(target / self.stream.time_base), stream=self.stream, backward=True)
            self._iter = None
            self._current, self._next = self._decode(), None
            if self._current is None:
                raise RuntimeError("no frame")
        while True:
            if self._next is None:
                self._next = self._decode()
                if self._next is None:
                    return self._current[1]  # type: ignore[index]
            if self._next[0] <= t + 1e-6:
                self._current, self._next = self._next, None
            else:
                return self._current[1]  # type: ignore[index]

    def close(self) -> None:
        self.container.close()


class SourceCache:
    """Decoded sources for the clips near the playhead (LRU, thread-safe), with read-ahead: while
    clip k is on screen, clip k+1 is decoded on a worker thread, so the encoder never waits on a decode."""

    def __init__(self, plan: Plan, size: int = 4) -> None:
        self.plan, self.size = plan, size
        self._items: OrderedDict[int, Source] = OrderedDict()
        self._pending: dict[int, Future] = {}
        self._readers: dict[int, VideoReader] = {}
        self._texts: dict[int, TextSprite] = {}
        self._overlays: dict[str, TextSprite] = {}
        self._pixels: dict[tuple[str, str], Pixels] = {}
        self._lock = threading.RLock()
        self._pool: ThreadPoolExecutor | None = None

    def _store(self, index: int, src: Source) -> None:
        with self._lock:
            self._items[index] = src
            self._items.move_to_end(index)
            while len(self._items) > self.size:
                old, _ = self._items.popitem(last=False)
                reader = self._readers.pop(old, None)
                if reader is not None:
                    reader.close()

    def source(self, clip: Clip) -> Source:
        with self._lock:
            if clip.index in self._items:
                self._items.move_to_end(clip.index)
                return self._items[clip.index]
            future = self._pending.pop(clip.index, None)
        if future is not None and future.cancel():
            future = None  # still queued behind other read-ahead: decoding it here is sooner
        src = future.result() if future is not None else self.prepare(clip)
        self._store(clip.index, src)
        return src

    def prepare(self, clip: Clip) -> Source:
        """:func:`prepare_source`, reusing the decoded pixels of a photo shown again later in the video
        (kept only while a later clip needs them, within :data:`PIXEL_BUDGET` bytes)."""
        if clip.kind == "video":
            return prepare_source(self.plan, clip)
        key = (clip.path, clip.fit)
        with self._lock:
            pixels = self._pixels.get(key)
        if pixels is None:
            pixels = decode_pixels(self.plan, clip)
        with self._lock:
            later = {(c.path, c.fit) for c in self.plan.clips if c.index > clip.index and c.kind != "video"}
            for old in [k for k in self._pixels if k not in later]:
                del self._pixels[old]
            used = sum(p.nbytes for p in self._pixels.values())
            if key in later and key not in self._pixels and used + pixels.nbytes <= PIXEL_BUDGET:
                self._pixels[key] = pixels
        return prepare_source(self.plan, clip, pixels)

    def prefetch(self, clip: Clip) -> None:
        """Start decoding ``clip`` in the background (no-op if cached or already started)."""
        with self._lock:
            if clip.index in self._items or clip.index in self._pending:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nemo-decode",
                                                initializer=yield_to_encoder)
            self._pending[clip.index] = self._pool.submit(self.prepare, clip)

    def reader(self, clip: Clip, width: int, height: int) -> VideoReader:
        with self._lock:
            if clip.index not in self._readers:
                self._readers[clip.index] = VideoReader(clip.path, width, height)
            return self._readers[clip.index]

    def text(self, plan: Plan, index: int) -> TextSprite:
        with self._lock:
            if index not in self._texts:
                self._texts[index] = render_text(plan.texts[index], plan.width, plan.height)
            return self._texts[index]

    def overlay(self, key: str, make: Callable[[], TextSprite]) -> TextSprite:
        """A brand overlay's sprite (logo, end card), made once per plan."""
        with self._lock:
            if key not in self._overlays:
                self._overlays[key] = make()
            return self._overlays[key]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
            for reader in self._readers.values():
                reader.close()
            self._readers.clear()
            self._items.clear()
            self._pending.clear()
            self._pixels.clear()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def cache_of(plan: Plan) -> SourceCache:
    if plan.cache is None:
        plan.cache = SourceCache(plan)
    return plan.cache


def _needed(out_w: int, out_h: int, fit: str) -> tuple[int, int]:
    if fit == "blur":
        return out_w, out_h
    return round(out_w * _ZOOM_HEADROOM), round(out_h * _ZOOM_HEADROOM)


def _blur_fit(rgb: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    """The whole photo over a blurred, darkened fill of itself, at the output's aspect (never cropped:
    the photo takes 92% of the frame so the gentle push-in keeps every edge visible)."""
    h, w = rgb.shape[:2]
    bw, bh, ox, oy, fw, fh = _blur_layout(w, h, out_w, out_h)
    cover = max(bw / w, bh / h)
    bg = cv2.resize(rgb, (max(bw, round(w * cover)), max(bh, round(h * cover))), interpolation=cv2.INTER_AREA)
    y0, x0 = (bg.shape[0] - bh) // 2, (bg.shape[1] - bw) // 2
    bg = bg[y0: y0 + bh, x0: x0 + bw]
    small = cv2.resize(bg, (bw // 8, bh // 8), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), 6)
    bg = (cv2.resize(small, (bw, bh), interpolation=cv2.INTER_LINEAR) * 0.55).astype(np.uint8)
    fg = cv2.resize(rgb, (fw, fh), interpolation=cv2.INTER_AREA if fw < w else cv2.INTER_CUBIC)
    bg[oy: oy + fh, ox: ox + fw] = fg
    return bg


def _blur_layout(w: int, h: int, out_w: int, out_h: int) -> tuple[int, int, int, int, int, int]:
    """Where a blur fit puts a ``w`` x ``h`` photo: canvas (bw, bh), photo at (ox, oy), size (fw, fh)."""
    bw, bh = round(out_w * _ZOOM_HEADROOM / 2) * 2, round(out_h * _ZOOM_HEADROOM / 2) * 2
    fit = min(bw / w, bh / h) * 0.92
    fw, fh = max(2, round(w * fit)), max(2, round(h * fit))
    return bw, bh, (bw - fw) // 2, (bh - fh) // 2, fw, fh


def _blur_subject(subject: Subject, w: int, h: int, out_w: int, out_h: int) -> Subject:
    """The subject of a blur fit: the centre, and the subject's box where the photo now is."""
    if subject.box is None:
        return Subject(0.5, 0.5, "center")
    bw, bh, ox, oy, fw, fh = _blur_layout(w, h, out_w, out_h)
    x0, y0, x1, y1 = subject.box
    return Subject(0.5, 0.5, subject.kind, ((ox + x0 * fw) / bw, (oy + y0 * fh) / bh, (ox + x1 * fw) / bw,
                                            (oy + y1 * fh) / bh))


def _fit_for(subject: Subject, w: int, h: int, out_w: int, out_h: int, fit: str) -> str:
    """``cover``, unless the faces cannot all fit even the largest cover window (a portrait's face in a
    wide frame, a group in a tall one): then the whole photo over a blurred fill."""
    if fit != "cover" or subject.kind != "face" or subject.box is None:
        return fit
    x0, y0, x1, y1 = subject.box
    return "cover" if box_fits((x0 * w, y0 * h, x1 * w, y1 * h), w, h, out_w, out_h) else "blur"


def decode_pixels(plan: Plan, clip: Clip) -> Pixels:
    """Decode a photo/GIF clip once at the size the output needs, find its subject, convert to I420
    (a preview reads a photo it prepared before instead)."""
    return photo_pixels(clip.path, clip.kind, plan.width, plan.height, clip.fit, keep=plan.quality == "preview")


def photo_pixels(path: str, kind: str, out_w: int, out_h: int, fit: str, *, keep: bool) -> Pixels:
    """A photo's (or GIF's) pixels for a ``out_w`` x ``out_h`` video. ``keep``: go through the store of
    prepared photos (see :mod:`.prepared`): read it from there, or put it there once decoded."""
    need_w, need_h = _needed(out_w, out_h, fit)
    key = None
    if keep and kind == "photo":
        with contextlib.suppress(OSError):  # unreadable: the decode below names the file
            key = prepared.entry_key(path, need_w, need_h, fit)
    stored = prepared.load(key) if key is not None else None
    if stored is not None:
        planes, (sx, sy, subject_kind, *box) = stored
        return Pixels([planes], [0.0], 0.0, Subject(sx, sy, subject_kind, tuple(box) if len(box) == 4 else None))
    times = [0.0]
    loop = 0.0
    if kind == "gif":
        rgbs, durations = gif_frames(path, need_w, need_h)
        acc = 0.0
        times = []
        for d in durations:
            times.append(acc)
            acc += d
        loop = acc
    else:
        rgbs = [decode_photo(path, need_w, need_h)]
    subject = find_subject(rgbs[0])
    h, w = rgbs[0].shape[:2]
    if _fit_for(subject, w, h, out_w, out_h, fit) == "blur":
        rgbs = [_blur_fit(r, out_w, out_h) for r in rgbs]
        subject = _blur_subject(subject, w, h, out_w, out_h)
    pixels = Pixels([rgb_to_i420(_even(r)) for r in rgbs], times, loop, subject)
    if key is not None:
        prepared.save(key, pixels.frames[0], (subject.x, subject.y, subject.kind, *(subject.box or ())))
    return pixels


def prepare_photo(path: str | Path, width: int, height: int, fit: str = "cover") -> bool:
    """Store ``path`` as the preview of a ``width`` x ``height`` video will need it, so that even the
    first preview with it reads it prepared (the engine calls this right after an upload). False when
    it cannot be prepared (not a photo, unreadable): the render will then say why."""
    pw, ph = preview_size(width, height)
    try:
        photo_pixels(str(path), "photo", pw, ph, fit, keep=True)
    except Exception:  # an optimisation only: the render decodes it and reports any problem
        return False
    return True


def prepare_source(plan: Plan, clip: Clip, pixels: Pixels | None = None) -> Source:
    """A clip ready to draw: its pixels (decoded here unless given) and its motion aimed at the subject."""
    if clip.kind == "video":
        scale = max(plan.width / clip.info.width, plan.height / clip.info.height)
        w = max(2, round(clip.info.width * scale / 2) * 2)
        h = max(2, round(clip.info.height * scale / 2) * 2)
        frames: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        subject = Subject(0.5, 0.5, "center")
        times, loop = [0.0], 0.0
    else:
        pixels = decode_pixels(plan, clip) if pixels is None else pixels
        frames, times, loop, subject = pixels.frames, pixels.times, pixels.loop, pixels.subject
        h, w = frames[0][0].shape
    if clip.focus is not None:
        subject = Subject(clip.focus[0], clip.focus[1], "given")
    motion = clip.motion if clip.kind == "photo" or clip.fit == "blur" else "still"
    move = plan_move(motion, w, h, plan.width, plan.height, subject, clip.vis_out - clip.vis_in, clip.index)
    return Source(frames, times, loop, w, h, move, subject)


def _clip_planes(plan: Plan, clip: Clip, t: float, out: list[np.ndarray]) -> None:
    """Draw ``clip`` at timeline time ``t`` into the Y/U/V planes ``out``."""
    cache = cache_of(plan)
    src = cache.source(clip)
    if clip.kind == "video":
        src_t = max(0.0, clip.src_in + (t - clip.cut_in))
        dur = clip.info.duration_ms / 1000.0
        src_t = min(src_t, max(0.0, dur - 1.0 / plan.fps))
        planes = cache.reader(clip, src.width, src.height).frame(src_t)
    elif len(src.frames) > 1:
        local = (t - clip.vis_in) % src.loop if src.loop > 0 else 0.0
        k = max(i for i, start in enumerate(src.times) if start <= local + 1e-9)
        planes = src.frames[k]
    else:
        planes = src.frames[0]
    static = clip.kind != "video" and len(src.frames) == 1 and src.move.start == src.move.end
    if static and src.still is not None:
        for dst, plane in zip(out, src.still, strict=True):
            np.copyto(dst, plane)
        return
    span = max(1e-6, clip.vis_out - clip.vis_in)
    win = src.move.at((t - clip.vis_in) / span)
    W, H = plan.width, plan.height
    m_y = affine(win, src.width, src.height, W, H)
    m_c = affine(win, src.width, src.height, W, H, chroma=True)
    cv2.warpAffine(planes[0], m_y, (W, H), dst=out[0], flags=_WARP, borderMode=_BORDER)
    cv2.warpAffine(planes[1], m_c, (W // 2, H // 2), dst=out[1], flags=_WARP, borderMode=_BORDER)
    cv2.warpAffine(planes[2], m_c, (W // 2, H // 2), dst=out[2], flags=_WARP, borderMode=_BORDER)
    if static:
        src.still = [p.copy() for p in out]


def new_frame(plan: Plan) -> np.ndarray:
    """An I420 buffer (H*3/2, W) for one frame."""
    return np.empty((plan.height * 3 // 2, plan.width), np.uint8)


def clips_at(plan: Plan, t: float) -> list[Clip]:
    found = [c for c in plan.clips if c.vis_in - 1e-9 <= t < c.vis_out - 1e-9]
    if not found and plan.clips:
        found = [plan.clips[-1] if t >= plan.clips[-1].vis_in else plan.clips[0]]
    return found[-2:]


def compose_i420(plan: Plan, t: float, buf: np.ndarray | None = None, scratch: np.ndarray | None = None) -> np.ndarray:
    """The frame at time ``t`` as an I420 buffer (pure: same plan and t → same bytes)."""
    buf = new_frame(plan) if buf is None else buf
    compose_into(plan, t, split_planes(buf, plan.width, plan.height),
                 None if scratch is None else split_planes(scratch, plan.width, plan.height))
    return buf


def compose_into(plan: Plan, t: float, out: list[np.ndarray], other: list[np.ndarray] | None = None) -> None:
    """Draw the frame at ``t`` into Y/U/V plane arrays ``out`` (views into an encoder frame are fine)."""
    active = clips_at(plan, t)
    if not active:
        out[0][:] = 16
        out[1][:] = 128
        out[2][:] = 128
    elif len(active) == 1:
        _clip_planes(plan, active[0], t, out)
    else:
        a, b = active
        other = split_planes(new_frame(plan), plan.width, plan.height) if other is None else other
        _clip_planes(plan, a, t, out)
        _clip_planes(plan, b, t, other)
        p = ease((t - b.vis_in) / max(1e-6, b.trans_in_s))
        fn = TRANSITIONS.get(b.trans_in)
        for plane, oplane, black in zip(out, other, (16, 128, 128), strict=True):
            plane[:] = fn(plane, oplane, p, black=black) if fn is not None else oplane
    for i, layer in enumerate(plan.texts):
        if layer.start <= t < layer.end:
            state = text_state(layer, t)
            if state.opacity > 0.003:
                cache_of(plan).text(plan, i).blend(out, state)
    if plan.logo is not None or plan.end_card is not None:
        draw_brand(plan, t, out, cache_of(plan))
    level = 1.0
    if plan.fade_in > 0 and t < plan.fade_in:
        level = min(level, t / plan.fade_in)
    if plan.fade_out > 0 and t > plan.duration_s - plan.fade_out:
        level = min(level, max(0.0, (plan.duration_s - t) / plan.fade_out))
    if level < 1.0:
        for plane, black in zip(out, (16, 128, 128), strict=True):
            plane[:] = cv2.addWeighted(plane, level, plane, 0.0, black * (1 - level))


def prefetch_around(plan: Plan, t: float, ahead: float = 2.5, count: int = 2) -> None:
    """Start decoding the clips that appear within ``ahead`` seconds after ``t``, and at least the next
    ``count`` (a preview composites 2.5 s of video in a fraction of a second: its read-ahead must be
    counted in clips, not seconds)."""
    cache = cache_of(plan)
    upcoming = [clip for clip in plan.clips if clip.vis_in > t]
    for k, clip in enumerate(upcoming):
        if k < count or clip.vis_in <= t + ahead:
            cache.prefetch(clip)
        else:
            break


def frame_at(plan: Plan, t: float) -> np.ndarray:
    """RGB uint8 (H, W, 3) of the video at ``t`` seconds: a pure function of (plan, t)."""
    t = min(max(0.0, float(t)), max(0.0, plan.duration_s - 1e-6))
    return i420_to_rgb(compose_i420(plan, t))
