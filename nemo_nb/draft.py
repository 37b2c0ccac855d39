"""The timeline model: the seeds' short-key draft JSON ↔ typed objects.

The wire draft is ``{"t": [track, ...], ...}``; a track is ``{"tt": type, "sg": [segment, ...]}``;
a segment is ``{"d": duration_ms, "m": metadata}``. The cloud may add keys of its own, so every
object keeps the keys it does not know and writes them back untouched, in their original order:
``Draft.from_json(x).to_json() == x`` for any well-formed ``x``.

Our engine's layout inside ``m`` (docs/draft.md) is one choice among many; everything here reads
drafts leniently, because a cloud draft may use other metadata.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class TrackType(IntEnum):
    VIDEO = 0
    AUDIO = 1
    TEXT = 7


#: Platform presets: aspect → output size (width, height).
ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "16:9": (1920, 1080),
    "9:16": (1080, 1920),
    "1:1": (1080, 1080),
    "4:5": (1080, 1350),
}
DEFAULT_ASPECT = "16:9"
DEFAULT_FPS = 30
DEFAULT_PHOTO_MS = 3000
DEFAULT_MUSIC_VOLUME = 0.35


def _int(value: Any, default: int = 0) -> int:
    try:
        return round(float(value))
    except (TypeError, ValueError, OverflowError):
        return default


def _ordered(raw: dict, known: dict[str, Any]) -> dict:
    """Known fields written back in the raw dict's key order, new ones after, unknown ones kept."""
    out: dict[str, Any] = {}
    for key in raw:
        if key in known:
            if known[key] is not None:
                out[key] = known[key]
        else:
            out[key] = copy.deepcopy(raw[key])
    for key, value in known.items():
        if key not in out and key not in raw and value is not None:
            out[key] = value
    return out


@dataclass
class Segment:
    """One clip on a track. ``start_ms`` is our ``s`` key; None means "right after the previous"."""

    duration_ms: int
    meta: dict[str, Any] = field(default_factory=dict)
    start_ms: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, obj: Any) -> Segment:
        obj = obj if isinstance(obj, dict) else {}
        meta = obj.get("m") if isinstance(obj.get("m"), dict) else {}
        start = obj.get("s")
        return cls(
            duration_ms=max(0, _int(obj.get("d"), 0)),
            meta=copy.deepcopy(meta),
            start_ms=None if start is None else max(0, _int(start)),
            raw=obj,
        )

    def to_json(self) -> dict:
        known: dict[str, Any] = {"d": int(self.duration_ms), "m": copy.deepcopy(self.meta)}
        if self.start_ms is not None or "s" in self.raw:
            known["s"] = None if self.start_ms is None else int(self.start_ms)
        if "m" not in self.raw and not self.meta:
            known["m"] = None
        return _ordered(self.raw, known)

    # --- typed views on metadata (lenient: cloud drafts may name things differently) ----------
    @property
    def kind(self) -> str:
        """photo | video | text | music | audio, from metadata."""
        value = self.meta.get("type") or self.meta.get("kind")
        if value == "image":
            return "photo"
        return str(value) if value else ""

    @property
    def source(self) -> str | None:
        src = self.meta.get("src") or self.meta.get("media_id") or self.meta.get("url")
        return str(src) if src else None

    @property
    def name(self) -> str:
        return str(self.meta.get("name") or self.meta.get("title") or self.source or "")

    @property
    def text(self) -> str | None:
        value = self.meta.get("text")
        return None if value is None else str(value)

    @property
    def volume(self) -> float | None:
        value = self.meta.get("volume")
        try:
            return None if value is None else float(value)
        except (TypeError, ValueError):
            return None


@dataclass
class Track:
    type: int
    segments: list[Segment] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, obj: Any) -> Track:
        obj = obj if isinstance(obj, dict) else {}
        segs = obj.get("sg") if isinstance(obj.get("sg"), list) else []
        meta = obj.get("m") if isinstance(obj.get("m"), dict) else {}
        return cls(
            type=_int(obj.get("tt"), 0),
            segments=[Segment.from_json(s) for s in segs],
            meta=copy.deepcopy(meta),
            raw=obj,
        )

    def to_json(self) -> dict:
        known: dict[str, Any] = {"tt": int(self.type), "sg": [s.to_json() for s in self.segments]}
        known["m"] = copy.deepcopy(self.meta) if (self.meta or "m" in self.raw) else None
        return _ordered(self.raw, known)

    @property
    def role(self) -> str:
        """bgm | voice | sfx for audio, title | caption | text for text, main for video."""
        value = self.meta.get("role")
        if value:
            return str(value)
        return {TrackType.AUDIO: "bgm", TrackType.TEXT: "text"}.get(self.type, "main")

    def spans(self) -> Iterator[tuple[int, int, Segment]]:
        """(start_ms, end_ms, segment) for each segment; unset starts follow the previous end."""
        cursor = 0
        for seg in self.segments:
            start = seg.start_ms if seg.start_ms is not None else cursor
            end = start + seg.duration_ms
            yield start, end, seg
            cursor = end

    @property
    def end_ms(self) -> int:
        return max((end for _, end, _ in self.spans()), default=0)


