"""Which language a request is in, so the reply can use the same one."""

from __future__ import annotations

import re

from .text import quoted_spans

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """"zh" when the request's own words (not quoted titles) are mostly Chinese, else "en"."""
    bare = text
    for start, end, _words in reversed(quoted_spans(text)):
        bare = bare[:start] + " " + bare[end:]
    cjk = len(_CJK.findall(bare))
    latin = len(_LATIN.findall(bare))
    if cjk == 0:
        return "en"
    return "zh" if cjk * 3 >= latin else "en"


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
