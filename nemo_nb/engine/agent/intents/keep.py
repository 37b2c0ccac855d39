"""Leaving something as it is: "标题不要动", "音乐别改", "don't touch the title", "leave the music alone".

Read first, so no later frame takes the words for a removal or a motion: a request not to change a thing
never changes (let alone removes) it. The photos are not among the objects: "第一张照片不要动" is a
motion (the photo holds still, ``look.motion``), "别删照片" is said with another request.
"""

from __future__ import annotations

import re

from ..model import Parsed
from ..vocab import DET, HANDS_OFF, LOGO_NOUN, MUSIC_NOUN, TEXT_NOUN, TRANSITION_NOUN
from .base import Clause, add

_OBJECT = rf"(?:{TEXT_NOUN}|{MUSIC_NOUN}|{TRANSITION_NOUN}|{LOGO_NOUN})"
_STILL = "|".join(HANDS_OFF)
KEEP = (rf"{_OBJECT}\s*(?:的)?(?:也|都|先|就)?\s*(?:不要|别|不用|不|勿)\s*(?:{_STILL})|(?:不要|别)(?:{_STILL})\s*{_OBJECT}|"
        rf"\b(?:don'?t|do\s+not|never)\s+(?:touch|change|alter|mess\s+with|move)\s+{DET}{_OBJECT}|"
        rf"\bleave\s+{DET}{_OBJECT}\s+(?:alone|as\s+(?:it\s+)?is)\b|\bkeep\s+{DET}{_OBJECT}\s+(?:as\s+(?:it\s+)?is|the\s+same)\b")


def keep(c: Clause, p: Parsed, names: list[str]) -> None:
    """Blank "leave X as it is" so nothing else reads it; the reply says it is left (no operation)."""
    found = list(re.finditer(KEEP, c.text))
    for m in found:
        c.blank(m.start(), m.end())
    if found:
        add(p, c, "keep", found[0].start(), words=found[0].group(0).strip())
