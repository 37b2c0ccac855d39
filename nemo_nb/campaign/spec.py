"""A campaign's grid: photo sets × directions × formats × copy rows → variants, and copy → draft text.

Pure (no I/O): the brief is expanded into :class:`Variant` rows, each naming which base draft it
starts from (one per photo set × direction × format, made by the agent) and which copy it carries.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..draft import ASPECT_SIZES, Draft, Segment, Track, TrackType

#: How long a copy title stays on screen (at most half the video).
TITLE_MS = 2500


class CampaignError(ValueError):
    """A campaign brief that cannot be expanded (the message says what to change)."""


@dataclass(frozen=True)
class Variant:
    """One cell of the grid. ``base`` indexes the base draft (photo set × direction × format)."""

    index: int
    name: str
    direction: str
    format: str
    row: int | None
    copy: dict[str, Any] = field(default_factory=dict)
    base: tuple[int, str, str] = (0, "", "")
    title: str | None = None
    caption: str | None = None


def _named(items: Mapping[str, str] | Sequence[str] | str, what: str) -> dict[str, str]:
    """``{"calm": "a calm slideshow"}`` as given; a list gets names from its items."""
    if isinstance(items, str):
        items = [items]
    if isinstance(items, Mapping):
        out = {str(k): str(v) for k, v in items.items()}
    else:
        out = {}
        for i, item in enumerate(items):
            out[str(item) if what == "formats" else f"d{i + 1}"] = str(item)
    if not out:
        raise CampaignError(f"A campaign needs at least one of its {what}.")
    return out


def format_request(fmt: str) -> str:
    """What to ask the agent for a format: an aspect ratio as such, anything else as a platform."""
    return f"make it {fmt}" if fmt in ASPECT_SIZES else f"make it for {fmt}"


def _template(spec: str | None, columns: Sequence[str]) -> str | None:
    """A column name → ``{column}``; a string with ``{…}`` is a template; None → nothing."""
    if spec is None:
        return None
    if spec in columns:
        return "{" + spec + "}"
    names = [name for _, name, _, _ in string.Formatter().parse(spec) if name]
    if not names:
        raise CampaignError(f"{spec!r} is neither a copy column ({', '.join(columns) or 'none'}) nor a template "
                            "like '{product} — {price}'.")
    missing = [n for n in names if n not in columns]
    if missing:
        raise CampaignError(f"The template {spec!r} uses {', '.join(missing)}, which the copy DataFrame lacks "
                            f"(its columns: {', '.join(columns)}).")
    return spec


def _fill(template: str | None, row: Mapping[str, Any]) -> str | None:
    if template is None:
        return None
    text = template.format_map({k: "" if pd.isna(v) else v for k, v in row.items()}).strip()
    return text or None


def photo_sets(photos: Any, copy: pd.DataFrame | None, photos_column: str = "photos") -> list[list[Path]]:
    """One list of files per photo set: the shared ``photos``, or one set per copy row (column ``photos``)."""
    if copy is not None and photos_column in copy.columns:
        sets = [[Path(p) for p in ([v] if isinstance(v, (str, Path)) else list(v))] for v in copy[photos_column]]
    else:
        if photos is None:
            raise CampaignError("Give photos=[...] (or a 'photos' column in the copy DataFrame).")
        sets = [[Path(p) for p in ([photos] if isinstance(photos, (str, Path)) else list(photos))]]
    for files in sets:
        if not files:
            raise CampaignError("A photo set is empty: every variant needs at least one photo.")
        for path in files:
            if not path.is_file():
                raise CampaignError(f"{path}: no such file (campaign photos must be files on the kernel's disk).")
    return sets


def expand(directions: Any, formats: Any, copy: pd.DataFrame | None = None, *, title: str | None = "title",
           caption: str | None = "caption", per_row_photos: bool = False) -> list[Variant]:
    """Every variant of the brief, in grid order (direction, then format, then copy row)."""
    dirs, fmts = _named(directions, "directions"), _named(formats, "formats")
    cols = [str(c) for c in copy.columns] if copy is not None else []
    t_tpl = _template(title, cols) if (title and (title in cols or "{" in title)) else None
    c_tpl = _template(caption, cols) if (caption and (caption in cols or "{" in caption)) else None
    rows: list[tuple[int | None, dict[str, Any]]] = [(None, {})]
    if copy is not None:
        if copy.empty:
            raise CampaignError("The copy DataFrame has no rows: give one row per line of copy (or copy=None).")
        rows = [(i, {k: v for k, v in rec.items() if k != "photos"}) for i, rec in enumerate(copy.to_dict("records"))]
    out: list[Variant] = []
    for dname in dirs:
        for fmt in fmts:
            for row, values in rows:
                pset = row if (per_row_photos and row is not None) else 0
                label = "-".join(x for x in (dname, fmt.replace(":", "x"), "" if row is None else f"r{row + 1}") if x)
                out.append(Variant(len(out), label, dname, fmt, row, values, (pset, dname, fmt),
                                   _fill(t_tpl, values), _fill(c_tpl, values)))
    return out


def _text_track(role: str, text: str, start_ms: int, dur_ms: int, position: str) -> Track:
    meta = {"type": "text", "role": role, "text": text, "position": position, "anim": "fade"}
    return Track(int(TrackType.TEXT), [Segment(dur_ms, meta, start_ms)], {"role": role})


def apply_copy(draft: Draft | dict, title: str | None, caption: str | None) -> Draft:
    """The base draft with the variant's copy: its title replaces any title, its caption any caption."""
    out = Draft.from_json(draft)
    total = out.duration_ms
    if total <= 0:
        raise CampaignError("The direction produced an empty timeline: say how long the video should be.")
    drop = {r for r, v in (("title", title), ("caption", caption)) if v}
    out.tracks = [t for t in out.tracks if not (t.type == TrackType.TEXT and t.role in drop)]
    title_ms = min(TITLE_MS, total // 2)
    if title:
        out.tracks.append(_text_track("title", title, 0, title_ms, "center"))
    if caption:
        start = title_ms if title else 0
        out.tracks.append(_text_track("caption", caption, start, total - start, "lower_third"))
    return out
