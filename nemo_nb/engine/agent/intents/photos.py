"""Choosing photos: remove some, keep some, put all back."""

from __future__ import annotations

import re

from ..entities import FIRST_AND_LAST
from ..model import Parsed
from ..refs import find_refs, ordinal_value
from ..vocab import ATTRIBUTE_ZH, NOT_WANTED, PHOTO_NOUN, ZH_BETWEEN, ZH_HEAD, ZH_TAIL, verb
from .base import Clause, add, frame_of

_KEEP = (rf"\b(?:only|just)\s+(?:use|keep|show|include|want)?\s*(?:the\s+)?(?P<fl>first|last)?\s*(?P<n>\d+)\s*"
         rf"(?:{PHOTO_NOUN}|(?(fl)(?=\s*$)|(?!)))|\b(?:use|keep|show|include)\s+(?:only\s+|just\s+)?(?:the\s+)?(?P<fl2>first|last)\s+"
         rf"(?P<n2>\d+)(?:\s+{PHOTO_NOUN})?|(?:只|就)(?:用|要|保留|留)(?P<zfl>前面?|后面?|最后)?\s*(?P<zn>\d+)\s*张|"
         rf"\b(?:the\s+)?(?P<fl3>first|last)\s+(?P<n3>\d+)\s+(?:{PHOTO_NOUN})\s+(?:only|alone)\b")  # "first 10 pics only"
_ALL_BACK = (rf"\b(?:use|include|add|put\s+back|bring\s+back)\s+(?:all|every|each)\s+(?:of\s+)?(?:the\s+|my\s+)?"
             rf"(?:{PHOTO_NOUN})\b(?!\s+(?:except|but|minus|apart|other\s+than|besides|excluding|save))|\b(?:add|include|use)\s+the\s+(?:rest|remaining|other|new)\b(?:\s+{PHOTO_NOUN})?|"
             rf"用上?所有(?:的)?(?:照片|图片)|加上?(?:其余|剩下|新)的?(?:照片|图片)")
_DROP_ENDS = (rf"(?:{verb('remove')}|\b(?:all|everything|every\s+(?:{PHOTO_NOUN}|one))\s+(?:but|except(?:\s+for)?))\s+(?:the\s+)?"
              rf"(?P<fl>first|last|final)\s+(?P<n>\d+)(?:\s+{PHOTO_NOUN})?\b|"
              rf"(?:{verb('remove')})\s*(?:(?P<zfl>{ZH_HEAD})|{ZH_TAIL})\s*(?P<zn>\d+)\s*张|"
              rf"(?:(?P<zfl2>{ZH_HEAD})|{ZH_TAIL})\s*(?P<zn2>\d+)\s*张(?:照片|图片|图)?{ZH_BETWEEN}"
              rf"(?:{verb('remove')}|{NOT_WANTED})")
#: "remove photo 3", "drop the 2nd picture", "don't use the cat photo", "everything except photo 3".
#: "除了第1张都用上", "除了第2张其他都用": every photo but the ones named (the verb comes after them).
_BUT_ZH = r"(?:除了|除去|除开)(?=[第\d\s、，,和到至张照片图最后一倒数]{1,24}(?:以外|之外)?[，,]?\s*(?:其他|其余|别的|剩下)?的?(?:照片|图片)?(?:都|全)(?:用|要|放|留))"
_REMOVE_VERB = (rf"{verb('remove')}|\bdon'?t\s+(?:use|include|show|want)\b|{NOT_WANTED}|{_BUT_ZH}|"
                rf"\b(?:everything|all|every|each)\s+(?:of\s+)?(?:the\s+|my\s+|our\s+)?(?:(?:{PHOTO_NOUN}|ones?)\s+)?"
                rf"(?:except(?:\s+for)?|but|minus|apart\s+from|other\s+than|besides|excluding|save\s+for)\b")
_AFTER = (rf"\b(?:everything|all(?:\s+the\s+(?:photos|pics|pictures))?|the\s+rest)\s+(?P<dir>after|before)\s+"
          rf"(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*(?P<n>\d+)")
_ORDINAL = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)"



