"""Stage 3 of understanding — entities: the typed spans of a clause that frames fill their slots from.

Durations get a role by scoring their cues (``timed_amounts``): "3 secs per pic", "each shot 2s", "每张两秒"
are each photo's length, "a 12 second video" the whole video's; "a second longer" is a change.

And numbers that are not the answer. "the brief says 60 seconds max but let's do 25", "we have 12
products but use only 5 photos", "last time it was 30 seconds, now 20": the part before "but"/"now"
that reports someone else's words, the past, or a count of things is a distractor — its numbers are
dropped before any frame reads them, and the reply says which one it used. A bare number after it
("let's do 25") takes the distractor's unit. The turn may also be "make this one", "keep it to", "this time"
("last week's video was 40 seconds …, make this one 18"); a platform named in the distractor ("youtube
shorts can be 60 seconds but make it 20") is still wanted, only its number is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import PICK_LEAD, UNIT_AFTER
from .model import Parsed
from .numbers import find_durations
from .vocab import (
    PHOTO_NOUN,
    VIDEO_NOUN,
    ZH_LENGTH_FILL,
    ZH_LENGTH_LESS,
    ZH_LENGTH_MORE,
    ZH_LENGTH_NOT_AFTER,
    alternation,
)

_CUE = (r"\b(?:(?P<platform>tiktok|instagram|insta|ig|youtube(?:\s+shorts)?|yt|reels?|shorts|facebook|snapchat|linkedin)|"
        r"the\s+app|it|they|the\s+platform)"
        r"\s+(?:(?:lets?|allows?|permits?)(?:\s+(?:you|me|us))?|can\s+(?:be|go|take|do)|caps?|limits?|maxes|goes|supports?)\b"
        r"|\blast\s+(?:week|month|year|night)'?s?\b|\b(?:the\s+)?(?:last|previous|old|other|first)\s+(?:one|video|clip|reel|edit|version)\b"
        r"|\b(?:i|we)\s+(?:only\s+)?(?:have|got)\s+(?:like\s+|about\s+|only\s+)?\d+\s+(?:minutes?|mins?|hours?)\b"
        r"|\b(?:(?:the|my|our|their|his|her)\s+)?(?:brief|client|boss|manager|spec|specs|guidelines?|rules?|platform|limit|"
        r"max|maximum|template|agency|team)\s+(?:says?|said|wants?|wanted|asks?|asked|allows?|requires?|is|was)\b"
        r"|\b(?:last\s+time|previously|yesterday|originally)\b|(?<!where\s)(?<!what\s)(?<!how\s)\b(?:it|that|the\s+(?:video|old\s+one|last\s+one))\s+"
        r"(?:was|used\s+to\s+be)\b|\b(?:we|i|they)(?:'ve|'d|\s+have)?\s+(?:have|had|got|sell|offer|made|shot|took)\s+(?:about\s+|over\s+)?"
        r"\d+\s+(?!photos?\b|pics?\b|pictures?\b|images?\b|slides?\b|shots?\b|seconds?\b|secs?\b|s\b)[a-z]+"
        r"|(?:简报|客户|老板|甲方|领导|平台)(?:说|要求|规定)|上次|之前|原来"
        r"|(?P<zplatform>抖音|快手|视频号|小红书|b\s*站|微信)\s*(?:可以|能|允许|最多|最长|支持|上限)")
_TURN = (r"(?:\bbut\b|\bhowever\b|\bnow\b|\binstead\b|\bso\b|\btry\b|\b(?:make|do)\s+(?:this|the\s+new)\s+one\b|"
         r"\bthis\s+(?:one|time)\b|\bkeep\s+it\s+(?:to|at|under)\b|\blet'?s\b|\bgo\s+with\b|\bwe\s+(?:need|want)\b|"
         r"但是|但|不过|现在|这次|这个|还是|那就|就做|做个|做成|弄个|来个)")
_DISTRACTOR = re.compile(rf"(?P<x>(?:{_CUE})[^.!?。！？\n]{{0,80}}?)(?=\s*,?\s*{_TURN})")
#: A purpose said after a request ("a bit longer so people can read the text"): its nouns are no request.
_PURPOSE = re.compile(r"\bso\s+(?:that\s+)?(?:people|they|viewers|everyone|folks|customers|followers|we|you|i|it|there'?s)\s+"
                      r"(?:can|could|will|would|have|get|don'?t|won'?t|is|are|has)\b[^,.;!?。！？\n]*")
_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(?P<u>seconds?|secs?|s\b|%|percent|秒)")
_BARE = re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)(?!\s*(?:[\d.]|%|percent|x\b|s\b|secs?\b|seconds?\b|minutes?\b|"
                   r"mins?\b|photos?\b|pics?\b|pictures?\b|images?\b|slides?\b|shots?\b|秒|张|倍))")


def distractors(norm: str, parsed: Parsed) -> str:
    """``norm`` with every distractor blanked out (and noted for the reply)."""
    norm = _PURPOSE.sub(lambda m: " " * len(m.group(0)), norm)  # "… so people can read the text": a reason
    if not re.search(r"\d", norm):
        return norm
    for m in reversed(list(_DISTRACTOR.finditer(norm))):
        words = m.group("x")
        if not re.search(r"\d", words):
            continue
        parsed.notes.append(("distractor", {"words": words.strip()}))
        rest = norm[m.end():]
        unit = _UNIT.search(words)
        bare = _BARE.search(rest[:60])
        if unit and bare:  # "… but let's do 25": 25 of the same unit
            at = bare.end()
            rest = rest[:at] + " " + unit.group("u") + rest[at:]
        named = "platform" if m.group("platform") else "zplatform" if m.group("zplatform") else ""
        keep = m.end(named) - m.start() if named else 0  # the platform is still wanted
        norm = norm[: m.start() + keep] + " " * (len(words) - keep) + rest
    return norm


# --- durations and their role ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TimedAmount:
    """A duration with the role its cues give it: "per_photo" or "total"; ``sign`` +1/-1 for "N s
    longer/shorter" (a change), 0 for an exact length."""

    ms: int
    start: int
    end: int
    role: str
    sign: int
    score: float


