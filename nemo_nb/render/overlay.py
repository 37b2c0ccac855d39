"""Brand overlays: the logo watermark and the end card, read from the draft's ``m.logo`` / ``m.end_card``.

The watermark is the logo (its own transparency kept) in a corner of the platform's safe area, at a
size relative to the frame and an opacity, on every frame — except under the end card, which shows
the logo itself. The end card covers the last seconds: the video fades into a blurred, darkened copy
of itself (or a solid colour), with the card's text in the middle and the logo above it. Everything
is drawn in the compositor's Y/U/V planes; the sprites are made once per plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

import cv2
import numpy as np
from PIL import Image, ImageOps

from ..style import CORNERS, TextStyle, color_rgb, resolve_style
from .media import open_image
from .sprite import TextSprite, TextState
from .text import render_text, safe_area
from .yuv import rgb_to_i420

if TYPE_CHECKING:
    from .plan import Plan, TextLayer

DEFAULT_LOGO = {"corner": "bottom_right", "size": 0.12, "opacity": 0.85}
DEFAULT_CARD_MS = 3000
_CARD_FADE = 0.5


@dataclass(frozen=True)
class LogoLayer:
    path: str
    corner: str = "bottom_right"
    size: float = 0.12  # the logo's larger side, as a fraction of the frame's shorter side
    opacity: float = 0.85


@dataclass(frozen=True)
class EndCard:
    text: str
    start: float
    end: float
    background: str | tuple[int, int, int] = "blur"  # "blur" or an RGB colour
    logo: bool = True
    style: TextStyle = field(default_factory=TextStyle)
    layer: TextLayer | None = None  # the card's text as a title layer (made by the plan)


def _num(value: Any, default: float, lo: float, hi: float) -> float:
    try:
        return min(hi, max(lo, float(value)))
    except (TypeError, ValueError):
        return default


def logo_layer(spec: Any, path: str) -> LogoLayer:
    """``m.logo`` (``{"src", "corner", "size", "opacity"}``) read leniently."""
    spec = spec if isinstance(spec, dict) else {}
    corner = str(spec.get("corner") or DEFAULT_LOGO["corner"]).lower().replace("-", "_").replace(" ", "_")
    return LogoLayer(path, corner if corner in CORNERS else "bottom_right",
                     _num(spec.get("size"), 0.12, 0.03, 0.5), _num(spec.get("opacity"), 0.85, 0.0, 1.0))


def end_card(spec: Any, duration: float, text_style: Any = None) -> EndCard | None:
    """``m.end_card`` (``{"text", "d", "bg", "logo", + text style keys}``) over the last ``d`` ms."""
    if not isinstance(spec, dict):
        return None
    seconds = _num(spec.get("d"), DEFAULT_CARD_MS, 500, 60000) / 1000.0
    seconds = min(seconds, duration)
    bg = spec.get("bg", "blur")
    background: str | tuple[int, int, int] = "blur" if bg in (None, "blur", "blurred") else (color_rgb(bg) or "blur")
    style = resolve_style({"bg": "none", "size": "large", **{k: v for k, v in spec.items() if k != "bg"}},
                          text_style)
    if isinstance(background, tuple) and style.color is None and sum(background) > 3 * 160:
        style = replace(style, color=(18, 18, 22))  # dark type on a light card
    return EndCard(str(spec.get("text") or "").strip(), duration - seconds, duration, background,
                   spec.get("logo", True) is not False, style)


def _logo_rgba(path: str, box: int) -> np.ndarray:
    """The logo as RGBA, its larger side ``box`` pixels, even-sized, black under transparent pixels."""
    img = open_image(path)
    img = ImageOps.exif_transpose(img).convert("RGBA")
    scale = box / max(img.size)
    img = img.resize((max(2, round(img.width * scale / 2) * 2), max(2, round(img.height * scale / 2) * 2)),
                     Image.Resampling.LANCZOS)
    rgba = np.asarray(img).copy()
    rgba[rgba[:, :, 3] == 0, :3] = 0
    return rgba


def logo_sprite(layer: LogoLayer, width: int, height: int) -> TextSprite:
    """The watermark: the logo in its corner of the safe area."""
    rgba = _logo_rgba(layer.path, max(8, round(min(width, height) * layer.size)))
    left, top, right, bottom = safe_area(width, height)
    h, w = rgba.shape[:2]
    x = left if layer.corner.endswith("left") else width - right - w
    y = top if layer.corner.startswith("top") else height - bottom - h
    x, y = max(0, min(width - w, x)), max(0, min(height - h, y))
    return TextSprite(rgba, x - x % 2, y - y % 2)


def card_logo_sprite(path: str, width: int, height: int, above: int) -> TextSprite:
    """The end card's logo: centred, larger, just above the card's text (top edge ``above``)."""
    rgba = _logo_rgba(path, round(min(width, height) * 0.22))
    h, w = rgba.shape[:2]
    gap = round(min(width, height) * 0.04)
    y = max(0, min(above - gap - h, (height - h) // 2))
    x = (width - w) // 2
    return TextSprite(rgba, x - x % 2, y - y % 2)


def card_progress(card: EndCard, t: float) -> float:
    """0 before the card, rising to 1 over its first half second."""
    if t < card.start:
        return 0.0
    return min(1.0, (t - card.start) / max(1e-6, min(_CARD_FADE, (card.end - card.start) / 3)))


def draw_card_background(card: EndCard, out: list[np.ndarray], p: float) -> None:
    """Blend the card's background (the frame blurred and darkened, or a colour) over ``out``."""
    if isinstance(card.background, tuple):
        yuv = rgb_to_i420(np.full((2, 2, 3), card.background, np.uint8))
        targets = [np.full_like(plane, int(v[0, 0])) for plane, v in zip(out, yuv, strict=True)]
    else:
        targets = []
        for i, plane in enumerate(out):
            h, w = plane.shape
            small = cv2.resize(plane, (max(2, w // 16), max(2, h // 16)), interpolation=cv2.INTER_AREA)
            small = cv2.GaussianBlur(small, (0, 0), 1.5)
            big = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
            # Darker and less saturated, so white text and a logo read on any video.
            keep, centre = (0.5, 16) if i == 0 else (0.7, 128)
            targets.append(cv2.addWeighted(big, keep, big, 0.0, centre * (1 - keep)))
    for plane, target in zip(out, targets, strict=True):
        plane[:] = target if p >= 1.0 else cv2.addWeighted(plane, 1 - p, target, p, 0.0)


class _Sprites(Protocol):
    def overlay(self, key: str, make: Callable[[], TextSprite]) -> TextSprite: ...


def draw_brand(plan: Plan, t: float, out: list[np.ndarray], sprites: _Sprites) -> None:
    """The end card (when it has begun) and the logo watermark, over the frame at ``t``."""
    card, logo = plan.end_card, plan.logo
    p = card_progress(card, t) if card is not None else 0.0
    if card is not None and p > 0:
        draw_card_background(card, out, p)
        layer = card.layer
        text = sprites.overlay("card_text", lambda: render_text(layer, plan.width, plan.height)) \
            if layer is not None else None
        if text is not None:
            text.blend(out, TextState(p))
        if logo is not None and card.logo:
            top = text.y if text is not None and not text.empty else plan.height // 2
            sprites.overlay("card_logo", lambda: card_logo_sprite(logo.path, plan.width, plan.height, top)).blend(
                out, TextState(p))
    if logo is not None and logo.opacity > 0:
        fade = 1 - p if card is not None and card.logo else 1.0
        if fade > 0.003:
            sprites.overlay("logo", lambda: logo_sprite(logo, plan.width, plan.height)).blend(
                out, TextState(logo.opacity * fade))
