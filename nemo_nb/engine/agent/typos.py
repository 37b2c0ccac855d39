"""Typo tolerance: map a misspelt keyword ("trasitions", "vertcal", "musci") to the keyword.

Only words the parser cares about are targets, only unknown words are corrected, and a correction
must keep the first letter and be within one edit (two for long words, a swap of neighbouring
letters counting as one), so "flurb" never becomes "blur" and real words stay what they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import COMMON_WORDS

KEYWORDS = set(["add", "adjust", "animate", "animated", "animation", "aspect", "audio", "background", "backwards", "balance", "beginning", "blur", "bgm", "burns", "calm", "caption", "captions", "change", "cinematic", "clip", "credits", "crop", "crossfade", "delete", "dissolve", "download", "duration", "ending", "energetic", "epic", "export", "faster", "fade", "fades", "feed", "first", "fifth", "fourth", "horizontal", "images", "image", "instagram", "landscape", "length", "lofi", "longer", "louder", "lower", "minute", "minutes", "montage", "motion", "movie", "music", "mute", "order", "pacing", "percent", "photo", "photos", "picture", "pictures", "portrait", "quieter", "quicker", "redo", "reels", "remove", "reverse", "second", "seconds", "shorter", "shorts", "shuffle", "slideshow", "slide", "slides", "slower", "softer", "soundtrack", "square", "status", "stories", "story", "subtitle", "subtitles", "swap", "tiktok", "third", "title", "titles", "transition", "transitions", "undo", "unmute", "upbeat", "vertical", "video", "volume", "widescreen", "wipe", "youtube", "zoom", "ken", "caption", "headline", "beginning", "ending", "music", "remove", "still", "static", "opening", "closing", "cinematic", "dramatic", "peaceful", "relaxing", "happy", "chill", "slowly", "slower", "dissolve", "crossfade", "seconds", "instead"])

_WORD = re.compile(r"[a-z][a-z']+")


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


@lru_cache(maxsize=4096)
def correct_word(word: str) -> str:
    """The keyword ``word`` was meant to be, or ``word`` itself."""
    if len(word) < 4 or word in KEYWORDS or word in COMMON_WORDS or "'" in word:
        return word
    limit = 2 if len(word) >= 8 else 1
    best, best_d = word, limit + 1
    for key in sorted(KEYWORDS):
        if key[0] != word[0] or abs(len(key) - len(word)) > limit:
            continue
        d = _distance(word, key, limit)
        if d < best_d:
            best, best_d = key, d
    return best


def correct_typos(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Text with misspelt keywords fixed, and the (typo, fix) pairs made."""
    fixes: list[tuple[str, str]] = []

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        fixed = correct_word(word)
        if fixed != word:
            fixes.append((word, fixed))
        return fixed

    return _WORD.sub(repl, text), fixes
