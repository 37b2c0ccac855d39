"""Follow-ups that only mean something after the last change: "no wait, 20", "a bit more than that",
"再大一点", "even quieter".

The last change is read from the two drafts the turn already has (the undo target and the current one),
so the agent stays pure: a bare number corrects the setting changed last ("make it 15 seconds" → "no
wait, 20" is 20 s; after a volume change it is 20 %), and a bare "more" or comparative repeats the
last change's direction on the same setting (after "music louder", "再大一点" is louder, not a bigger
title). The LAST value said wins: the first one is not also applied.
"""

from __future__ import annotations

import math
import re

from nemo_nb.draft import Draft

from .model import Intent, Parsed
from .ops import current_transition, main_segments, music_segments, text_tracks
from .refs import find_refs
from .vocab import (
    CORRECTION_WEAK,
    CORRECTION_ZH,
    LOGO_NOUN,
    MUSIC_NOUN,
    PHOTO_NOUN,
    TEXT_NOUN,
    TRANSITION_NOUN,
    VIDEO_NOUN,
    alternation,
)

_CUE = (r"(?:no+|nah|nope|wait|sorry|oops|actually|hmm+|i\s+mean|make\s+(?:it|that)|let'?s\s+(?:say|do|go\s+with)|"
        r"(?:the\s+)?same(?:\s+thing)?(?:\s+but)?|but|try|"
        r"or|rather|instead|" + alternation([*CORRECTION_ZH, *(w for w in CORRECTION_WEAK if not w.isascii())])
        + r"|还是|改成|是|吧)")
#: "no wait, 20", "no, 25 actually", "不对，是20秒" — a number said as a correction, nothing else.
_CORRECTION = re.compile(rf"^\s*(?:{_CUE}[\s,，.!。:：]*)+(?P<n>\d+(?:\.\d+)?)\s*(?P<u>%|percent|s|secs?|seconds?|秒)?"
                         rf"[\s,，.!。]*(?:{_CUE}|please|pls|then|了)?[\s.!。]*$")
_LEAD = r"(?:(?:hmm+|um+|ok(?:ay)?|maybe|now|and|but|just|make\s+it|go)[\s,]+)*"
_AGAIN = r"(?:a\s+(?:bit|little|tad|touch)\s+|bit\s+|little\s+|even\s+|much\s+|slightly\s+|still\s+|再|稍微|还要|更)"
_THAN_THAT = r"(?P<than>\s+than\s+(?:that|this|before|now|it\s+is))"
#: "even more", "再多一点": the last change again; "a bit more than that" / "a little less than that": a value
#: above / below the one just set (after "lower the music to 20%", "more than that" is louder).
_MORE = re.compile(rf"^\s*{_LEAD}{_AGAIN}*(?:(?P<more>more|further|again|多)|(?P<less>less|fewer|少))(?:一点|一些|点)?"
                   rf"{_THAN_THAT}?\s*(?:please|pls)?[\s.!?]*$")
#: "even louder", "再大一点", "a bit lower", "bit longer than that": a direction with no object.
_DIRECTION = re.compile(rf"^\s*{_LEAD}{_AGAIN}*(?:(?P<up>bigger|louder|higher|longer|大|高|响)|(?P<down>smaller|quieter|softer|"
                        rf"lower|shorter|小|低|轻))(?:一点|一些|点|些)?{_THAN_THAT}?\s*(?:please|pls)?[\s.!?]*$")

#: "still too loud", "还是太大了", "还是太小声": the last change did not go far enough.
_STILL_TOO = re.compile(r"^\s*(?:it'?s\s+|is\s+)?(?:still|还是|还|仍然|依然)?\s*(?:a\s+bit\s+|way\s+|much\s+)?(?:too|太|有点)\s*"
                        r"(?:(?P<down>loud|big|大声?|响|吵)|(?P<up>quiet|soft|low|small|小声?|轻))了?\s*(?:please|pls|吧|啊)?\s*$")


#: "turn that off, too jumpy", "nah take that out", "get rid of that": what the last turn added, said with no
#: object of its own. Read as undoing that turn (never after the turn that made the video).
_THAT_OFF = re.compile(r"^\s*(?:(?:hmm+|um+|ok(?:ay)?|nah|no+|actually|wait|sorry|ugh|please|pls|can\s+you|just)[\s,.!]+)*"
                       r"(?:(?:turn|switch|take|shut)\s+(?:that|this|it)\s+(?:off|out|away)|get\s+rid\s+of\s+(?:that|this)|"
                       r"(?:lose|drop|kill|ditch|remove)\s+(?:that|this)(?:\s+(?:one|effect|thing|change))?)\b"
                       r"(?P<rest>[^.!?]*)[.!?\s]*$")


