"""Stage 3 of understanding — entities: the typed spans of a clause that frames fill their slots from.

Here: numbers that are not the answer. "the brief says 60 seconds max but let's do 25", "we have 12
products but use only 5 photos", "last time it was 30 seconds, now 20": the part before "but"/"now"
that reports someone else's words, the past, or a count of things is a distractor — its numbers are
dropped before any frame reads them, and the reply says which one it used. A bare number after it
("let's do 25") takes the distractor's unit.
"""

from __future__ import annotations

import re

from .model import Parsed

_CUE = (r"\b(?:the|my|our|their|his|her)\s+(?:brief|client|boss|manager|spec|specs|guidelines?|rules?|platform|limit|"
        r"max|maximum|template|agency|team)\s+(?:says?|said|wants?|wanted|asks?|asked|allows?|requires?|is|was)\b"
        r"|\b(?:last\s+time|previously|yesterday|originally)\b|\b(?:it|that|the\s+(?:video|old\s+one|last\s+one))\s+"
        r"(?:was|used\s+to\s+be)\b|\b(?:we|i|they)\s+(?:have|had|got|sell|offer|made|shot|took)\s+(?:about\s+|over\s+)?"
        r"\d+\s+(?!photos?\b|pics?\b|pictures?\b|images?\b|slides?\b|shots?\b|seconds?\b|secs?\b|s\b)[a-z]+"
        r"|(?:简报|客户|老板)(?:说|要求)|上次|之前|原来")
_TURN = r"(?:\bbut\b|\bhowever\b|\bnow\b|\binstead\b|但是|但|不过|现在|这次)"
_DISTRACTOR = re.compile(rf"(?P<x>(?:{_CUE})[^.!?。！？\n]{{0,80}}?)(?=\s*,?\s*{_TURN})")
_UNIT = re.compile(r"\d+(?:\.\d+)?\s*(?P<u>seconds?|secs?|s\b|%|percent|秒)")
_BARE = re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)(?!\s*(?:[\d.]|%|percent|x\b|s\b|secs?\b|seconds?\b|minutes?\b|"
                   r"mins?\b|photos?\b|pics?\b|pictures?\b|images?\b|slides?\b|shots?\b|秒|张|倍))")


def distractors(norm: str, parsed: Parsed) -> str:
    """``norm`` with every distractor blanked out (and noted for the reply)."""
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
        norm = norm[: m.start()] + " " * len(words) + rest
    return norm
