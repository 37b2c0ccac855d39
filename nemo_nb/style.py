"""Text style vocabulary shared by the draft, the renderer and the agent (docs/draft.md, "Text style").

A text segment's ``m`` may carry ``font``, ``weight``, ``size``, ``color``, ``bg``, ``bg_color``,
``position``, ``anim`` and ``anim_out``; the draft's ``m.text_style`` holds the same keys as the
default for every text (the brand kit writes it). Values are read leniently: a colour may be a
name in English or Chinese ("red", "红色") or hex ("#e11d48", "e11d48", "#f00"); a size a name
("small", "大") or pixels. Anything unreadable falls back to the default, never to an error, since
a cloud draft may carry values of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

#: Bundled families (nemo_nb/render/fonts): ``sans`` has full CJK; the others fall back to it for
#: characters they lack.
FONTS = ("sans", "inter", "serif")
FONT_ALIASES = {
    "sans": "sans", "sans-serif": "sans", "noto": "sans", "noto sans": "sans", "default": "sans",
    "黑体": "sans", "无衬线": "sans", "inter": "inter", "modern": "inter", "clean": "inter",
    "serif": "serif", "garamond": "serif", "eb garamond": "serif", "elegant": "serif", "classic": "serif",
    "衬线": "serif", "宋体": "serif",
}
WEIGHTS = ("regular", "bold")
SIZES = {"small": 0.6, "medium": 1.0, "large": 1.4, "xlarge": 1.8}
SIZE_ALIASES = {"s": "small", "小": "small", "m": "medium", "normal": "medium", "中": "medium",
                "l": "large", "big": "large", "大": "large", "huge": "xlarge", "xl": "xlarge",
                "x-large": "xlarge", "特大": "xlarge"}
POSITIONS = ("center", "top", "bottom", "lower_third", "top_left", "top_right", "bottom_left", "bottom_right")
POSITION_ALIASES = {"centre": "center", "middle": "center", "中间": "center", "居中": "center",
                    "顶部": "top", "上方": "top", "底部": "bottom", "下方": "bottom",
                    "左上": "top_left", "右上": "top_right", "左下": "bottom_left", "右下": "bottom_right"}
BACKGROUNDS = ("box", "none", "shadow", "outline")
ANIMS = ("fade", "slide_up", "pop", "typewriter", "none")
CORNERS = ("top_left", "top_right", "bottom_left", "bottom_right")

#: Colour names, English and Chinese, to hex. Chinese names with and without 色.
COLORS: dict[str, str] = {
    "white": "#ffffff", "black": "#000000", "red": "#e11d2a", "orange": "#f97316", "yellow": "#facc15",
    "gold": "#d4a017", "green": "#16a34a", "lime": "#84cc16", "teal": "#0d9488", "cyan": "#06b6d4",
    "blue": "#2563eb", "navy": "#1e3a8a", "purple": "#7c3aed", "violet": "#8b5cf6", "pink": "#ec4899",
    "magenta": "#d946ef", "brown": "#8b5a2b", "grey": "#6b7280", "gray": "#6b7280", "silver": "#c0c0c0",
    "beige": "#f5f0e1", "cream": "#fdf6e3",
    "白": "#ffffff", "黑": "#000000", "红": "#e11d2a", "橙": "#f97316", "橘": "#f97316", "黄": "#facc15",
    "金": "#d4a017", "绿": "#16a34a", "青": "#06b6d4", "蓝": "#2563eb", "藏青": "#1e3a8a", "紫": "#7c3aed",
    "粉": "#ec4899", "粉红": "#ec4899", "棕": "#8b5a2b", "咖啡": "#8b5a2b", "灰": "#6b7280", "银": "#c0c0c0",
    "米": "#f5f0e1",
}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def color_hex(value: Any) -> str | None:
    """``value`` as ``#rrggbb``, or None when it names no colour we know."""
    if isinstance(value, (list, tuple)) and len(value) == 3:
        try:
            return "#" + "".join(f"{max(0, min(255, int(c))):02x}" for c in value)
        except (TypeError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    key = value.strip().lower()
    key = key[:-1] if key.endswith("色") and len(key) > 1 else key
    if key in COLORS:
        return COLORS[key]
    m = _HEX.fullmatch(key)
    if not m:
        return None
    digits = m.group(1)
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()


def color_rgb(value: Any) -> tuple[int, int, int] | None:
    h = color_hex(value)
    return None if h is None else (int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16))


def _pick(value: Any, names: tuple[str, ...], aliases: dict[str, str]) -> str | None:
    if not isinstance(value, str):
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    key = aliases.get(key, aliases.get(value.strip().lower(), key))
    return key if key in names else None


def font_family(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return FONT_ALIASES.get(value.strip().lower())


def size_factor(value: Any) -> float | None:
    """A named size as a factor of the role's default; None for pixels or unknown."""
    name = _pick(value, tuple(SIZES), SIZE_ALIASES)
    return SIZES[name] if name else None


def size_pixels(value: Any) -> int | None:
    """An explicit pixel size (``48``, ``"48px"``), clamped to something drawable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        px = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+(\.\d+)?\s*(px)?\s*", value):
        px = float(value.strip().removesuffix("px"))
    else:
        return None
    return max(8, min(400, round(px)))


@dataclass(frozen=True)
class TextStyle:
    """One text's resolved style; None fields mean "the role's default"."""

    font: str = "sans"
    weight: str = "bold"
    size: float | int = 1.0  # a factor of the role's default size (float) or pixels (int)
    color: tuple[int, int, int] | None = None
    bg: str | None = None
    bg_color: tuple[int, int, int] | None = None
    position: str | None = None
    anim_in: str = "fade"
    anim_out: str = "fade"

    @property
    def is_default(self) -> bool:
        return self == TextStyle()


STYLE_KEYS = ("font", "weight", "size", "color", "bg", "bg_color", "position", "anim", "anim_out")


def resolve_style(meta: dict[str, Any], default: dict[str, Any] | None = None) -> TextStyle:
    """The style of a text segment's ``m``, over the draft's default ``m.text_style`` (brand kit)."""
    merged = {**(default if isinstance(default, dict) else {}),
              **{k: v for k, v in meta.items() if k in STYLE_KEYS and v is not None}}
    style = TextStyle()
    family = font_family(merged.get("font"))
    if family:
        style = replace(style, font=family)
    weight = merged.get("weight")
    if isinstance(weight, str) and weight.lower() in WEIGHTS:
        style = replace(style, weight=weight.lower())
    px = size_pixels(merged.get("size"))
    factor = size_factor(merged.get("size"))
    if px is not None or factor is not None:
        style = replace(style, size=px if px is not None else float(factor or 1.0))
    style = replace(style, color=color_rgb(merged.get("color")), bg_color=color_rgb(merged.get("bg_color")),
                    bg=_pick(merged.get("bg"), BACKGROUNDS, {}),
                    position=_pick(merged.get("position"), POSITIONS, POSITION_ALIASES))
    anim_in = _pick(merged.get("anim"), ANIMS, {}) or "fade"
    anim_out = _pick(merged.get("anim_out"), ANIMS, {}) or ("fade" if anim_in == "typewriter" else anim_in)
    return replace(style, anim_in=anim_in, anim_out=anim_out)
