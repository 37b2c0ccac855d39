"""Transitions: each a small pure function of (frame A, frame B, progress 0..1) → frame.

They work on any uint8 array of shape (H, W) or (H, W, C): an RGB frame, or one plane of a YUV
4:2:0 frame (the compositor calls them per plane, with ``black`` = 16 for luma and 128 for chroma).
Progress 0 gives A, 1 gives B. Easing is applied by the caller through :func:`ease`, so a test can
check the raw geometry. All of them are centred on the cut: the plan shows A and B for d/2 each side.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import cv2
import numpy as np

Transition = Callable[..., np.ndarray]


def ease(p: float) -> float:
    """Ease-in-out (cubic): gentle start and landing, fastest at the cut."""
    p = min(1.0, max(0.0, p))
    return 4 * p**3 if p < 0.5 else 1 - (-2 * p + 2) ** 3 / 2


def _blend(a: np.ndarray, b: np.ndarray, p: float) -> np.ndarray:
    return cv2.addWeighted(a, 1.0 - p, b, p, 0.0)


def crossfade(a: np.ndarray, b: np.ndarray, p: float, *, black: int = 0) -> np.ndarray:
    """Linear mix of A and B."""
    if p <= 0:
        return a.copy()
    if p >= 1:
        return b.copy()
    return _blend(a, b, p)


def fade_black(a: np.ndarray, b: np.ndarray, p: float, *, black: int = 0) -> np.ndarray:
    """A fades to black, then B fades up from black (``black`` is the plane's black level)."""
    dark = np.full_like(a, black)
    if p < 0.5:
        return _blend(a, dark, min(1.0, p * 2))
    return _blend(dark, b, min(1.0, (p - 0.5) * 2))


@lru_cache(maxsize=8)
def _noise(shape: tuple[int, int]) -> np.ndarray:
    """A fixed soft noise field in 0..1 for ``dissolve``; the same pattern at every plane size."""
    rng = np.random.default_rng(20240601)
    base = rng.random((27, 48)).astype(np.float32)
    field = cv2.resize(base, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    grain = cv2.resize(rng.random((108, 192)).astype(np.float32), (shape[1], shape[0]),
                       interpolation=cv2.INTER_LINEAR)
    field = 0.75 * field + 0.25 * grain
    lo, hi = float(field.min()), float(field.max())
    return (field - lo) / max(1e-6, hi - lo)


def dissolve(a: np.ndarray, b: np.ndarray, p: float, *, black: int = 0) -> np.ndarray:
    """B appears through A in soft, organic blotches (a noise-thresholded mix)."""
    if p <= 0:
        return a.copy()
    if p >= 1:
        return b.copy()
    soft = 0.25
    noise = _noise(a.shape[:2])
    w = np.clip((p * (1 + soft) - noise) / soft, 0.0, 1.0)
    if a.ndim == 3:
        w = w[:, :, None]
    out = a.astype(np.float32) * (1 - w) + b.astype(np.float32) * w
    return (out + 0.5).astype(np.uint8)


def _slide(a: np.ndarray, b: np.ndarray, p: float, direction: str) -> np.ndarray:
    """B pushes A out of the frame; ``direction`` is where the content moves."""
    h, w = a.shape[:2]
    out = np.empty_like(a)
    if direction in ("left", "right"):
        off = round(min(1.0, max(0.0, p)) * w)
        if direction == "left":
            out[:, : w - off] = a[:, off:]
            out[:, w - off:] = b[:, :off]
        else:
            out[:, off:] = a[:, : w - off]
            out[:, :off] = b[:, w - off:]
    else:
        off = round(min(1.0, max(0.0, p)) * h)
        if direction == "up":
            out[: h - off] = a[off:]
            out[h - off:] = b[:off]
        else:
            out[off:] = a[: h - off]
            out[:off] = b[h - off:]
    return out


def _wipe(a: np.ndarray, b: np.ndarray, p: float, direction: str) -> np.ndarray:
    """A soft edge sweeps across, revealing B; ``direction`` is where the edge travels."""
    if p <= 0:
        return a.copy()
    if p >= 1:
        return b.copy()
    h, w = a.shape[:2]
    n = w if direction in ("left", "right") else h
    soft = max(2.0, 0.06 * n)
    pos = np.arange(n, dtype=np.float32) + 0.5
    if direction in ("left", "up"):
        pos = n - pos
    edge = p * (n + soft)
    ramp = np.clip((edge - pos) / soft, 0.0, 1.0)
    weight = ramp[None, :] if direction in ("left", "right") else ramp[:, None]
    if a.ndim == 3:
        weight = weight[..., None]
    out = a.astype(np.float32) + (b.astype(np.float32) - a.astype(np.float32)) * weight
    return (out + 0.5).astype(np.uint8)


def _scaled(img: np.ndarray, scale: float, black: int) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 0.0, scale)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def zoom(a: np.ndarray, b: np.ndarray, p: float, *, black: int = 0) -> np.ndarray:
    """A rushes towards the viewer while B settles in from slightly larger, mixed across the cut."""
    if p <= 0:
        return a.copy()
    if p >= 1:
        return b.copy()
    za = _scaled(a, 1.0 + 0.35 * p, black)
    zb = _scaled(b, 1.0 + 0.2 * (1 - p), black)
    return _blend(za, zb, p)


def _make(fn: Callable[[np.ndarray, np.ndarray, float, str], np.ndarray], direction: str) -> Transition:
    def transition(a: np.ndarray, b: np.ndarray, p: float, *, black: int = 0) -> np.ndarray:
        return fn(a, b, p, direction)

    transition.__name__ = f"{fn.__name__.strip('_')}_{direction}"
    transition.__doc__ = fn.__doc__
    return transition


TRANSITIONS: dict[str, Transition] = {
    "crossfade": crossfade,
    "dissolve": dissolve,
    "fade_black": fade_black,
    "zoom": zoom,
    **{f"slide_{d}": _make(_slide, d) for d in ("left", "right", "up", "down")},
    **{f"wipe_{d}": _make(_wipe, d) for d in ("left", "right", "up", "down")},
}

#: Names that may appear in a draft, with synonyms other drafts use.
ALIASES = {"fade": "crossfade", "cross_fade": "crossfade", "mix": "crossfade", "black": "fade_black",
           "fadeblack": "fade_black", "slide": "slide_left", "wipe": "wipe_left", "push": "slide_left",
           "zoom_in": "zoom", "cut": "none"}


def resolve(name: object) -> str:
    """A draft's transition name → a key of :data:`TRANSITIONS`, or ``"none"``."""
    key = str(name or "crossfade").strip().lower().replace("-", "_").replace(" ", "_")
    key = ALIASES.get(key, key)
    return key if key in TRANSITIONS or key == "none" else "crossfade"


def apply_planes(name: str, a: list[np.ndarray], b: list[np.ndarray], p: float) -> list[np.ndarray]:
    """Run a transition on the Y, U, V planes of two 4:2:0 frames (black = 16 / 128 / 128)."""
    fn = TRANSITIONS[name]
    blacks = (16, 128, 128)
    return [fn(pa, pb, p, black=k) for pa, pb, k in zip(a, b, blacks, strict=True)]


__all__ = ["ALIASES", "TRANSITIONS", "apply_planes", "crossfade", "dissolve", "ease", "fade_black",
           "resolve", "zoom"]
