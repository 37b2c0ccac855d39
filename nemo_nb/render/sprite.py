"""An RGBA overlay (a title, a caption, a logo) converted once to Y/U/V + alpha, blended per frame.

Only the sprite's box is touched, and of it only the part that is not transparent. Entrance/exit animation is opacity, an even-pixel offset, a small
rescale, or (typewriter) a reveal: the revealed part of each line comes from the full sprite, the
rest from the sprite without its glyphs (``plate``), so nothing is blended twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .yuv import rgb_to_i420


@dataclass(frozen=True)
class TextState:
    opacity: float
    dy: int = 0
    scale: float = 1.0
    reveal: float = 1.0  # typewriter: fraction of the characters shown


@dataclass(frozen=True)
class LineBox:
    """One laid-out line inside the sprite: its rows and the right edge of each character."""

    y0: int
    y1: int
    x0: int
    ends: tuple[int, ...]


Box = tuple[int, int, int, int]  # (x0, y0, x1, y1) inside a sprite, even-aligned


def _ink_box(alpha: np.ndarray) -> Box | None:
    """The even-aligned box around the pixels with any opacity (None: fully transparent). Blending
    outside it changes nothing, and an outlined or shadowed title's card is mostly transparent."""
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return None
    h, w = alpha.shape
    return (int(cols[0]) // 2 * 2, int(rows[0]) // 2 * 2, min(w, (int(cols[-1]) + 2) // 2 * 2),
            min(h, (int(rows[-1]) + 2) // 2 * 2))


class _Planes:
    """A sprite's Y/U/V (float32) and alphas (luma size, chroma size), and where it is not transparent."""

    def __init__(self, planes: list[np.ndarray], alphas: list[np.ndarray], ink: Box | None) -> None:
        self.planes, self.alphas, self.ink = planes, alphas, ink
        #: The blend weights at the last opacity used: a settled title (1.0) or a logo (its opacity)
        #: blends with the same weights every frame.
        self._weights: tuple[float, list[np.ndarray], list[np.ndarray]] | None = None

    @classmethod
    def of(cls, rgba: np.ndarray) -> _Planes:
        h, w = rgba.shape[:2]
        rgb = np.ascontiguousarray(rgba[:, :, :3])
        alpha = rgba[:, :, 3].astype(np.float32) / 255.0
        return cls([p.astype(np.float32) for p in rgb_to_i420(rgb)],
                   [alpha, cv2.resize(alpha, (w // 2, h // 2), interpolation=cv2.INTER_AREA)], _ink_box(rgba[:, :, 3]))

    def scaled(self, nw: int, nh: int) -> _Planes:
        p, a = self.planes, self.alphas
        return _Planes([cv2.resize(p[0], (nw, nh)), cv2.resize(p[1], (nw // 2, nh // 2)),
                        cv2.resize(p[2], (nw // 2, nh // 2))],
                       [cv2.resize(a[0], (nw, nh)), cv2.resize(a[1], (nw // 2, nh // 2))], (0, 0, nw, nh))

    def weights(self, opacity: float) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(sprite weight, background weight) for luma and chroma at ``opacity``."""
        cached = self._weights
        if cached is None or cached[0] != opacity:
            fg = [a * np.float32(opacity) if opacity < 0.999 else a for a in self.alphas]
            cached = self._weights = (opacity, fg, [1.0 - a for a in fg])
        return cached[1], cached[2]

    def blend(self, out: list[np.ndarray], x: int, y: int, opacity: float, crop: Box | None = None) -> None:
        """Blend into ``out`` (top-left at even ``x``, ``y``); ``crop``: only that even-aligned part.
        Rounded, so a transparent pixel keeps its value and opaque ink its colour."""
        if self.ink is None:
            return
        cx0, cy0, cx1, cy1 = self.ink
        if crop is not None:
            cx0, cy0, cx1, cy1 = max(cx0, crop[0]), max(cy0, crop[1]), min(cx1, crop[2]), min(cy1, crop[3])
        fgw, bgw = self.weights(opacity)
        for i, plane in enumerate(out):
            d = 1 if i == 0 else 2
            px, py = (x + cx0) // d, (y + cy0) // d
            sx, sy, sw, sh = cx0 // d, cy0 // d, (cx1 - cx0) // d, (cy1 - cy0) // d
            x0, y0 = max(0, px), max(0, py)
            x1, y1 = min(plane.shape[1], px + sw), min(plane.shape[0], py + sh)
            if x1 <= x0 or y1 <= y0:
                continue
            rows, cols = slice(sy + y0 - py, sy + y1 - py), slice(sx + x0 - px, sx + x1 - px)
            k = 0 if i == 0 else 1
            roi = plane[y0:y1, x0:x1]
            mixed = cv2.blendLinear(self.planes[i][rows, cols], roi.astype(np.float32), fgw[k][rows, cols],
                                    bgw[k][rows, cols])
            roi[:] = cv2.convertScaleAbs(mixed)


class TextSprite:
    """An overlay pre-rendered once: Y/U/V planes and blend weights, plus where it sits."""

    def __init__(self, rgba: np.ndarray, x: int, y: int, *, plate: np.ndarray | None = None,
                 lines: tuple[LineBox, ...] = ()) -> None:
        h, w = rgba.shape[:2]
        self.x, self.y, self.w, self.h = x, y, w, h
        self._full = _Planes.of(rgba)
        self._plate = _Planes.of(plate) if plate is not None else None
        self.lines = lines
        self.rgba = rgba
        self.empty = not rgba[:, :, 3].any()

    def blend(self, out: list[np.ndarray], state: TextState) -> None:
        """Blend into Y/U/V planes ``out`` (only the sprite's box is touched)."""
        if self.empty:
            return
        x, y, w, h = self.x, self.y + state.dy, self.w, self.h
        if abs(state.scale - 1.0) > 1e-3:
            nw = max(2, round(w * state.scale / 2) * 2)
            nh = max(2, round(h * state.scale / 2) * 2)
            self._full.scaled(nw, nh).blend(out, x + (w - nw) // 2 // 2 * 2, y + (h - nh) // 2 // 2 * 2, state.opacity)
            return
        if state.reveal >= 1.0 or self._plate is None or not self.lines:
            self._full.blend(out, x, y, state.opacity)
            return
        for full, crop in self._reveal_crops(state.reveal):
            (self._full if full else self._plate).blend(out, x, y, state.opacity, crop)

    def _reveal_crops(self, reveal: float) -> list[tuple[bool, tuple[int, int, int, int]]]:
        """The sprite cut into even-aligned rectangles, each from the full sprite or the plate."""
        total = sum(len(line.ends) for line in self.lines)
        shown = int(reveal * total + 1e-9)
        crops: list[tuple[bool, tuple[int, int, int, int]]] = []
        top = 0
        for k, line in enumerate(self.lines):
            y1 = self.h if k == len(self.lines) - 1 else min(self.h, line.y1 // 2 * 2)
            n = max(0, min(len(line.ends), shown))
            shown -= len(line.ends)
            cut = 0 if n == 0 else min(self.w, (line.ends[n - 1] + 1) // 2 * 2)
            if n == len(line.ends):
                cut = self.w
            if cut > 0:
                crops.append((True, (0, top, cut, y1)))
            if cut < self.w:
                crops.append((False, (cut, top, self.w, y1)))
            top = y1
        return [(full, c) for full, c in crops if c[3] > c[1] and c[2] > c[0]]
