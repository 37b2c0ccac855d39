"""Draft operations: each takes a draft and arguments and returns a new draft plus facts for the reply.

All edits keep the layout of docs/draft.md, keep lengths exact (a 30 s request gives segments that
sum to exactly 30000 ms), and keep music and text fitted to the video: after any change of length,
``refit`` stretches music over the whole video and moves each text to where it was anchored
(start, end, a photo, a time range, the whole video). The anchor is stored in the text segment's
``m.anchor`` (an extra key readers keep), so "the title at the end" stays at the end.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nemo_nb.draft import (
    ASPECT_SIZES,
    DEFAULT_ASPECT,
    DEFAULT_FPS,
    DEFAULT_MUSIC_VOLUME,
    DEFAULT_PHOTO_MS,
    Draft,
    Segment,
    Track,
    TrackType,
)

from .model import MediaItem
from .refs import resolve
from .vocab import MOODS

SINGLE_PHOTO_MS = 5000
TEXT_MS = 3000
#: On-screen words: longer texts are cut (with a note); past WRAP_TEXT_CHARS they wrap onto more lines
#: and the renderer sets them smaller (docs/agent.md, "Limits"). A CJK character counts as two.
MAX_TEXT_CHARS = 100
WRAP_TEXT_CHARS = 40
DEFAULT_TRANSITION = "crossfade"
DEFAULT_TRANSITION_MS = 600
DEFAULT_FADE_MS = 1000
MIN_PHOTO_MS = 200
MAX_PHOTO_MS = 60 * 1000
#: Lengths a request may ask for (docs/agent.md, "Limits"): outside them the request is refused.
MIN_TOTAL_MS = 1000
MAX_TOTAL_MS = 10 * 60 * 1000
MUSIC_FADE_IN_MS = 1000
MUSIC_FADE_OUT_MS = 2000


class OpError(Exception):
    """An edit that cannot be made; ``key`` names the reply text, ``params`` fills it in."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Env:
    """What operations may read besides the draft: the uploads; and where they leave notes."""

    media: list[MediaItem]
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: The renderer's "does the font draw this character" (passed in the context; the agent never imports
    #: the renderer). None: symbols and emoji (``So``, outside the BMP) count as not drawable.
    has_glyph: Callable[[str], bool] | None = None

    def note(self, key: str, **params: Any) -> None:
        self.notes.append((key, params))

    @property
    def visuals(self) -> list[MediaItem]:
        """The uploads a video is made of (a logo is an upload too, but never a slide)."""
        return [m for m in self.media if m.kind in ("photo", "video") and not is_logo(m)]


def is_logo(item: MediaItem) -> bool:
    """An upload named like a logo (``logo.png``, ``brand_logo.png``: what ``studio.brand`` uploads)."""
    return item.kind == "photo" and "logo" in item.name.lower()


