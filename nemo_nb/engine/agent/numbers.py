"""Numbers and durations the way people write them, in English and Chinese.

``normalize_numbers`` rewrites number words to digits ("twenty-five" → "25", "half a minute" →
"30 seconds", "三十秒" → "30秒") so the parser only has to read digits. ``find_durations`` then
finds every length in the text ("30-second", "1 min", "45 sec", "7s", "1.5 minutes", "20秒").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}

_WORD_NUM = "|".join(sorted(list(_ONES) + list(_TENS), key=len, reverse=True))
_NUM_WORDS_RE = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[\s-]+(?P<unit>one|two|three|four|five|six|seven|eight|nine))?"
    rf"|(?P<ones>{'|'.join(sorted(_ONES, key=len, reverse=True))}))\b"
    rf"(?:[\s-]+hundred\b(?P<hundred>))?"
)

# Phrases first (they contain words the plain rewrite would change).
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:a|one)\s+(?:minute|min)\s+and\s+a\s+half\b"), "90 seconds"),
    (re.compile(r"\b(?:one|1)\s+and\s+a\s+half\s+(?:minutes|mins|minute|min)\b"), "90 seconds"),
    (re.compile(r"\b(?:one|1)\s+and\s+a\s+half\s+(?:seconds|secs|second|sec)\b"), "1.5 seconds"),
    (re.compile(r"\bhalf\s+(?:a|one)\s+minute\b|\bhalf-minute\b|\bhalf\s+minute\b"), "30 seconds"),
    (re.compile(r"\bhalf\s+(?:a|one)\s+second\b|\bhalf-second\b|\bhalf\s+second\b"), "0.5 seconds"),
    (re.compile(r"\ba\s+quarter\s+(?:of\s+)?(?:a|an)\s+minute\b"), "15 seconds"),
    (re.compile(r"\b(?:a|one)\s+minute\b|\ba\s+min\b"), "60 seconds"),
    (re.compile(r"\b(?:an?\s+)?(extra|additional|another)\s+second\b"), r"\1 1 second"),  # "an extra second"
    (re.compile(r"\ba\s+second\b(?!\s+(?:photo|image|picture|pic|slide|one|shot|title|caption|text|time))"),
     "1 second"),
    (re.compile(r"\ba\s+couple\s+(?:of\s+)?(?=seconds|secs)"), "2 "),
    (re.compile(r"\ba\s+few\s+(?=(?:more\s+|extra\s+)?(?:seconds|secs))"), "3 "),
    (re.compile(r"\ba\s+dozen\b"), "12"),
    (re.compile(r"\bhalf\b(?=\s*(?:the\s+)?(?:volume|as\s+loud))"), "50%"),
    # fractions of the current value ("a quarter of what it is"); "the third photo" stays an ordinal
    (re.compile(r"\b(?:a|one)\s+quarter\b"), "1/4"),
    (re.compile(r"\bthree\s+quarters\b"), "3/4"),
    (re.compile(r"\b(?:a|one)\s+third\b(?!\s+(?:photo|image|picture|pic|slide|one|shot))"), "1/3"),
    (re.compile(r"\btwo\s+thirds\b"), "2/3"),
]


_ONE_AS_NUMBER = re.compile(
    r"[\s-]+(?:seconds?|secs?|minutes?|mins?|photos?|images?|pictures?|pics?|slides?|shots?|"
    r"percent|hundred|and\s+a\s+half|point\s+\w+)\b|\s*%")


def _words_to_digits(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group("tens"):
            value = _TENS[m.group("tens")] + (_ONES[m.group("unit")] if m.group("unit") else 0)
        else:
            word = m.group("ones")
            # "one" is also a pronoun ("the second one"): only a number before a unit or a noun.
            if word == "one" and not _ONE_AS_NUMBER.match(m.string, m.end()):
                return m.group(0)
            value = _ONES[word]
        if m.group("hundred") is not None:
            value *= 100
        return str(value)

    return _NUM_WORDS_RE.sub(repl, text)


# --- Chinese -------------------------------------------------------------------------------------
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_RUN = re.compile(r"[零〇一二两三四五六七八九十百]+")
# Convert a numeral run only where it is a number people mean: before a unit or counter, after 第/到.
_ZH_AFTER = re.compile(r"^(?:秒|分钟|分|小时|个小时|张|幅|个|倍|%|点五|s\b|:)")
_ZH_BEFORE = re.compile(r"(?:第|到|至|成|为|百分之|前|后|最后|调到)$")


def zh_to_int(run: str) -> int | None:
    """"三十五" → 35, "十" → 10, "一百" → 100, "二五" → 25 (digit by digit)."""
    if not run:
        return None
    if "百" not in run and "十" not in run:
        return int("".join(str(_ZH_DIGITS[c]) for c in run))
    total, current = 0, 0
    for char in run:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _ZH_DIGITS[char]
    return total + current


def _zh_about(m: re.Match[str]) -> str:
    """"两三" (two or three) → 2.5; other pairs ("二九") are left for the digit-by-digit reading."""
    a, b = _ZH_DIGITS[m.group(1)], _ZH_DIGITS[m.group(2)]
    return f"{(a + b) / 2:g}" if b == a + 1 else m.group(0)


def _zh_or_digits(run: str) -> int:
    return int(run) if run.isdigit() else zh_to_int(run) or 0


def _zh_numbers(text: str) -> str:
    text = re.sub(r"半分钟", "30秒", text)
    text = re.sub(r"(?<![\d零〇一二两三四五六七八九十])半秒", "0.5秒", text)
    text = re.sub(r"一分半钟?", "90秒", text)
    text = re.sub(r"(\d+)\s*分半钟?", lambda m: f"{int(m.group(1)) * 60 + 30}秒", text)
    text = re.sub(r"百分之([零〇一二两三四五六七八九十百\d]+)", r"\1%", text)
    text = re.sub(r"([一两二三四五六七八])([二三四五六七八九])(?=\s*(?:秒|张))", _zh_about, text)  # 两三秒 → 2.5秒
    text = re.sub(r"([一二两三四五六七八九十\d]+)分之([一二两三四五六七八九\d]+)",  # 三分之一 → 1/3
                  lambda m: f"{_zh_or_digits(m.group(2))}/{_zh_or_digits(m.group(1))}", text)
    out: list[str] = []
    last = 0
    for m in _ZH_RUN.finditer(text):
        before, after = text[: m.start()], text[m.end():]
        if (_ZH_AFTER.match(after) or _ZH_BEFORE.search(before)) and not (m.group(0) == "一" and after[:1] == "半"):
            value = zh_to_int(m.group(0))
            out.append(text[last: m.start()])
            out.append(str(value))
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def normalize_numbers(text: str) -> str:
    """Lower-cased text with number words and Chinese numerals rewritten as digits."""
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    text = _words_to_digits(text)
    text = re.sub(r"\b(\d+)\s+point\s+(\d+)\b", r"\1.\2", text)  # "one point five" → 1.5
    text = re.sub(r"(?<![\w.])~\s*(?=\d)|(?<=\d)\s*-?ish\b", "", text)  # "20ish", "~20": about that is that
    text = _zh_numbers(text)
    # "1 min 30 s" / "1m30s" → seconds
    text = re.sub(
        r"\b(\d+)\s*(?:m|min|mins|minutes?)\s*(?:and\s+)?(\d+)\s*(?:s|sec|secs|seconds?)\b",
        lambda m: f"{int(m.group(1)) * 60 + int(m.group(2))} seconds", text)
    # "0:12", "1:30" (minutes:seconds; aspect ratios like 16:9 have one digit after the colon)
    text = re.sub(r"(?<![\d:])(?!9:16)(\d):([0-5]\d)(?![\d:])", lambda m: f"{int(m.group(1)) * 60 + int(m.group(2))} seconds", text)
    # "6 more seconds" → "6 seconds more"
    text = re.sub(r"\b(\d+(?:\.\d+)?)\s+(?:more|extra|additional)\s+(seconds?|secs?|s)\b", r"\1 \2 more", text)
    text = re.sub(r"(\d+)\s*分钟?\s*(\d+)\s*秒", lambda m: f"{int(m.group(1)) * 60 + int(m.group(2))}秒", text)
    text = re.sub(r"(\d+)\s*秒半", r"\1.5秒", text)  # "一秒半"
    text = re.sub(r"(?<![\d.])半\s*秒", "0.5秒", text)  # "每张短半秒"
    return text


@dataclass(frozen=True)
class Duration:
    ms: int
    start: int
    end: int


_UNIT_MS = {"ms": 1, "millisecond": 1, "milliseconds": 1,
            "s": 1000, "sec": 1000, "secs": 1000, "second": 1000, "seconds": 1000, "秒": 1000,
            "秒钟": 1000, "m": 60000, "min": 60000, "mins": 60000, "minute": 60000, "minutes": 60000,
            "分钟": 60000, "分": 60000, "hour": 3600000, "hours": 3600000, "hr": 3600000, "hrs": 3600000,
            "小时": 3600000}
DURATION_RE = re.compile(
    r"(?<![\d.:])(?P<num>\d+(?:\.\d+)?)\s*-?\s*"
    r"(?P<unit>milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|秒钟|秒|分钟|小时|s|m)(?![a-z])"
)


def find_durations(text: str) -> list[Duration]:
    """Every duration in already-normalized text, with its character span."""
    found = []
    for m in DURATION_RE.finditer(text):
        unit = m.group("unit")
        if unit == "分" and text[m.end():m.end() + 1] not in ("", " ", "的", "，", ","):
            continue
        ms = round(float(m.group("num")) * _UNIT_MS[unit])
        found.append(Duration(ms, m.start(), m.end()))
    return found


PERCENT_RE = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|pct\b)")


def find_percent(text: str) -> tuple[float, int, int] | None:
    """First percentage as a 0..1 fraction, with its span."""
    m = PERCENT_RE.search(text)
    if not m:
        return None
    return float(m.group("num")) / 100.0, m.start(), m.end()
