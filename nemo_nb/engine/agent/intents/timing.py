"""Time: each photo's length, pacing, the whole video's length (exact, relative, factor)."""

from __future__ import annotations

import re

from ..entities import DELTA_BEFORE, photo_selection, timed_amounts
from ..model import Parsed
from ..numbers import find_durations
from ..refs import Found, find_refs
from ..vocab import (
    BUILD_VERB,
    FRACTION,
    MUSIC_NOUN,
    PHOTO_NOUN,
    TEXT_NOUN,
    TRANSITION_NOUN,
    VIDEO_NOUN,
    ZH_LENGTH_FILL,
    ZH_LENGTH_LESS,
    ZH_LENGTH_MORE,
    ZH_LENGTH_NOT_AFTER,
    ZH_LENGTH_TIMES,
    alternation,
    complaint,
)
from .base import PICK_ONE, Clause, add, blank_all, first_group, first_reading, frame_of, to_ms

# --- durations --------------------------------------------------------------------------------------------
_LONGER = r"\blonger\b|\bmore\s+time\b|\blinger\b|\bstay\s+longer\b|\bhold\s+(?:it\s+)?longer\b|久一?点|长一?点|多停留"
_SHORTER = r"\bshorter\b|\bless\s+time\b|\bquicker\b|\bbriefer\b|\bfaster\b|短一?点|快一?点|少停留"


#: "a 10 second clip using photo 3": a video of chosen photos, not a photo's length.



_ALL_BUT = (rf"\b(?:all|every|each)\s+(?:the\s+)?(?:(?:{PHOTO_NOUN})\s+)?(?:gets?\s+|is\s+|should\s+be\s+)?(?:at\s+|for\s+)?(?P<a>\d+(?:\.\d+)?)\s*"
            rf"(?:s|sec|secs|seconds?)\s+(?:except|but|apart\s+from|other\s+than)\s+(?P<who>.+?)\s*(?:,\s*)?"
            rf"(?:which|that|who)?\s*(?:should\s+be|is|gets?|at|for|=)?\s*(?P<b>\d+(?:\.\d+)?)(?![\d.])(?:\s*"
            rf"(?:s|sec|secs|seconds?)\b|\s*$)")


