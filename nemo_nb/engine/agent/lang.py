"""Which language a request is in, so the reply can use the same one."""

from __future__ import annotations

import re

from .text import quoted_spans

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]+")
#: Latin words Chinese requests use as their own ("TikTok视频，15s，加BGM" is Chinese).
_LOANWORDS = {"tiktok", "bgm", "ins", "instagram", "ig", "youtube", "yt", "vlog", "mp4", "logo", "app", "ok", "hd",
              "fps", "reels", "reel", "shorts", "bilibili", "wechat", "vip", "diy", "pk", "cp", "ai", "up", "mp3", "gif", "pic", "pics", "photo", "photos", "s"}


def detect_language(text: str) -> str:
    """"zh" when the request's own words (not quoted titles) are mostly Chinese, else "en"."""
    bare = text
    for start, end, _words in reversed(quoted_spans(text)):
        bare = bare[:start] + " " + bare[end:]
    bare = re.sub(r"\bqq[a-z]+\b", " ", bare)  # the placeholders of screen words (normalise.py)
    cjk = len(_CJK.findall(bare))
    if cjk == 0:
        return "en"
    latin = sum(1 for word in _LATIN.findall(bare) if word.lower() not in _LOANWORDS)
    return "zh" if cjk >= latin else "en"  # a Chinese character against an English word


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
