"""What the engine accepts as JSON and as a draft: checked at the door, before anything is stored or queued.

Why here: drafts come from clients (a render body, a ``state_delta``) and are later read by the
renderer, which sizes its work by the draft's numbers and resolves media by id *or by file path*.
So a draft is refused (HTTP 400 naming what is wrong) unless:

- it is plain JSON: finite numbers only, nested at most :data:`MAX_DRAFT_DEPTH` levels, at most
  :data:`MAX_DRAFT_BYTES` serialised;
- the timeline model round-trips it unchanged (``Draft.from_json(d).to_json() == d``), so what is
  stored is what every later reader sees;
- its work is bounded: :data:`MAX_TRACKS` tracks, :data:`MAX_SEGMENTS` segments, at most
  :data:`MAX_DURATION_MS` long, a canvas within :data:`MAX_SIDE` / :data:`MAX_PIXELS`, at most
  :data:`MAX_FPS` frames per second, texts of at most :data:`MAX_TEXT_CHARS` characters;
- every media reference on a video or audio track is the id of a file uploaded to that session
  (never a path, never another session's id).

docs/security.md lists these limits and why.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

from ..draft import Draft, TrackType
from . import errors

#: Any JSON body: nesting depth (a draft inside a run_sse body sits two levels down).
MAX_BODY_DEPTH = 40
MAX_DRAFT_DEPTH = 32
MAX_DRAFT_BYTES = 1024 * 1024
MAX_TRACKS = 32
MAX_SEGMENTS = 1000
#: The agent makes videos of at most 10 minutes; a client's draft gets the same bound.
MAX_DURATION_MS = 10 * 60 * 1000
#: The largest canvas: 4K UHD (the presets are 1080p; 4K either way round is allowed).
MAX_SIDE = 3840
MIN_SIDE = 16
MAX_PIXELS = 3840 * 2160
MAX_FPS = 60
#: On-screen text (the agent writes at most 100); text layout grows faster than linearly with length.
MAX_TEXT_CHARS = 200
#: Metadata keys that name a media file (what the renderer resolves; see Segment.source).
MEDIA_KEYS = ("src", "media_id", "url")


def _invalid(message: str, **data: Any) -> errors.EngineError:
    return errors.EngineError(400, message, status=400, data=data)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def loads(text: str | bytes, *, max_depth: int = MAX_BODY_DEPTH, what: str = "The request body") -> Any:
    """Parse JSON as the engine accepts it: 400 for invalid JSON, NaN/Infinity, or too deep nesting."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise _invalid(f"The JSON is nested too deeply (more than {max_depth} levels).") from None
    except ValueError as exc:
        if "not a JSON number" in str(exc):
            raise _invalid("The JSON holds NaN or Infinity: numbers must be finite.") from None
        raise _invalid(f"{what} is not valid JSON.", reason="invalid_json") from None
    problem = json_problem(value, max_depth)
    if problem:
        raise _invalid(problem)
    return value


