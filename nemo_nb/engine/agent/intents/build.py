"""Making a video from the uploads: which photos, how many, one or several."""

from __future__ import annotations

import re

from ..entities import photo_selection
from ..model import Parsed
from ..refs import ordinal_value
from ..vocab import BUILD_VERB, FILLER_RE, PHOTO_NOUN, VIDEO_NOUN
from .base import PICK_ONE, Clause, add, blank_all

# --- building a video from the uploads -----------------------------------------------------------------


def _picked_photos(t: str) -> list[int] | None:
    """"using photos 1, 3 and 5", "with pics 2-4", "用第1、3、5张", "using photo 2": those photos, in that order."""
    pick = photo_selection(t)
    if pick:
        return pick
    one = re.search(PICK_ONE, t) or re.search(_ONLY_ONE, t)
    if not one:
        return None
    return [int(one.group("one"))] if one.groupdict().get("one") else [ordinal_value(one.group("o") or one.group("o2")) or 1]


_ONLY_ONE = (rf"\b(?:only|just)\s+(?:use\s+)?(?:the\s+)?(?P<o>first|second|third|fourth|fifth|sixth|seventh|"
             rf"eighth|ninth|tenth|last)\s+(?:{PHOTO_NOUN})\b|\b(?:the\s+)?(?P<o2>first|second|third|fourth|"
             rf"fifth|sixth|seventh|eighth|ninth|tenth|last)\s+(?:{PHOTO_NOUN})\s+(?:only|alone)\b")


#: "use 5 of these photos", "just use 3 photos", "with 6 of the photos", "先用这里面的4张照片", "挑4张": that many
#: photos (a count of products, years or people is no selection: the distractor stage drops those).
_COUNT = (rf"\b(?:use|using|pick|choose|select|take|with|only|just)\s+(?:only\s+|just\s+|like\s+|about\s+|around\s+|"
          rf"maybe\s+)?(?:the\s+)?(?:best\s+)?(?P<n>\d+)\s+(?:of\s+(?:these|those|the|my|them|our|all)\s+(?:{PHOTO_NOUN})|"
          rf"of\s+(?:them|these|those)\b|(?:[a-z]+\s+)?(?:{PHOTO_NOUN})\b)|"
          rf"\b(?:pick|choose|select)\s+(?:the\s+)?(?:best|top|nicest|strongest)\s+(?P<n2>\d+)\b|(?:用|挑|选|要|拿)(?:出)?(?:这里面的|这里面|里面的|其中的?|这些里的)?(?P<z>\d+)\s*张")


def build(c: Clause, p: Parsed, names: list[str]) -> None:
    # Read the whole clause: "a 16 second vertical story" is a build even though "story" set the aspect.
    t = c.orig
    fresh = re.search(r"\bstart\s+(?:over|again|from\s+scratch)\b|\bfrom\s+scratch\b|\breset\b|重新开始|重来|从头开始", t)
    if fresh:
        c.blank(fresh.start(), fresh.end())
        pick = _picked_photos(c.text)  # "start over with only photos 2 and 3"
        if pick:
            blank_all(c, [PHOTO_NOUN, r"\b(?:with|only|just|using|\d+|and)\b|&"])
        add(p, c, "build", fresh.start(), fresh=True, **({"pick": pick} if pick else {}))
        return
    knob = re.search(r"\b(?:turn|switch)(?:ing|ed|s)?\s+(?:(?:off|up|down|on)\b|(?:\w+\s+){1,3}?(?:off|up|down|on)\b)", t) \
        and not re.search(r"\binto\b|变成|做成", t)  # "turn the music up", "turn off the title": not a build
    en = (not knob and (re.search(BUILD_VERB, t) and (
        re.search(rf"\b(?:a|an|into|to|as|new|my|one)\s+(?:[\w:.%-]+\s+){{0,6}}?(?:{VIDEO_NOUN})\b", t)
        or re.search(rf"\b(?:turn|convert|animate|transform|combine|stitch|compile|use|bring|pick|choose|select)\b[^,]*?\b(?:these|those|them|"
                     rf"this|my|the|all|\d+)\b[^,]*?(?:{PHOTO_NOUN})?", t)
        or re.search(r"\b(?:slideshow|slide\s+show|montage|photo\s+video)\b", t)))) or \
        re.search(rf"(?:{VIDEO_NOUN}|\bslideshow)\s+(?:from|with|using|of)\s+(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*\d", t) or \
        (re.search(rf"\b(?:only|just)\s+use\s+(?:the\s+)?(?:first|last|second|third)\s+(?:{PHOTO_NOUN})", t)
         and re.search(rf"\b(?:{VIDEO_NOUN})\b", t))
    zh = re.search(r"(?:做成|制作|生成|变成|转成|转换成|转为|合成|剪成|弄成|制成|做一个|做1个|做个|生成一个|生成1个|做一段|做1段|来一个|来1个|来个)"
                   r"[^，,。]{0,12}?(?:视频|短片|动画|幻灯片|影片|相册|mp4)|把(?:这些|这张|这几张|所有|全部)?(?:照片|图片|相片)"
                   r"|(?:照片|图片)(?:做|转|变)成", t)
    pick = _picked_photos(t)
    chosen = len(photo_selection(c.text) or []) > 1 and (  # not a selection another frame used ("前两张不要")
        re.search(r"\b(?:only|just|use|using|from|with|pick|choose|select)\b|只用|只要|用|挑|选", t)
        or not re.search(r"[a-z]{3,}", re.sub(rf"{PHOTO_NOUN}|\b(?:through|thru|to|and)\b", " ", t)))  # "photo 6到10"
    alone = re.fullmatch(rf"\s*(?:a\s+|new\s+)?(?:{VIDEO_NOUN})\s*|\s*put\s+(?:these|them|those|it\s+all|everything|all\s+of\s+"
                         rf"(?:these|them))\s+together\s*|\s*(?:帮我)?做(?:个|1个|一个)?(?:视频|短片)\s*",
                         FILLER_RE.sub(" ", t))  # "vid pls", "a video please": the bare request, politely
    counted = re.search(_COUNT, t)
    if not (en or zh or chosen or alone or counted):
        return
    count = None
    m = counted or re.search(rf"\b(?:these|those|the|my|all|first)?\s*(?P<n>\d+)\s+(?:[a-z]+\s+)?(?:{PHOTO_NOUN})\b|(?P<z>\d+)张", t)
    if m and not pick:
        count = int(m.group("n") or m.groupdict().get("n2") or m.group("z"))
    single = re.search(r"\b(?:this|the|a|one|my|single|1)\s+(?:(?!every\b|each\b|all\b)[a-z]+\s+){0,3}?(?:image|photo|picture|pic|illustration|"
                       r"drawing|shot|scene)\b(?!s)|这张|一张|单张", t)
    blank_all(c, [_COUNT, BUILD_VERB, VIDEO_NOUN, PHOTO_NOUN, r"\b(?:these|those|them|this|that|it|my|into|a|an|to|from|with|"
                                                        r"of|the|all|out|as|in|format|static|single|one|new|short|"
                                                        r"animated|\d+|jpe?g|png|webp|heic|gif|product|illustration|"
                                                        r"illustrated|scene|vacation|holiday|travel|some|nice|quick|"
                                                        r"simple|little|cool|for|me|us|using|photo|video)\b|"
                                                        r"做成|制作|生成|变成|转成|转换成|合成|把|这些|这张|的|一个|个|"
                                                        r"张|动态|短"])
    add(p, c, "build", 0, count=count, single=bool(single) and not pick, **({"pick": pick} if pick else {}))