def _all_but(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"all photos 2s except the first, which should be 4s": the rest first, then the exception."""
    but = re.search(_ALL_BUT, c.text)
    who = find_refs(but.group("who"), names, bare_ordinals=True, bare_names=True) if but else []
    if not who:
        return False
    c.blank(but.start(), but.end())
    add(p, c, "set_photo_duration", but.start(), ref=who[0].ref, ms=to_ms(but.group("b")), rest_ms=to_ms(but.group("a")))
    return True


def _picked(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"only use the last photo for a 10 second clip": a video of that photo — the build reads it."""
    t = c.text
    return bool((re.search(PICK_ONE, t) or re.search(r"\b(?:only|just)\s+(?:use\s+)?(?:the\s+)?(?:first|last|second|third)\b", t))
                and re.search(rf"\b(?:{VIDEO_NOUN}|slideshow)\b", t) and re.search(rf"{BUILD_VERB}|\buse\b", t))


def _each(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"3 secs per pic", "give each photo 1.5 s", "each one a second longer", "每张两秒": every photo's length
    (the entities stage scored the length's role against "the whole video")."""
    if re.search(TRANSITION_NOUN, c.text) and not re.search(rf"每张|每一张|(?<!between\s)\b(?:each|every)\s+(?:{PHOTO_NOUN})",
                                                           c.text):
        return False
    for amount in timed_amounts(c.text):
        if amount.role != "per_photo":
            continue
        c.blank(amount.start, amount.end)
        blank_all(c, [rf"\b(?:each|every|per|all)\s+(?:single\s+)?(?:(?:{PHOTO_NOUN}|one)\b)?|每张|每一张"])
        if amount.sign:
            add(p, c, "set_photo_duration", amount.start, all=True, delta_ms=amount.sign * amount.ms)
        else:
            add(p, c, "set_photo_duration", amount.start, all=True, ms=amount.ms)
        if amount.score <= 1.5:  # a close call: say how to get the other reading
            p.notes.append(("reading", {"ms": amount.ms, "as": "per_photo"}))
        return True
    return False


_REST = (r"\b(?:the\s+)?(?:rest|others|other\s+(?:photos|images|pictures|slides|ones)|remaining(?:\s+(?:photos|"
         r"images|pictures|slides|ones))?|all\s+the\s+others)\b\s*(?:at|for|get|gets|should\s+be|to|=)?\s*"
         r"(?P<a>\d+(?:\.\d+)?)(?:\s*(?:s|sec|secs|seconds?)\b|\s*(?:each|apiece)?\s*$)|其他(?:的)?(?:照片|图片)?\s*(?P<z>\d+(?:\.\d+)?)\s*秒")


def _one_and_rest(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"photo 1 for 5 seconds and the rest 2": that photo, then every other one."""
    refs = find_refs(c.text, names)
    rest = re.search(_REST, c.text) if refs else None
    first = [d for d in find_durations(c.text[: rest.start()]) if d.start >= refs[0].end] if rest else []
    if not first:
        return False
    r = refs[0]
    c.blank(rest.start(), rest.end())
    c.blank(r.start, first[0].end)
    add(p, c, "set_photo_duration", r.start, ref=r.ref, ms=first[0].ms, rest_ms=to_ms(first_group(rest, "a", "z")))
    return True


_TIMES = (r"\b(?P<x2>twice|double)\s+(?:as\s+long|the\s+(?:time|length))\b|\b(?P<half>half)\s+(?:as\s+long|"
          r"the\s+(?:time|length))\b|\b(?P<n>\d+(?:\.\d+)?)\s*(?:x|times)\s+(?:as\s+)?longer?\b")
_PHOTO_VERB = (r"\b(?:show|hold|display|make|keep|give|set|leave|stay|linger|extend|shorten|lengthen|trim|cut)\b|"
               r"\blonger\b|\bshorter\b|显示|停留|延长|缩短|改成|长|短|放|停|播|留|持续|展示")


def _one_photo(c: Clause, p: Parsed, names: list[str]) -> bool:
    """One photo's length: "photo 3 twice as long", "photo 4 2 seconds shorter", "the third picture should be 6
    seconds", "hold the last photo longer", "speed up the 3rd photo"."""
    t = c.text
    refs = find_refs(t, names)
    if not refs or len(photo_selection(t) or []) > 1:  # "pics 2, 5 and 8 for a 9 second video": a selection
        return False
    r = refs[0]
    durations = [d for d in find_durations(t) if d.start >= r.end or len(refs) == 1]
    times = re.search(_TIMES, t)
    step = durations and (re.match(r"\s*(?P<more>longer|more)\b|\s*(?P<less>shorter|less)\b", t[durations[0].end:])
                          or DELTA_BEFORE.search(t[: durations[0].start]))  # "第二张多放两秒"
    if times:
        factor = 2.0 if times.group("x2") else 0.5 if times.group("half") else float(times.group("n"))
        _photo_change(c, p, r, (times.start(), times.end()), factor=factor)
    elif step:
        d = durations[0]
        used = (d.start, d.end + step.end()) if step.re is not DELTA_BEFORE else (step.start(), d.end)
        _photo_change(c, p, r, used, delta_ms=d.ms if step.group("more") else -d.ms)
    elif durations and (re.search(_PHOTO_VERB, t) or re.search(r"\b(?:should|be|is|last|lasts|for|stays?|at|gets?)\b|要|为", t)):
        verb = re.search(_PHOTO_VERB, t)
        if verb:
            c.blank(verb.start(), verb.end())
        _photo_change(c, p, r, (durations[0].start, durations[0].end), ms=durations[0].ms)
    else:
        return _photo_longer(c, p, r, bool(durations))
    return True


def _photo_longer(c: Clause, p: Parsed, r: Found, timed: bool) -> bool:
    t = c.text
    longer, shorter = re.search(_LONGER, t), re.search(_SHORTER, t)
    tied = re.search(r"\b(?:(?P<fast>speed\s+up)|(?P<slow>slow\s+down))(?:\s+(?:on|at))?(?:\s+the)?\s+$", t[: r.start])
    if tied and not timed:  # "speed up the 3rd photo": about that photo, not the whole pacing
        longer, shorter = (None, tied) if tied.group("fast") else (tied, None)
    longer = longer or re.search(r"\bextend\b|\blengthen\b|延长", t)
    m = longer or shorter
    if not m:
        return False
    _photo_change(c, p, r, (m.start(), m.end()), factor=1.5 if longer else 2 / 3)
    return True


def _photo_change(c: Clause, p: Parsed, r: Found, used: tuple[int, int], **args: object) -> None:
    c.blank(*used)
    c.blank(r.start, r.end)
    add(p, c, "set_photo_duration", r.start, ref=r.ref, **args)


_FASTER = (r"\b(?:faster|quicker|more\s+(?:fast|quick|rapid)|speed\s+(?:it\s+|things\s+)?up|snappier|pick\s+up\s+the\s+pace|"
           r"fast[\s-]+paced?|more\s+dynamic\s+pacing|rapid|quick\s+cuts|less\s+time\s+(?:on|per)\s+each|twice\s+as\s+fast)\b|"
           r"节奏快|加快|快一?点|快些|紧凑|快一倍|快1倍|(?:每张|照片|图片)[^，,。]*?(?:显示|停留|展示)(?:得|时间)?短一?(?:点|些)")
_PACE = (r"\bpac(?:e|ing)\b|\bfaster\b|\bmore\s+(?:fast|quick|rapid)\b|\bspeed\b|\bquicker\b|\bsnappier\b|\brapid\b|"
         r"\bquick\s+cuts\b|\bless\s+time\b|\bfast\b|节奏|加快|快|紧凑")
_SLOWER = (r"\b(?:slower|more\s+slow(?:ly)?|slow\s+(?:it\s+|things\s+)?down|more\s+time\s+(?:on|per)\s+each|less\s+rushed|"
           r"slow[\s-]+paced?|relaxed\s+pac(?:e|ing)|calmer\s+pac(?:e|ing)|longer\s+on\s+each|slower\s+pac(?:e|ing))\b|"
           r"节奏慢|放慢|慢一?点|慢些|(?:每张|照片|图片)[^，,。]*?(?:显示|停留|展示|停|放|留)(?:得|时间)?(?:久|长)一?(?:点|些)")


_TOO_FAST, _TOO_SLOW = re.compile(complaint("too_fast")), re.compile(complaint("too_slow"))


def _pace_complaint(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"节奏太快了", "the photos go by too fast", "it's too slow": a step the other way (each photo ×1.25 or
    ×0.8), and the reply says how to go on."""
    m = _TOO_FAST.search(c.text) or _TOO_SLOW.search(c.text)
    if not m or re.search(MUSIC_NOUN, c.text) or find_durations(c.text):
        return False
    c.blank(m.start(), m.end())
    step = 1 if m.re is _TOO_FAST else -1  # +1: slower (each photo longer)
    add(p, c, "set_pacing", m.start(), factor=1.25 if step > 0 else 0.8, complaint=True)
    p.notes.append(("complaint", {"what": "pace", "step": step}))
    return True


def _pacing(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"speed it up", "twice as fast", "20% faster", "放慢节奏": every photo's length by a factor."""
    m = re.search(_FASTER, c.text)
    if m and re.search(_PACE, c.text):
        factor = 0.5 if re.search(r"\btwice\b|快\s*(?:一|1)\s*倍", c.text) else 0.7
        c.blank(m.start(), m.end())
        times = re.search(r"\b(?P<x>\d+(?:\.\d+)?)\s*(?:x|times)\b|(?P<zx>\d+(?:\.\d+)?)\s*倍", c.text)
        pct = _pacing_percent(c)
        if times and float(times.group("x") or times.group("zx")) > 1:
            factor = 1 / float(times.group("x") or times.group("zx"))
            c.blank(times.start(), times.end())
        elif pct:  # "everything 20% faster": photos show 1/1.2 as long
            factor = 1 / (1 + pct)
        add(p, c, "set_pacing", m.start(), factor=round(factor, 4))
        return True
    m = c.search(_SLOWER)
    if m:
        pct = _pacing_percent(c)
        add(p, c, "set_pacing", m.start(), factor=round(1 + pct, 4) if pct else 1.4)
    return bool(m)


_EACH_FACTOR = r"\b(?:(?P<x>double|twice|triple|thrice|half|halve)|(?P<n>\d+(?:\.\d+)?)\s*(?:x|times))\b"
_EACH_UNIT = rf"\b(?:each|every|per|all(?:\s+the)?|all\s+of\s+the)\s+(?:single\s+)?(?:{PHOTO_NOUN}|one)(?:'s)?\b"
_EACH_TIME = r"\b(?:time|length|long|longer|duration|last|lasts|stay|stays|on\s+screen)\b"


def _each_factor(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"double the time on each photo", "each slide double the time", "every pic half as long", "make each
    photo last 2x as long": every photo's length by a factor (the total follows)."""
    m, unit = re.search(_EACH_FACTOR, c.text), re.search(_EACH_UNIT, c.text)
    if not (m and unit and re.search(_EACH_TIME, c.text)) or find_durations(c.text) or re.search(TRANSITION_NOUN, c.text):
        return False
    word = m.group("x") or ""
    factor = 3.0 if word in ("triple", "thrice") else 0.5 if word.startswith("hal") else 2.0 if word else float(m.group("n"))
    if not 0 < factor <= 10:
        return False
    blank_all(c, [_EACH_FACTOR, _EACH_UNIT, _EACH_TIME, r"\b(?:as|the|make|give|of)\b"])
    add(p, c, "set_pacing", min(m.start(), unit.start()), factor=factor)
    return True


_PHOTO_FRAMES = [_all_but, _picked, _each_factor, _each, _one_and_rest, _one_photo, _pace_complaint, _pacing]
photo_durations = frame_of(_PHOTO_FRAMES)


def _pacing_percent(c: Clause) -> float:
    """The "20%" of "20% faster" as 0.2 (0 when none is said, or when it is the music's)."""
    if re.search(MUSIC_NOUN, c.text):
        return 0.0
    m = c.search(r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|percent\b)|百分之(?P<zp>\d+)")
    value = float(m.group("p") or m.group("zp")) / 100 if m else 0.0
    return value if 0 < value <= 3 else 0.0


_SCALED = (r"\b(?P<p>\d+(?:\.\d+)?)\s*%\s+(?P<dir>longer|shorter)\b|(?:\blength|时长|长度)\s*(?:x|×|\*)\s*"
           r"(?P<x>\d+(?:\.\d+)?)|"
           # "a third shorter", "缩短三分之一" (−1/3), "缩短到三分之一" (×1/3), "延长一半"
           rf"(?P<fdir>缩短|减少|延长|加长|增加)\s*(?P<to>到|为|成)?\s*{FRACTION}|{FRACTION.replace('fa', 'ga').replace('fb', 'gb')}"
           r"\s+(?P<gdir>longer|shorter)\b|"
           # "cut the length by a third" (×2/3), "cut it to a quarter" (×1/4), "extend it by 20%" (×1.2)
           r"\b(?P<edir>cut|trim|shorten|chop|reduce|extend|lengthen|stretch|increase)\b(?:\s+(?:it|this|everything|"
           r"the\s+(?:whole\s+)?(?:video|length|duration|clip|runtime|slideshow|thing)))?\s+(?:down\s+)?(?P<eto>by|to)\s+"
           rf"(?:{FRACTION.replace('fa', 'ha').replace('fb', 'hb')}|(?P<ep>\d+(?:\.\d+)?)\s*%|(?P<eh>half)\b)")
_LONGER_WORDS = ("延长", "加长", "增加", "longer", "extend", "lengthen", "stretch", "increase")
_HALF = (r"\b(?:cut|trim|shorten|chop|reduce)\s+(?:it|the\s+(?:video|length|duration|clip|runtime|slideshow)|this|everything|"
         r"the\s+whole\s+thing)\s+(?:in|by)\s+"
         r"half\b|\bhalve\s+(?:it|the\s+(?:length|video|duration))\b|\bhalf\s+(?:as\s+long|the\s+length)\b|"
         r"(?:时长)?减半|缩短一半")
_BARE = (r"\b(?:cut|trim|shorten|reduce|bring|get|change|set|extend|lengthen|make)\b(?:\s+(?:it|the\s+video|"
         r"this|everything|the\s+whole\s+thing))?(?:\s+(?:down|up|back))?\s+to\s+(?P<n>\d+(?:\.\d+)?)\b"
         r"(?!\s*(?:%|x|:|st|nd|rd|th|p\b|percent|photos?|images?|pictures?))|"
         r"\b(?:make|set)\s+it\s+(?P<n2>\d+(?:\.\d+)?)\s*$|"
         # "12 is plenty", "20 would be better", "15's enough"
         r"(?<![\d.:/])(?P<n3>\d+(?:\.\d+)?)\s*(?:'s|\s+(?:is|should\s+be|would\s+be|will\s+be|'d\s+be))\s+(?:plenty|enough|"
         r"fine|good|ok|okay|perfect|great|better|ideal|the\s+max)\b")
_NOT_A_LENGTH_BEFORE = (r"\b(?:photos?|pics?|pictures?|images?|slides?|shots?|music|volume|songs?|tracks?|titles?|texts?|"
                        r"captions?|number|no\.?|level|at)\s*$|[#%]\s*$")
_MINUS_BEFORE = (r"\b(?:shorten|shorter|cut|trim|reduce|remove|take\s+off|shave\s+off)\b[^,]*\bby\s*$|\b(?:cut|trim|"
                 rf"take|shave|remove)\s+(?:off\s+)?$|{ZH_LENGTH_NOT_AFTER}(?:{alternation(ZH_LENGTH_LESS)}){ZH_LENGTH_FILL}$")
_PLUS_BEFORE = (r"\b(?:extend|lengthen|longer|add|increase)\b[^,]*\bby\s*$|\badd\s+(?:another\s+)?$|"
                rf"{ZH_LENGTH_NOT_AFTER}(?:{alternation(ZH_LENGTH_MORE)}){ZH_LENGTH_FILL}$")
#: Lengths without a number: (pattern, factor, vague). "double the length", "too long", "长一点".
_WORDED = [
    (r"\b(?:double)\s+(?:the\s+)?(?:length|duration)\b|\btwice\s+as\s+long\b|加倍|翻倍", 2.0, False),
    (ZH_LENGTH_TIMES, 2.0, False),
    (r"\bhalve\b|\bhalf\s+(?:the\s+)?(?:length|duration|as\s+long)\b|\bhalf\s+as\s+long\b|减半|一半", 0.5, False),
    (r"\b(?:shorter|too\s+long|shorten\s+it|shorten\s+the\s+video|trim\s+it(?:\s+down)?|cut\s+it\s+down|"
     rf"less\s+long)\b|短一?点|缩短|{complaint('too_long')}", 0.75, True),
    (rf"\b(?:longer|lengthen\s+it|extend\s+it|extend\s+the\s+video)\b|长一?点|加长|延长|{complaint('too_short')}", 4 / 3, True),
]


def _scale_factor(m: re.Match[str]) -> float:
    """The factor of a _SCALED match: "50% longer" 1.5, "x2" 2, "缩短三分之一" 2/3, "缩短到三分之一" 1/3."""
    if m.group("x"):
        return float(m.group("x"))
    if m.group("edir"):
        share = (0.5 if m.group("eh") else int(m.group("ha")) / max(1, int(m.group("hb"))) if m.group("ha")
                 else float(m.group("ep")) / 100)
        if m.group("eto") == "to":
            return share
        return 1 + share if m.group("edir") in _LONGER_WORDS else 1 - share
    if m.group("fa") or m.group("ga"):
        share = int(m.group("fa") or m.group("ga")) / max(1, int(m.group("fb") or m.group("gb")))
        if m.group("to"):
            return share
        return 1 + share if (m.group("fdir") or m.group("gdir")) in _LONGER_WORDS else 1 - share
    pct = float(m.group("p") or 0) / 100
    return 1 + pct if m.group("dir") == "longer" else 1 - pct


def _scaled(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"make it 50% longer", "视频长度x2", "cut it in half"."""
    m = re.search(_SCALED, c.text)
    if m and not find_refs(c.text, names):
        factor = _scale_factor(m)
        c.blank(m.start(), m.end())
        add(p, c, "set_duration", m.start(), factor=round(factor, 4))
        return True
    m = re.search(_HALF, c.text)
    if m and not find_refs(c.text, names):
        c.blank(m.start(), m.end())
        add(p, c, "set_duration", m.start(), factor=0.5)
        return True
    return False


def _bare_number(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"cut it down to 10", "make it 20": a number with no unit after a length verb is seconds."""
    m = re.search(_BARE, c.text)
    if not m or find_durations(c.text):
        return False
    if m.group("n3") and re.search(_NOT_A_LENGTH_BEFORE, c.text[max(0, m.start("n3") - 24): m.start("n3")]):
        return False  # "photo 3 is fine", "volume 20 is good": a number of something else
    c.blank(m.start(), m.end())
    add(p, c, "set_duration", m.start(), ms=round(float(m.group("n") or m.group("n2") or m.group("n3")) * 1000))
    return True


def _exact(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"make it 25 seconds", "add 6 more seconds", "4 seconds shorter", "再加3秒"."""
    t = c.text
    durations = find_durations(t)
    if not durations:
        return False
    d = durations[-1] if len(durations) > 1 and re.search(r"\bno,?\b|\bactually\b|\binstead\b|不对", t) else durations[0]
    if [a for a in timed_amounts(t) if a.start == d.start and a.role == "total" and a.score < 1.0]:
        p.notes.append(("reading", {"ms": d.ms, "as": "total"}))  # a close call: say how to get the other reading
    before, after = t[max(0, d.start - 40): d.start], t[d.end: d.end + 30]
    minus = re.search(_MINUS_BEFORE, before) or re.search(r"^\s*(?:shorter|less|off)\b|^\s*短", after)
    plus = re.search(_PLUS_BEFORE, before) or re.search(r"^\s*(?:longer|more)\b|^\s*长", after)
    if re.search(r"\b(?:first|last|final|opening|closing)\s*$", before):  # "in the last 2 seconds": a time, not a length
        return False
    if re.search(r"\b(?:until|till|til|up\s+to)\s*$|(?:显示|停留|持续|保持|留)\s*(?:到|至)\s*第?\s*$", before) \
            and re.search(TEXT_NOUN, c.orig):  # "keep the title up until 5s": when the text ends, not the video's length
        return False
    c.blank(d.start, d.end)
    if minus or plus:
        add(p, c, "set_duration", d.start, delta_ms=-d.ms if minus else d.ms)
    else:  # "…, like 6 seconds" alone: the amount of the change said before it (resolve._amount_of_before)
        add(p, c, "set_duration", d.start, ms=d.ms, **({"bare": True} if _HEDGE_ONLY.fullmatch(c.text) else {}))
    return True


#: A clause that is only a hedged amount once the amount is taken: "like 6 seconds", "maybe 5 sec", "around 4.5s?".
_HEDGE_ONLY = re.compile(r"[\s,.?!]*(?:(?:like|maybe|about|around|approximately|approx|roughly|say|so|or\s+so|ish|"
                         r"perhaps|probably|something\s+like|give\s+or\s+take)[\s,.?!]*)*")


def _worded(c: Clause, p: Parsed, names: list[str]) -> bool:
    for pattern, factor, vague in _WORDED:
        m = c.search(pattern)
        if m:
            times = m.groupdict().get("zt") or m.groupdict().get("zt2")  # "3倍长", "加长到2倍"
            add(p, c, "set_duration", m.start(), factor=float(times) if times else factor,
                **({"vague": True} if vague else {}))
            return True
    return False


_LENGTH_COMPLAINT = re.compile(f"{complaint('too_long')}|{complaint('too_short')}")


def total_duration(c: Clause, p: Parsed, names: list[str]) -> None:
    """The whole video's length; a complaint said with a number ("30 seconds feels like forever") is read too —
    respond drops the number when it is the video's own length (resolve.said_length)."""
    first_reading([_scaled, _bare_number, _exact, _worded], c, p, names)
    if _LENGTH_COMPLAINT.search(c.text):
        _worded(c, p, names)
