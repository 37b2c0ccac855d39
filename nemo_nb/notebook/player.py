"""The widget's live player, kernel side: frames and sound of the current draft, made here.

The browser asks for a frame by time over the widget's channel; the kernel renders it with the
renderer's pure ``frame_at`` from a preview plan of the Studio's current draft (540p: what a preview
export would show) and answers with a JPEG in the reply's binary buffer. Only the newest request
waits: one that is superseded before its turn is answered ``superseded`` at once, so dragging the
playhead never queues a backlog. The sound for playback is the preview's soundtrack (the packets the
preview store keeps), sent as an M4A through :mod:`.media_channel`. Nothing reaches the browser as a
URL, so this works on remote Jupyter.

Frames are made only where the renderer that exports is this one (the local engine); for the cloud
a frame made here could differ from its export, so :meth:`FrameServer.unavailable` says why and the
browser shows thumbnails instead (never a wrong picture).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..backend import Backend
from ..client import NemoError
from ..draft import Draft, TrackType
from ._view import timeline_view

JPEG_QUALITY = 82
#: A scrub frame (while the playhead is dragged): half the preview's size, a lighter JPEG — a quarter
#: of the bytes to send and decode; the sharp frame follows when the playhead comes to rest.
QUICK_SCALE, QUICK_QUALITY = 0.5, 70
#: Frames kept per draft revision (dragging back over a stretch, replaying it): ~60 kB each.
CACHED_FRAMES = 96
#: How often (s) a thread holding the GIL is asked to let others run while the player serves frames.
#: Python's default, 5 ms, is paid at every handoff between the kernel's thread (requests, replies)
#: and the render thread: with it a loop of frames ran at ~40 a second here, at 1 ms at ~90.
GIL_SWITCH_S = 0.001
#: Clips kept decoded for the player (an export keeps 4): a short edit's photos all stay ready, so
#: a drag over the whole timeline never waits for a photo to be decoded again (~2 MB each at 540p).
DECODED_CLIPS = 32


@dataclass(frozen=True)
class Frame:
    """One rendered frame: the time it shows (snapped to the frame grid), its size and JPEG bytes."""

    t: float
    width: int
    height: int
    jpeg: bytes
    rev: int
    quick: bool = False


def frames_here(backend: Backend) -> bool:
    """True when the backend exports with this renderer, so a frame made here is what it renders."""
    return backend.name == "local"


def media_ids(draft: Draft) -> list[str]:
    """The media a frame of ``draft`` may draw: clips and music, and the logo (watermark, end card)."""
    ids = [seg.source for track in draft.tracks if track.type in (TrackType.VIDEO, TrackType.AUDIO)
           for seg in track.segments if seg.source]
    logo = draft.meta.get("logo")
    if isinstance(logo, dict) and logo.get("src"):
        ids.append(str(logo["src"]))
    return list(dict.fromkeys(ids))


def changed_region(old: dict[str, Any] | None, new: dict[str, Any]) -> list[int] | None:
    """The span (ms) of the timeline an edit changed, from two :func:`timeline_view` dicts; the whole
    timeline when its size changed; None when nothing visible changed (or there was nothing before)."""
    if not old or not old.get("tracks") or not new.get("duration_ms"):
        return None
    end = int(new["duration_ms"])
    if (old.get("w"), old.get("h")) != (new.get("w"), new.get("h")):
        return [0, end]

    def spans(view: dict[str, Any]) -> set[tuple]:
        out = set()
        for track in view.get("tracks") or []:
            for seg in track.get("segments") or []:
                out.add((track.get("type"), *sorted((k, repr(v)) for k, v in seg.items() if k != "i")))
        return out

    before, after = spans(old), spans(new)
    changed = (before ^ after)
    lo, hi = end, 0
    for item in changed:
        fields = dict(item[1:])
        lo, hi = min(lo, int(fields["start_ms"])), max(hi, int(fields["end_ms"]))
    if old.get("duration_ms") != new.get("duration_ms"):
        lo, hi = min(lo, int(min(old.get("duration_ms") or 0, end))), end
    if hi <= lo:
        return None
    return [max(0, lo), min(end, hi)]


class LatestWins:
    """Runs requests one at a time, keeping only the newest waiting one (older ones get ``None``)."""

    def __init__(self, spawn: Callable[[Awaitable[Any]], Any]) -> None:
        self._spawn = spawn
        self._waiting: tuple[Callable[[], Awaitable[Any]], Callable[[Any, BaseException | None], None]] | None = None
        self._running = False
        self.superseded = 0

    def submit(self, work: Callable[[], Awaitable[Any]], done: Callable[[Any, BaseException | None], None]) -> None:
        """Queue ``work`` (replacing a request still waiting); ``done(result, error)`` is called once."""
        if self._waiting is not None:
            self.superseded += 1
            self._waiting[1](None, None)
        self._waiting = (work, done)
        if not self._running:
            self._running = True
            self._spawn(self._pump())

    async def _pump(self) -> None:
        try:
            while self._waiting is not None:
                work, done = self._waiting
                self._waiting = None
                try:
                    result = await work()
                except Exception as err:
                    done(None, err)
                else:
                    done(result, None)
        finally:
            self._running = False


class FrameServer:
    """Frames and soundtrack of one Studio's current draft (a preview plan, rebuilt after each edit)."""

    def __init__(self, studio: Any) -> None:
        self.studio = studio
        self.rev = 0
        self._draft: Draft = studio.draft
        self._view: dict[str, Any] | None = None
        self._last: dict[str, Any] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nemo-player")
        self._plan: Any = None
        self._plan_rev = -1
        self._media_of: tuple[int, dict[str, str]] = (-1, {})
        self._last_t: float | None = None
        self._lock = threading.Lock()
        self._made: OrderedDict[tuple[int, int, bool], Frame] = OrderedDict()

    # --- what the timeline panel draws ------------------------------------------------------------
    def timeline(self, draft: Draft) -> dict[str, Any]:
        """The timeline view plus what the player needs: the revision, the changed span, and
        whether live frames are available here (``live``: null, or why not). The same draft again
        (a refresh after a streamed edit) keeps its revision and changed span."""
        if self._last is not None and draft == self._draft:
            return self._last
        self._draft = draft
        self.rev += 1
        view = timeline_view(draft)
        changed = changed_region(self._view, view)
        self._view = view
        self._warm(draft)
        self._last = {**view, "rev": self.rev, "changed": changed, "fps": draft.fps, "live": self.unavailable()}
        return self._last

    def unavailable(self) -> dict[str, str] | None:
        """None when frames can be rendered here, else the message and hint the player shows."""
        if frames_here(self.studio.backend):
            return None
        return {"message": "Live frames need the local engine",
                "hint": "The cloud renders with its own renderer, so the player shows each photo's thumbnail "
                        "at the playhead; export a quick preview to see the real video."}

    # --- frames and sound (rendered on one worker thread) -----------------------------------------
    async def frame(self, t: float, quick: bool = False) -> Frame:
        """The frame at ``t`` seconds of the current draft, as a JPEG (``quick``: a scrub frame)."""
        rev, draft = self.rev, self._draft
        media = await self._media(draft)
        self._last_t = float(t)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._render_frame, rev, draft, media, float(t), quick)

    async def soundtrack(self, out: Path) -> bool:
        """Write the current draft's preview soundtrack to ``out`` (False: the timeline is silent)."""
        from ..render.soundtrack import write_soundtrack

        rev, draft = self.rev, self._draft
        media = await self._media(draft)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: write_soundtrack(self._plan_for(rev, draft, media), out))

    def _warm(self, draft: Draft) -> None:
        """Start on the new draft's frame at the last playhead now, before the browser asks: the plan
        is built and the clips there decoded while the change travels to the browser and back."""
        if self._last_t is None or self.unavailable() is not None or not draft.duration_ms:
            return
        media = self._media_of[1]
        if any(media_id not in media for media_id in media_ids(draft)):
            return  # a file this kernel has not got yet: the request will fetch it
        rev, t = self.rev, self._last_t
        self._media_of = (rev, media)
        self._pool.submit(self._quietly, self._render_frame, rev, draft, media, t)

    @staticmethod
    def _quietly(fn: Callable[..., Any], *args: Any) -> None:
        with contextlib.suppress(Exception):  # a real request reports the problem
            fn(*args)

    def _check(self, draft: Draft) -> None:
        reason = self.unavailable()
        if reason is not None:
            raise NemoError(reason["message"], hint=reason["hint"])
        if not draft.duration_ms:
            raise NemoError("The timeline is empty", hint="Add photos and ask for a video first.")

    async def _media(self, draft: Draft) -> dict[str, str]:
        """Local paths of the files the draft uses (fetched once from the backend when not here)."""
        self._check(draft)
        rev = self.rev
        if self._media_of[0] == rev:
            return self._media_of[1]
        media: dict[str, str] = {}
        for media_id in media_ids(draft):
            path = await self.studio.media_file(media_id)
            if path is not None:
                media[media_id] = str(path)
        self._media_of = (rev, media)
        return media

    def _plan_for(self, rev: int, draft: Draft, media: dict[str, str]) -> Any:
        """The preview plan of revision ``rev``, built once; its clips are decoded in the background
        (nearest the playhead first) and kept, so the frame server stays hot while the user scrubs."""
        from ..render import build_plan
        from ..render.compose import SourceCache, cache_of

        with self._lock:
            if self._plan is None or self._plan_rev != rev:
                old, self._plan = self._plan, None
                if old is not None:
                    cache_of(old).close()
                if sys.getswitchinterval() > GIL_SWITCH_S:  # this kernel now serves frames
                    sys.setswitchinterval(GIL_SWITCH_S)
                plan = build_plan(draft, media, "preview")
                plan.cache = SourceCache(plan, size=DECODED_CLIPS)
                at = self._last_t or 0.0
                for clip in sorted(plan.clips, key=lambda c: abs(c.vis_in - at))[:DECODED_CLIPS]:
                    plan.cache.prefetch(clip)
                self._plan, self._plan_rev = plan, rev
            return self._plan

    def _render_frame(self, rev: int, draft: Draft, media: dict[str, str], t: float, quick: bool = False) -> Frame:
        from ..render.compose import prefetch_around

        plan = self._plan_for(rev, draft, media)
        index = min(max(0, round(t * plan.fps)), max(0, plan.frames_total - 1))
        key = (rev, index, quick)
        frame = self._made.get(key)
        if frame is None:
            frame = Frame(index / plan.fps, plan.width, plan.height, encode(plan, index / plan.fps, quick), rev, quick)
            if self._made and next(iter(self._made))[0] != rev:
                self._made.clear()  # frames of an older draft
            self._made[key] = frame
            while len(self._made) > CACHED_FRAMES:
                self._made.popitem(last=False)
        self._made.move_to_end(key)
        prefetch_around(plan, frame.t)
        return frame

    def close(self) -> None:
        plan, self._plan = self._plan, None
        if plan is not None:
            with contextlib.suppress(Exception):  # also at interpreter exit, when imports fail
                from ..render.compose import cache_of

                cache_of(plan).close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def encode(plan: Any, t: float, quick: bool = False) -> bytes:
    """``frame_at(plan, t)`` as JPEG bytes; ``quick``: scaled by QUICK_SCALE, at QUICK_QUALITY."""
    import cv2

    from ..render import frame_at

    bgr = cv2.cvtColor(frame_at(plan, t), cv2.COLOR_RGB2BGR)
    if quick:
        size = (max(2, round(plan.width * QUICK_SCALE)), max(2, round(plan.height * QUICK_SCALE)))
        bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, QUICK_QUALITY if quick else JPEG_QUALITY])
    if not ok:  # pragma: no cover - OpenCV always encodes a uint8 RGB frame
        raise NemoError("The frame could not be encoded", hint="Try another position.")
    return jpeg.tobytes()


def sound_file() -> Path:
    """A private temporary path for a soundtrack on its way to the browser."""
    fd, name = tempfile.mkstemp(prefix="nemo-sound-", suffix=".m4a")
    os.close(fd)
    return Path(name)


__all__ = ["Frame", "FrameServer", "LatestWins", "changed_region", "encode", "frames_here", "sound_file"]
