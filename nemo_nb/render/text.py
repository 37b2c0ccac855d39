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
import unicodedata
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


#: A code point no font maps (a noncharacter): what the font draws for it is its "missing glyph" box.
_NOT_A_CHAR = "\uffff"


@lru_cache(maxsize=1)
def _missing_mask() -> tuple[tuple[int, int], bytes, float]:
    f = font(48)
    mask = f.getmask(_NOT_A_CHAR)
    return mask.size, bytes(mask), f.getlength(_NOT_A_CHAR)


@lru_cache(maxsize=4096)
def has_glyph(ch: str) -> bool:
    """Whether the shipped font draws ``ch`` (rather than its missing-glyph box)."""
    f = font(48)
    mask = f.getmask(ch)
    return (mask.size, bytes(mask), f.getlength(ch)) != _missing_mask()


def drawable(text: str) -> str:
    """``text`` without the characters the shipped font lacks (emoji, rare symbols), which would
    otherwise show as boxes; missing spaces become plain spaces and runs of spaces collapse."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(ch)
        elif unicodedata.category(ch) == "Cf":  # zero-width joiners, direction marks: never drawn
            continue
        elif has_glyph(ch):
            out.append(ch)
        elif ch.isspace():
            out.append(" ")
    cleaned = re.sub(r"[ \t]{2,}", " ", "".join(out))
    return "\n".join(line.strip() for line in cleaned.split("\n")).strip()


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


def _split_long(word: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Cut a run wider than ``max_width`` (a long word, a URL) into pieces that each fit."""
    pieces = []
    while len(word) > 1 and fnt.getlength(word) > max_width:
        cut = len(word) - 1
        while cut > 1 and fnt.getlength(word[:cut]) > max_width:
            cut -= 1
        pieces.append(word[:cut])
        word = word[cut:]
    return [*pieces, word]


def wrap(text: str, fnt: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Greedy line breaking: between words for Latin, between characters for CJK; a word wider than
    the line is cut, so no line is ever wider than ``max_width`` (one-character lines aside)."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for tok in _TOKEN.findall(para):
            if tok.isspace():
                line = line + " " if line else ""
                continue
            if line and fnt.getlength(line + tok) <= max_width:
                line += tok
                continue
            if line.strip():
                lines.append(line.strip())
            *full, line = _split_long(tok, fnt, max_width)
            lines.extend(full)
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
        self.empty = not rgba[:, :, 3].any()

    def blend(self, out: list[np.ndarray], state: TextState) -> None:
        """Blend into Y/U/V planes ``out`` (only the sprite's box is touched)."""
        if self.empty:
            return
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
    box_h = height - top - bottom
    size = round(short * (0.085 if layer.role == "title" else 0.05))
    max_lines = 3 if layer.role == "title" else 2
    min_size = max(10, round(short * 0.028))
    words = drawable(layer.text)
    if not words:  # nothing the font can draw (e.g. only emoji): an invisible sprite, not a blank card
        return TextSprite(np.zeros((2, 2, 4), np.uint8), 0, 0)
    line_w = box_w * (0.92 if layer.role == "title" else 0.86)
    while True:
        # Shrink until the lines fit the line budget and the card (lines + padding) fits the safe area.
        fnt = font(size)
        lines = wrap(words, fnt, line_w)
        ascent, descent = fnt.getmetrics()
        line_h = round((ascent + descent) * 1.08)
        fits = line_h * len(lines) + 2 * round(size * 0.45) <= box_h
        if (len(lines) <= max_lines and fits) or size <= min_size:
            break
        size = max(min_size, int(size * 0.88))
    keep = max(1, (box_h - 2 * round(size * 0.45)) // max(1, line_h))
    if len(lines) > keep:  # still too long at the smallest readable size: end with an ellipsis
        lines = lines[:keep]
        last = lines[-1]
        while last and fnt.getlength(last + "…") > line_w:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
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
