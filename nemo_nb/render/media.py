"""Probing and decoding user media: checked before anything big is allocated, decoded at the size needed.

``probe`` looks at headers (magic bytes via :mod:`nemo_nb.formats`, declared dimensions) and does a
cheap verification decode (JPEG at 1/8 scale, first video frame), so corrupt, truncated, disguised
and bomb files are refused with a message naming the file. ``probe(..., verify=False)`` (the
renderer's, which decodes every photo anyway and fails naming the file if its data is bad) skips the
photo's verification decode but still refuses a JPEG whose end marker is missing (truncated). ``decode_photo`` decodes a photo once at
the size the output needs (JPEG draft mode: a 24 MP photo shown at 2 MP is decoded at 1/2 or 1/4
scale), honours EXIF orientation and flattens every mode (16-bit, CMYK, palette, alpha) to RGB.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np
from PIL import Image, ImageOps

from ..formats import media_kind, sniff_file
from .errors import MediaError, media_error

try:  # HEIC/HEIF photos (iPhone); optional at import so a broken wheel does not break everything.
    import pillow_heif

    pillow_heif.register_heif_opener()
except Exception:  # pragma: no cover - depends on the platform wheel
    pillow_heif = None

#: Refuse images declaring more pixels than this (a 100 MP camera still fits; bombs do not).
MAX_PIXELS = 100_000_000
#: Refuse any side longer than this (also for video frames).
MAX_SIDE = 20_000
#: Animated GIFs with more frames than this are shown as their first frame.
MAX_GIF_FRAMES = 240

_ORIENT_SWAPS = {5, 6, 7, 8}


@dataclass(frozen=True)
class MediaInfo:
    """What :func:`probe` found. ``frames`` is 1 for a still photo, the frame count for GIFs/videos."""

    path: str
    format: str
    kind: str  # photo | video | audio
    width: int = 0
    height: int = 0
    duration_ms: int = 0
    has_audio: bool = False
    frames: int = 1


def probe(path: str | Path, *, verify: bool = True) -> MediaInfo:
    """Describe a media file, or raise :class:`MediaError` (code 4001) saying what is wrong.

    ``verify=False`` reads a photo's headers only (plus a JPEG's end marker), for callers that will
    decode it anyway: the full check then happens in that decode.
    """
    path = Path(path)
    if not path.is_file():
        raise media_error(path, "file not found", "Check the path and upload the file again.")
    if path.stat().st_size == 0:
        raise media_error(path, "the file is empty (0 bytes)", "The upload was probably interrupted; upload it again.")
    fmt = sniff_file(path)
    kind = media_kind(fmt)
    if fmt is None or kind is None:
        raise media_error(path, "this is not a photo, video or audio file we can read (its content does not "
                          "match any supported format, whatever its name says)")
    if kind == "photo":
        return _probe_image(path, fmt, verify)
    return _probe_av(path, fmt, kind)


# --- photos ---------------------------------------------------------------------------------------

def open_image(path: str | Path) -> Image.Image:
    """Open a photo lazily (header only) after checking its declared size; raises MediaError."""
    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(path)
    except Image.DecompressionBombError as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _bomb(path, f"it declares {found.group(1) if found else 'too many'} pixels") from None
    except Exception as exc:
        raise media_error(path, f"the image cannot be read ({_short(exc)})") from None
    w, h = img.size
    if w <= 0 or h <= 0:
        raise media_error(path, "the image declares no pixels")
    if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE:
        img.close()
        raise _bomb(path, f"it declares {w}x{h} pixels")
    return img


def _bomb(path: Path, detail: str) -> MediaError:
    return media_error(
        path, f"the image is too large to decode safely ({detail}; the limit is {MAX_PIXELS // 1_000_000} MP) "
        "— it may be a decompression bomb", "Resize it below 100 megapixels and upload it again.")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _probe_image(path: Path, fmt: str, verify: bool = True) -> MediaInfo:
    img = open_image(path)
    try:
        frames = int(getattr(img, "n_frames", 1) or 1)
        w, h = img.size
        orientation = _orientation(img)
        if orientation in _ORIENT_SWAPS:
            w, h = h, w
        if not verify:
            if img.format == "JPEG" and not _has_jpeg_end(path):
                raise media_error(path, "the image data is truncated (the JPEG end marker is missing)",
                                  "The upload was probably interrupted; upload it again.")
        else:  # a cheap full decode proves the data is all there (truncated files fail here)
            if img.format == "JPEG":
                img.draft("RGB", (max(1, img.size[0] // 8), max(1, img.size[1] // 8)))
            img.load()
        duration = 0
        if frames > 1:
            duration = _gif_duration(img, frames)
    except MediaError:
        raise
    except Exception as exc:
        raise media_error(path, f"the image data is corrupt or truncated ({_short(exc)})") from None
    finally:
        img.close()
    return MediaInfo(str(path), fmt, "photo", w, h, duration, False, frames)


def _has_jpeg_end(path: Path, tail: int = 4096) -> bool:
    """Whether the last bytes of a JPEG hold its end-of-image marker (some cameras append a little data
    after it, hence a window rather than the last two bytes)."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - tail))
        return b"\xff\xd9" in fh.read()


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


def _gif_duration(img: Image.Image, frames: int) -> int:
    total = 0
    for i in range(min(frames, MAX_GIF_FRAMES)):
        img.seek(i)
        total += int(img.info.get("duration", 100) or 100)
    img.seek(0)
    return total


