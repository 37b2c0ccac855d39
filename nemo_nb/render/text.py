"""Titles and captions: laid out once in a bundled font, blended per frame only over their box.

Fonts (SIL OFL, ``fonts/LICENSE-OFL.txt``): ``sans`` is Noto Sans CJK SC (regular and bold, subset to
Latin and the common Chinese/Japanese characters, so the agent's Chinese requests render); ``inter``
and ``serif`` (EB Garamond) are Latin faces that fall back to ``sans`` for text they cannot draw.
Text is placed inside the platform's safe area for the aspect (TikTok/Reels/Shorts keep UI over the
bottom fifth and the right edge of a vertical video), wrapped to the safe width (per word for Latin,
per character for CJK), and styled per :class:`nemo_nb.style.TextStyle`: colour, size, a background
(a card, nothing, a soft shadow or an outline), position (also the corners), and the animation in
and out. By default titles sit on a white card with dark type and captions on a translucent dark
card, readable on any photo. The sprite is converted once to Y/U/V + alpha (:mod:`.sprite`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from ..style import ANIMS, POSITIONS, TextStyle
from .sprite import LineBox, TextSprite, TextState

if TYPE_CHECKING:
    from .plan import TextLayer

__all__ = ["ANIMS", "FONT_PATH", "POSITIONS", "TextSprite", "TextState", "font", "render_text", "text_state"]

FONT_DIR = Path(__file__).with_name("fonts")
FONT_FILES = {
    ("sans", "bold"): "NotoSansCJKsc-Bold-subset.otf", ("sans", "regular"): "NotoSansCJKsc-Regular-subset.otf",
    ("inter", "bold"): "Inter-Bold-subset.otf", ("inter", "regular"): "Inter-Regular-subset.otf",
    ("serif", "bold"): "EBGaramond12-Bold.otf", ("serif", "regular"): "EBGaramond12-Regular.otf",
}
FONT_PATH = FONT_DIR / FONT_FILES[("sans", "bold")]


@lru_cache(maxsize=32)
def font(size: int, family: str = "sans", weight: str = "bold") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / FONT_FILES.get((family, weight), FONT_FILES[("sans", "bold")])), size)


#: A code point no font maps (a noncharacter): what the font draws for it is its "missing glyph" box.
_NOT_A_CHAR = "\uffff"


@lru_cache(maxsize=8)
def _missing_mask(family: str = "sans", weight: str = "bold") -> tuple[tuple[int, int], bytes, float]:
    f = font(48, family, weight)
    mask = f.getmask(_NOT_A_CHAR)
    return mask.size, bytes(mask), f.getlength(_NOT_A_CHAR)


@lru_cache(maxsize=8192)
def has_glyph(ch: str, family: str = "sans", weight: str = "bold") -> bool:
    """Whether the bundled font draws ``ch`` (rather than its missing-glyph box)."""
    f = font(48, family, weight)
    mask = f.getmask(ch)
    return (mask.size, bytes(mask), f.getlength(ch)) != _missing_mask(family, weight)


def family_for(text: str, family: str, weight: str) -> str:
    """``family`` if it draws every character of ``text``, else ``sans`` (which has CJK)."""
    if family == "sans" or all(ch.isspace() or has_glyph(ch, family, weight) for ch in set(text)):
        return family
    return "sans"


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
    if ratio > 1.5:  # 9:16 (TikTok, Reels, Shorts): captions at the bottom, the buttons' column on the right
        return round(width * 0.06), round(height * 0.14), round(width * 0.16), round(height * 0.22)
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




def _phase(anim: str, u: float, entering: bool) -> TextState:
    """The state of one animation at progress ``u`` (0 hidden → 1 settled)."""
    e = 1 - (1 - u) ** 3  # ease-out
    if anim == "slide_up":  # enters from below, leaves upwards
        return TextState(e, dy=round((1 - e) * 24) * 2 * (1 if entering else -1))
    if anim == "pop":
        c = 1.70158
        back = 1 + (c + 1) * (u - 1) ** 3 + c * (u - 1) ** 2
        return TextState(min(1.0, u * 2), scale=0.8 + 0.2 * back)
    if anim == "typewriter":  # the card shows at once, the characters appear one by one
        return TextState(min(1.0, u * 6), reveal=u if entering else 1.0)
    return TextState(e)


def _ramps(layer: TextLayer) -> tuple[float, float]:
    span = layer.end - layer.start
    ramp = min(0.45, span / 4)
    ramp_in = ramp
    if layer.style.anim_in == "typewriter":  # ~16 characters a second, at most 60% of the time shown
        ramp_in = min(span * 0.6, max(0.4, len(layer.text) / 16))
    return ramp_in, ramp


def text_state(layer: TextLayer, t: float) -> TextState:
    """Entrance/exit animation at time ``t`` (fade, slide_up, pop, typewriter, none)."""
    ramp_in, ramp_out = _ramps(layer)
    anim_in, anim_out = layer.style.anim_in, layer.style.anim_out
    if layer.anim == "none" and anim_in == "fade" and anim_out == "fade":
        anim_in = anim_out = "none"  # a layer made without a style (tests, older plans)
    u_in = 1.0 if anim_in == "none" or ramp_in <= 0 else min(1.0, max(0.0, (t - layer.start) / ramp_in))
    u_out = 1.0 if anim_out == "none" or ramp_out <= 0 else min(1.0, max(0.0, (layer.end - t) / ramp_out))
    if u_in < 1.0 and u_in <= u_out:
        return _phase(anim_in, u_in, True)
    if u_out < 1.0:
        return _phase(anim_out, u_out, False)
    return TextState(1.0)


@dataclass(frozen=True)
class _Layout:
    fnt: ImageFont.FreeTypeFont
    lines: list[str]
    size: int
    line_h: int
    pad: int


def _base_size(role: str, style: TextStyle, short: int) -> int:
    if isinstance(style.size, int):
        return style.size
    return round(short * (0.085 if role == "title" else 0.05) * style.size)


def _layout(words: str, role: str, style: TextStyle, family: str, box_w: int, box_h: int, short: int) -> _Layout:
    """Shrink until the lines fit the line budget and the card (lines + padding) fits the safe area;
    still too long at the smallest readable size: end with an ellipsis."""
    size = _base_size(role, style, short)
    max_lines = 3 if role == "title" else 2
    min_size = min(size, max(10, round(short * 0.028)))
    corner = "_" in (style.position or "") and style.position != "lower_third"
    line_w = box_w * (0.5 if corner else 0.92 if role == "title" else 0.86)
    while True:
        fnt = font(size, family, style.weight)
        lines = wrap(words, fnt, line_w)
        ascent, descent = fnt.getmetrics()
        line_h = round((ascent + descent) * 1.08)
        fits = line_h * len(lines) + 2 * round(size * 0.45) <= box_h
        whole = all(fnt.getlength(tok) <= line_w for tok in _TOKEN.findall(words))  # no word cut in two
        if (len(lines) <= max_lines and fits and whole) or size <= min_size:
            break
        size = max(min_size, int(size * 0.88))
    keep = max(1, (box_h - 2 * round(size * 0.45)) // max(1, line_h))
    if len(lines) > keep:
        lines = lines[:keep]
        last = lines[-1]
        while last and fnt.getlength(last + "…") > line_w:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return _Layout(fnt, lines, size, line_h, round(size * 0.45))


def _luma(rgb: tuple[int, int, int]) -> float:
    return (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / 255


_LIGHT, _DARK = (250, 248, 244), (16, 16, 18)


def _colors(role: str, style: TextStyle) -> tuple[tuple[int, int, int], tuple[int, int, int], int]:
    """(ink, plate or outline/shadow colour, plate alpha) for the style; a chosen ink too close to the
    default plate gets the other plate, so it stays readable."""
    bg = style.bg or "box"
    if role == "title" and bg == "box":
        ink, plate, alpha = (18, 18, 22), _LIGHT, 238
    else:
        ink, plate, alpha = (255, 255, 255), _DARK, 200
    if style.color is not None:
        ink = style.color
        if style.bg_color is None and abs(_luma(ink) - _luma(plate)) < 0.4:
            plate = _DARK if _luma(plate) > 0.5 else _LIGHT
    if style.bg_color is not None:
        plate, alpha = style.bg_color, 238
    return ink, plate, alpha


def _draw(lay: _Layout, role: str, style: TextStyle) -> tuple[np.ndarray, np.ndarray, tuple[LineBox, ...]]:
    """The sprite's RGBA, the same without glyphs (for typewriter), and where each line's glyphs are."""
    fnt, lines, pad, line_h = lay.fnt, lay.lines, lay.pad, lay.line_h
    widths = [fnt.getlength(line) for line in lines]
    text_w, text_h = max(widths), line_h * len(lines)
    cw, ch = int(text_w + 2 * pad) + 2, int(text_h + 2 * pad) + 2
    cw, ch = cw + cw % 2, ch + ch % 2
    ink, plate, alpha = _colors(role, style)
    bg = style.bg or "box"
    base = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
    inset = max(2, pad // 4)
    if bg == "box":
        shadow = Image.new("L", (cw, ch), 0)
        ImageDraw.Draw(shadow).rounded_rectangle((inset, inset * 2, cw - 1 - inset, ch - 1), radius=pad // 2, fill=90)
        base.putalpha(shadow.filter(ImageFilter.GaussianBlur(max(1, inset))))
        ImageDraw.Draw(base).rounded_rectangle((inset, inset, cw - 1 - inset, ch - 1 - inset * 2), radius=pad // 2,
                                               fill=(*plate, alpha))
    full = base.copy()
    origins = [(pad + (text_w - widths[i]) / 2, pad - inset // 2 + i * line_h) for i in range(len(lines))]
    stroke = max(2, round(lay.size * 0.07)) if bg == "outline" else 0
    if bg == "shadow":
        mask = Image.new("L", (cw, ch), 0)
        off = max(2, round(lay.size * 0.05))
        for (lx, ly), line in zip(origins, lines, strict=True):
            ImageDraw.Draw(mask).text((lx + off, ly + off), line, font=fnt, fill=200)
        soft = mask.filter(ImageFilter.GaussianBlur(max(1.5, lay.size * 0.05)))
        full = Image.new("RGBA", (cw, ch), (*_DARK, 0))
        full.putalpha(soft)
    draw = ImageDraw.Draw(full)
    for (lx, ly), line in zip(origins, lines, strict=True):
        draw.text((lx, ly), line, font=fnt, fill=(*ink, 255), stroke_width=stroke,
                  stroke_fill=(*(_DARK if _luma(ink) > 0.35 else _LIGHT), 255))
    boxes = tuple(LineBox(round(ly), round(ly + line_h), round(lx),
                          tuple(round(lx + fnt.getlength(line[: k + 1])) + stroke for k in range(len(line))))
                  for (lx, ly), line in zip(origins, lines, strict=True))
    # Colour under transparent pixels is black, so 4:2:0 edges never fringe.
    return np.asarray(full).copy(), np.asarray(base).copy(), boxes


def _place(position: str, cw: int, ch: int, width: int, height: int) -> tuple[int, int]:
    """Top-left of a ``cw`` x ``ch`` card at ``position``, inside the safe area, on even pixels."""
    left, top, right, bottom = safe_area(width, height)
    box_w = width - left - right
    x = left + (box_w - cw) // 2
    if position.endswith("_left"):
        x = left
    elif position.endswith("_right"):
        x = width - right - cw
    if position.startswith("top"):
        y = top
    elif position.startswith("bottom"):
        y = height - bottom - ch
    elif position == "lower_third":
        y = min(round(height * 0.70 - ch / 2), height - bottom - ch)
    else:
        y = (height - ch) // 2
    y = max(0, min(height - ch, y))
    x = max(0, min(width - cw, x))
    return x - x % 2, y - y % 2


def render_text(layer: TextLayer, width: int, height: int) -> TextSprite:
    """Lay out and draw ``layer`` for a ``width`` x ``height`` frame."""
    style = layer.style
    left, top, right, bottom = safe_area(width, height)
    words = drawable(layer.text)
    if not words:  # nothing the font can draw (e.g. only emoji): an invisible sprite, not a blank card
        return TextSprite(np.zeros((2, 2, 4), np.uint8), 0, 0)
    family = family_for(words, style.font, style.weight)
    lay = _layout(words, layer.role, style, family, width - left - right, height - top - bottom, min(width, height))
    rgba, plate, lines = _draw(lay, layer.role, style)
    position = layer.position if layer.position in POSITIONS else "center"
    x, y = _place(position, rgba.shape[1], rgba.shape[0], width, height)
    typed = style.anim_in == "typewriter"
    return TextSprite(rgba, x, y, plate=plate if typed else None, lines=lines if typed else ())
