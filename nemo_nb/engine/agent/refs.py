"""Which photo a request points at: "the second photo", "photo 3", "the last one", "#2", "第二张",
"the cat photo" (a word of the file name).

Parsing gives a reference (``{"index": 2}``, ``{"index": -1}``, ``{"name": "cat"}``); ``resolve``
turns it into a position on the current timeline, because names and positions change as people
edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import ORDINALS
from .vocab import PHOTO_NOUN, keywords

_ORD_WORDS = "|".join(sorted([*list(ORDINALS), "last", "final", "opening", "closing"], key=len, reverse=True))
ORD = (rf"(?:(?:second|2nd)[\s-]+(?:to|from)[\s-]+last|next[\s-]+to[\s-]+last|penultimate|"
       rf"(?<![\d-])(?<!\d\s)(?:{_ORD_WORDS})\b|(?<![\d.])\d{{1,2}}(?:st|nd|rd|th)\b)")
_NOUN_EN = r"(?:photos?|images?|pictures?|pics?|slides?|shots?|snaps?|imgs?|clips?|ones?)"
_NO_UNIT = r"(?!\s*(?:-?\s*(?:s|sec|secs|seconds?|ms|%|percent|minutes?|mins?)\b|[:x×/]\s*\d))"

REF_RE = re.compile(
    rf"(?P<ord>{ORD})\s+{_NOUN_EN}\b"
    rf"|\b{_NOUN_EN}\s*(?:number\s*|no\.?\s*|#\s*)?(?P<num>\d{{1,2}})(?!\d|\.\d|[a-z]){_NO_UNIT}"
    rf"|#\s*(?P<hash>\d{{1,2}})\b"
    rf"|第\s*(?P<zh>\d+)\s*(?:张|幅|个|段)?(?:照片|图片|相片|图)?"
    rf"|(?P<zhlast>最后\s*(?:的|那)?\s*(?:一|1)?\s*(?:张|幅)(?:照片|图片|相片|图)?)"
    rf"|(?P<zhpen>倒数第\s*(?P<zhpenn>\d+)\s*(?:张|幅)(?:照片|图片|相片|图)?)"
    rf"|(?P<mid>中间\s*(?:的那|的|那)?\s*(?:一|1)?\s*(?:张|幅)(?:照片|图片|相片|图)?|\b(?:the\s+)?middle\s+(?:one|photo|pic|picture|image|slide)\b)"
)
#: Bare ordinals ("swap the first and the last") — only read where a photo is expected.
BARE_ORD_RE = re.compile(rf"(?P<ord>{ORD})(?:\s+{_NOUN_EN}\b)?")

_GENERIC = {"photo", "photos", "image", "img", "pic", "jpg", "jpeg", "png", "webp", "gif", "heic", "dsc",
            "final", "copy", "edit", "the", "and", "with", "for", "new", "old", "version", "screenshot",
            "untitled", "file", "scaled", "small", "large", "big", "min", "max"}
_NOT_NAMES = keywords() | {"these", "those", "this", "that", "them", "all", "each", "every", "other", "same",
                         "next", "previous", "video", "music", "title", "text", "caption", "red"}


def ordinal_value(word: str) -> int | None:
    """1-based index, negative from the end (-1 = last), or None."""
    word = re.sub(r"[\s-]+", " ", word.strip())
    if word in ("last", "final", "closing"):
        return -1
    if word in ("penultimate", "second to last", "2nd to last", "second from last", "next to last",
                "2nd from last"):
        return -2
    if word == "opening":
        return 1
    if word in ORDINALS:
        return ORDINALS[word]
    m = re.match(r"(\d+)(?:st|nd|rd|th)$", word)
    return int(m.group(1)) if m else None


def name_tokens(name: str) -> set[str]:
    """Words of a file name people may use for it ("chelsea_cat.png" → {"chelsea", "cat"})."""
    stem = re.sub(r"\.[A-Za-z0-9]{2,5}$", "", name.lower())
    words = {w for w in re.split(r"[^a-z]+", stem) if len(w) >= 3 and w not in _GENERIC}
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


@dataclass(frozen=True)
class Found:
    ref: dict
    start: int
    end: int


class _Refs:
    """The references found so far; a later match overlapping an earlier one is not another reference."""

    def __init__(self) -> None:
        self.found: list[Found] = []
        self.taken: list[tuple[int, int]] = []

    def add(self, ref: dict, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in self.taken):
            return
        self.taken.append((start, end))
        self.found.append(Found(ref, start, end))


def find_refs(text: str, names: list[str], *, bare_ordinals: bool = False,
              bare_names: bool = False) -> list[Found]:
    """Photo references in ``text`` in order. ``names``: the media file names for name matches."""
    refs = _Refs()
    _numbered(text, refs, bare_ordinals)
    _named(text, refs, names, bare_names)
    if bare_names:
        # "the rocket photo" with no rocket among the photos: still a reference, so the reply can
        # say no photo matches instead of not understanding the request at all.
        for m in re.finditer(r"\b(?P<w>[a-z]{3,})\s+(?:photo|image|picture|pic|shot)\b", text):
            word = m.group("w")
            if word not in _NOT_A_NAME and word not in ORDINALS and not word.endswith("ly"):
                refs.add({"name": word}, m.start(), m.end())
    return sorted(refs.found, key=lambda f: f.start)


def _numbered(text: str, refs: _Refs, bare_ordinals: bool) -> None:
    """"photo 3", "the second pic", "#4", "第3张", "最后一张", "倒数第2张"."""
    for m in REF_RE.finditer(text):
        if m.group("ord"):
            value = ordinal_value(m.group("ord"))
        elif m.group("num") or m.group("hash"):
            value = int(m.group("num") or m.group("hash"))
        elif m.group("zh"):
            value = int(m.group("zh"))
        elif m.group("zhlast"):
            value = -1
        elif m.group("mid"):  # "中间那张", "the middle photo": resolved on the timeline (the earlier of two middles)
            refs.add({"middle": True}, m.start(), m.end())
            continue
        else:
            value = -int(m.group("zhpenn"))
        if value:
            refs.add({"index": value}, m.start(), m.end())
    if bare_ordinals:
        for m in BARE_ORD_RE.finditer(text):
            value = ordinal_value(m.group("ord"))
            if value:
                refs.add({"index": value}, m.start(), m.end())


def _named(text: str, refs: _Refs, names: list[str], bare_names: bool) -> None:
    """"the cat photo", "the one with the dog": words of the uploads' file names."""
    vocab: set[str] = set()
    for name in names:
        vocab |= name_tokens(name)
    bare_vocab = vocab - _NOT_NAMES
    vocab -= _NOT_NAMES - keywords()
    if not vocab:
        return
    noun = rf"(?:{PHOTO_NOUN}|one)"
    patterns = [rf"\b(?P<w>[a-z]{{3,}})(?:'s)?\s+{noun}\b",
                rf"\b{noun}\s+(?:of|with|showing)\s+(?:the\s+|a\s+|an\s+|my\s+)?(?:\w+\s+)?(?P<w>[a-z]{{3,}})\b"]
    if bare_names:
        patterns.append(r"\b(?P<w>[a-z]{3,})\b")
    for pattern in patterns:
        allowed = bare_vocab if pattern == r"\b(?P<w>[a-z]{3,})\b" else vocab
        for m in re.finditer(pattern, text):
            word = m.group("w")
            stem = word[:-1] if word.endswith("s") and word[:-1] in allowed else word
            if stem in allowed:
                refs.add({"name": stem}, m.start(), m.end())


