"""Titles and captions: laid out once in the shipped font, blended per frame only over their box.

The font is a subset of Noto Sans CJK SC Bold (SIL OFL, ``fonts/LICENSE-OFL.txt``): Latin and the
common Chinese/Japanese characters, so the agent's Chinese requests render. Text is placed inside
the platform's safe area for the aspect (TikTok/Reels keep UI over the bottom fifth of a vertical
video), wrapped to the safe width (per word for Latin, per character for CJK), and made readable on
any photo: titles sit on a white card with dark type, captions on a translucent dark card. The sprite is
converted once to Y/U/V + alpha; each frame blends it into the planes (entrance/exit animation by
opacity, even-pixel offset or a small rescale of the sprite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .yuv import rgb_to_i420

if TYPE_CHECKING:
    from .plan import TextLayer

FONT_PATH = Path(__file__).with_name("fonts") / "NotoSansCJKsc-Bold-subset.otf"
ANIMS = ("fade", "slide_up", "pop", "none")
POSITIONS = ("center", "top", "bottom", "lower_third")


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


def safe_area(width: int, height: int) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) pixel margins that platform UI does not cover, per aspect."""
    ratio = height / width
    if ratio > 1.5:  # 9:16 (TikTok, Reels, Shorts): captions/buttons at the bottom and right
        fx, ft, fb = 0.08, 0.14, 0.22
    elif ratio > 1.1:  # 4:5 feed
        fx, ft, fb = 0.07, 0.08, 0.12
    elif ratio > 0.9:  # 1:1
        fx, ft, fb = 0.07, 0.08, 0.10
    else:  # 16:9
        fx, ft, fb = 0.06, 0.08, 0.10
    return round(width * fx), round(height * ft), round(width * fx), round(height * fb)


_TOKEN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+")


