"""Transitions between photos: type, length, speed, off."""

from __future__ import annotations

import re

from ..model import Parsed
from ..numbers import Duration, find_durations
from ..vocab import (
    DET,
    INTO_EACH_OTHER,
    NOT_WANTED,
    PHOTO_NOUN,
    PLAIN_CUTS,
    SOFT_CUTS,
    TRANSITION_NOUN,
    TRANSITION_TYPES,
    complaint,
    split_remove,
    verb,
)
from .base import REMOVE_BOTH, Clause, add, blank_all

# --- transitions ---------------------------------------------------------------------------------------
_TRANSITION_OFF = (split_remove(TRANSITION_NOUN) + "|" + rf"(?:{verb('remove', 'negate')})\s+{DET}(?:[a-z]+\s+){{0,2}}(?:{TRANSITION_NOUN})|"
                   rf"(?:{TRANSITION_NOUN})\s+off\b|{PLAIN_CUTS}|(?:去掉|删除|不要|取消|关闭)(?:所有的?|那些|这些)?(?:花里胡哨|花哨|复杂|多余|乱七八糟|炫酷|酷炫)?的?(?:转场|过渡)|无转场|"
                   rf"(?:{TRANSITION_NOUN})\s*(?:效果)?\s*(?:都|全部|也)?\s*(?:{verb('remove')}|{NOT_WANTED})")
_TRANSITION_FAST = r"\b(?:quick|quicker|fast|faster|snappy|snappier|short|shorter|brief|rapid|speed\s+(?:them\s+|it\s+)?up)\b|快一?点|更快|短一?点"
_SLOW_COMPLAINT, _FAST_COMPLAINT = complaint("too_slow") + "|" + complaint("too_long"), complaint("too_fast")
_TRANSITION_SLOW = (r"\b(?:slow|slower|long|longer|gentler|smoother|softer|lingering|slow\s+down)\b|慢一?点|更慢|长一?点")


def transitions(c: Clause, p: Parsed, names: list[str]) -> None:
    noun = re.search(TRANSITION_NOUN, c.text)
    strong = re.search(rf"\bcross\s*-?\s*(?:fade|dissolve)s?\b|\bcross\s*-?\s*fad(?:ed|ing)\b|\bdissolves?\b|\bwipes?\b|"
                       rf"\bfade\s+(?:to|through)\s+black\s+between\b|{INTO_EACH_OTHER}|交叉淡化|叠化|溶解|擦除|{SOFT_CUTS}", c.text)
    between = re.search(rf"\bbetween\s+(?:the\s+|each\s+|all\s+)?(?:{PHOTO_NOUN})|\bbetween\s+(?:them|each)\b|"
                        r"(?:照片|图片|相片|每张|张)(?:之间|中间|与照片之间)", c.text)
    # "slide in instead of just cutting": the cuts named, a type wanted instead
    cuts = re.search(rf"{PLAIN_CUTS}|\binstead\s+of\s+(?:just\s+)?cut(?:s|ting)\b", c.text)
    if not (noun or strong or between or cuts):
        return
    off = None if re.search(r"\binstead\s+of\s+(?:just\s+)?(?:cuts?|cutting)\b", c.text) else c.search(_TRANSITION_OFF)
    both = None if off else re.search(REMOVE_BOTH, c.orig)
    if both and re.fullmatch(TRANSITION_NOUN, both.group("second")):  # "remove the music and the transitions"
        c.blank(both.start("second"), both.end("second"))
        off = both
    if off:
        add(p, c, "set_transition", off.start(), type="none")
        return
    kind = None
    for pattern, value in TRANSITION_TYPES:
        m = re.search(pattern, c.text)
        if m:
            kind = value
            c.blank(m.start(), m.end())
            break
    if not (noun or kind):
        return
    durations = [d for d in find_durations(c.text) if d.ms <= 3000 and not _photos_length(c.text, d)]
    ms = None
    if durations:
        ms = durations[0].ms
        c.blank(durations[0].start, durations[0].end)
    speed = None
    slow_said = c.search(_SLOW_COMPLAINT) if noun else None  # "转场太慢了", "the transitions drag": the transitions' own
    fast_said = None if slow_said or not noun else c.search(_FAST_COMPLAINT)  # pace, never the photos'
    if ms is None and (slow_said or fast_said):
        speed = "faster" if slow_said else "slower"
    elif ms is None:
        if re.search(_TRANSITION_FAST, c.text):
            speed = "faster"
        elif re.search(_TRANSITION_SLOW, c.text):
            speed = "slower"
        blank_all(c, [_TRANSITION_FAST, _TRANSITION_SLOW])
    pos = (noun or strong or between or cuts).start() if (noun or strong or between or cuts) else 0
    for m in (noun, between):
        if m:
            c.blank(m.start(), m.end())
    add(p, c, "set_transition", pos, type=kind, ms=ms, speed=speed)



def _photos_length(text: str, d: Duration) -> bool:
    """"每张两秒加转场", "each photo 2 s with transitions": that length is the photos', not the transition's."""
    return bool(re.search(rf"(?:每张|每一张|(?<!between\s)\b(?:each|every)\s+(?:{PHOTO_NOUN}))\s*$",
                          text[max(0, d.start - 28): d.start])
                or re.match(rf"\s*(?:per|each|a)\s+(?:{PHOTO_NOUN})", text[d.end:]))
