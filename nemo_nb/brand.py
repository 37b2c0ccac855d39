"""The brand kit: a logo, brand colours and a font, kept per user (``config_dir()/brand.json``, not secret).

``set_brand`` checks everything first (the logo must be a readable image, colours must be names or
hex, the font one of the bundled families) and only then writes: bad input raises a ``ValueError``
naming what to do and leaves the stored kit as it was. The logo is copied next to the kit, so the kit
keeps working when the original file moves. ``apply_brand`` turns a kit into draft keys
(docs/draft.md): ``m.logo`` (the watermark on every export) and ``m.text_style`` (brand colours and
font as every text's default; the draft's own choices win).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import config
from .style import CORNERS, color_hex, font_family

KIT_FILE = "brand.json"
LOGO_TYPES = (".png", ".jpg", ".jpeg", ".webp")
LOGO_MAX_SIDE = 4096


@dataclass
class BrandKit:
    logo: str | None = None  # path of the kept copy of the logo
    colors: list[str] = field(default_factory=list)  # hex, the first is the text colour, the second the card's
    font: str | None = None  # a bundled family: sans, inter, serif
    logo_corner: str = "bottom_right"
    logo_size: float = 0.12  # larger side, as a fraction of the frame's shorter side
    logo_opacity: float = 0.85

    @property
    def is_empty(self) -> bool:
        return self.logo is None and not self.colors and self.font is None

    def text_style(self) -> dict[str, Any]:
        """The default text style this kit gives (``m.text_style``)."""
        style: dict[str, Any] = {}
        if self.font:
            style["font"] = self.font
        if self.colors:
            style["color"] = self.colors[0]
        if len(self.colors) > 1:
            style["bg_color"] = self.colors[1]
        return style

    def describe(self) -> str:
        """The kit in one line (the cell's notice, the widget's brand panel)."""
        if self.is_empty:
            return "none set (studio.brand(logo='logo.png', colors=['#e11d2a'], font='serif'))."
        parts = []
        if self.logo:
            parts.append(f"logo {Path(self.logo).name} ({self.logo_corner.replace('_', ' ')}, "
                         f"{round(self.logo_size * 100)}%, {round(self.logo_opacity * 100)}% opaque)")
        if self.colors:
            parts.append("colours " + ", ".join(self.colors))
        if self.font:
            parts.append(f"font {self.font}")
        return "; ".join(parts) + " — on every export."

    def logo_spec(self, media_id: str) -> dict[str, Any]:
        """``m.logo`` for the logo uploaded as ``media_id``."""
        return {"src": media_id, "corner": self.logo_corner, "size": self.logo_size, "opacity": self.logo_opacity}


def kit_path(directory: Path | None = None) -> Path:
    return (directory or config.config_dir()) / KIT_FILE


def load_brand(directory: Path | None = None) -> BrandKit:
    """The stored kit (an empty one when none is stored or the file is unreadable)."""
    try:
        raw = json.loads(kit_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return BrandKit()
    if not isinstance(raw, dict):
        return BrandKit()
    known = {k: v for k, v in raw.items() if k in BrandKit.__dataclass_fields__}
    try:
        kit = BrandKit(**known)
    except TypeError:
        return BrandKit()
    if kit.logo and not Path(kit.logo).is_file():
        kit.logo = None
    return kit


def _check_logo(logo: str | Path) -> Path:
    from PIL import Image, UnidentifiedImageError

    path = Path(logo).expanduser()
    if not path.is_file():
        raise ValueError(f"Logo {str(logo)!r} not found: give the path of a PNG (transparent is best) or JPEG.")
    if path.suffix.lower() not in LOGO_TYPES:
        raise ValueError(f"Logo {path.name!r}: use a PNG, JPEG or WebP image.")
    try:
        with Image.open(path) as img:
            size = img.size
            img.verify()
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        raise ValueError(f"Logo {path.name!r} is not a readable image: export it again as PNG.") from None
    if max(size) > LOGO_MAX_SIDE:
        raise ValueError(f"Logo {path.name!r} is {size[0]}×{size[1]} px: export it at most {LOGO_MAX_SIDE} px "
                         "on its longer side (it is drawn at about a tenth of the frame).")
    return path


def _check_colors(colors: list[str] | tuple[str, ...] | str) -> list[str]:
    items = [colors] if isinstance(colors, str) else list(colors)
    out = []
    for item in items:
        value = color_hex(item)
        if value is None:
            raise ValueError(f"Colour {item!r} is not one I know: use hex like '#e11d2a' or a name like 'red' / '红色'.")
        out.append(value)
    return out


def _given(colors: list[str] | tuple[str, ...] | str) -> bool:
    """False for "" and []: the caller asks for no brand colours."""
    return bool(colors.strip()) if isinstance(colors, str) else any(str(c).strip() for c in colors)


def set_brand(*, logo: str | Path | None = None, colors: list[str] | tuple[str, ...] | str | None = None,
              font: str | None = None, corner: str | None = None, size: float | None = None,
              opacity: float | None = None, directory: Path | None = None) -> BrandKit:
    """Update the stored kit with what is given (None: keep; an empty value — ``logo=""``, ``colors=[]``,
    ``font=""`` — removes that part alone); everything is checked before writing."""
    kit = load_brand(directory)
    drop_logo = logo is not None and not str(logo).strip()
    logo_path = _check_logo(logo) if logo is not None and not drop_logo else None
    if colors is not None:
        kit.colors = _check_colors(colors) if _given(colors) else []
    if font is not None and not font.strip():
        kit.font = None
    elif font is not None:
        family = font_family(font)
        if family is None:
            raise ValueError(f"Font {font!r} is not bundled: use 'sans' (with Chinese), 'inter' or 'serif'.")
        kit.font = family
    if corner is not None:
        name = corner.strip().lower().replace("-", "_").replace(" ", "_")
        if name not in CORNERS:
            raise ValueError(f"Corner {corner!r}: use one of {', '.join(CORNERS)}.")
        kit.logo_corner = name
    if size is not None:
        if not 0.03 <= float(size) <= 0.5:
            raise ValueError("Logo size is a fraction of the frame's shorter side: between 0.03 and 0.5.")
        kit.logo_size = float(size)
    if opacity is not None:
        if not 0.0 <= float(opacity) <= 1.0:
            raise ValueError("Logo opacity is between 0 (invisible) and 1 (opaque).")
        kit.logo_opacity = float(opacity)
    target = kit_path(directory)
    dropped = kit.logo if drop_logo else None
    if dropped:
        kit.logo = None
    if logo_path is not None:
        kept = target.with_name("brand_logo" + logo_path.suffix.lower())
        config.ensure_private_dir(target.parent)
        shutil.copyfile(logo_path, kept.with_name(kept.name + ".tmp"))
        os.replace(kept.with_name(kept.name + ".tmp"), kept)
        kit.logo = str(kept)
    _write(target, kit)
    if dropped:  # only once the kit no longer names it
        Path(dropped).unlink(missing_ok=True)
    return kit


def clear_brand(directory: Path | None = None) -> None:
    """Forget the kit (and the kept logo)."""
    path = kit_path(directory)
    kit = load_brand(directory)
    if kit.logo:
        Path(kit.logo).unlink(missing_ok=True)
    path.unlink(missing_ok=True)


def _write(path: Path, kit: BrandKit) -> None:
    config.ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(asdict(kit), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def apply_brand(draft: dict[str, Any], kit: BrandKit, logo_media_id: str | None = None) -> dict[str, Any]:
    """A copy of the draft JSON with the kit as defaults: the brand's text style under the draft's
    own ``m.text_style``, and the logo watermark unless the draft sets ``m.logo`` itself (``false``:
    no logo on this video)."""
    out = copy.deepcopy(draft)
    meta = out.setdefault("m", {})
    style = kit.text_style()
    if style:
        own = meta.get("text_style") if isinstance(meta.get("text_style"), dict) else {}
        meta["text_style"] = {**style, **own}
    if logo_media_id and "logo" not in meta:
        meta["logo"] = kit.logo_spec(logo_media_id)
    return out