# --- helpers ------------------------------------------------------------------------------------------
def distribute(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` ms in proportion to ``weights`` so the parts sum to exactly ``total``."""
    if not weights:
        return []
    wsum = sum(max(w, 0.0) for w in weights) or float(len(weights))
    shares = [total * (max(w, 0.0) if sum(weights) > 0 else 1.0) / wsum for w in weights]
    parts = [int(s) for s in shares]
    rest = total - sum(parts)
    order = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def video_track(draft: Draft) -> Track | None:
    return draft.video


def main_segments(draft: Draft) -> list[Segment]:
    track = draft.video
    return track.segments if track is not None else []


def seg_names(draft: Draft) -> list[str]:
    return [s.name for s in main_segments(draft)]


def ensure_canvas(draft: Draft) -> None:
    meta = draft.meta
    if meta.get("aspect") not in ASPECT_SIZES:
        draft.set_aspect(draft.aspect if meta.get("w") else DEFAULT_ASPECT)
    meta.setdefault("fps", DEFAULT_FPS)
    meta.setdefault("fade_in", 0)
    meta.setdefault("fade_out", 0)


def _track(draft: Draft, kind: int, role: str, *, create: bool = False) -> Track | None:
    for track in draft.tracks_of(kind):
        if track.role == role:
            return track
    if not create:
        return None
    track = Track(type=kind, segments=[], meta={"role": role})
    order = {TrackType.VIDEO: 0, TrackType.AUDIO: 1, TrackType.TEXT: 2}
    index = len(draft.tracks)
    for i, existing in enumerate(draft.tracks):
        if order.get(existing.type, 3) > order.get(kind, 3):
            index = i
            break
    draft.tracks.insert(index, track)
    return track


def text_tracks(draft: Draft) -> list[Track]:
    return draft.tracks_of(TrackType.TEXT)


def music_segments(draft: Draft) -> list[Segment]:
    out = []
    for track in draft.tracks_of(TrackType.AUDIO):
        if track.role == "bgm":
            out.extend(track.segments)
    return out


def transition_of(seg: Segment) -> dict | None:
    tr = seg.meta.get("transition")
    return tr if isinstance(tr, dict) and tr.get("type") not in (None, "none") else None


def current_transition(draft: Draft) -> dict | None:
    for seg in main_segments(draft)[1:]:
        tr = transition_of(seg)
        if tr:
            return tr
    return None


def _photo_label(draft: Draft, index: int) -> dict:
    segs = main_segments(draft)
    return {"n": index + 1, "name": segs[index].name if 0 <= index < len(segs) else ""}


def resolve_ref(draft: Draft, ref: dict, env: Env) -> int:
    names = seg_names(draft)
    found = resolve(ref, names)
    if found.index is None:
        if "name" in ref:
            raise OpError("no_photo_named", word=ref["name"], count=len(names))
        raise OpError("no_such_photo", n=ref.get("index"), count=len(names))
    if found.candidates > 1:
        env.note("ambiguous_photo", word=found.label, count=found.candidates, **_photo_label(draft, found.index))
    return found.index


# --- keeping things fitted ----------------------------------------------------------------------------
def refit(draft: Draft) -> None:
    """After any change of length or order: music spans the video, texts follow their anchors,
    transitions fit between their neighbours."""
    total = draft.duration_ms
    segs = main_segments(draft)
    for i, seg in enumerate(segs):
        tr = seg.meta.get("transition")
        if isinstance(tr, dict) and i > 0:
            limit = max(0, min(seg.duration_ms, segs[i - 1].duration_ms) // 2)
            if int(tr.get("d", 0)) > limit:
                tr["d"] = limit
    for seg in music_segments(draft):
        seg.start_ms = 0
        seg.duration_ms = total
        fin = int(seg.meta.get("fade_in", MUSIC_FADE_IN_MS) or 0)
        fout = int(seg.meta.get("fade_out", MUSIC_FADE_OUT_MS) or 0)
        seg.meta["fade_in"] = min(fin, total // 4)
        seg.meta["fade_out"] = min(fout, total // 3)
    spans = _photo_spans(draft)
    for track in text_tracks(draft):
        keep = []
        for seg in track.segments:
            if _place_text(seg, total, spans):
                keep.append(seg)
        track.segments = keep
    draft.tracks = [t for t in draft.tracks if t.segments or t.type == TrackType.VIDEO]
    fade_in = int(draft.meta.get("fade_in", 0) or 0)
    fade_out = int(draft.meta.get("fade_out", 0) or 0)
    if fade_in + fade_out > total and total > 0:
        draft.meta["fade_in"] = min(fade_in, total // 2)
        draft.meta["fade_out"] = min(fade_out, total // 2)


def _photo_spans(draft: Draft) -> dict[str, tuple[int, int]]:
    spans: dict[str, tuple[int, int]] = {}
    track = draft.video
    if track is None:
        return spans
    for start, end, seg in track.spans():
        if seg.source and seg.source not in spans:
            spans[seg.source] = (start, end)
    return spans


def _place_text(seg: Segment, total: int, spans: dict[str, tuple[int, int]]) -> bool:
    """Put a text segment where its anchor says; False when its photo is gone."""
    anchor = str(seg.meta.get("anchor") or "time")
    want = int(seg.meta.get("anchor_ms") or TEXT_MS)
    if total <= 0:
        return False
    if anchor == "start":
        start, dur = 0, min(want, total)
    elif anchor == "end":
        dur = min(want, total)
        start = total - dur
    elif anchor == "full":
        start, dur = 0, total
    elif anchor == "photo":
        span = spans.get(str(seg.meta.get("anchor_src")))
        if span is None:
            return False
        start, dur = span[0], span[1] - span[0]
    else:
        start = seg.start_ms or 0
        dur = seg.duration_ms or want
        if start >= total:
            start = max(0, total - dur)
        dur = min(dur, total - start)
    seg.start_ms, seg.duration_ms = int(start), int(max(1, dur))
    return True


# --- building -----------------------------------------------------------------------------------------
def _photo_segment(item: MediaItem, ms: int) -> Segment:
    meta: dict[str, Any] = {"type": "video" if item.kind == "video" else "photo", "src": item.id, "name": item.name}
    if item.kind == "video":
        meta["in"] = 0
        meta["fit"] = "cover"
    else:
        meta.update({"motion": "auto", "fit": "cover"})
    return Segment(duration_ms=ms, meta=meta)


def _clip_ms(item: MediaItem) -> int:
    if item.kind == "video" and item.duration_ms:
        return max(MIN_PHOTO_MS, min(int(item.duration_ms), 15000))
    return DEFAULT_PHOTO_MS


def _build_visuals(args: dict, env: Env) -> tuple[list[MediaItem], int | None]:
    """The uploads a build uses: those picked ("photos 1, 3 and 5"; -1 is the last), the first N, or all."""
    visuals = env.visuals
    if not visuals:
        raise OpError("no_media")
    count = args.get("count")
    if args.get("pick") and not args.get("include_all"):
        wanted = [n if n > 0 else len(visuals) + 1 + n for n in args["pick"]]
        for n in wanted:
            if not 1 <= n <= len(visuals):
                raise OpError("no_such_photo", n=n, count=len(visuals))
        return [visuals[n - 1] for n in wanted], len(wanted)
    if count and not args.get("include_all"):
        if count < len(visuals):
            env.note("used_first_n", n=count, total=len(visuals))
            visuals = visuals[:count]
        elif count > len(visuals):
            env.note("fewer_photos", n=count, total=len(visuals))
    return visuals, count


def op_build(draft: Draft, args: dict, env: Env) -> dict:
    visuals, count = _build_visuals(args, env)
    if args.get("ms") is not None and not MIN_TOTAL_MS <= int(args["ms"]) <= MAX_TOTAL_MS:
        env.note("bad_length", ms=int(args["ms"]), min_ms=MIN_TOTAL_MS, max_ms=MAX_TOTAL_MS)
        args = {k: v for k, v in args.items() if k != "ms"}
    if args.get("fresh"):
        draft.tracks = []
        draft.meta.clear()
    ensure_canvas(draft)
    track = _track(draft, TrackType.VIDEO, "main", create=True) or draft.video
    assert track is not None
    existing = {s.source: s for s in track.segments if s.source}
    wanted_ids = [m.id for m in visuals]
    if track.segments and all(i in existing for i in wanted_ids) and (args.get("include_all") or not count
                                                                     or len(track.segments) == len(wanted_ids)):
        if args.get("ms"):
            facts = op_set_duration(draft, {"ms": int(args["ms"])}, env)
            if facts["total_ms"] != facts["before_ms"]:
                return {"photos": len(track.segments), "added": 0, "single": len(track.segments) == 1,
                        "total_ms": draft.duration_ms, "rebuilt": False, "relength": True,
                        "per_ms": facts["per_ms"]}
        return {"unchanged": True, "photos": len(track.segments), "total_ms": draft.duration_ms}
    single = len(visuals) == 1 and all(m.kind == "photo" for m in visuals)
    transition = current_transition(draft)
    segments: list[Segment] = []
    kept = [s for s in track.segments if s.source in wanted_ids] if not count or args.get("include_all") else []
    kept_ids = {s.source for s in kept}
    segments.extend(kept)
    # A photo added to a slideshow takes the slideshow's pace (the median photo), not the default:
    # adding one to six 1-s photos and asking for 4 s must not give the newcomer a third of the video.
    kept_photos = sorted(s.duration_ms for s in kept if s.kind == "photo")
    pace = kept_photos[len(kept_photos) // 2] if kept_photos else None
    for item in visuals:
        if item.id not in kept_ids:
            ms = SINGLE_PHOTO_MS if single else (pace if pace and item.kind == "photo" else _clip_ms(item))
            segments.append(_photo_segment(item, ms))
    for i, seg in enumerate(segments):
        if i > 0 and transition and "transition" not in seg.meta:
            seg.meta["transition"] = dict(transition)
        if i == 0:
            seg.meta.pop("transition", None)
    added = len(segments) - len(kept)
    track.segments = segments
    refit(draft)
    if args.get("ms"):
        op_set_duration(draft, {"ms": int(args["ms"])}, env)
    return {"photos": len(segments), "added": added, "single": single, "total_ms": draft.duration_ms,
            "rebuilt": bool(kept), "per_ms": round(draft.duration_ms / max(1, len(segments)))}


# --- lengths ------------------------------------------------------------------------------------------
def _need_video(draft: Draft) -> list[Segment]:
    segs = main_segments(draft)
    if not segs:
        raise OpError("empty")
    return segs


def op_set_duration(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    before = draft.duration_ms
    if "ms" in args:
        total = int(args["ms"])
        if not MIN_TOTAL_MS <= total <= MAX_TOTAL_MS:
            raise OpError("bad_length", ms=total, min_ms=MIN_TOTAL_MS, max_ms=MAX_TOTAL_MS)
    elif "delta_ms" in args:
        total = before + int(args["delta_ms"])
        if total < MIN_TOTAL_MS:
            raise OpError("too_much_shorter", ms=-int(args["delta_ms"]), before_ms=before)
    else:
        total = round(before * float(args.get("factor", 1.0)) / 1000.0) * 1000
        if args.get("vague"):
            env.note("vague_length", factor=float(args.get("factor", 1.0)), ms=max(total, 1000))
    if total > MAX_TOTAL_MS:
        env.note("too_long", ms=MAX_TOTAL_MS)
        total = MAX_TOTAL_MS
    floor = max(1000, MIN_PHOTO_MS * len(segs))
    if total < floor:
        env.note("too_short", ms=floor, photos=len(segs))
        total = floor
    weights = [float(s.duration_ms) for s in segs]
    parts = distribute(total, weights)
    # Video clips cannot run longer than their source: give the excess to photos.
    for _ in range(3):
        excess, free = 0, []
        for i, seg in enumerate(segs):
            limit = _source_ms(seg, env)
            if limit is not None and parts[i] > limit:
                excess += parts[i] - limit
                parts[i] = limit
            elif limit is None:
                free.append(i)
        if not excess or not free:
            break
        extra = distribute(excess, [float(parts[i]) for i in free])
        for i, add in zip(free, extra, strict=False):
            parts[i] += add
    for seg, ms in zip(segs, parts, strict=False):
        seg.duration_ms = ms
    refit(draft)
    per = draft.duration_ms / len(segs)
    if per < 700:
        env.note("fast_photos", per_ms=int(per))
    return {"before_ms": before, "total_ms": draft.duration_ms, "per_ms": round(per), "photos": len(segs)}


def _source_ms(seg: Segment, env: Env) -> int | None:
    if seg.kind != "video":
        return None
    for item in env.media:
        if item.id == seg.source and item.duration_ms:
            return int(item.duration_ms) - int(seg.meta.get("in", 0) or 0)
    return None


def _photo_ms(ms: int, env: Env) -> int:
    """A photo's length kept within 0.2 s – 60 s, with a note when it had to be moved."""
    kept = max(MIN_PHOTO_MS, min(ms, MAX_PHOTO_MS))
    if kept != ms:
        env.note("photo_length_clamped", ms=kept, min_ms=MIN_PHOTO_MS, max_ms=MAX_PHOTO_MS)
    return kept


def op_set_photo_duration(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    before = draft.duration_ms
    for key in ("ms", "rest_ms"):
        if key in args and not 0 < int(args[key]) <= MAX_TOTAL_MS:
            raise OpError("bad_photo_length", ms=int(args[key]), max_ms=MAX_PHOTO_MS)
    if args.get("all"):  # "each photo 2 s", "each photo a second longer"
        for seg in segs:
            seg.duration_ms = _photo_ms(int(args["ms"]) if "ms" in args else max(1, seg.duration_ms + int(args["delta_ms"])),
                                        env)
        refit(draft)
        return {"all": True, "ms": segs[0].duration_ms, "total_ms": draft.duration_ms, "before_ms": before}
    index = resolve_ref(draft, args["ref"], env)
    seg = segs[index]
    old = seg.duration_ms
    if args.get("rest_ms"):
        for other in segs:
            if other is not seg:
                other.duration_ms = _photo_ms(int(args["rest_ms"]), env)
    if "ms" in args:
        seg.duration_ms = _photo_ms(int(args["ms"]), env)
    elif args.get("delta_ms"):  # "make photo 4 2 seconds shorter"
        seg.duration_ms = _photo_ms(max(1, old + int(args["delta_ms"])), env)
    else:
        new = round(old * float(args.get("factor", 1.0)) / 100.0) * 100
        seg.duration_ms = max(MIN_PHOTO_MS, min(new, MAX_PHOTO_MS))
    refit(draft)
    return {"index": index, **_photo_label(draft, index), "before": old, "ms": seg.duration_ms,
            "total_ms": draft.duration_ms, "before_ms": before}


def op_set_pacing(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    before = draft.duration_ms
    factor = float(args.get("factor", 1.0))
    for seg in segs:
        if seg.kind != "video":
            seg.duration_ms = max(500, min(round(seg.duration_ms * factor / 100.0) * 100, 20000))
    refit(draft)
    per = draft.duration_ms / len(segs)
    return {"faster": factor < 1, "per_ms": round(per), "total_ms": draft.duration_ms, "before_ms": before}


# --- order ---------------------------------------------------------------------------------------------
def _reassign_transitions(segs: list[Segment], transitions: list[Any]) -> None:
    """Transitions belong to positions on the timeline; photos carry their own length."""
    for seg, tr in zip(segs, transitions, strict=False):
        if tr is None:
            seg.meta.pop("transition", None)
        else:
            seg.meta["transition"] = tr


def _move_one(draft: Draft, segs: list, args: dict, env: Env, facts: dict[str, Any]) -> list:
    """"move photo 3 to the start / after photo 5 / to position 2": the order with that photo moved."""
    index = resolve_ref(draft, args["ref"], env)
    to = args.get("to")
    moving = segs[index]
    rest = segs[:index] + segs[index + 1:]
    if to in ("first", "last", "middle"):
        pos = {"first": 0, "last": len(rest), "middle": len(rest) // 2}[to]
    elif isinstance(to, dict) and "index" in to:
        value = int(to["index"])
        pos = max(0, min(len(rest), (value - 1) if value > 0 else len(rest) + value + 1))
    elif isinstance(to, dict) and ("before" in to or "after" in to):
        other = resolve_ref(draft, to.get("before") or to.get("after"), env)
        if other == index:
            raise OpError("same_photo", **_photo_label(draft, index))
        pos = rest.index(segs[other]) + (1 if "after" in to else 0)
    else:
        raise OpError("no_destination")
    facts.update(name=moving.name, n=index + 1, to=pos + 1, count=len(segs))
    return [*rest[:pos], moving, *rest[pos:]]


def op_reorder(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    track = draft.video
    assert track is not None
    transitions = [s.meta.get("transition") for s in segs]
    mode = args.get("mode")
    facts: dict[str, Any] = {"mode": mode}
    if len(segs) < 2:
        raise OpError("one_photo")
    if mode == "reverse":
        new = list(reversed(segs))
    elif mode == "shuffle":
        key = lambda s: hashlib.sha1(f"{s.source}:{len(segs)}".encode()).hexdigest()  # noqa: E731
        new = sorted(segs, key=key)
        if new == segs:
            new = segs[1:] + segs[:1]
    elif mode == "sort":
        new = sorted(segs, key=lambda s: s.name.lower())
    elif mode == "set":  # "order should be 2 1 3 4 5 6": those positions first, the rest after
        picked = [resolve_ref(draft, {"index": n}, env) for n in dict.fromkeys(args["order"])]
        rest = [s for i, s in enumerate(segs) if i not in picked]
        # "move photos 3 and 4 to the end": the rest first, those after (in the order said)
        new = rest + [segs[i] for i in picked] if args.get("at") == "last" else [segs[i] for i in picked] + rest
    elif mode == "swap":
        a, b = resolve_ref(draft, args["a"], env), resolve_ref(draft, args["b"], env)
        if a == b:
            raise OpError("same_photo", **_photo_label(draft, a))
        new = list(segs)
        new[a], new[b] = new[b], new[a]
        facts.update(a=a + 1, b=b + 1, a_name=segs[a].name, b_name=segs[b].name)
    else:
        new = _move_one(draft, segs, args, env, facts)
    track.segments = new
    _reassign_transitions(new, transitions)
    refit(draft)
    return facts


def op_remove_photos(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    track = draft.video
    assert track is not None
    transitions = [s.meta.get("transition") for s in segs]
    if "middle" in args or "keep_middle" in args:  # "the middle two" of 6 are photos 3 and 4
        n = int(args.get("middle") or args.get("keep_middle") or 0)
        middle = [(len(segs) - n) // 2 + k + 1 for k in range(n)]
        kept = middle if "keep_middle" in args else [i for i in range(1, len(segs) + 1) if i not in middle]
        args = {"refs": [{"index": i} for i in range(1, len(segs) + 1) if i not in kept]}
    if "drop_first" in args or "drop_last" in args:
        n = int(args.get("drop_first") or args.get("drop_last") or 0)
        if n >= len(segs):
            raise OpError("remove_all")
        args = {"keep_last": len(segs) - n} if "drop_first" in args else {"keep_first": len(segs) - n}
    if "keep_first" in args or "keep_last" in args:
        n = int(args.get("keep_first") or args.get("keep_last") or 0)
        if n <= 0:
            raise OpError("remove_all")
        if n >= len(segs):
            return {"unchanged": True, "photos": len(segs)}
        keep = segs[:n] if "keep_first" in args else segs[-n:]
        removed = [s for s in segs if s not in keep]
    else:
        indexes = sorted({resolve_ref(draft, ref, env) for ref in args.get("refs", [])})
        removed = [segs[i] for i in indexes]
        keep = [s for i, s in enumerate(segs) if i not in indexes]
    if not keep:
        raise OpError("remove_all")
    before = draft.duration_ms
    track.segments = keep
    _reassign_transitions(keep, transitions[: len(keep)])
    if keep:
        keep[0].meta.pop("transition", None)
    refit(draft)
    return {"removed": [s.name for s in removed], "count": len(removed), "photos": len(keep),
            "total_ms": draft.duration_ms, "before_ms": before}


# --- look ------------------------------------------------------------------------------------------------
def op_set_transition(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    if len(segs) < 2:
        raise OpError("one_photo_transition")
    current = current_transition(draft)
    kind = args.get("type") or (current or {}).get("type") or DEFAULT_TRANSITION
    if kind == "none":
        for seg in segs[1:]:
            seg.meta["transition"] = {"type": "none", "d": 0}
        segs[0].meta.pop("transition", None)
        return {"type": "none"}
    ms = args.get("ms")
    if ms is None:
        base = int((current or {}).get("d") or DEFAULT_TRANSITION_MS)
        if args.get("speed") == "faster":
            ms = max(150, int(base * 0.5)) if current else 300
        elif args.get("speed") == "slower":
            ms = min(2000, int(base * 1.7)) if current else 1000
        else:
            ms = base if current and not args.get("type") else (int(current["d"]) if current and current.get("d")
                                                                 else DEFAULT_TRANSITION_MS)
    ms = max(100, min(int(ms), 3000))
    shortest = min(s.duration_ms for s in segs)
    if ms > shortest // 2:
        env.note("transition_clamped", ms=shortest // 2)
        ms = shortest // 2
    for seg in segs[1:]:
        seg.meta["transition"] = {"type": kind, "d": ms}
    segs[0].meta.pop("transition", None)
    return {"type": kind, "ms": ms}


def op_set_motion(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    motion = str(args.get("motion") or "auto")
    if args.get("ref"):
        index = resolve_ref(draft, args["ref"], env)
        targets = [segs[index]]
        facts: dict[str, Any] = {"motion": motion, **_photo_label(draft, index)}
    else:
        targets = [s for s in segs if s.kind != "video"]
        facts = {"motion": motion, "all": True}
    for n, seg in enumerate(targets):  # "pan across the photos": each one sweeps, alternating directions
        seg.meta["motion"] = ("pan_right", "pan_left")[n % 2] if motion == "pan" else motion
    return facts


def op_set_fit(draft: Draft, args: dict, env: Env) -> dict:
    segs = _need_video(draft)
    for seg in segs:
        seg.meta["fit"] = args["fit"]
    return {"fit": args["fit"]}


def op_set_aspect(draft: Draft, args: dict, env: Env) -> dict:
    ensure_canvas(draft)
    aspect = args["aspect"]
    before = draft.aspect
    scale = draft.meta.get("scale")
    draft.set_aspect(aspect)
    if scale == "720":
        _apply_720(draft)
    w, h = draft.size
    return {"aspect": aspect, "before": before, "w": w, "h": h, "label_en": args.get("label_en", aspect),
            "label_zh": args.get("label_zh", aspect)}


def _apply_720(draft: Draft) -> None:
    w, h = ASPECT_SIZES[draft.aspect]
    draft.meta["w"], draft.meta["h"] = (w * 2 // 3) // 2 * 2, (h * 2 // 3) // 2 * 2


def op_set_resolution(draft: Draft, args: dict, env: Env) -> dict:
    ensure_canvas(draft)
    res = args.get("resolution")
    if res == "4k":
        env.note("max_1080")
        res = "1080"
    if res == "720":
        _apply_720(draft)
        draft.meta["scale"] = "720"
    else:
        w, h = ASPECT_SIZES[draft.aspect]
        draft.meta["w"], draft.meta["h"] = w, h
        draft.meta.pop("scale", None)
    w, h = draft.size
    return {"w": w, "h": h}


def op_set_fade(draft: Draft, args: dict, env: Env) -> dict:
    _need_video(draft)
    ensure_canvas(draft)
    for key in ("fade_in", "fade_out"):
        if args.get(key) is not None:
            draft.meta[key] = int(args[key])
    refit(draft)
    return {"fade_in": int(draft.meta.get("fade_in", 0)), "fade_out": int(draft.meta.get("fade_out", 0))}


def op_set_beat_sync(draft: Draft, args: dict, env: Env) -> dict:
    _need_video(draft)
    draft.meta["beat_sync"] = bool(args.get("on", True))
    if draft.meta["beat_sync"] and not music_segments(draft):
        env.note("beat_sync_no_music")
    return {"on": draft.meta["beat_sync"]}


# --- text ------------------------------------------------------------------------------------------------
def _anchor_meta(draft: Draft, place: dict | None, role: str, env: Env) -> dict:
    """Text ``m`` keys for a placement; default: titles at the start, captions for the whole video."""
    if not place:
        place = {"anchor": "start"} if role == "title" else {"anchor": "full"}
        env.note("text_default_place", role=role, anchor=place["anchor"])
    anchor = place.get("anchor", "start")
    meta: dict[str, Any] = {"anchor": anchor}
    if place.get("dur_ms"):
        meta["anchor_ms"] = int(place["dur_ms"])
    if anchor == "photo":
        index = resolve_ref(draft, place["ref"], env)
        meta["anchor_src"] = main_segments(draft)[index].source
    if anchor == "time":
        start = int(place.get("start_ms") or 0)
        end = place.get("end_ms")
        dur = (int(end) - start) if end else int(place.get("dur_ms") or TEXT_MS)
        total = draft.duration_ms
        if start >= total:
            env.note("text_past_end", start_ms=start, total_ms=total)
        meta["_start"], meta["_dur"] = start, dur
    return meta


def _new_text_segment(draft: Draft, text: str, role: str, place: dict | None, position: str | None,
                      env: Env) -> Segment:
    anchor = _anchor_meta(draft, place, role, env)
    start = int(anchor.pop("_start", 0))
    dur = int(anchor.pop("_dur", TEXT_MS))
    meta = {"type": "text", "role": role, "text": text,
            "position": position or ("center" if role == "title" else "lower_third"), "anim": "fade", **anchor}
    return Segment(duration_ms=dur, meta=meta, start_ms=start)


def _overlaps(track: Track, seg: Segment) -> bool:
    s0 = seg.start_ms or 0
    s1 = s0 + seg.duration_ms
    return any(start < s1 and s0 < end for start, end, _ in track.spans())


def _width(text: str) -> int:
    """Text width in Latin-character units: a CJK character is about two Latin ones wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def screen_text(text: str, env: Env) -> str:
    """Words for the screen: at most MAX_TEXT_CHARS (cut at a word, with a note); a note when it wraps."""
    text = " ".join(str(text).split())
    if _width(text) > MAX_TEXT_CHARS:
        cut = ""
        for ch in text:
            if _width(cut + ch) > MAX_TEXT_CHARS - 1:
                break
            cut += ch
        if " " in cut and _width(cut.rsplit(" ", 1)[0]) > MAX_TEXT_CHARS // 2:
            cut = cut.rsplit(" ", 1)[0]
        env.note("text_cut", limit=MAX_TEXT_CHARS, length=len(text))
        return cut.rstrip(" ,.;:-") + "…"
    if _width(text) > WRAP_TEXT_CHARS:
        env.note("text_wraps", length=len(text))
    missing = _undrawable(text, env.has_glyph or _plain_glyph)
    if missing:
        env.note("text_undrawable", chars=missing)
    return text


def _plain_glyph(ch: str) -> bool:
    """Without the renderer's answer: letters, digits and punctuation draw; emoji and symbols do not."""
    return ord(ch) <= 0xFFFF and unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn")


def _undrawable(text: str, has_glyph: Callable[[str], bool]) -> str:
    """The characters of ``text`` the video's font cannot draw (emoji, rare symbols): the renderer leaves
    them out, so the reply says so rather than promising them."""
    seen: list[str] = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in ("Cf", "Mn") or ch in seen or has_glyph(ch):
            continue
        seen.append(ch)
    return "".join(seen)


def op_add_text(draft: Draft, args: dict, env: Env) -> dict:
    _need_video(draft)
    text = screen_text(str(args["text"]).strip(), env)
    place = args.get("place")
    role = args.get("role") or ("title" if (place or {}).get("anchor") == "start" else "caption")
    for track in text_tracks(draft):
        for seg in track.segments:
            if seg.text == text and seg.meta.get("role", track.role) == role:
                return {"unchanged": True, "text": text, "role": role}
    if role == "title" and (place is None or place.get("anchor") == "start"):
        # One opening title: a new one at the start replaces the words of the one already there.
        for _, old in _texts_of(draft, "title"):
            if old.meta.get("anchor") == "start" or (old.start_ms or 0) == 0:
                before = old.text
                old.meta["text"] = text
                if place and place.get("dur_ms"):
                    old.meta["anchor_ms"] = int(place["dur_ms"])
                if args.get("position"):
                    old.meta["position"] = args["position"]
                refit(draft)
                env.note("replaced_title", old=before)
                return {"text": text, "role": role, "start_ms": old.start_ms or 0,
                        "end_ms": (old.start_ms or 0) + old.duration_ms, "anchor": "start"}
    seg = _new_text_segment(draft, text, role, place, args.get("position"), env)
    # Reuse the role's track unless the new text would overlap one already there.
    track = None
    for candidate in text_tracks(draft):
        if candidate.role == role:
            probe = Segment(seg.duration_ms, dict(seg.meta), seg.start_ms)
            _place_text(probe, draft.duration_ms, _photo_spans(draft))
            if not _overlaps(candidate, probe):
                track = candidate
                break
    if track is None:
        track = Track(type=TrackType.TEXT, segments=[], meta={"role": role})
        draft.tracks.append(track)
    track.segments.append(seg)
    track.segments.sort(key=lambda s: s.start_ms or 0)
    refit(draft)
    return {"text": text, "role": role, "start_ms": seg.start_ms or 0, "end_ms": (seg.start_ms or 0) + seg.duration_ms,
            "anchor": seg.meta.get("anchor")}


def _texts_of(draft: Draft, role: str | None) -> list[tuple[Track, Segment]]:
    out = []
    for track in text_tracks(draft):
        for seg in track.segments:
            if role is None or str(seg.meta.get("role") or track.role) == role:
                out.append((track, seg))
    return out


def op_edit_text(draft: Draft, args: dict, env: Env) -> dict:
    role = args.get("role")
    found = _texts_of(draft, role) or (_texts_of(draft, None) if role is None else [])
    if args.get("old"):  # "change 'Summer Sale' to 'Big Sale'": the text that says it
        wanted = str(args["old"]).strip().casefold()
        found = [(t, seg) for t, seg in _texts_of(draft, None) if seg.text.strip().casefold() == wanted]
        if not found:
            raise OpError("no_text_saying", text=str(args["old"]))
    if not found:
        facts = op_add_text(draft, {"text": args["text"], "role": role or "title", "place": None}, env)
        facts["added"] = True
        return facts
    if len(found) > 1:
        env.note("edited_first_text", count=len(found))
    _, seg = found[0]
    old = seg.text
    seg.meta["text"] = screen_text(str(args["text"]).strip(), env)
    return {"old": old, "text": seg.meta["text"], "role": str(seg.meta.get("role") or "title")}


def op_move_text(draft: Draft, args: dict, env: Env) -> dict:
    found = _texts_of(draft, args.get("role")) or _texts_of(draft, None)
    if not found:
        raise OpError("no_text", role=args.get("role") or "text")
    _, seg = found[0]
    if args.get("place"):
        role = str(seg.meta.get("role") or "title")
        anchor = _anchor_meta(draft, args["place"], role, env)
        for key in ("anchor", "anchor_ms", "anchor_src"):
            seg.meta.pop(key, None)
        start = anchor.pop("_start", None)
        dur = anchor.pop("_dur", None)
        seg.meta.update(anchor)
        if start is not None:
            seg.start_ms, seg.duration_ms = int(start), int(dur or TEXT_MS)
    if args.get("position"):
        seg.meta["position"] = args["position"]
    if args.get("dur_factor") or args.get("dur_delta_ms") or args.get("dur_ms"):  # "keep the title up longer"
        if seg.meta.get("anchor") == "full":
            return {"unchanged": True, "text": seg.text}
        dur = args.get("dur_ms") or seg.duration_ms * float(args.get("dur_factor") or 1) + int(args.get("dur_delta_ms") or 0)
        dur = max(500, min(round(dur / 100.0) * 100, draft.duration_ms))
        if seg.meta.get("anchor") in ("start", "end", "photo"):
            seg.meta["anchor_ms"] = dur
        seg.duration_ms = dur
    refit(draft)
    return {"text": seg.text, "start_ms": seg.start_ms or 0, "end_ms": (seg.start_ms or 0) + seg.duration_ms,
            "position": seg.meta.get("position")}


def op_remove_text(draft: Draft, args: dict, env: Env) -> dict:
    role = args.get("role")
    found = _texts_of(draft, role) or (_texts_of(draft, None) if args.get("loose") else [])  # 字幕: any words on screen
    if not found:
        raise OpError("no_text", role=role or "text")
    gone = {id(seg) for _, seg in found}
    for track in text_tracks(draft):
        track.segments = [s for s in track.segments if id(s) not in gone]
    draft.tracks = [t for t in draft.tracks if t.segments or t.type != TrackType.TEXT]
    return {"count": len(found), "role": role, "texts": [seg.text for _, seg in found]}


# --- music --------------------------------------------------------------------------------------------------
def _music_meta(mood: str, volume: float, seed: int) -> dict:
    return {"type": "music", "mood": mood, "name": MOODS[mood][0], "volume": round(volume, 3),
            "fade_in": MUSIC_FADE_IN_MS, "fade_out": MUSIC_FADE_OUT_MS, "seed": seed}


def op_set_music(draft: Draft, args: dict, env: Env) -> dict:
    _need_video(draft)
    mood = args.get("mood")
    segs = music_segments(draft)
    audio_files = [m for m in env.media if m.kind == "audio"]
    if args.get("own") and not audio_files:
        raise OpError("no_audio_upload")
    if segs:
        seg = segs[0]
        facts: dict[str, Any] = {"before": seg.meta.get("name") or seg.meta.get("mood")}
        if args.get("own") and audio_files:
            seg.meta = {"type": "audio", "src": audio_files[0].id, "name": audio_files[0].name,
                        "volume": seg.volume if seg.volume is not None else DEFAULT_MUSIC_VOLUME,
                        "fade_in": MUSIC_FADE_IN_MS, "fade_out": MUSIC_FADE_OUT_MS}
        elif mood:
            volume = seg.volume if seg.volume is not None else DEFAULT_MUSIC_VOLUME
            seed = int(seg.meta.get("seed", 7) or 7) + (1 if args.get("variation") else 0)
            seg.meta = _music_meta(mood, volume, seed)
        elif args.get("variation"):
            if seg.meta.get("type") == "music":
                seg.meta["seed"] = int(seg.meta.get("seed", 7) or 7) + 1
                facts["variation"] = True
            else:
                seg.meta = _music_meta("lofi", seg.volume or DEFAULT_MUSIC_VOLUME, 8)
        else:
            if seg.volume == 0:
                seg.meta["volume"] = DEFAULT_MUSIC_VOLUME
                facts["unmuted"] = True
            else:
                return {"unchanged": True, "name": seg.meta.get("name"), "volume": seg.volume}
        refit(draft)
        facts.update(name=seg.meta.get("name"), volume=seg.volume, mood_word=args.get("mood_word"),
                     mood=seg.meta.get("mood"))
        return facts
    track = _track(draft, TrackType.AUDIO, "bgm", create=True)
    assert track is not None
    volume = float(args.get("volume") or DEFAULT_MUSIC_VOLUME)
    if audio_files and (args.get("own") or not mood):
        item = audio_files[0]
        meta = {"type": "audio", "src": item.id, "name": item.name, "volume": volume,
                "fade_in": MUSIC_FADE_IN_MS, "fade_out": MUSIC_FADE_OUT_MS}
        if not args.get("own"):
            env.note("used_own_audio", name=item.name)
    else:
        meta = _music_meta(mood or "lofi", volume, 7)
    track.segments = [Segment(duration_ms=draft.duration_ms, meta=meta, start_ms=0)]
    refit(draft)
    return {"added": True, "name": meta["name"], "volume": volume, "mood_word": args.get("mood_word"),
            "mood": meta.get("mood")}


def op_remove_music(draft: Draft, args: dict, env: Env) -> dict:
    before = len(draft.tracks)
    names = [s.meta.get("name") for s in music_segments(draft)]
    draft.tracks = [t for t in draft.tracks if not (t.type == TrackType.AUDIO and t.role == "bgm")]
    if len(draft.tracks) == before:
        return {"unchanged": True}
    return {"names": names}


def op_set_volume(draft: Draft, args: dict, env: Env) -> dict:
    _need_video(draft)
    segs = music_segments(draft)
    if not segs:
        # "music at 20%" with no music: the sensible reading is "I want music, at 20%" — add it at
        # that volume and say so. "quieter"/"louder" with no music has nothing to act on.
        target = args.get("volume")
        if target is None:
            raise OpError("no_music")
        facts = op_set_music(draft, {"volume": max(0.0, min(1.0, float(target)))}, env)
        if float(target) > 1.0:
            env.note("volume_capped")
        return {"before": None, "volume": facts["volume"], "added": True, "name": facts["name"]}
    seg = segs[0]
    old = seg.volume if seg.volume is not None else DEFAULT_MUSIC_VOLUME
    if args.get("volume") is not None:
        new = float(args["volume"])
    elif args.get("delta") is not None:
        new = old + float(args["delta"])
    elif args.get("factor") is not None:
        new = old * float(args["factor"])
    else:
        step = int(args.get("step", -1))
        new = old * (0.6 if step < 0 else 1.5)
        new = round(new * 20) / 20.0
        if new == old:
            new = old + 0.05 * step
    new = round(max(0.0, min(1.0, new)), 3)
    if new > 1.0 or (args.get("volume") is not None and float(args["volume"]) > 1.0):
        env.note("volume_capped")
    for s in segs:
        s.meta["volume"] = new
    return {"before": old, "volume": new}


def op_music_fade(draft: Draft, args: dict, env: Env) -> dict:
    segs = music_segments(draft)
    if not segs:
        raise OpError("no_music")
    for s in segs:
        for key in ("fade_in", "fade_out"):
            if args.get(key) is not None:
                s.meta[key] = int(args[key])
    refit(draft)
    return {"fade_in": segs[0].meta.get("fade_in"), "fade_out": segs[0].meta.get("fade_out")}


# --- brand: text style, logo, end card ------------------------------------------------------------------------
SIZE_STEPS = ("small", "medium", "large", "xlarge")
END_CARD_MS = 3000


def _step_size(value: object, step: int) -> object:
    """One size up or down from ``value`` (a name or pixels)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return max(8, round(value * (1.25 if step > 0 else 0.8)))
    name = value if value in SIZE_STEPS else "medium"
    return SIZE_STEPS[max(0, min(len(SIZE_STEPS) - 1, SIZE_STEPS.index(str(name)) + step))]


def op_set_text_style(draft: Draft, args: dict, env: Env) -> dict:
    """Style the texts of a role (all texts for role None, or when a ``loose`` 字幕 names none; the last one added
    for ``last``); with no
    text at all, a style said about "the font" becomes the default for the texts to come."""
    style = {k: v for k, v in dict(args.get("style") or {}).items() if k not in ("color_word", "bare")}
    role, step = args.get("role"), args.get("size_step")
    # "字幕"/"caption" is what many people call any words on screen: with no caption, the texts there are.
    found = _texts_of(draft, role) or ([] if role == "title" and not args.get("loose") else _texts_of(draft, None))
    if args.get("last"):
        found = found[-1:]
    if not found:
        if role is not None or step:
            raise OpError("no_text", role=role or "text")
        default = draft.meta.get("text_style") if isinstance(draft.meta.get("text_style"), dict) else {}
        draft.meta["text_style"] = {**default, **style}
        return {"default": True, "style": style, "texts": []}
    for _track, seg in found:
        seg.meta.update(style)
        if step:
            seg.meta["size"] = _step_size(seg.meta.get("size"), int(step))
    first = found[0][1]
    return {"role": str(first.meta.get("role") or role or "text"), "texts": [seg.text for _, seg in found],
            "style": {**style, **({"size": first.meta["size"]} if step else {})},
            "color_word": (args.get("style") or {}).get("color_word")}


def op_set_logo(draft: Draft, args: dict, env: Env) -> dict:
    """The latest upload named like a logo as the watermark (corner, size); or no logo on this video."""
    current = draft.meta.get("logo") if isinstance(draft.meta.get("logo"), dict) else None
    if args.get("remove"):
        draft.meta["logo"] = False  # also keeps the brand kit's logo off this video
        return {"removed": True}
    logos = [m for m in env.media if is_logo(m)]
    if not logos:
        raise OpError("no_logo")
    spec = dict(current or {"corner": "bottom_right", "size": 0.12, "opacity": 0.85})
    spec["src"] = logos[-1].id
    if args.get("corner"):
        spec["corner"] = args["corner"]
    if args.get("size_step"):
        spec["size"] = round(min(0.4, max(0.05, float(spec.get("size", 0.12)) * (1.4 if args["size_step"] > 0 else 1 / 1.4))), 3)
    draft.meta["logo"] = spec
    return {"corner": spec["corner"], "name": logos[-1].name, "size": spec["size"]}


def op_set_end_card(draft: Draft, args: dict, env: Env) -> dict:
    """The last seconds on a card with the words (and the logo): blurred video, or a colour."""
    if args.get("remove"):
        if not draft.meta.get("end_card"):
            raise OpError("no_end_card")
        draft.meta.pop("end_card", None)
        return {"removed": True}
    _need_video(draft)
    card = dict(draft.meta["end_card"]) if isinstance(draft.meta.get("end_card"), dict) else {}
    text = args.get("text") or card.get("text")
    if not text:
        raise OpError("need_card_text")
    card.update(text=screen_text(str(text).strip(), env), d=min(END_CARD_MS, max(1000, draft.duration_ms // 3)),
                bg=args.get("bg") or card.get("bg") or "blur", logo=True)
    draft.meta["end_card"] = card
    return {"text": card["text"], "ms": card["d"], "bg": card["bg"], "bg_word": args.get("bg_word")}


OPS: dict[str, Callable[[Draft, dict, Env], dict]] = {
    "build": op_build,
    "set_duration": op_set_duration,
    "set_photo_duration": op_set_photo_duration,
    "set_pacing": op_set_pacing,
    "reorder": op_reorder,
    "remove_photos": op_remove_photos,
    "set_transition": op_set_transition,
    "set_motion": op_set_motion,
    "set_fit": op_set_fit,
    "set_aspect": op_set_aspect,
    "set_resolution": op_set_resolution,
    "set_fade": op_set_fade,
    "set_beat_sync": op_set_beat_sync,
    "add_text": op_add_text,
    "edit_text": op_edit_text,
    "move_text": op_move_text,
    "remove_text": op_remove_text,
    "set_music": op_set_music,
    "remove_music": op_remove_music,
    "set_volume": op_set_volume,
    "music_fade": op_music_fade,
    "set_text_style": op_set_text_style,
    "set_logo": op_set_logo,
    "set_end_card": op_set_end_card,
}

#: The order edits are applied in when one request asks for several (length before text placement…).
PRIORITY = ["build", "remove_photos", "reorder", "set_photo_duration", "set_pacing", "set_duration", "set_aspect",
            "set_resolution", "set_fit", "set_transition", "set_motion", "remove_text", "add_text", "edit_text",
            "move_text", "set_text_style", "set_logo", "set_end_card", "remove_music", "set_music", "set_volume", "music_fade", "set_fade", "set_beat_sync"]


def apply(name: str, draft: Draft, args: dict, env: Env) -> tuple[Draft, dict]:
    """Apply one operation to a copy of ``draft``."""
    new = draft.copy()
    facts = OPS[name](new, args, env)
    return new, facts