def wrap(text: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy line breaking: between words for Latin, between characters for CJK."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for tok in _TOKEN.findall(para):
            trial = line + tok
            if not line.strip() or fnt.getlength(trial.strip()) <= max_width:
                line = trial
                continue
            lines.append(line.strip())
            line = "" if tok.isspace() else tok
            while fnt.getlength(line) > max_width and len(line) > 1:  # one word wider than the frame
                cut = len(line)
                while cut > 1 and fnt.getlength(line[:cut]) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        if line.strip():
            lines.append(line.strip())
    return lines or [""]


@dataclass(frozen=True)
class TextState:
    opacity: float
    dy: int = 0
    scale: float = 1.0


def text_state(layer: TextLayer, t: float) -> TextState:
    """Entrance/exit animation at time ``t`` (fade, slide_up, pop, none)."""
    span = layer.end - layer.start
    ramp = min(0.45, span / 4)
    if layer.anim == "none" or ramp <= 0:
        return TextState(1.0)
    u_in = min(1.0, max(0.0, (t - layer.start) / ramp))
    u_out = min(1.0, max(0.0, (layer.end - t) / ramp))
    u = min(u_in, u_out)
    e = 1 - (1 - u) ** 3  # ease-out
    if layer.anim == "slide_up":
        return TextState(e, dy=round((1 - e) * 24) * 2)
    if layer.anim == "pop":
        c = 1.70158
        back = 1 + (c + 1) * (u - 1) ** 3 + c * (u - 1) ** 2
        return TextState(min(1.0, u * 2), scale=0.8 + 0.2 * back)
    return TextState(e)


class TextSprite:
    """A text layer pre-rendered once: Y/U/V planes and blend weights, plus where it sits."""

    def __init__(self, rgba: np.ndarray, x: int, y: int) -> None:
        h, w = rgba.shape[:2]
        self.x, self.y, self.w, self.h = x, y, w, h
        rgb = np.ascontiguousarray(rgba[:, :, :3])
        self.planes = [p.astype(np.float32) for p in rgb_to_i420(rgb)]
        alpha = rgba[:, :, 3].astype(np.float32) / 255.0
        self.alphas = [alpha, cv2.resize(alpha, (w // 2, h // 2), interpolation=cv2.INTER_AREA)]
        self.rgba = rgba

    def blend(self, out: list[np.ndarray], state: TextState) -> None:
        """Blend into Y/U/V planes ``out`` (only the sprite's box is touched)."""
        planes, alphas, x, y, w, h = self.planes, self.alphas, self.x, self.y + state.dy, self.w, self.h
        if abs(state.scale - 1.0) > 1e-3:
            nw = max(2, round(w * state.scale / 2) * 2)
            nh = max(2, round(h * state.scale / 2) * 2)
            x, y = x + (w - nw) // 2 // 2 * 2, y + (h - nh) // 2 // 2 * 2
            planes = [cv2.resize(planes[0], (nw, nh)), cv2.resize(planes[1], (nw // 2, nh // 2)),
                      cv2.resize(planes[2], (nw // 2, nh // 2))]
            alphas = [cv2.resize(alphas[0], (nw, nh)), cv2.resize(alphas[1], (nw // 2, nh // 2))]
            w, h = nw, nh
        for i, plane in enumerate(out):
            d = 1 if i == 0 else 2
            px, py, pw, ph = x // d, y // d, w // d, h // d
            x0, y0 = max(0, px), max(0, py)
            x1, y1 = min(plane.shape[1], px + pw), min(plane.shape[0], py + ph)
            if x1 <= x0 or y1 <= y0:
                continue
            a = alphas[0 if i == 0 else 1][y0 - py: y1 - py, x0 - px: x1 - px]
            if state.opacity < 0.999:
                a = a * np.float32(state.opacity)
            fg = planes[i][y0 - py: y1 - py, x0 - px: x1 - px]
            roi = plane[y0:y1, x0:x1]
            roi[:] = cv2.blendLinear(fg, roi.astype(np.float32), a, 1.0 - a).astype(np.uint8)


def render_text(layer: TextLayer, width: int, height: int) -> TextSprite:
    """Lay out and draw ``layer`` for a ``width`` x ``height`` frame."""
    left, top, right, bottom = safe_area(width, height)
    box_w = width - left - right
    short = min(width, height)
    size = round(short * (0.085 if layer.role == "title" else 0.05))
    max_lines = 3 if layer.role == "title" else 2
    while True:
        fnt = font(size)
        lines = wrap(layer.text, fnt, box_w * (0.92 if layer.role == "title" else 0.86))
        if len(lines) <= max_lines or size <= short * 0.03:
            break
        size = int(size * 0.88)
    ascent, descent = fnt.getmetrics()
    line_h = round((ascent + descent) * 1.08)
    widths = [fnt.getlength(line) for line in lines]
    text_w, text_h = max(widths), line_h * len(lines)
    pad = round(size * 0.45)
    cw, ch = int(text_w + 2 * pad) + 2, int(text_h + 2 * pad) + 2
    cw, ch = cw + cw % 2, ch + ch % 2
    color = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
    draw = ImageDraw.Draw(color)
    # Titles and captions sit on a plate: near-black bold type on a warm white card (titles), white
    # type on a dark translucent card (captions). Either reads on any photo, and OCR reads it too.
    if layer.role == "title":
        plate, ink, alpha = (250, 248, 244), (18, 18, 22), 238
    else:
        plate, ink, alpha = (16, 16, 18), (255, 255, 255), 200
    shadow = Image.new("L", (cw, ch), 0)
    inset = max(2, pad // 4)
    ImageDraw.Draw(shadow).rounded_rectangle((inset, inset * 2, cw - 1 - inset, ch - 1), radius=pad // 2,
                                             fill=90)
    shadow = shadow.filter(ImageFilter.GaussianBlur(max(1, inset)))
    color.putalpha(shadow)
    draw.rounded_rectangle((inset, inset, cw - 1 - inset, ch - 1 - inset * 2), radius=pad // 2,
                           fill=(*plate, alpha))
    for i, line in enumerate(lines):
        lx = pad + (text_w - widths[i]) / 2
        draw.text((lx, pad - inset // 2 + i * line_h), line, font=fnt, fill=(*ink, 255))
    rgba = np.asarray(color).copy()
    # Colour under transparent pixels is black, so 4:2:0 edges never fringe.
    x = left + (box_w - cw) // 2
    position = layer.position if layer.position in POSITIONS else "center"
    if position == "top":
        y = top
    elif position == "bottom":
        y = height - bottom - ch
    elif position == "lower_third":
        y = min(round(height * 0.70 - ch / 2), height - bottom - ch)
    else:
        y = (height - ch) // 2
    y = max(0, min(height - ch, y))
    x = max(0, min(width - cw, x))
    return TextSprite(rgba, x - x % 2, y - y % 2)
