"""Leaving something as it is: "标题不要动", "音乐别改", "don't touch the title", "leave the music alone".

Read first, so no later frame takes the words for a removal or a motion: a request not to change a thing
never changes (let alone removes) it. The photos are not among the objects: "第一张照片不要动" is a
motion (the photo holds still, ``look.motion``), "别删照片" is said with another request.
"""

from __future__ import annotations

import re

from ..model import Parsed
from ..vocab import (
    DET,
    HANDS_OFF,
    LOGO_NOUN,
    MUSIC_NOUN,
    NEGATION_EN,
    NEGATION_ZH,
    PHOTO_NOUN,
    REMOVE_SHORT_ZH,
    TEXT_NOUN,
    TRANSITION_NOUN,
    alternation,
    verb,
)
from .base import Clause, add

_OBJECT = rf"(?:{TEXT_NOUN}|{MUSIC_NOUN}|{TRANSITION_NOUN}|{LOGO_NOUN})"
_STILL = "|".join(HANDS_OFF)
_OBJECT_RE = re.compile(_OBJECT)
KEEP = (rf"{_OBJECT}\s*(?:的)?(?:也|都|先|就)?\s*(?P<neg>不要|别|不用|不|勿)\s*(?:{_STILL})|(?:不要|别)(?:{_STILL})\s*{_OBJECT}|"
        rf"\b(?:don'?t|do\s+not|never)\s+(?:touch|change|alter|mess\s+with|move)\s+{DET}{_OBJECT}|"
        rf"\bleave\s+{DET}{_OBJECT}\s+(?:alone|as\s+(?:it\s+)?is)\b|\bkeep\s+{DET}{_OBJECT}\s+(?:as\s+(?:it\s+)?is|the\s+same)\b")
#: A removal said with a negation, through its object up to the next clause: "don't delete photo 3, …",
#: "please don't remove the music", "我不想删掉音乐", "别把第二张删了", "第三张别去掉", "音乐别关".
_UNTIL = r"[^,，;；.。!！?？]{0,40}?(?=\s*$|\s*[,，;；.。!！?？]|\s+(?:and|but|just|then|instead|so)\b)"
_REMOVE_ZH = alternation([*(w for w in REMOVE_SHORT_ZH), "删除", "删掉", "删了", "去了", "关掉", "关了", "移除"])
NOT_REMOVED = (rf"{alternation(NEGATION_EN)}\s+(?:\w+\s+)?(?:{verb('remove')}){_UNTIL}|"
               rf"{alternation(NEGATION_ZH)}\s*(?:把|将)?[^，,。；;！？]{{0,10}}?(?:{verb('remove')}|{_REMOVE_ZH})了?[^，,。；;！？\s]{{0,8}}|"
               rf"(?:{_OBJECT}|第\d+张|(?:{PHOTO_NOUN})\s*\d+|(?:照片|图片)\s*(?:一张|1张|任何一张|每张)?)\s*(?:也|都|先|可)?\s*"
               rf"(?P<neg>别|不要|千万别|不用|不能)\s*(?:{_REMOVE_ZH})了?")


def keep(c: Clause, p: Parsed, names: list[str]) -> None:
    """Blank "leave X as it is" so nothing else reads it; the reply says it is left (no operation)."""
    found = [*re.finditer(KEEP, c.text), *re.finditer(NOT_REMOVED, c.text)]
    for m in found:
        told = m.groupdict().get("neg") and c.text[m.end():].strip() and _OBJECT_RE.match(m.group(0))
        c.blank(m.start("neg") if told else m.start(), m.end())  # "title不要删 改成红色": the title is still styled
    if found:
        add(p, c, "keep", found[0].start(), words=found[0].group(0).strip())
