"""An RGBA overlay (a title, a caption, a logo) converted once to Y/U/V + alpha, blended per frame.

Only the sprite's box is touched. Entrance/exit animation is opacity, an even-pixel offset, a small
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


class _Planes:
    def __init__(self, rgba: np.ndarray) -> None:
        h, w = rgba.shape[:2]
        rgb = np.ascontiguousarray(rgba[:, :, :3])
        self.planes = [p.astype(np.float32) for p in rgb_to_i420(rgb)]
        alpha = rgba[:, :, 3].astype(np.float32) / 255.0
        self.alphas = [alpha, cv2.resize(alpha, (w // 2, h // 2), interpolation=cv2.INTER_AREA)]

    def scaled(self, nw: int, nh: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        p, a = self.planes, self.alphas
        return ([cv2.resize(p[0], (nw, nh)), cv2.resize(p[1], (nw // 2, nh // 2)), cv2.resize(p[2], (nw // 2, nh // 2))],
                [cv2.resize(a[0], (nw, nh)), cv2.resize(a[1], (nw // 2, nh // 2))])


def _blend_planes(out: list[np.ndarray], planes: list[np.ndarray], alphas: list[np.ndarray], x: int, y: int,
                  opacity: float, crop: tuple[int, int, int, int] | None = None) -> None:
    """Blend ``planes`` (top-left at even ``x``, ``y``) into ``out``; ``crop``: only that even-aligned
    (x0, y0, x1, y1) part of the sprite."""
    h, w = planes[0].shape
    cx0, cy0, cx1, cy1 = crop if crop is not None else (0, 0, w, h)
    for i, plane in enumerate(out):
        d = 1 if i == 0 else 2
        px, py = (x + cx0) // d, (y + cy0) // d
        sx, sy, sw, sh = cx0 // d, cy0 // d, (cx1 - cx0) // d, (cy1 - cy0) // d
        x0, y0 = max(0, px), max(0, py)
        x1, y1 = min(plane.shape[1], px + sw), min(plane.shape[0], py + sh)
        if x1 <= x0 or y1 <= y0:
            continue
        a = alphas[0 if i == 0 else 1][sy + y0 - py: sy + y1 - py, sx + x0 - px: sx + x1 - px]
        if opacity < 0.999:
            a = a * np.float32(opacity)
        fg = planes[i][sy + y0 - py: sy + y1 - py, sx + x0 - px: sx + x1 - px]
        roi = plane[y0:y1, x0:x1]
        roi[:] = cv2.blendLinear(fg, roi.astype(np.float32), a, 1.0 - a).astype(np.uint8)


class TextSprite:
    """An overlay pre-rendered once: Y/U/V planes and blend weights, plus where it sits."""

    def __init__(self, rgba: np.ndarray, x: int, y: int, *, plate: np.ndarray | None = None,
                 lines: tuple[LineBox, ...] = ()) -> None:
        h, w = rgba.shape[:2]
        self.x, self.y, self.w, self.h = x, y, w, h
        self._full = _Planes(rgba)
        self.planes, self.alphas = self._full.planes, self._full.alphas
        self._plate = _Planes(plate) if plate is not None else None
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
            planes, alphas = self._full.scaled(nw, nh)
            _blend_planes(out, planes, alphas, x + (w - nw) // 2 // 2 * 2, y + (h - nh) // 2 // 2 * 2, state.opacity)
            return
        if state.reveal >= 1.0 or self._plate is None or not self.lines:
            _blend_planes(out, self.planes, self.alphas, x, y, state.opacity)
            return
        for full, crop in self._reveal_crops(state.reveal):
            src = self._full if full else self._plate
            _blend_planes(out, src.planes, src.alphas, x, y, state.opacity, crop)

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
