"""The renderer: draft → frames → H.264/AAC MP4, plus media probing and the built-in music.

Public interface (docs/architecture.md)::

    probe(path) -> MediaInfo                       # MediaError (.code 4001) for bad files
    render(draft, media, out, *, quality="high", progress=None, cancel=None) -> EncodedVideo
    build_plan(draft, media, quality="high") -> Plan
    frame_at(plan, t) -> np.ndarray                 # RGB uint8 (H, W, 3), pure
    thumbnail(path, max_size=(320, 180)) -> bytes   # JPEG
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..draft import Draft
from .compose import frame_at, prepare_photo
from .encode import EncodedVideo, RenderProgress, encode_plan
from .errors import MediaError, RenderCancelled, RenderError, media_error
from .media import MediaInfo, decode_photo, probe
from .music import MUSIC_MOODS
from .plan import Plan, build_plan
from .text import font

__all__ = [
    "MUSIC_MOODS",
    "EncodedVideo",
    "MediaError",
    "MediaInfo",
    "Plan",
    "RenderCancelled",
    "RenderError",
    "RenderProgress",
    "build_plan",
    "frame_at",
    "prepare_photo",
    "probe",
    "render",
    "thumbnail",
]


def render(draft: Draft | dict, media: dict[str, Any], out: str | Path, *, quality: str = "high",
           progress: Callable[[RenderProgress], None] | None = None,
           cancel: threading.Event | None = None) -> EncodedVideo:
    """Render a draft to an MP4 at ``out``. ``media`` maps each segment's ``m.src`` to a file path.

    ``quality``: ``high`` (the draft's size, x264 veryfast CRF 19) or ``preview`` (540p, fastest).
    ``progress`` gets a :class:`RenderProgress` a few times a second; setting ``cancel`` raises
    :class:`RenderCancelled` and leaves no file.
    """
    started = time.perf_counter()
    plan = build_plan(draft, media, quality)
    if cancel is not None and cancel.is_set():
        raise RenderCancelled("The render was cancelled; no file was written.")
    return encode_plan(plan, out, progress=progress, cancel=cancel, started=started)


def thumbnail(path: str | Path, max_size: tuple[int, int] = (320, 180)) -> bytes:
    """JPEG bytes of a photo, a video's first frame, or a music-note tile for audio, fitting ``max_size``."""
    info = probe(path)
    mw, mh = max(8, int(max_size[0])), max(8, int(max_size[1]))
    if info.kind == "photo":
        k = min(mw / info.width, mh / info.height)
        rgb = decode_photo(path, max(1, round(info.width * k)), max(1, round(info.height * k)))
    elif info.kind == "video":
        try:
            with av.open(str(path)) as container:
                frame = next(container.decode(video=0))
                rgb = frame.to_ndarray(format="rgb24")
        except Exception as exc:
            raise media_error(path, f"the video's first frame cannot be decoded ({exc})") from None
    else:
        tile = Image.new("RGB", (mw, mh), (32, 36, 48))
        ImageDraw.Draw(tile).text((mw / 2, mh / 2), "♪", font=font(int(mh * 0.5)), fill=(220, 220, 230),
                                  anchor="mm")
        rgb = np.asarray(tile)
    h, w = rgb.shape[:2]
    k = min(1.0, mw / w, mh / h)
    if k < 1.0:
        rgb = cv2.resize(rgb, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buf, "JPEG", quality=85)
    return buf.getvalue()
