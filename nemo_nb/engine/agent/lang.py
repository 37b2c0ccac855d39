"""Which language a request is in, so the reply can use the same one."""

from __future__ import annotations

import re

from .text import quoted_spans
from .vocab import NEUTRAL_WORDS

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]+")
#: Latin words Chinese requests use as their own ("TikTok视频，15s，加BGM" is Chinese).
_LOANWORDS = {"tiktok", "bgm", "ins", "instagram", "ig", "youtube", "yt", "vlog", "mp4", "logo", "app", "ok", "hd",
              "fps", "reels", "reel", "shorts", "bilibili", "wechat", "vip", "diy", "pk", "cp", "ai", "up", "mp3", "gif", "pic", "pics", "photo", "photos", "s"}


def detect_language(text: str) -> str:
    """"zh" when the request's own words (not quoted titles) are mostly Chinese, else "en"."""
    return message_language(text) or "en"


def message_language(text: str) -> str | None:
    """The language a message is written in, or None when it has none of its own ("export", "ok", "👍",
    "20"): then the conversation's language answers (``reply_language``)."""
    bare = text
    for start, end, _words in reversed(quoted_spans(text)):
        bare = bare[:start] + " " + bare[end:]
    bare = re.sub(r"\bqq[a-z]+\b", " ", bare)  # the placeholders of screen words (normalise.py)
    cjk = len(_CJK.findall(bare))
    latin = [w.lower() for w in _LATIN.findall(bare)]
    if cjk == 0:
        return "en" if any(w not in _LOANWORDS and w not in NEUTRAL_WORDS for w in latin) else None
    english = sum(1 for w in latin if w not in _LOANWORDS)
    return "zh" if 2 * cjk >= english else "en"  # two Chinese characters are about one English word


def reply_language(text: str, conversation: str | None = None) -> str:
    """The reply's language: the message's own; a message without one ("ok", "export") gets the
    conversation's; a mixed message in a Chinese conversation ("no wait，20秒") stays Chinese."""
    own = message_language(text)
    conv = "zh" if (conversation or "").lower().startswith("zh") else "en"  # a session may say "zh-CN"
    if own is None:
        return conv
    return "zh" if own == "en" and conv == "zh" and has_cjk(text) else own


def conversation_language(previous: str | None, text: str) -> str | None:
    """The conversation's language after the user said ``text`` (the engine keeps it per session)."""
    return message_language(text) or previous


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
