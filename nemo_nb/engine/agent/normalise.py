"""Stage 1 of understanding — normalise: width, case, shorthand, number words → numbers, units, typos.

The words meant for the screen are set aside first (``text.extract_texts``: they keep their case and
are never "repaired"); the rest is lower-cased, full-width characters are made half-width (NFKC),
phone shorthand is expanded (``vocab.ABBREVIATIONS``), numbers are made digits (``numbers.py``) and
misspelt keywords are repaired towards the vocabulary (``vocab.keywords()``): within one edit (two for
long words), first letter kept, known ordinary words left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .numbers import normalize_numbers
from .text import extract_texts, quoted_spans
from .vocab import ABBREVIATIONS, COMMON_WORDS, HOMOPHONE_KEEP, homophone_repairs, keywords, zh_words

_ABBREVIATIONS = [(re.compile(pattern), repl) for pattern, repl in ABBREVIATIONS]
_WORD = re.compile(r"[a-z][a-z']+")
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])")


@dataclass
class Normalised:
    text: str  # lower-case, digits, placeholders (qqa, qqb…) where the screen words were
    texts: list[str]  # the screen words, in order, as typed
    guessed: list[int]  # which of them were not quoted (their end was guessed)
    bare: str  # the request as typed with placeholders for the screen words (for the language)
    fixes: list[tuple[str, str]]  # (typo, repair) pairs made


def normalise(raw: str) -> Normalised:
    """The request as the later stages read it."""
    text = repair_homophones(unicodedata.normalize("NFKC", raw))
    text, texts, guessed = extract_texts(text)
    bare = text
    text = text.replace("’", "'").lower()
    # A Latin word touching Chinese ("做个tiktok视频") gets spaces, so word boundaries work in both.
    text = _CJK_LATIN.sub(" ", text)
    text = expand_abbreviations(text)
    text = normalize_numbers(text)
    text, fixes = correct_typos(text)
    text = re.sub(r"[ \t]+", " ", text)
    return Normalised(text, texts, guessed, bare, fixes)


def repair_homophones(text: str) -> str:
    """Chinese words of the vocabulary typed with a homophone (标提 → 标题, 音月 → 音乐), outside quotes.
    Real words win where they overlap a slip ("切换快" keeps 切换; "不要东西" keeps 东西)."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return text
    out, last = [], 0
    for start, end, _words in [*quoted_spans(text), (len(text), len(text), "")]:
        out.append(_repair_run(text[last:start]))
        out.append(text[start:end])
        last = end
    return "".join(out)


@lru_cache(maxsize=1)
def _real_words() -> frozenset[str]:
    return zh_words() | HOMOPHONE_KEEP


def _repair_run(text: str) -> str:
    repairs, words = homophone_repairs(), _real_words()
    out, i = [], 0
    while i < len(text):
        for size in (4, 3, 2):
            piece = text[i: i + size]
            if len(piece) < size:
                continue
            if piece in words:
                out.append(piece)
                i += size
                break
            if piece in repairs and text[i + size - 1: i + size + 1] not in words:
                out.append(repairs[piece])
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def expand_abbreviations(text: str) -> str:
    for pattern, repl in _ABBREVIATIONS:
        text = pattern.sub(repl, text)
    return text


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (adjacent swaps cost 1), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=1)
def _by_letter() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for key in sorted(keywords()):
        out.setdefault(key[0], []).append(key)
    return {k: tuple(v) for k, v in out.items()}


_ENDINGS = ("s", "es", "d", "ed", "ing", "er", "ly")


def _ordinary(word: str) -> bool:
    """An ordinary word, or one made from one by a regular ending ("sides", "cropped") — unless the base
    is itself a keyword, where the ending is more likely a slip ("photoes")."""
    if word in COMMON_WORDS:
        return True
    for end in _ENDINGS:
        base = word[: -len(end)]
        if word.endswith(end) and len(base) >= 3:
            for stem in (base, base + "e", base[:-1] if base[-1:] == base[-2:-1] else base):
                if stem in COMMON_WORDS and stem not in keywords():
                    return True
    return False


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The keyword ``word`` was meant to be, or ``word`` itself."""
    if len(word) < 4 or len(word) > 24 or word in keywords() or _ordinary(word) or "'" in word:
        return word
    limit = 2 if len(word) >= 8 else 1
    best, best_d = word, limit + 1
    for key in _by_letter().get(word[0], ()):
        if abs(len(key) - len(word)) > limit:
            continue
        d = _distance(word, key, limit)
        if d < best_d:
            best, best_d = key, d
    return best


def correct_typos(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Text with misspelt keywords repaired, and the (typo, repair) pairs made."""
    fixes: list[tuple[str, str]] = []

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = correct_word(word)
        if fixed != word:
            fixes.append((word, fixed))
        return fixed

    return _WORD.sub(repl, text), fixes
