"""pandas DataFrames for campaign notes: credits, the timeline's segments, the render history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..client.models import Credits
from ..draft import Draft, TrackType
from .history import RenderRecord

TRACK_COLUMNS = ["track", "type", "start_s", "end_s", "duration_s", "source", "name", "text", "volume"]
RENDER_COLUMNS = [
    "id", "backend", "session", "status", "started", "finished", "seconds",
    "path", "url", "size_mb", "width", "height", "duration_s",
]
CREDIT_COLUMNS = ["backend", "available", "frozen", "total", "charged", "limit"]

_TRACK_KIND = {TrackType.VIDEO: "video", TrackType.AUDIO: "audio", TrackType.TEXT: "text"}


def segment_type(track_type: int, kind: str) -> str:
    """The segment's own kind (photo, music, ...) or, failing that, its track's."""
    return kind or _TRACK_KIND.get(track_type, f"type {track_type}")


def tracks_frame(draft: Draft | dict | None) -> pd.DataFrame:
    """One row per segment; ``track`` is the 1-based track number of the summary line."""
    draft = draft if isinstance(draft, Draft) else Draft.from_json(draft or {})
    rows: list[dict[str, Any]] = []
    for number, track in enumerate(draft.tracks, 1):
        for start, end, seg in track.spans():
            rows.append({
                "track": number,
                "type": segment_type(track.type, seg.kind),
                "start_s": start / 1000.0,
                "end_s": end / 1000.0,
                "duration_s": seg.duration_ms / 1000.0,
                "source": seg.source,
                "name": seg.meta.get("name") or seg.meta.get("mood") or None,
                "text": seg.text,
                "volume": seg.volume,
            })
    frame = pd.DataFrame(rows, columns=TRACK_COLUMNS)
    return frame.astype({"track": "int64", "start_s": "float64", "end_s": "float64", "duration_s": "float64",
                         "volume": "float64"})


def renders_frame(records: Iterable[RenderRecord]) -> pd.DataFrame:
    """The render history, oldest first; times as timezone-aware timestamps."""
    rows = []
    for r in records:
        rows.append({
            "id": r.id,
            "backend": r.backend,
            "session": r.session,
            "status": r.status,
            "started": pd.Timestamp(r.started, unit="s", tz="UTC") if r.started else pd.NaT,
            "finished": pd.Timestamp(r.finished, unit="s", tz="UTC") if r.finished else pd.NaT,
            "seconds": r.seconds,
            "path": r.path,
            "url": r.url,
            "size_mb": None if r.size_bytes is None else round(r.size_bytes / 1e6, 3),
            "width": r.width,
            "height": r.height,
            "duration_s": r.duration_s,
        })
    frame = pd.DataFrame(rows, columns=RENDER_COLUMNS)
    for col in ("started", "finished"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame.astype({"seconds": "float64", "size_mb": "float64", "width": "Int64", "height": "Int64",
                         "duration_s": "float64"})


def credits_frame(backend: str, credits: Credits) -> pd.DataFrame:
    """One row; ``limit`` says "local · no limit" on the local engine (``charged``: what the cloud
    would have charged so far), and is empty where the backend enforces the balance."""
    row = {"backend": backend, "available": credits.available, "frozen": credits.frozen, "total": credits.total,
           "charged": credits.charged, "limit": credits.limit or ""}
    return pd.DataFrame([row], columns=CREDIT_COLUMNS).astype({"charged": "float64"})


__all__ = ["CREDIT_COLUMNS", "RENDER_COLUMNS", "TRACK_COLUMNS", "credits_frame", "renders_frame", "tracks_frame"]
