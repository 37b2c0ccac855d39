"""What the widget draws, as plain JSON: the timeline's lanes and the session's media.

The browser gets no short-key draft to decode: the lanes are computed here from the typed
``nemo_nb.draft`` views (which already read cloud drafts leniently).
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from ..brand import BrandKit
from ..client.models import UploadedMedia
from ..draft import Draft, TrackType, track_label
from ..style import CORNERS, FONTS, SIZES, resolve_style
from .frames import segment_type

_LANE_TYPE = {TrackType.VIDEO: "video", TrackType.AUDIO: "audio", TrackType.TEXT: "text"}


def _transition(meta: dict[str, Any]) -> str | None:
    value = meta.get("transition")
    if isinstance(value, dict):
        kind = value.get("type")
        if not kind or kind == "none":
            return None
        d = value.get("d")
        return f"{kind} ({d} ms)" if d else str(kind)
    return str(value) if value else None


def _text_style(meta: dict[str, Any], default: Any) -> dict[str, Any]:
    """A text's effective style for the panel: colour swatch (hex, None = the role's default), position,
    size, font, background and animation (docs/draft.md)."""
    st = resolve_style(meta, default if isinstance(default, dict) else None)
    color = None if st.color is None else "#{:02x}{:02x}{:02x}".format(*st.color)
    size = st.size if isinstance(st.size, int) else next((k for k, v in SIZES.items() if v == st.size), "medium")
    return {"color": color, "position": st.position, "size": size, "font": f"{st.font} {st.weight}",
            "bg": st.bg or "box", "anim": st.anim_in}


def timeline_view(draft: Draft | dict | None) -> dict[str, Any]:
    """Lanes for the timeline panel: one per track, segments with start/end in ms."""
    draft = draft if isinstance(draft, Draft) else Draft.from_json(draft or {})
    w, h = draft.stated_size or (None, None)
    tracks = []
    for number, track in enumerate(draft.tracks, 1):
        label = track_label(track).split(":", 1)[0]
        segments = []
        for i, (start, end, seg) in enumerate(track.spans()):
            segments.append({
                "i": i,
                "start_ms": start,
                "end_ms": end,
                "kind": segment_type(track.type, seg.kind),
                "name": seg.meta.get("name") or (seg.meta.get("mood") if seg.kind == "music" else None),
                "src": seg.source,
                "text": seg.text,
                "volume": seg.volume,
                "motion": seg.meta.get("motion"),
                "position": seg.meta.get("position"),
                "transition": _transition(seg.meta),
                "style": _text_style(seg.meta, draft.meta.get("text_style")) if track.type == TrackType.TEXT else None,
            })
        tracks.append({"n": number, "type": _LANE_TYPE.get(track.type, "other"), "role": track.role,
                       "label": label, "segments": segments})
    return {
        "duration_ms": draft.duration_ms,
        "aspect": draft.aspect if w else None,
        "w": w,
        "h": h,
        "format": draft.format_text(),
        "summary": draft.summary() if draft.tracks else "",
        "tracks": tracks,
    }


def media_kind(info: UploadedMedia) -> str:
    kind = str(info.kind or "").lower()
    return {"image": "photo", "music": "audio"}.get(kind, kind) or "file"


def media_view(infos: list[UploadedMedia]) -> list[dict[str, Any]]:
    """The session's media for the upload panel (thumbnails are fetched separately, as bytes)."""
    out = []
    for info in infos:
        raw = info.raw or {}
        out.append({"id": info.id, "name": info.name, "kind": media_kind(info),
                    "width": raw.get("width"), "height": raw.get("height"),
                    "duration_ms": raw.get("duration_ms")})
    return out


def brand_view(kit: BrandKit) -> dict[str, Any]:
    """The brand kit for the widget's brand panel, with the logo as a small PNG data URL (the browser
    fetches nothing: it works the same on a remote Jupyter)."""
    logo = None
    if kit.logo:
        logo = {"name": Path(kit.logo).name, "preview": _logo_preview(kit.logo)}
    return {"empty": kit.is_empty, "logo": logo, "colors": list(kit.colors), "font": kit.font,
            "corner": kit.logo_corner, "size": kit.logo_size, "opacity": kit.logo_opacity,
            "summary": "" if kit.is_empty else kit.describe(), "fonts": list(FONTS), "corners": list(CORNERS)}


def _logo_preview(path: str, side: int = 160) -> str | None:
    """A PNG data URL of the logo, at most ``side`` px (transparency kept); None when unreadable."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            im.thumbnail((side, side))
            buf = io.BytesIO()
            im.convert("RGBA").save(buf, format="PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


__all__ = ["brand_view", "media_view", "timeline_view"]