@dataclass
class Draft:
    """A whole timeline plus canvas metadata (``m``: ``w``, ``h``, ``fps``, ``aspect``)."""

    tracks: list[Track] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    #: False for a wire draft that had no ``t`` (so ``{}`` round-trips to ``{}``).
    wire_tracks: bool = field(default=True, repr=False)

    # --- JSON ------------------------------------------------------------------------------------
    @classmethod
    def from_json(cls, obj: Any) -> Draft:
        if isinstance(obj, (str, bytes)):
            obj = json.loads(obj) if obj else {}
        if isinstance(obj, Draft):
            return obj.copy()
        obj = obj if isinstance(obj, dict) else {}
        tracks = obj.get("t") if isinstance(obj.get("t"), list) else []
        meta = obj.get("m") if isinstance(obj.get("m"), dict) else {}
        return cls(tracks=[Track.from_json(t) for t in tracks], meta=copy.deepcopy(meta), raw=obj,
                   wire_tracks="t" in obj)

    def to_json(self) -> dict:
        keep_t = bool(self.tracks) or self.wire_tracks
        known: dict[str, Any] = {"t": [t.to_json() for t in self.tracks] if keep_t else None}
        known["m"] = copy.deepcopy(self.meta) if (self.meta or "m" in self.raw) else None
        return _ordered(self.raw, known)

    def copy(self) -> Draft:
        return Draft.from_json(copy.deepcopy(self.to_json()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Draft):
            return NotImplemented
        return self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    # --- canvas ----------------------------------------------------------------------------------
    @property
    def aspect(self) -> str:
        value = self.meta.get("aspect")
        if value in ASPECT_SIZES:
            return str(value)
        w, h = _int(self.meta.get("w")), _int(self.meta.get("h"))
        for name, (aw, ah) in ASPECT_SIZES.items():
            if (w, h) == (aw, ah):
                return name
        return DEFAULT_ASPECT

    @property
    def size(self) -> tuple[int, int]:
        """Output (width, height), even numbers."""
        w, h = _int(self.meta.get("w")), _int(self.meta.get("h"))
        if w > 0 and h > 0:
            return w - w % 2, h - h % 2
        return ASPECT_SIZES[self.aspect]

    @property
    def stated_size(self) -> tuple[int, int] | None:
        """The frame size only when the draft states it (``m.w``/``m.h``, or a preset ``m.aspect``);
        None otherwise — a cloud draft may keep it under keys of its own, and a guess is not a fact."""
        w, h = _int(self.meta.get("w")), _int(self.meta.get("h"))
        if w > 0 and h > 0:
            return w - w % 2, h - h % 2
        aspect = self.meta.get("aspect")
        return ASPECT_SIZES.get(aspect) if isinstance(aspect, str) else None

    def format_text(self) -> str:
        """``16:9 · 1920×1080`` as stated by the draft, or ``size unknown``."""
        size = self.stated_size
        if size is None:
            return "size unknown"
        w, h = size
        named = next((a for a, s in ASPECT_SIZES.items() if s == size), None)
        aspect = self.meta.get("aspect") if self.meta.get("aspect") in ASPECT_SIZES else named
        if aspect is None:
            g = math.gcd(w, h) or 1
            aspect = f"{w // g}:{h // g}"
        return f"{aspect} · {w}×{h}"

    @property
    def fps(self) -> int:
        fps = _int(self.meta.get("fps"), DEFAULT_FPS)
        return fps if 1 <= fps <= 120 else DEFAULT_FPS

    def set_aspect(self, aspect: str) -> None:
        w, h = ASPECT_SIZES[aspect]
        self.meta.update({"aspect": aspect, "w": w, "h": h})

    # --- tracks ----------------------------------------------------------------------------------
    def tracks_of(self, kind: int) -> list[Track]:
        return [t for t in self.tracks if t.type == kind]

    @property
    def video(self) -> Track | None:
        found = self.tracks_of(TrackType.VIDEO)
        return found[0] if found else None

    @property
    def duration_ms(self) -> int:
        """The video's length: the main video track's end, else the longest track."""
        video = self.video
        if video is not None and video.segments:
            return video.end_ms
        return max((t.end_ms for t in self.tracks), default=0)

    @property
    def is_empty(self) -> bool:
        return not any(t.segments for t in self.tracks)

    # --- words -----------------------------------------------------------------------------------
    def summary(self, lang: str = "en") -> str:
        """The seeds' one-line timeline summary (``lang="zh"``: in Chinese)."""
        return timeline_summary(self, lang)

    def describe_changes(self, before: Draft | None) -> list[str]:
        """Human lines for what changed since ``before`` (used to explain silent edits)."""
        return describe_changes(before, self)


# --- summaries ----------------------------------------------------------------------------------

def fmt_seconds(ms: int) -> str:
    """3000 → '3', 7500 → '7.5'."""
    value = round(ms / 1000.0, 1)
    return str(int(value)) if value == int(value) else f"{value:g}"


def _span(start: int, end: int, zh: bool = False) -> str:
    return f"{fmt_seconds(start)}-{fmt_seconds(end)}" + ("秒" if zh else "s")


#: The summary's words in Chinese (the agent answers Chinese requests in Chinese).
_ZH = {"Video": "视频", "BGM": "背景音乐", "Voice": "配音", "SFX": "音效", "Audio": "音频", "Title": "标题",
       "Caption": "字幕", "Text": "文字", "empty": "空", "clip": "片段", "Lo-fi": "Lo-fi", "Upbeat": "欢快",
       "Cinematic": "电影感", "Calm": "舒缓"}


def _mood_label(seg: Segment, zh: bool = False) -> str:
    name = seg.meta.get("name")
    if name:
        return str(name)
    mood = seg.meta.get("mood")
    if mood:
        label = {"lofi": "Lo-fi", "lo-fi": "Lo-fi"}.get(str(mood).lower(), str(mood).capitalize())
        return _ZH.get(label, label) if zh else label
    return seg.name or ("音频" if zh else "Audio")


def track_label(track: Track, lang: str = "en") -> str:
    """One track's part of the summary, without its number (``lang="zh"``: in Chinese)."""
    zh = lang == "zh"

    def word(en: str) -> str:
        return _ZH.get(en, en) if zh else en

    def paren(inner: str) -> str:
        return f"（{inner}）" if zh else f" ({inner})"

    colon = "：" if zh else ": "
    spans = list(track.spans())
    if track.type == TrackType.VIDEO:
        if not spans:
            return f"{word('Video')}{colon}{word('empty')}"
        start, end = spans[0][0], spans[-1][1]
        label = track.meta.get("name")
        if not label:
            kinds = {seg.kind for _, _, seg in spans}
            if kinds <= {"photo"}:
                label = f"{len(spans)} 张照片" if zh else f"{len(spans)} photo" + ("s" if len(spans) != 1 else "")
            elif len(spans) == 1:
                label = spans[0][2].name or word("clip")
            else:
                label = f"{len(spans)} 个片段" if zh else f"{len(spans)} clips"
        return f"{word('Video')}{colon}{label}{paren(_span(start, end, zh))}"
    if track.type == TrackType.AUDIO:
        head = word({"bgm": "BGM", "voice": "Voice", "sfx": "SFX"}.get(track.role, "Audio"))
        if not spans:
            return f"{head}{colon}{word('empty')}"
        parts = []
        for start, end, seg in spans:
            vol = seg.volume
            vol_txt = (("，" if zh else ", ") + f"{round(vol * 100)}%") if vol is not None else ""
            parts.append(f"{_mood_label(seg, zh)}{paren(_span(start, end, zh) + vol_txt)}")
        return f"{head}{colon}" + ("，" if zh else ", ").join(parts)
    if track.type == TrackType.TEXT:
        roles = {str(seg.meta.get("role") or track.role) for _, _, seg in spans}
        head = word("Title" if roles == {"title"} else "Caption" if roles == {"caption"} else "Text")
        if not spans:
            return f"{head}{colon}{word('empty')}"
        quote = ("“", "”") if zh else ('"', '"')
        parts = [f"{quote[0]}{seg.text or ''}{quote[1]}{paren(_span(start, end, zh))}" for start, end, seg in spans]
        return f"{head}{colon}" + ("，" if zh else ", ").join(parts)
    if zh:
        return f"轨道（类型 {track.type}）：{len(spans)} 个片段"
    return f"Track (type {track.type}): {len(spans)} segments"


def timeline_summary(draft: Draft, lang: str = "en") -> str:
    """The seeds' one-line summary, ``Timeline (3 tracks): 1. Video: … 2. BGM: … 3. Title: …``;
    ``lang="zh"`` gives the same line in Chinese (时间线（3 条轨道）：1. 视频：…)."""
    tracks = [t for t in draft.tracks]
    if lang == "zh":
        if not tracks:
            return "时间线（0 条轨道）：空"
        body = " ".join(f"{i}. {track_label(t, 'zh')}" for i, t in enumerate(tracks, 1))
        return f"时间线（{len(tracks)} 条轨道）：{body}"
    if not tracks:
        return "Timeline (0 tracks): empty"
    noun = "track" if len(tracks) == 1 else "tracks"
    body = " ".join(f"{i}. {track_label(t)}" for i, t in enumerate(tracks, 1))
    return f"Timeline ({len(tracks)} {noun}): {body}"


def describe_changes(before: Draft | None, after: Draft) -> list[str]:
    """What a user would want to hear about an edit, one line per change."""
    if before is None:
        before = Draft()
    if before == after:
        return []
    lines: list[str] = []
    if before.duration_ms != after.duration_ms:
        lines.append(f"Length: {fmt_seconds(before.duration_ms)}s → {fmt_seconds(after.duration_ms)}s")
    if before.stated_size != after.stated_size:
        def short(d: Draft) -> str:
            return d.format_text().split(" · ")[0]

        size = after.stated_size
        lines.append(f"Format: {short(before)} → {short(after)}" + (f" ({size[0]}x{size[1]})" if size else ""))
    old_video, new_video = before.video, after.video
    if old_video is not None and new_video is not None:
        old_order = [s.name for s in old_video.segments]
        new_order = [s.name for s in new_video.segments]
        if old_order != new_order and sorted(old_order) == sorted(new_order):
            lines.append("Order: " + ", ".join(f"{i}. {n}" for i, n in enumerate(new_order, 1)))
        elif old_order == new_order:
            changed: list[tuple[int, str, list[str]]] = []
            for i, (a, b) in enumerate(zip(old_video.segments, new_video.segments, strict=True), 1):
                what = [k for k in sorted(set(a.meta) | set(b.meta)) if a.meta.get(k) != b.meta.get(k)]
                if a.duration_ms != b.duration_ms and before.duration_ms == after.duration_ms:
                    what.insert(0, "duration")
                if what:
                    changed.append((i, b.name, what))
            if len(changed) > 3:
                kinds = sorted({w for _, _, ws in changed for w in ws})
                lines.append(f"{len(changed)} photos: changed {', '.join(kinds)}")
            else:
                lines.extend(f"Photo {i} ({name}): changed {', '.join(ws)}" for i, name, ws in changed)
    old = {(t.type, i): track_label(t) for i, t in enumerate(before.tracks)}
    new = {(t.type, i): track_label(t) for i, t in enumerate(after.tracks)}
    old_labels, new_labels = list(old.values()), list(new.values())
    for label in new_labels:
        if label not in old_labels:
            lines.append(f"Now: {label}")
    for label in old_labels:
        if label not in new_labels and not any(label.split(":")[0] == n.split(":")[0] for n in new_labels):
            lines.append(f"Removed: {label}")
    if not lines:
        keys = changed_keys(before.to_json(), after.to_json())
        lines.append(f"Changed in the draft: {', '.join(keys)}" if keys else "Timeline updated")
    return lines


def changed_keys(before: Any, after: Any, path: str = "", limit: int = 8) -> list[str]:
    """Dotted paths of what differs between two JSON values (``m.canvas.ratio``, ``t[0].sg[1].x``):
    how an edit to keys this client does not model is described."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[str] = []
        for key in [*before, *(k for k in after if k not in before)]:
            if before.get(key) != after.get(key):
                out += changed_keys(before.get(key), after.get(key), f"{path}.{key}" if path else str(key), limit)
        return out[:limit]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            if a != b:
                out += changed_keys(a, b, f"{path}[{i}]", limit)
        return out[:limit]
    return [path or "(the whole draft)"]