def json_problem(value: Any, max_depth: int, where: str = "") -> str | None:
    """Why ``value`` is not plain bounded JSON (too deep, a non-finite number), or None. Iterative."""
    stack: list[tuple[Any, str, int]] = [(value, where, 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > max_depth:
                return f"The JSON is nested too deeply at {path or 'the top'} (more than {max_depth} levels)."
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(child, (dict, list, float)):
                    stack.append((child, f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]", depth + 1))
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{path.lstrip('.') or 'The value'} is {item}: numbers must be finite."
    return None


def check_draft(draft: Any, media_ids: set[str] | frozenset[str]) -> dict[str, Any]:
    """``draft`` if the engine may store and render it for a session owning ``media_ids``; else 400."""
    if not isinstance(draft, dict):
        raise _invalid('"draft" must be the draft JSON object (from the state endpoint).')
    problem = json_problem(draft, MAX_DRAFT_DEPTH, "draft")
    if problem:
        raise _invalid(problem)
    size = len(json.dumps(draft, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_DRAFT_BYTES:
        raise _invalid(f"The draft is {size // 1024} KB; the limit is {MAX_DRAFT_BYTES // 1024} KB.")
    model = Draft.from_json(draft)
    where = first_difference(draft, model.to_json(), "draft")
    if where is not None:
        raise _invalid(f"The draft cannot be read as a timeline at {where}: check its type (docs/draft.md).",
                       path=where)
    problem = bounds_problem(model) or media_problem(model, media_ids)
    if problem:
        raise problem
    return draft


def first_difference(a: Any, b: Any, path: str) -> str | None:
    """The path of the first place two JSON values differ, or None (depth is bounded by the caller)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else path
    same = (a == b and type(a) is type(b)) or (_number(a) and _number(b) and a == b)
    return None if same else path


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def bounds_problem(model: Draft) -> errors.EngineError | None:
    """Why rendering ``model`` would be unreasonably large (length, segments, canvas, text), or None."""
    if len(model.tracks) > MAX_TRACKS:
        return _invalid(f"The draft has {len(model.tracks)} tracks; the limit is {MAX_TRACKS}.")
    count = sum(len(t.segments) for t in model.tracks)
    if count > MAX_SEGMENTS:
        return _invalid(f"The draft has {count} segments; the limit is {MAX_SEGMENTS}.")
    limit_s = MAX_DURATION_MS // 1000
    for ti, track in enumerate(model.tracks):
        for si, (_start, end, seg) in enumerate(track.spans()):
            if end > MAX_DURATION_MS:
                return _invalid(f"Segment t[{ti}].sg[{si}] ends at {end} ms; a video can be at most {limit_s} s "
                                "long.", path=f"draft.t[{ti}].sg[{si}]")
            text = seg.meta.get("text")
            if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
                return _invalid(f"The text of t[{ti}].sg[{si}] has {len(text)} characters; the limit is "
                                f"{MAX_TEXT_CHARS}.", path=f"draft.t[{ti}].sg[{si}].m.text")
    return canvas_problem(model.meta)


def canvas_problem(meta: dict[str, Any]) -> errors.EngineError | None:
    """Why the canvas (``m.w``, ``m.h``, ``m.fps``) is outside what the renderer accepts, or None."""
    sides = {}
    for key in ("w", "h"):
        value = meta.get(key)
        if value is None:
            continue
        if not _number(value) or not MIN_SIDE <= value <= MAX_SIDE:
            return _invalid(f"draft.m.{key} must be a number of pixels from {MIN_SIDE} to {MAX_SIDE} "
                            f"(the presets are 1920x1080, 1080x1920, 1080x1080, 1080x1350).", path=f"draft.m.{key}")
        sides[key] = value
    if len(sides) == 2 and sides["w"] * sides["h"] > MAX_PIXELS:
        return _invalid(f"The canvas {sides['w']}x{sides['h']} is larger than 4K ({MAX_PIXELS} pixels).",
                        path="draft.m")
    fps = meta.get("fps")
    if fps is not None and (not _number(fps) or not 1 <= fps <= MAX_FPS):
        return _invalid(f"draft.m.fps must be from 1 to {MAX_FPS}.", path="draft.m.fps")
    return None


def media_problem(model: Draft, media_ids: set[str] | frozenset[str]) -> errors.EngineError | None:
    """The first media reference on a video/audio track that is not a media id of the session, or None.

    The renderer would open a path it is given; only ids of files uploaded to this session may reach it.
    """
    for ti, track in enumerate(model.tracks):
        if track.type not in (TrackType.VIDEO, TrackType.AUDIO):
            continue
        for si, seg in enumerate(track.segments):
            for key in MEDIA_KEYS:
                ref = seg.meta.get(key)
                if ref in (None, "") or (isinstance(ref, str) and ref in media_ids):
                    continue
                shown = str(ref)
                shown = shown if len(shown) <= 120 else shown[:117] + "..."
                return _invalid(f"Unknown media id {shown!r} at t[{ti}].sg[{si}].m.{key}: a draft can only use the "
                                "ids of files uploaded to this session (video_infos[].id), never a path. Upload the "
                                "file, then use its id.", media_id=shown, path=f"draft.t[{ti}].sg[{si}].m.{key}")
    return logo_problem(model, media_ids)


def unknown_media_message(draft: dict[str, Any], media_ids: Iterable[str]) -> str | None:
    """What a render process checks again before it opens anything: the engine's words, or None."""
    problem = media_problem(Draft.from_json(draft), frozenset(media_ids))
    return None if problem is None else problem.message


def logo_problem(model: Draft, media_ids: set[str] | frozenset[str]) -> errors.EngineError | None:
    """The brand logo (``m.logo``, docs/draft.md) is a media id of the session too, never a path."""
    logo = model.meta.get("logo")
    if not isinstance(logo, dict):
        return None
    for key in ("src", "path"):
        ref = logo.get(key)
        if ref in (None, "") or (key == "src" and isinstance(ref, str) and ref in media_ids):
            continue
        shown = str(ref)[:120]
        return _invalid(f"Unknown logo {shown!r} at m.logo.{key}: the logo must be the id of an image uploaded to "
                        "this session, never a path. Upload the logo, then use its id.", media_id=shown,
                        path=f"draft.m.logo.{key}")
    return None