def _keep(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"just use the first 2 photos", "keep only the last 3 pictures", "只要最后三张", "只留前三张"."""
    if FIRST_AND_LAST.search(c.text):  # "the first 2 and the last 2": a selection the build reads
        return False
    m = c.search(_KEEP)
    if m:
        n = int(m.group("n") or m.group("n2") or m.group("zn") or m.group("n3"))
        last = (m.group("fl") or m.group("fl2") or m.group("fl3")) == "last" or m.group("zfl") in ("后", "后面", "最后")
        add(p, c, "remove_photos", m.start(), **({"keep_last": n} if last else {"keep_first": n}))
    return bool(m)


def _all_back(c: Clause, p: Parsed, names: list[str]) -> bool:
    m = c.search(_ALL_BACK)
    if m:
        add(p, c, "build", m.start(), include_all=True)
    return bool(m)


_ADD_BACK = (rf"\b(?:add|include|bring)\s+(?:back\s+)?(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*(?P<n>\d+)\b(?!\s*(?:s|sec|secs|seconds?)\b)"
             r"(?:\s+back)?(?:\s+(?:in|at\s+the\s+end|to\s+the\s+end))?|(?:把)?第\s*(?P<zn>\d+)\s*张(?:照片|图片)?\s*"
             r"(?:加到|加回|放回|加在)(?:最后|结尾|后面|来)?")


def _add_back(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"add photo 10 at the end", "再把第10张加到最后": an upload that is not in the video goes at its end."""
    m = c.search(_ADD_BACK)
    if m:
        add(p, c, "build", m.start(), append=[int(m.group("n") or m.group("zn"))])
    return bool(m)


def _after(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"get rid of everything after photo 4": keep the first four."""
    m = c.search(_AFTER) if re.search(_REMOVE_VERB, c.text) else None
    if m:
        n = int(m.group("n"))
        add(p, c, "remove_photos", m.start(), **({"keep_first": n} if m.group("dir") == "after" else {"drop_first": n - 1}))
    return bool(m)


#: "remove the middle two", "drop the 2 in the middle", "中间那两张删掉", "删掉中间两张": photos counted from the middle.
_DROP_MIDDLE = (rf"(?:{verb('remove')})\s+(?:the\s+)?(?:middle\s+(?P<n>\d+)|(?P<n2>\d+)\s+(?:{PHOTO_NOUN}\s+)?in\s+the\s+middle)|"
                rf"(?:删除|删掉|去掉|移除)中间(?:那|的)?\s*(?P<zn>\d+)\s*张|"
                rf"中间(?:那|的)?\s*(?P<zn2>\d+)\s*张(?:照片|图片)?\s*(?:{verb('remove')}|{NOT_WANTED})")


#: "use only the middle 4 photos", "只要中间两张": those and no others.
_KEEP_MIDDLE = (r"\b(?:(?:only|just)\s+(?:use\s+|keep\s+)?|(?:use|keep)\s+(?:only\s+|just\s+)?)(?:the\s+)?middle\s+(?P<n>\d+)|"
                r"(?:只|就)(?:用|要|留|保留)中间(?:的|那)?\s*(?P<zn>\d+)\s*张")


def _drop_ends(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"skip the first two pics", "remove the last 3", "前两张不要"; "the middle two" likewise."""
    keep = c.search(_KEEP_MIDDLE)
    if keep:
        add(p, c, "remove_photos", keep.start(), keep_middle=int(keep.group("n") or keep.group("zn")))
        return True
    mid = c.search(_DROP_MIDDLE)
    if mid:
        add(p, c, "remove_photos", mid.start(), middle=int(next(g for g in mid.groups() if g)))
        return True
    m = c.search(_DROP_ENDS)
    if m:
        n = int(m.group("n") or m.group("zn") or m.group("zn2"))
        first = (m.group("fl") or "") == "first" or bool(m.group("zfl") or m.group("zfl2"))
        add(p, c, "remove_photos", m.start(), **({"drop_first": n} if first else {"drop_last": n}))
    return bool(m)


def _removed_refs(rest: str, names: list[str]) -> tuple[list[dict], tuple[int, int] | None]:
    """The photos named after a removal verb, and the span they take."""
    multi = re.search(rf"(?P<list>(?:(?:the\s+)?(?:{_ORDINAL})(?:\s*,\s*|\s+and\s+|\s*&\s*)?)+)\s+(?:{PHOTO_NOUN})", rest)
    words = re.findall(_ORDINAL, multi.group("list")) if multi else []
    if len(words) > 1:  # "remove the second and third photos"
        return [{"index": ordinal_value(w)} for w in words], multi.span()
    nums = re.search(rf"(?:{PHOTO_NOUN})\s*(?P<list>\d+(?:\s*(?:,|and|&)\s*\d+)+)", rest)
    if nums:
        return [{"index": int(x)} for x in re.findall(r"\d+", nums.group("list"))], nums.span()
    bare_list = re.match(r"\s*(?P<list>\d{1,2}(?:\s*(?:,|\band\b|&|、|和)\s*\d{1,2})+)\s*$", rest)
    if bare_list:  # "all except 2 and 5"
        return [{"index": int(x)} for x in re.findall(r"\d+", bare_list.group("list"))], bare_list.span("list")
    refs = find_refs(rest, names, bare_names=True) or find_refs(rest, names, bare_ordinals=True)  # "all except the 4th"
    bare = re.match(r"\s*(?:(?:number|no\.?|#)\s*)?(?P<n>\d{1,2})(?![\d.])(?!\s*(?:s|secs?|seconds?|%|x)\b|\s*秒)", rest)
    if not refs and bare and (bare.group(0).strip()[0] in "n#" or not rest[bare.end():].strip()):  # "del 4", "but number 5"
        return [{"index": int(bare.group("n"))}], (0, bare.end())
    return [r.ref for r in refs], (refs[0].start, refs[-1].end) if refs else None


#: A run of photos by number: "第2到第4张", "photos 2 to 4", "pics 3-5".
_RUN = re.compile(rf"第\s*(?P<za>\d+)\s*张?\s*(?:到|至|~|-|–)\s*第?\s*(?P<zb>\d+)\s*张|"
                  rf"(?:{PHOTO_NOUN})\s*#?\s*(?P<a>\d+)\s*(?:-|–|to|through|thru)\s*#?\s*(?P<b>\d+)\b(?!\s*(?:s|secs?|seconds?)\b)")


def _remove_run(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"第2到第4张不要了", "删掉第2到4张", "remove photos 2 to 4": every photo of the run."""
    verb_m = re.search(_REMOVE_VERB, c.text)
    run = _RUN.search(c.text) if verb_m else None
    if not run:
        return False
    a, b = int(run.group("za") or run.group("a")), int(run.group("zb") or run.group("b"))
    c.blank(*run.span())
    c.blank(verb_m.start(), verb_m.end())
    add(p, c, "remove_photos", verb_m.start(), refs=[{"index": i} for i in range(min(a, b), max(a, b) + 1)])
    return True


def _remove(c: Clause, p: Parsed, names: list[str]) -> bool:
    verb_m = re.search(_REMOVE_VERB, c.text)
    if not verb_m:
        return False
    rest = c.text[verb_m.end():]
    found, span = _removed_refs(rest, names)
    if span and not re.fullmatch(r"\s*(?:(?:the|my|our|that|this|those|these|both|of)\s+)*", rest[: span[0]]):
        found, span = [], None  # "turn off the zoom on photo 2": the photo is not what is removed
    if not found and not verb_m.group(0).isascii():
        # Chinese puts the verb last: "第二张和第四张删掉": every photo named before the verb.
        before = find_refs(c.text[: verb_m.start()], names)
        found, span = [r.ref for r in before], (before[0].start - verb_m.end(), before[-1].end - verb_m.end()) \
            if before else None
    if not found or span is None:
        return False
    if re.match(ATTRIBUTE_ZH, c.text[verb_m.end() + span[1]:]) or (span[0] < 0 and re.match(ATTRIBUTE_ZH, rest)):
        return False  # "去掉第一张的动效", "第二张去掉动画": that photo's motion, not the photo
    c.blank(verb_m.end() + span[0], verb_m.end() + span[1])
    c.blank(verb_m.start(), verb_m.end())
    add(p, c, "remove_photos", verb_m.start(), refs=found)
    return True


_PHOTO_FRAMES = [_keep, _all_back, _add_back, _after, _drop_ends, _remove_run, _remove]
remove_photos = frame_of(_PHOTO_FRAMES)
