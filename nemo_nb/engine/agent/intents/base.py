"""What every intent module shares: the clause being read, adding an intent, small match helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import Intent, Parsed
from ..vocab import DET, PHOTO_NOUN, verb


@dataclass
class Clause:
    """One clause of a request; a frame blanks the words it used so no other frame reads them again."""

    text: str
    offset: int
    orig: str = ""

    def __post_init__(self) -> None:
        self.orig = self.orig or self.text

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def search(self, pattern: str | re.Pattern[str], *, consume: bool = True) -> re.Match[str] | None:
        m = re.search(pattern, self.text)
        if m and consume:
            self.blank(m.start(), m.end())
        return m

    def has(self, pattern: str | re.Pattern[str]) -> bool:
        return re.search(pattern, self.text) is not None


def add(parsed: Parsed, clause: Clause, name: str, pos: int = 0, **args: object) -> None:
    """Record intent ``name`` said at ``pos`` of ``clause``."""
    parsed.intents.append(Intent(name, dict(args), clause.offset + pos))


def first_reading(frames: list, c: Clause, p: Parsed, names: list[str]) -> bool:
    """Run sub-frames in table order until one recognises the clause (they share one object)."""
    return any(frame(c, p, names) for frame in frames)


def frame_of(frames: list) -> Callable[[Clause, Parsed, list[str]], None]:
    """One frame of ``FRAMES`` made of a table of sub-frames about the same object."""

    def read(c: Clause, p: Parsed, names: list[str]) -> None:
        first_reading(frames, c, p, names)

    return read


def blank_all(c: Clause, patterns: list[str]) -> None:
    for pattern in patterns:
        for m in list(re.finditer(pattern, c.text)):
            c.blank(m.start(), m.end())


def to_ms(value: str | None) -> int | None:
    return None if value is None else round(float(value) * 1000)


def first_group(m: re.Match[str], *names: str) -> str | None:
    """The first of the named groups that matched."""
    for name in names:
        value = m.group(name)
        if value is not None:
            return value
    return None


#: A number of seconds as people write it after normalising ("5s", "5 sec", "5 seconds").
SECS = r"(?:s|sec|secs|seconds?)"
NUM = r"\d+(?:\.\d+)?"

#: "a 10 second clip using photo 3": a video of chosen photos, not a photo's length.
PICK_ONE = (rf"\b(?:using|use|from|with|of)\s+(?:only\s+|just\s+)?(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*(?P<one>\d+)\b"
             rf"(?!\s*(?:s\b|secs?\b|seconds?\b|&|-|–|to\b))")
#: "remove the music and the title": one removal verb, two objects (``second`` names the other one).
REMOVE_BOTH = (rf"(?:{verb('remove')}|\bno\b)\s+{DET}"
               r"[a-z]+(?:\s+[a-z]+)?\s+(?:and|&)\s+(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?P<second>[a-z]+(?:\s+[a-z]+)?)\b")