#: "sorry I meant 4", "oops I meant photo 5", "我说的是第二张", "no not the first one, the last one": the photo
#: the last removal or move was meant for. Only a cue, photo references and filler: anything else is a request.
_PHOTO_CUE = re.compile(r"^\s*(?:(?:no+|nope|nah|sorry|oops|wait|actually|my\s+bad|i\s+meant?|i\s+said|"
                        r"not\s+(?:that|this|the\s+\w+)(?:\s+one)?|wrong\s+(?:one|photo|pic)|我说的是|我是说|我指的是|"
                        r"说错了|搞错了|弄错了|不对|不是(?:这张|那张|第?\s*\d+\s*张)?|错了|应该是|是|not\s+(?:photo|pic|picture|image|#)\s*\d+)(?![a-z])[\s,，.!。:：—-]*)+")
_PHOTO_FILLER = re.compile(r"(?:\b(?:the|one|ones|photos?|pics?|pictures?|images?|instead|please|pls|and|not|that|"
                           r"this|i|meant?|is|it|was)\b|[是那这张的吧啊呀和、]|[\s,，.!。:：&—-])*")


def _photo_change(before: Draft, now: Draft) -> tuple[str, dict] | None:
    """("remove", {}) when the last turn removed photos; ("move", {"to": …}) when it moved one photo."""
    was, got = [s.source for s in main_segments(before)], [s.source for s in main_segments(now)]
    if got and len(got) < len(was) and [s for s in was if s in got] == got:
        return "remove", {}
    if len(was) != len(got) or was == got or sorted(was) != sorted(got):
        return None
    for moved in was:
        if [s for s in was if s != moved] == [s for s in got if s != moved]:
            pos = got.index(moved)
            return "move", {"to": "first" if pos == 0 else "last" if pos == len(got) - 1 else {"index": pos + 1}}
    return None


def _photo_fix(norm: str, parsed: Parsed, before: Draft, now: Draft) -> bool:
    """"remove photo 3" → "sorry I meant 4": undo, then remove photo 4 (a move likewise moves the photo meant)."""
    change = _photo_change(before, now)
    cue = _PHOTO_CUE.match(norm)
    if change is None or not cue or parsed.intents:
        return False
    tail = norm[cue.end():]
    bare = re.fullmatch(r"\s*(?:(?:photo|pic|picture|image|#)\s*)?(\d{1,2})(?:st|nd|rd|th)?\s*(?:one|instead)?[\s.!。]*", tail)
    if bare and int(bare.group(1)) > len(main_segments(before)):  # "no, 15" after a removal and a length: seconds
        return False
    refs = [{"index": int(bare.group(1))}] if bare else []
    if not refs:
        found = find_refs(tail, [], bare_ordinals=True)
        rest = "".join(ch for i, ch in enumerate(tail) if not any(f.start <= i < f.end for f in found))
        if not found or not _PHOTO_FILLER.fullmatch(rest):
            return False
        refs = [f.ref for f in found]
    kind, args = change
    edit = Intent("remove_photos", {"refs": refs}, 1) if kind == "remove" else \
        Intent("reorder", {"mode": "move", "ref": refs[-1], **args}, 1)
    parsed.intents = [Intent("undo", {}, 0), edit]
    parsed.unknown = []
    return True


def _transition_pace(norm: str, parsed: Parsed, before: Draft, now: Draft) -> bool:
    """"add transitions" → "they're too slow" / 太慢了 / "faster": the transitions just changed are the ones meant, not
    the photos' pace (which would change the length nobody named); the reply says how to get the other reading."""
    if not current_transition(now) or current_transition(before) == current_transition(now):
        return False
    if not parsed.intents or any(i.name != "set_pacing" for i in parsed.intents):
        return False
    if re.search(r"\b(?:photos?|pics?|pictures?|images?|slides?|video|clip|pacing|pace|each|every)\b|照片|图片|每张|视频|节奏", norm):
        return False
    faster = parsed.intents[-1].args.get("factor", 1) < 1
    parsed.intents = [Intent("set_transition", {"type": None, "ms": None, "speed": "faster" if faster else "slower"},
                             parsed.intents[0].pos)]
    parsed.notes.append(("pace_meant_transitions", {}))
    return True


def _volume(draft: Draft | None) -> float | None:
    segs = music_segments(draft) if draft is not None else []
    return segs[0].volume if segs and segs[0].volume is not None else None


def last_change(before: Draft | None, now: Draft) -> tuple[str, int] | None:
    """("volume" | "duration", +1/-1): the setting the last turn changed, and which way."""
    if before is None:
        return None
    vb, vn = _volume(before), _volume(now)
    if vb is not None and vn is not None and vb != vn:
        return "volume", 1 if vn > vb else -1
    if not before.is_empty and before.duration_ms != now.duration_ms:
        return "duration", 1 if now.duration_ms > before.duration_ms else -1
    if before.is_empty and not now.is_empty:
        return "duration", 1
    return None