_NOT_A_NAME = {"the", "this", "that", "each", "every", "whole", "entire", "next", "previous", "same", "other", "last",
               "final", "new", "old", "one", "my", "your", "our", "their", "its", "vertical", "horizontal", "square",
               "portrait", "landscape", "current", "only", "single", "any", "all", "some", "another", "first",
               "penultimate", "opening", "closing", "middle", "that's", "which", "what", "favorite", "favourite",
               "best", "worst", "main", "cover", "selected", "uploaded", "original", "full", "given", "specific",
               "certain", "particular", "random", "second", "third", "nice", "good", "bad", "blurry", "dark",
               "bright", "and", "with", "from", "into", "onto", "both", "those", "these"}


@dataclass
class Resolved:
    index: int | None  # 0-based position on the video track
    candidates: int = 1
    label: str = ""


def resolve(ref: dict, names: list[str]) -> Resolved:
    """Position of ``ref`` among the timeline's photos (their names in order)."""
    count = len(names)
    if ref.get("middle") and count:
        return Resolved((count - 1) // 2)
    if "index" in ref:
        value = int(ref["index"])
        idx = value - 1 if value > 0 else count + value
        if 0 <= idx < count:
            return Resolved(idx)
        return Resolved(None, 0)
    word = str(ref.get("name", ""))
    hits = [i for i, name in enumerate(names) if word in name_tokens(name)]
    if not hits:
        return Resolved(None, 0, word)
    return Resolved(hits[0], len(hits), word)
