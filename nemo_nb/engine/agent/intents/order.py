"""The order of the photos: reverse, shuffle, sort, swap, move.

``ORDER_FRAMES`` is read top to bottom; the first sub-frame that recognises its verb frame in the
clause fills its slots and ends the reading (they all talk about the same object: the order).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..entities import photo_selection
from ..model import Parsed
from ..refs import find_refs, ordinal_value
from ..vocab import PHOTO_NOUN, verb
from .base import Clause, add, frame_of

#: Whole-order changes: (mode, pattern).
_MODES = [
    ("reverse", r"\breverse\s+(?:the\s+)?(?:order|sequence)\b|\bin\s+reverse(?:\s+order)?\b|\breverse\s+(?:the\s+|all\s+"
                rf"(?:the\s+)?)?(?:{PHOTO_NOUN})\b|\breverse\s+(?:it|them|everything|all|the\s+(?:whole\s+)?(?:thing|video|"
                r"slideshow))\b|^\s*reverse\s*$|\bflip\s+(?:the\s+)?(?:order|sequence)\b|\bbackwards\b|\breversed\b|倒序|反转顺序|顺序反过来|倒过来|反过来"),
    ("shuffle", r"\bshuffle\b|\brandomi[sz]e\b|\bmix\s+up\s+(?:the\s+)?(?:order|photos)\b|\brandom\s+order\b|打乱|随机顺序|随机排列"),
    ("sort", r"\bsort\s+(?:them\s+|the\s+photos\s+)?(?:by\s+name|alphabetically)\b|\balphabetical\s+order\b|按名字排序|按文件名排序"),
]
_SWAP_ENDS = (rf"{verb('swap')}\s+(?:the\s+)?(?:order\s+of\s+(?:the\s+)?)?(?P<which>first|last)\s+(?:2|two)"
              rf"(?:\s+{PHOTO_NOUN})?\b|(?:交换|调换|对调|互换)(?:一下)?前(?:2|两)张|前(?:2|两)张(?:交换|调换|对调|互换)")
_SWAP_NUMBERS = (rf"{verb('swap')}\s+(?:the\s+)?(?:(?:{PHOTO_NOUN})\s*|#\s*)?(?P<a>\d+)\s*(?:and|with|&|,|<->)\s*"
                 rf"(?:(?:{PHOTO_NOUN})\s*|#\s*)?(?P<b>\d+)\b(?!\s*(?:s|sec|secs|seconds?|%|:|x))|"
                 r"(?:第\s*)?(?P<za>\d+)\s*张?\s*(?:和|与|跟)\s*(?:第\s*)?(?P<zb>\d+)\s*张?\s*(?:交换|调换|对调|互换|换)")
_SWAP_VERB = (rf"{verb('swap')}|\bchange\s+(?:the\s+)?(?:positions?|places?|order|spots?)\s+(?:of|between|for)\b|"
              r"换一?下?位置|换个位置|位置互换|位置交换|换一下|换下")
_TO_END = (rf"(?:{PHOTO_NOUN})\s*#?\s*(?P<n>\d+)\s+(?:should\s+be\s+|be\s+|is\s+|as\s+)?(?:the\s+)?"
           r"(?P<to>first|last|final)(?:\s+(?:one|photo|pic|picture|image))?\b")
_MOVE_VERB = (r"\b(?:put|move|place|make|set|bring|shift|drag|push|have|show|reposition|relocate)\b|把|将"
              r"|(?<=[张个片图\d])\s*(?:放到|移到|挪到|放在|移动到|排到|调到|放|挪|移|排)")  # "第一张放到最后": no 把 needed
_DEST = (
    r"\b(?:to|at|as|in)\s+(?:the\s+)?(?:very\s+)?(?P<first>first|start|beginning|front|top|opening)\b(?:\s+(?:position|place|slot|one))?"
    r"|\b(?:to|at|as|in)\s+(?:the\s+)?(?:very\s+)?(?P<last>last|end|back|bottom|finish|closing)\b(?:\s+(?:position|place|slot|one))?"
    r"|\b(?P<first2>first)\b(?!\s+(?:\d|photo|image|picture|pic|slide|one))|\b(?P<last2>last)\b(?!\s+(?:\d|photo|image|picture|pic|slide|one))"
    r"|\b(?:to|at|in|into)\s+(?:the\s+)?(?:position|place|slot|spot)\s*(?:number\s*|#\s*)?(?P<pos>\d+)\b"
    r"|\b(?:to|at|as)\s+(?:the\s+)?(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"(?:\s+(?:position|place|slot|one|photo))?\b"
    r"|\b(?:in|to|into|at)\s+the\s+(?P<middle>middle|center|centre)\b"
    r"|\b(?P<rel>before|after|in\s+front\s+of|behind)\b"
    r"|(?:放到|移到|挪到|放在|移动到|调到|排到|放)(?:最)?(?P<zfirst>前面|开头|第一|第1|最前|前)"
    r"|(?:放到|移到|挪到|放在|移动到|调到|排到|放)(?:最)?(?P<zlast>后面|结尾|最后|末尾|后)"
    r"|(?:放到|移到|挪到|放在|移动到|调到|排到)第\s*(?P<zpos>\d+)")



def _mode(c: Clause, p: Parsed, names: list[str]) -> bool:
    for mode, pattern in _MODES:
        m = c.search(pattern)
        if m:
            add(p, c, "reorder", m.start(), mode=mode)
            return True
    return False


_SET = r"(?:\border|顺序)\s*(?:should\s+be|is|to|:|=|改成|改为|换成|调成)?\s*(?P<list>\d+(?:[\s,，、]+\d+){2,})"


def _set_order(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"order should be 2 1 3 4 5 6", "3 then 1 then 2", "顺序改成3 1 2 4 5 6"."""
    m = c.search(_SET)
    if m:
        add(p, c, "reorder", m.start(), mode="set", order=[int(n) for n in re.findall(r"\d+", m.group("list"))])
    return bool(m)