#: Cues that a length is each photo's: "each photo", "every pic", "per photo", "apiece", "每张", "一张图".
_EACH_BEFORE = re.compile(rf"\b(?:each|every|per|all(?:\s+the)?)\s+(?:single\s+)?(?:{PHOTO_NOUN}|one)\b|\beach\b|"
                          r"每张|每一张|每个|每幅|每页|每一页|(?<!\d)1\s*(?:张|页)(?:图|照片|图片)?|一(?:张|页)(?:图|照片|图片)?")
_EACH_AFTER = re.compile(rf"^\s*(?:左右|上下|or\s+so|ish)?\s*(?:each|apiece|a\s+piece|per\s+(?:{PHOTO_NOUN}|one)|(?:for\s+)?(?:each|every|a|an|on\s+each)\s+"
                         rf"(?:{PHOTO_NOUN})|一张|每张)\b")
_TOTAL = re.compile(rf"\b(?:{VIDEO_NOUN}|total|overall|whole|entire|in\s+all|altogether)\b|一共|总共|总长|视频")
#: "each photo in the video": the video named as the photos' place, not as the length's subject.
_IN_THE_VIDEO = re.compile(r"\b(?:in|of|for)\s+the\s+(?:video|clip|slideshow|reel)\b")
_MORE_AFTER = re.compile(r"^\s*(?:(?P<more>longer|more|extra)|(?P<less>shorter|less|fewer))\b")
#: After "each photo" a bare 长/短 is a change too ("每张照片短一秒").
_LONGER_ZH, _SHORTER_ZH = alternation([*ZH_LENGTH_MORE, "长", "extra", "additional", "another"]), alternation([*ZH_LENGTH_LESS, "短"])
DELTA_BEFORE = _MORE_BEFORE = re.compile(rf"{ZH_LENGTH_NOT_AFTER}(?:(?P<more>{_LONGER_ZH})|(?P<less>{_SHORTER_ZH})){ZH_LENGTH_FILL}$")


def timed_amounts(text: str) -> list[TimedAmount]:
    """Every duration of a clause with its scored role (competing readings: per photo vs the whole video)."""
    out = []
    for d in find_durations(text):
        before, after = text[max(0, d.start - 50): d.start], text[d.end: d.end + 30]
        per = 3.0 if _EACH_AFTER.match(after) else 0.0
        cues = list(_EACH_BEFORE.finditer(before))
        cue = cues[-1] if cues else None
        if cue is not None:
            near = len(before) - cue.end() <= 12  # "每张2秒", "each photo 2 s": the cue right before it
            between = _IN_THE_VIDEO.sub(" ", before[cue.end():])
            per = max(per, (3.0 if near else 2.5) if not _TOTAL.search(between) else 0.5)
        total = 1.0 + (1.0 if _TOTAL.search(_IN_THE_VIDEO.sub(" ", before + after)) else 0.0)
        step = _MORE_AFTER.match(after) or _MORE_BEFORE.search(before)
        sign = 0 if not step else (1 if step.group("more") else -1)
        role = "per_photo" if per > total else "total"
        out.append(TimedAmount(d.ms, d.start, d.end + (step.end() if step and step.re is _MORE_AFTER else 0), role, sign,
                               abs(per - total)))
    return out