def decode_photo(path: str | Path, min_w: int, min_h: int, *, tolerance: float = 0.9) -> np.ndarray:
    """RGB uint8 of a photo, upright, scaled down (never up) to just cover ``min_w`` x ``min_h``.

    JPEG draft mode picks the smallest DCT scale that is at least ``tolerance`` of the needed size, so
    the decoder never produces pixels the output throws away.
    """
    path = Path(path)
    img = open_image(path)
    try:
        ow, oh = img.size
        orientation = _orientation(img)
        uw, uh = (oh, ow) if orientation in _ORIENT_SWAPS else (ow, oh)
        scale = min(1.0, max(min_w / uw, min_h / uh))
        if img.format == "JPEG" and scale < 1.0:
            need = (math.ceil(ow * scale * tolerance), math.ceil(oh * scale * tolerance))
            img.draft("RGB" if img.mode != "CMYK" else "CMYK", need)
        img.load()
        target = (max(2, round(uw * scale)), max(2, round(uh * scale)))
        stored = (target[1], target[0]) if orientation in _ORIENT_SWAPS else target
        if img.mode in ("RGB", "L", "RGBA", "CMYK") and img.size[0] > stored[0] * 1.02:
            # Shrink before anything else is copied: keeps the transient peak to one decoded image.
            small = img.resize(stored, Image.Resampling.BOX)
            img.close()
            img = small
        img = ImageOps.exif_transpose(img) if orientation != 1 else img
        rgb = to_rgb(img)
    except MediaError:
        raise
    except Exception as exc:
        raise media_error(path, f"the image data is corrupt or truncated ({_short(exc)})") from None
    finally:
        img.close()
    if rgb.shape[1] > target[0] * 1.02:
        rgb = cv2.resize(rgb, target, interpolation=cv2.INTER_AREA)
    return rgb


def to_rgb(img: Image.Image, background: tuple[int, int, int] = (0, 0, 0)) -> np.ndarray:
    """Any Pillow mode → RGB uint8: 16-bit scaled (not clipped), alpha flattened, CMYK converted."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(img)
        peak = int(arr.max()) if arr.size else 0
        arr = (arr >> 8) if peak > 255 else arr
        gray = np.clip(arr, 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if mode == "F":
        gray = np.clip(np.asarray(img), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if (mode == "P" and "transparency" in img.info) or mode in ("PA", "LA", "RGBa", "La"):
        img = img.convert("RGBA")
        mode = "RGBA"
    if mode == "RGBA":
        arr = np.asarray(img)
        alpha = arr[:, :, 3:4].astype(np.uint16)
        bg = np.array(background, np.uint16)
        out = (arr[:, :, :3].astype(np.uint16) * alpha + bg * (255 - alpha) + 127) // 255
        return out.astype(np.uint8)
    if mode != "RGB":
        img = img.convert("RGB")
    return np.asarray(img)


def gif_frames(path: str | Path, min_w: int, min_h: int) -> tuple[list[np.ndarray], list[float]]:
    """Frames (RGB, scaled like :func:`decode_photo`) and their durations in seconds of an animated GIF."""
    img = open_image(path)
    frames: list[np.ndarray] = []
    durations: list[float] = []
    try:
        n = min(int(getattr(img, "n_frames", 1)), MAX_GIF_FRAMES)
        w, h = img.size
        scale = min(1.0, max(min_w / w, min_h / h))
        size = (max(2, round(w * scale)), max(2, round(h * scale)))
        for i in range(n):
            img.seek(i)
            rgb = to_rgb(img.convert("RGBA"))
            if size != (w, h):
                rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            frames.append(rgb)
            durations.append(max(0.02, int(img.info.get("duration", 100) or 100) / 1000.0))
    except Exception as exc:
        raise media_error(path, f"the GIF is corrupt ({_short(exc)})") from None
    finally:
        img.close()
    return frames, durations


# --- video and audio ------------------------------------------------------------------------------

def _probe_av(path: Path, fmt: str, kind: str) -> MediaInfo:
    try:
        container = av.open(str(path))
    except Exception as exc:
        raise media_error(path, f"the file cannot be opened as {fmt} ({_short(exc)})") from None
    try:
        vstreams = list(container.streams.video)
        astreams = list(container.streams.audio)
        if kind == "video" and not vstreams:
            if not astreams:
                raise media_error(path, "the file holds no video or audio stream")
            kind = "audio"
        if kind == "audio" and not astreams:
            raise media_error(path, "the file holds no audio stream")
        width = height = frames = 0
        duration_ms = 0
        if container.duration:
            duration_ms = int(container.duration * 1000 // av.time_base)
        if kind == "video":
            vs = vstreams[0]
            width, height = int(vs.codec_context.width or 0), int(vs.codec_context.height or 0)
            if width <= 0 or height <= 0 or max(width, height) > MAX_SIDE:
                raise media_error(path, f"the video declares an unusable frame size ({width}x{height})")
            if not duration_ms and vs.duration and vs.time_base:
                duration_ms = int(vs.duration * vs.time_base * 1000)
            rate = float(vs.average_rate or vs.guessed_rate or 30)
            frames = int(vs.frames or round(duration_ms / 1000 * rate))
            # Verification: the first frame decodes.
            for _frame in container.decode(vs):
                break
            else:
                raise media_error(path, "the video has no decodable frame")
        else:
            a = astreams[0]
            if not duration_ms and a.duration and a.time_base:
                duration_ms = int(a.duration * a.time_base * 1000)
            for _frame in container.decode(a):
                break
            else:
                raise media_error(path, "the audio has no decodable samples")
        if duration_ms <= 0 and kind != "photo":
            raise media_error(path, "the file has no duration (it may be truncated)")
        return MediaInfo(str(path), fmt, kind, width, height, duration_ms, bool(astreams), max(frames, 1))
    except MediaError:
        raise
    except Exception as exc:
        raise media_error(path, f"the {kind} data is corrupt or truncated ({_short(exc)})") from None
    finally:
        container.close()
