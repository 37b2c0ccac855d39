"""Entities: where unquoted screen words end — explicit boundary rules, one pass over the words.

A cue ("title", "call it", "a caption that says", "put … on the last photo", "标题写") starts the words;
they end at the first of: an emoji or other symbol (a Chinese title drops trailing emoji, "新店开张🎉", unless
the words follow a colon); sentence punctuation (a dot between digits is not: "06.14.2026", text.py ``_CH``); "and"/"with"/"&" followed by
another request ("… Meet the Team and no music please"); "no"/"without" + something we edit; a place
("at the end", "on the last photo", "from 6 to 10 seconds"); in Chinese, a connector (配, 加, 和…) with a
request noun after it, or Chinese after Latin words ("Taco Tuesday配欢快音乐"); the end. Fillers at the end
("please", "thanks") are dropped. Every rule looks at a bounded window, so the scan is linear.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .vocab import (
    ANIM_WORDS,
    BG_WORDS,
    CLAUSE_VERBS,
    COLOR_WORD,
    CORNER_WORDS,
    CORRECTION_ZH,
    DICTATED_PUNCTUATION,
    FONT_WORDS,
    MOODS,
    SCREEN_POSITIONS,
    SIZE_DOWN,
    SIZE_UP,
    VERBS,
    ZH_CONNECTORS,
    ZH_CONNECTORS_SPACED,
    alternation,
)

_CONNECTORS = {"and", "with", "&", "plus", "then", "also", "w", "+", "w/"}
_PREPS = {"at", "on", "over", "during", "from", "between", "in", "near", "across", "throughout", "after", "before",
          "until", "under", "below", "above", "atop", "for", "to", "onto", "into"}
_PLACES = {"start", "beginning", "begin", "end", "ending", "intro", "outro", "top", "bottom", "middle", "center",
           "centre", "first", "second", "third", "fourth", "fifth", "sixth", "last", "final", "photo", "photos", "pic",
           "pics", "picture", "image", "slide", "video", "clip", "screen", "frame", "whole", "entire", "background",
           "corner", "left", "right", "lower", "upper", "every", "each", "all", "it", "opening", "closing", "same"}
_SKIP = {"a", "an", "the", "some", "also", "then", "more", "maybe", "please", "pls", "very", "my", "our"}
_NOUNS = {"music", "song", "songs", "soundtrack", "bgm", "audio", "sound", "tune", "tunes", "beat", "beats",
          "transition", "transitions", "crossfade", "crossfades", "dissolve", "dissolves", "fade", "fades", "wipe",
          "wipes", "photos", "photo", "pics", "pic", "pictures", "picture", "images", "image", "video", "vid", "clip",
          "reel", "slideshow", "vertical", "horizontal", "square", "landscape", "tiktok", "instagram", "ig",
          "youtube", "yt", "reels", "stories", "shorts", "seconds", "secs", "sec", "minute", "minutes", "motion",
          "zoom", "zooming", "ken", "length", "volume", "text", "title", "caption"}
_NOT_VERBS = {"i", "we", "it", "with", "have", "go", "can", "could", "would", "please", "let", "get", "take", "try",
              "do", "start", "end", "open", "close", "play", "finish", "show", "keep", "no"}
_FILLER_END = re.compile(r"(?:\s+(?:please|pls|plz|thanks|thank\s+you|thx|too|as\s+well|for\s+me|ok|okay|lol|instead|"
                         # an afterthought to the person, not words to show: "… Summer Launch instead what do you think"
                         r"what\s+do\s+you\s+think|if\s+(?:that'?s|thats|it'?s)\s+(?:ok|okay|alright|fine|possible)|if\s+possible|"
                         r"or\s+something(?:\s+like\s+that)?|or\s+whatever|i\s+guess|does\s+that\s+work|sounds?\s+good|maybe))+\s*$",
                         re.I)
_ZH_CUT = re.compile(r"[配加和并再在放用改要把]\S{0,5}?(?:音乐|配乐|bgm|BGM|转场|过渡|照片|图片|秒|竖屏|横屏|方形|字幕|标题|淡入|淡出)"
                     r"|(?:吗|吧|呢|啊|呀|哦|好吗|可以吗)\s*$")
#: A connector to another request ends Chinese screen words: "周末特惠 然后改成12秒", "好吃不贵 还有音乐小声点".
_ZH_CONNECT = re.compile(rf"{alternation(ZH_CONNECTORS)}|(?:\s+|[,，、])(?:{alternation(ZH_CONNECTORS_SPACED)})|"
                         rf"(?:\s+|[,，、])(?:{alternation(CORRECTION_ZH)})|"  # "开业大吉 算了 …": a correction ends the words
                         r"\s+(?:视频|音乐|时长|照片|图片|转场|背景音乐|配乐|节奏|画面|音量|bgm|BGM)\s*(?:改|换|调|加|去|设|用|做|放|变|要|再|\d)|"
                         r"\s+(?:改成|换成|调到|调成|加上|加个|去掉|配上|配个|做成)|\s+\d+(?:\.\d+)?\s*(?:秒钟?|分钟|s\b)")
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Chinese words may start with a number or a price ("99元两件", "2025新品", "¥9.9包邮").
_ZH_START = re.compile(r"^[\d.,%¥$￥#+\-\s]*[\u3400-\u9fff]")
_LEADING_SYMBOLS = re.compile(r"^(?:[\U00010000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]|\s)+")
#: Emoji (and their joiners/variation selectors) at the end of the words.
_TRAILING_SYMBOLS = re.compile(r"(?:[\U00010000-\U0010ffff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]|\s)+$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:s|sec|secs|seconds?|%)?$")
#: Punctuation said aloud ends the words ("title New Menu period and some upbeat music").
DICTATED = re.compile(r"\s*(?<![\w'])" + alternation(DICTATED_PUNCTUATION) + r"(?![\w'])")
_ZH_CONNECTORS = "配加和并再在放用改要把"
#: Every way of saying a text's look, from the vocabulary: "white", "bigger", "outline", "加粗", "左上角"…
_STYLE = re.compile("|".join([COLOR_WORD, SIZE_UP, SIZE_DOWN, r"\b(?:tiny|small|little|big|large|huge)\b"]
                             + [pat for table in (BG_WORDS, ANIM_WORDS, FONT_WORDS, CORNER_WORDS, SCREEN_POSITIONS)
                                for pat, _ in table]))
_STYLE_GLUE = re.compile(r"\b(?:a|an|the|and|with|in|on|plus|add|give|it|make|use|just|also|some|font|text|colou?r|"
                         r"style|background|please|pls|have|let|put|move|change|turn|set|go|get|drop|instead|too|"
                         r"then|now|lose|it's|its)\b|加个|加上|加点|加|用|字体|字|颜色|色|一点|一些|点|再|和|并且|然后|改成|换成|改为|还是|"
                         r"好看一?点|比较好看?|更好看?|会好一?点|"
                         r"变成|放到|放在|移到|效果|位置|的|吧|[\s,，、;；]")
_CJK_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])")


#: Looks only words on screen have (a colour, a font, an outline, "字"): enough to mean the text with no noun said.
TEXT_LOOK = re.compile("|".join([COLOR_WORD, r"字|颜色"] + [pat for pat, _ in FONT_WORDS] + [pat for pat, _ in BG_WORDS[:2]]))


def style_only(words: str) -> bool:
    """Whether ``words`` only say a look ("白色 加个outline", "bigger and bold"), so they are no text to show."""
    low = _CJK_LATIN.sub(" ", words.lower())
    if not _STYLE.search(low):
        return False
    return not _STYLE_GLUE.sub("", _STYLE.sub("", low)).strip()


@lru_cache(maxsize=1)
def request_words() -> frozenset[str]:
    """Words that start another request after "and"/"with" (derived from the vocabulary)."""
    words = set(_NOUNS)
    for _label, en, _zh in MOODS.values():
        words |= {w for w in en if " " not in w}
    for frame in ("remove", "negate", "add", "louder", "quieter"):
        words |= {w for w in VERBS[frame][0] if " " not in w}
    words |= set(CLAUSE_VERBS.split("|")) - _NOT_VERBS
    return frozenset(words)


def request_nouns() -> frozenset[str]:
    """The things requests edit (music, photos, transitions…), for "put X on it": X is none of them."""
    return frozenset(_NOUNS - {"text", "title", "caption"})


def _symbol(ch: str) -> bool:
    return ord(ch) > 0xFFFF or unicodedata.category(ch) in ("So", "Sk", "Cs", "Co")


def _is_request(tokens: list[str], j: int) -> bool:
    """Whether the words from ``j`` start another request (skipping a determiner or one adjective)."""
    for k, token in enumerate(tokens[j: j + 3]):
        low = token.lower().strip(",.;!?")
        if low in request_words() or _NUMBER.match(low):
            return True
        if low in _SKIP or (token.islower() and k == 0):
            continue
        return False
    return False


def _is_place(tokens: list[str], j: int) -> bool:
    for token in tokens[j: j + 3]:
        low = token.lower().strip(",.;!?")
        if low in _PLACES or re.match(r"\d|(?:\d+)(?:st|nd|rd|th)$", low):
            return True
        if low not in ("the", "a", "an", "very", "my"):
            return False
    return False


def trim(value: str, *, exact: bool = False) -> tuple[str, str]:
    """(the words of ``value`` up to its boundary, why it ended: "end", "place", "request", "symbol").
    ``exact``: the words follow a colon ("标题：双十一🎉"), so a Chinese title keeps its emoji."""
    said = DICTATED.search(value)
    if said and said.start() > 0:  # "… Summer Sale period": the speaker said where the words end
        if not value[said.end():].strip() and not _CJK.search(value[:1]):
            return _clean(value[: said.start()]), "end"
        value = value[: said.start()]
    if _ZH_START.match(value):
        cuts = [m.start() for m in (_ZH_CUT.search(value), _ZH_CONNECT.search(value)) if m]
        if not exact:  # an emoji ends the words ("新年快乐🧧 改成竖屏")
            cuts += [i for i, ch in enumerate(value) if i and _symbol(ch)][:1]
        cut = min(cuts) if cuts else None
        words = _drop_trailing_looks((value[:cut] if cut is not None else value).strip())
        bare = words if exact else _TRAILING_SYMBOLS.sub("", words)  # "标题写新店开张🎉": decoration, not words
        return bare, "request" if cut is not None else "symbol" if bare != words else "end"
    value, why = _latin_run(value)
    if why:
        return _clean(value), why
    tokens = value.split()
    for i, token in enumerate(tokens):
        low = token.lower()
        why = ("style" if low in ("in", "with", "and") and i > 0 and _STYLE.match(_after_article(tokens, i + 1)) else
               "request" if low in _CONNECTORS and _is_request(tokens, i + 1) else
               "place" if low in _PREPS and i > 0 and _is_place(tokens, i + 1) else
               "request" if low in ("no", "without") and _is_request(tokens, i + 1) else "")
        if why:
            return _clean(" ".join(tokens[:i])), why
        if token[-1:] in ",;.!?" and i + 1 < len(tokens) and (token[-1] != "," or _is_request(tokens, i + 1)
                                                                 or style_only(" ".join(tokens[i + 1:]))):
            return _clean(" ".join(tokens[: i + 1])), "end"
    return _clean(value), "end"


def _drop_trailing_looks(words: str) -> str:
    """"春季新品 白色字 底部": the parts after a space that only say a look are a style, not words to show."""
    parts = words.split()
    while len(parts) > 1 and style_only(parts[-1]):
        parts.pop()
    return " ".join(parts)


def _after_article(tokens: list[str], j: int) -> str:
    """The words from ``j`` on, lower-cased, without a leading article ("in *a* shadow")."""
    rest = [t.lower() for t in tokens[j: j + 4]]
    return " ".join(rest[1:] if rest[:1] in (["a"], ["an"], ["the"]) else rest)


def _latin_run(value: str) -> tuple[str, str]:
    """Words that start in Latin letters end at an emoji ("Link in bio 👆 in the last 3 seconds": a
    place after it) or at a Chinese connector with a request after it ("Taco Tuesday配欢快音乐"); other
    Chinese belongs to them ("Black Friday 全场五折", "www.xiaomao.cn 欢迎光临")."""
    for i, ch in enumerate(value):
        if _symbol(ch):
            tokens = _LEADING_SYMBOLS.sub("", value[i:]).split()
            place = bool(tokens) and tokens[0].lower() in _PREPS and _is_place(tokens, 1)
            return value[:i], "place" if place else "symbol"
        if not _CJK.match(ch):
            continue
        first = not _CJK.search(value[:i])  # "Shop now 放最后": a connector right after the Latin words
        joined = _ZH_CONNECT.search(value, max(0, i - 1))
        if (_ZH_CUT.match(value, i) or (joined is not None and joined.start() <= i)
                or (ch in _ZH_CONNECTORS and (first or _is_request(value[i + 1:].split(), 0)))):
            return value[:i], "request"
    return value, ""


def _clean(words: str) -> str:
    return DICTATED.sub("", _FILLER_END.sub("", words.strip())).strip(" ,.;:!?")