# --- photo selections ----------------------------------------------------------------------------------------
#: Between two photo numbers; the noun may be said again ("photo 1到photo 4", "pic 2 to pic 5").
_SEP = (rf"(?:张?\s*(?:,|&|\band\b|、|，|和|-|–|~|\bto\b|\bthrough\b|\bthru\b|到|至)\s*(?:第|(?:{PHOTO_NOUN})\s*#?\s*)?"
        r"|\s+(?=\d))")  # "第2张到第4张"; "only pics 1 3 and 6": spaces between numbers
_LIST = re.compile(rf"(?:{PHOTO_NOUN})\s*(?:#\s*)?(?P<list>\d+(?:{_SEP}\d+(?![\d.]){UNIT_AFTER})+)|"
                   rf"第(?P<zlist>\d+(?:{_SEP}\d+)+)\s*张")
_FIRST_LAST = re.compile(rf"\b(?:the\s+)?first\s+(?:{PHOTO_NOUN}\s+)?(?:and|&)\s+(?:the\s+)?last\s+(?:{PHOTO_NOUN})|"
                         r"第一张和最后一张|第1张和最后1张|首尾两张")
_LAST_N = re.compile(rf"\b(?:the\s+)?last\s+(?P<n>\d+)\s+(?:[a-z]+\s+)?(?:{PHOTO_NOUN})|最后\s*(?P<zn>\d+)\s*张")
_FIRST_N = re.compile(r"(?<![第\d])前\s*(?P<zn>\d+)\s*张")
#: "前两张和最后一张", "the first 2 and the last 3 photos".
FIRST_AND_LAST = re.compile(rf"(?<![第\d])前\s*(?P<za>\d+)\s*张(?:照片|图片)?\s*(?:和|加上?|跟|以及)\s*最后\s*(?P<zb>\d+)\s*张|"
                             rf"\b(?:the\s+)?first\s+(?P<a>\d+)\s+(?:{PHOTO_NOUN}\s+)?(?:and|&|plus)\s+(?:the\s+)?last\s+(?P<b>\d+)\b")


#: "keep only 1, 3 and 5": numbers after keep/use only are photos (clauses.py keeps the list in one clause).
_BARE_LIST = re.compile(rf"{PICK_LEAD}(?P<list>\d{{1,2}}(?:{_SEP}\d{{1,2}}(?![\d.]))+)"
                        rf"{UNIT_AFTER}")


def photo_selection(text: str) -> list[int] | None:
    """The photos a request builds from, in order (-1 is the last): "pics 2, 5 and 8", "photos 6 through 10",
    "第4到第7张", "the first and last photo only", "the last three pics", "最后2张"."""
    m = _LIST.search(text) or _BARE_LIST.search(text)
    if m:
        return _expand(m.group("list") or m.groupdict().get("zlist"))
    if _FIRST_LAST.search(text):
        return [1, -1]
    m = FIRST_AND_LAST.search(text)
    if m:
        a, b = int(m.group("a") or m.group("za")), int(m.group("b") or m.group("zb"))
        return list(range(1, a + 1)) + [-b + k for k in range(b)]
    m = _LAST_N.search(text)
    if m:
        n = int(m.group("n") or m.group("zn"))
        return [-n + k for k in range(n)]
    m = _FIRST_N.search(text)  # "用前三张做个视频"
    return list(range(1, int(m.group("zn")) + 1)) if m else None


def _expand(spec: str) -> list[int]:
    """"2 & 5 & 8" → [2, 5, 8]; "6 through 10" → [6…10]; "10-6" counts down."""
    pick: list[int] = []
    for part in re.split(r"\s*(?:,|\band\b|&|、|，|和)\s*|(?<=\d)\s+(?=\d)", spec.replace("第", "").replace("张", "")):
        ends = [int(x) for x in re.findall(r"\d+", part)]
        if len(ends) == 2:
            pick.extend(range(ends[0], ends[1] + 1) if ends[0] <= ends[1] else range(ends[0], ends[1] - 1, -1))
        else:
            pick.extend(ends)
    return list(dict.fromkeys(pick))