def _swap_ends(c: Clause, p: Parsed, names: list[str]) -> bool:
    m = c.search(_SWAP_ENDS)
    if m:
        last = (m.group("which") or "") == "last"
        add(p, c, "reorder", m.start(), mode="swap", a={"index": -2 if last else 1}, b={"index": -1 if last else 2})
    return bool(m)


def _swap_numbers(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"swap photos 2 and 5", "swap 1 and 3", "switch #2 with #4" (bare numbers are positions here)."""
    m = c.search(_SWAP_NUMBERS)
    if m:
        a, b = int(m.group("a") or m.group("za")), int(m.group("b") or m.group("zb"))
        add(p, c, "reorder", m.start(), mode="swap", a={"index": a}, b={"index": b})
    return bool(m)


def _swap_refs(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"switch the first and last photos", "交换第一张和第三张"."""
    verb_m = re.search(_SWAP_VERB, c.text)
    refs = find_refs(c.text, names, bare_ordinals=True, bare_names=True) if verb_m else []
    if not verb_m or len(refs) < 2:
        return False
    for r in refs[:2]:
        c.blank(r.start, r.end)
    c.blank(verb_m.start(), verb_m.end())
    add(p, c, "reorder", verb_m.start(), mode="swap", a=refs[0].ref, b=refs[1].ref)
    return True


def _to_ends(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"make photo 3 the first one and photo 1 the last one": each numbered photo, then its new end."""
    ends = list(re.finditer(_TO_END, c.text))
    if len(ends) < 2:
        return False
    moved: list[tuple[int, str]] = []  # the numbers are positions before this request: follow earlier moves
    for m in ends:
        c.blank(m.start(), m.end())
        at, to = int(m.group("n")), "first" if m.group("to") == "first" else "last"
        for prev, prev_to in moved:
            if prev_to == "first":
                at = 1 if at == prev else (at + 1 if 0 < at < prev else at)
            else:
                at = -1 if at == prev else (at - 1 if at > prev else at)
        moved.append((at, to))
        add(p, c, "reorder", m.start(), mode="move", ref={"index": at}, to=to)
    c.search(r"\b(?:make|put|set|have)\b")
    return True


def _lead_close(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"start with the rocket", "end with the astronaut", "以第一张开头"."""
    lead = re.search(r"\b(?:start|open|begin|lead|kick\s+off)\s+with\b|以(?=第|最后)|"  # "pic 4 should open the video"
                     r"\b(?:open|opens|start|starts|begin|begins|kick\s+off|kicks\s+off|lead|leads)\s+(?:the\s+)?(?:video|clip|"
                     r"slideshow|reel|thing|whole\s+thing)\b", c.text)
    close = re.search(r"\b(?:end|finish|close|wrap\s+up)\s+(?:with|on)\b|\b(?:close|closes|end|ends|finish|finishes|"
                      r"wrap\s+up|wraps\s+up)\s+(?:the\s+)?(?:video|clip|slideshow|reel|thing|whole\s+thing)\b", c.text)
    refs = find_refs(c.text, names, bare_ordinals=True, bare_names=True) if lead or close else []
    if not refs:
        return False
    r, m = refs[0], lead or close
    c.blank(r.start, r.end)
    c.blank(m.start(), m.end())
    c.search(r"开头|结尾")
    add(p, c, "reorder", m.start(), mode="move", ref=r.ref, to="first" if lead else "last")
    return True


def _move_verb(c: Clause, names: list[str]) -> re.Match[str] | None:
    t = c.text
    found = (re.search(_MOVE_VERB, t) or re.search(rf"\b(?:{PHOTO_NOUN})\b[^,]*?\b(?:should|must|to)\s+(?:be|go|come)\b", t)
             or re.search(rf"\b(?:{PHOTO_NOUN})\s*#?\s*\d+(?=\s+(?:right\s+|just\s+)?(?:before|after|in\s+front\s+of|behind)\s+"
                          rf"(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*\d+)", t))  # "pic 6 before pic 2"
    if found:
        return found
    # No verb, a photo and a place: "pic 4 first", "the cat photo last", "photo 2 to the end".
    refs = find_refs(t, names)
    if refs and re.match(r"\s*(?:goes\s+|comes\s+|should\s+(?:be|go|come)\s+)?(?:first|last|to\s+the\s+(?:start|end|"
                         r"front|back|beginning))\s*$", t[refs[0].end:]) and re.fullmatch(r"\s*(?:now\s+)?(?:the\s+)?",
                                                                                   t[: refs[0].start]):
        return re.search(r"\s*", t)
    return None


def _destination(dest: re.Match[str], c: Clause, names: list[str]) -> object | None:
    """Where a moved photo goes: "first", "last", "middle", {"index": n}, {"before"/"after": ref}."""
    if dest.group("first") or dest.group("first2") or dest.group("zfirst"):
        return "first"
    if dest.group("last") or dest.group("last2") or dest.group("zlast"):
        return "last"
    if dest.group("middle"):
        return "middle"
    if dest.group("pos") or dest.group("zpos"):
        return {"index": int(dest.group("pos") or dest.group("zpos"))}
    if dest.group("ord"):
        return {"index": ordinal_value(dest.group("ord")) or 1}
    later = find_refs(c.text[dest.end():], names, bare_ordinals=True, bare_names=True)
    if not later:
        return None
    rel = "before" if dest.group("rel") in ("before", "in front of") else "after"
    c.blank(dest.end() + later[0].start, dest.end() + later[0].end)
    return {rel: later[0].ref}


def _move(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"put the cat photo last", "move photo 3 to the start", "把第一张放到最后"."""
    verb_m = _move_verb(c, names)
    dest = re.search(_DEST, c.text) if verb_m else None
    refs = find_refs(c.text[: dest.start()], names, bare_names=True) if dest else []
    if not (verb_m and dest and refs):
        return False
    to = _destination(dest, c, names)
    if to is None:
        return False
    several = photo_selection(c.text[: dest.start()]) if to in ("first", "last") else None
    c.blank(refs[0].start, refs[0].end)
    c.blank(dest.start(), dest.end())
    c.blank(verb_m.start(), verb_m.end())
    if several and len(several) > 1 and all(n > 0 for n in several):  # "put photos 11 and 12 at the beginning"
        add(p, c, "reorder", verb_m.start(), mode="set", order=several, at=to)
    else:
        add(p, c, "reorder", verb_m.start(), mode="move", ref=refs[0].ref, to=to)
    return True


ORDER_FRAMES: list[Callable[[Clause, Parsed, list[str]], bool]] = [
    _mode, _set_order, _swap_ends, _swap_numbers, _swap_refs, _to_ends, _lead_close, _move]
order = frame_of(ORDER_FRAMES)