def _length_again(seconds: float, now: Draft, *, said_unit: bool) -> Intent:
    """A new length said alone after a length change: the video's ("15 seconds" → "no, 20"), unless a bare
    number is nearer the photos' common length than the video's ("each photo 2 seconds" → "same but 1.5"),
    or as the video's length it would leave under half a second a photo."""
    segments = now.video.segments if now.video is not None else []
    lengths = {seg.duration_ms for seg in segments}
    if len(lengths) == 1 and seconds > 0:
        each = next(iter(lengths)) / 1000
        nearer = abs(math.log(seconds / each)) < abs(math.log(seconds * 1000 / max(1, now.duration_ms)))
        if (nearer and not said_unit) or seconds < 0.5 * len(segments):
            return Intent("set_photo_duration", {"all": True, "ms": round(seconds * 1000)})
    return Intent("set_duration", {"ms": round(seconds * 1000)})


def followup(norm: str, parsed: Parsed, before: Draft | None, now: Draft) -> None:
    """Replace what ``parsed`` read with the follow-up of the last change, when the request is one."""
    if before is not None and (_photo_fix(norm, parsed, before, now) or _transition_pace(norm, parsed, before, now)):
        return
    off = _THAT_OFF.match(norm)
    if off and not parsed.intents and before is not None and not before.is_empty and before != now:
        parsed.intents, parsed.unknown = [Intent("undo", {})], []
        return
    change = last_change(before, now)
    if change is None:
        return
    what, way = change
    fix = _CORRECTION.match(norm)
    if fix and (not parsed.intents or not fix.group("u") or parsed.intents[0].name in ("set_duration", "set_volume")):
        value = float(fix.group("n"))
        unit = fix.group("u") or ""
        if what == "volume" and unit in ("", "%", "percent"):
            parsed.intents = [Intent("set_volume", {"volume": value / 100 if value > 1 else value})]
        elif what == "duration" and unit not in ("%", "percent"):
            parsed.intents = [_length_again(value, now, said_unit=bool(unit))]
        parsed.unknown = []
        return
    more = _MORE.match(norm)
    step = None if not more else -1 if more.group("less") else 1 if more.group("than") else way
    direction = _DIRECTION.match(norm) or _STILL_TOO.match(norm)
    if direction and (what == "volume" or re.search(r"longer|shorter", direction.group(0))):
        step = 1 if direction.group("up") else -1
    if step is None:
        return
    parsed.intents = [Intent("set_volume", {"step": step}) if what == "volume" else
                      Intent("set_duration", {"factor": 4 / 3 if step > 0 else 0.75, "vague": True})]
    parsed.unknown = []


def _texts(draft: Draft) -> list[tuple[dict, str, int, int]]:
    return [(seg.meta, str(track.role or "caption"), seg.start_ms, seg.duration_ms)
            for track in text_tracks(draft) for seg in track.segments]


def last_object(before: Draft | None, now: Draft) -> str | None:
    """What the last turn changed, said as a noun phrase ("the title", "the transitions", "the music"), for a
    pronoun in this turn ("move it to the end", "make them faster", "actually remove them")."""
    if before is None:
        return None
    new = [t for t in _texts(now) if t not in _texts(before)]
    if new or (_texts(now) and now.meta.get("text_style") != before.meta.get("text_style")):
        return "the title" if (new or _texts(now))[-1][1] == "title" else "the caption"  # added, moved or restyled
    if current_transition(now) and current_transition(now) != current_transition(before):
        return "the transitions"
    if music_segments(now) and [s.meta for s in music_segments(now)] != [s.meta for s in music_segments(before)]:
        return "the music"
    return None


_NAMED = re.compile(f"{TEXT_NOUN}|{TRANSITION_NOUN}|{MUSIC_NOUN}|{PHOTO_NOUN}|{VIDEO_NOUN}|{LOGO_NOUN}|\\bvolume\\b|音量")
_PLURAL = re.compile(r"\b(?:them|they|those|these)\b")
_SINGULAR = re.compile(r"\b(?:it|that|this)\b(?!\s+(?:is|was|'s)\b)")


def referred(text: str, obj: str | None) -> tuple[str, bool] | None:
    """(``text`` with its pronoun replaced by ``obj``, whether that reading should win outright) — or None when
    ``text`` names its own object. A plural pronoun after a change of the transitions is them; "it" or a bare
    value ("actually blue") is only tried when the literal reading changes nothing."""
    low = text.lower()
    if obj is None or _NAMED.search(low) or len(low.split()) > 12:
        return None
    plural = obj.endswith("s")
    m = (_PLURAL if plural else _SINGULAR).search(low)
    if m:
        return low[: m.start()] + obj + low[m.end():], plural
    if len(low.split()) <= 4 and not re.search(r"\d", low):  # "actually blue", "bigger pls"
        return f"make {obj} {low}", False
    return None
