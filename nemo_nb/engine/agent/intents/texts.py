"""Titles and captions: add, change, move, time and remove the words on screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Parsed
from ..refs import find_refs
from ..text import PLACEHOLDER_RE, placeholder_index
from ..vocab import (
    ATTRIBUTE_ZH,
    DET,
    MUSIC_NOUN,
    NOT_WANTED,
    SCREEN_POSITIONS,
    TEXT_NOUN,
    VIDEO_NOUN,
    ZH_BETWEEN,
    split_remove,
    verb,
)
from .base import REMOVE_BOTH, Clause, add, blank_all, first_group, to_ms

# --- titles and captions ---------------------------------------------------------------------------
_TITLE_WORDS = r"title|titles|heading|headline|intro\s+card|标题"
_START = (r"\b(?:at|in|on|to|for|near|during)\s+(?:the\s+)?(?:very\s+)?(?:start|beginning|begin|opening|intro|front|"
          r"head)\b(?:\s+of\s+(?:the\s+)?(?:video|clip|it))?|\bat\s+first\b|\bto\s+open\b|\bas\s+(?:an?\s+)?intro\b|"
          r"\bopening\b|\bintro\b|开头|开始|片头|最前面|前面")
_END_PLACE = (r"\b(?:at|in|on|to|for|near|during)\s+(?:the\s+)?(?:very\s+)?(?:end|ending|close|finish|outro|"
              r"tail)\b(?:\s+of\s+(?:the\s+)?(?:video|clip|it))?|\bat\s+last\b|\bto\s+close\b|\bas\s+(?:an?\s+)?"
              r"outro\b|\bclosing\b|\boutro\b|\bending\b|结尾|片尾|末尾|最后|结束")
_FULL = (r"\bthroughout\b|\b(?:the\s+)?(?:whole|entire|full)\s+(?:video|time|thing|clip|length|way)\b|"
         r"\ball\s+the\s+way\s+through\b|\bthe\s+whole\s+time\b|\bthe\s+entire\s+time\b|全程|整个视频|一直")
_RANGE = (r"\b(?:from|between)\s+(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)?\s*(?:to|until|till|through|and|-|–)"
          r"\s*(?P<b>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|\b(?P<a2>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)?\s*"
          r"(?:-|–|to)\s*(?P<b2>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|从?\s*第?\s*(?P<a3>\d+(?:\.\d+)?)\s*秒?\s*"
          r"(?:开始)?\s*(?:显示|出现|开始|播放?|持续|停留)?\s*(?:到|至|-|~)\s*第?\s*(?P<b3>\d+(?:\.\d+)?)\s*秒")
#: "keep the title up until 5s", "字幕显示到第5秒": from where it starts (the start) to that second.
_UNTIL = (r"\b(?:until|till|til|up\s+to)\s+(?:the\s+)?(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b(?:\s+mark)?|"
          r"(?:显示|停留|持续|保持|留)\s*(?:到|至)\s*第?\s*(?P<a2>\d+(?:\.\d+)?)\s*秒")
_AT_TIME = (r"\b(?:at|after|starting\s+at|from|appearing\s+at|around)\s+(?:the\s+)?(?P<a>\d+(?:\.\d+)?)\s*"
            r"(?:s|sec|secs|seconds?)\b(?:\s+mark)?|在\s*第?\s*(?P<a2>\d+(?:\.\d+)?)\s*秒")
_FOR_TIME = r"\bfor\s+(?:the\s+)?(?:first\s+|last\s+)?(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|(?:持续|显示|停留)\s*(?P<a2>\d+(?:\.\d+)?)\s*秒"
_FIRST_N = r"\b(?:the\s+)?first\s+(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|(?:前|开头|开始|片头|一开始|最开始)\s*的?\s*(?P<a2>\d+(?:\.\d+)?)\s*秒"
_LAST_N = r"\b(?:the\s+)?(?:last|final)\s+(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|(?:最后|结尾|片尾|末尾)\s*的?\s*(?P<a2>\d+(?:\.\d+)?)\s*(?:秒|s\b)"
_POSITION = SCREEN_POSITIONS


def _placement(c: Clause, names: list[str]) -> dict | None:
    """Where in time a text goes, read (and blanked) from the clause."""
    m = c.search(_RANGE)
    if m:
        a, b = first_group(m, "a", "a2", "a3"), first_group(m, "b", "b2", "b3")
        start, end = to_ms(a) or 0, to_ms(b) or 0
        if end > start:
            return {"anchor": "time", "start_ms": start, "end_ms": end}
    dur = None
    m = c.search(_UNTIL)
    if m:
        return {"anchor": "start", "dur_ms": to_ms(first_group(m, "a", "a2"))}
    m = c.search(_FIRST_N)
    if m:
        return {"anchor": "start", "dur_ms": to_ms(first_group(m, "a", "a2"))}
    m = c.search(_LAST_N)
    if m:
        return {"anchor": "end", "dur_ms": to_ms(first_group(m, "a", "a2"))}
    m = c.search(_FOR_TIME)
    if m:
        dur = to_ms(first_group(m, "a", "a2"))
    m = c.search(_AT_TIME)
    if m:
        return {"anchor": "time", "start_ms": to_ms(first_group(m, "a", "a2")), "dur_ms": dur}
    if c.search(_FULL):
        return {"anchor": "full"}
    refs = find_refs(c.text, names)
    if refs:
        ref = refs[0]
        c.blank(ref.start, ref.end)
        c.search(r"\b(?:over|on|during|with|for|across|under|atop)\s+(?:the\s+)?(?=\s)")
        return {"anchor": "photo", "ref": ref.ref, "dur_ms": dur}
    if c.search(_END_PLACE):
        return {"anchor": "end", "dur_ms": dur}
    if c.search(_START):
        return {"anchor": "start", "dur_ms": dur}
    if dur:
        return {"anchor": "start", "dur_ms": dur}
    return None


def _position(c: Clause) -> str | None:
    for pattern, value in _POSITION:
        if c.search(pattern):
            return value
    return None


def _role_of(word: str | None) -> str | None:
    if not word:
        return None
    return "title" if re.fullmatch(_TITLE_WORDS, word.strip()) else "caption"


@dataclass
class _Slots:
    """What every text sub-frame reads: the placeholders, the text noun said, its role."""

    holders: list[re.Match[str]]
    noun: re.Match[str] | None
    role: str | None
    all_text: bool
    pos0: int

    @property
    def own_role(self) -> str | None:
        return None if self.all_text else self.role


def texts(c: Clause, p: Parsed, names: list[str]) -> None:
    holders = list(PLACEHOLDER_RE.finditer(c.text))
    noun = re.search(TEXT_NOUN, c.text)
    if not holders and not noun:
        return
    slots = _Slots(holders, noun, _role_of(noun.group(0)) if noun else None,
                   bool(noun and re.fullmatch(r"text|texts|words|overlay|文字", noun.group(0))),
                   noun.start() if noun else holders[0].start())
    frames = _WORD_FRAMES if holders else _TEXT_FRAMES
    any(frame(c, p, names, slots) for frame in frames)


_REMOVE = (split_remove(TEXT_NOUN) + "|" + rf"(?:{verb('remove', 'negate')})\s*{DET}(?:{TEXT_NOUN})|(?:{TEXT_NOUN})\s+off\b|\b(?:turn|switch)\s+"
           rf"(?:the\s+|my\s+)?(?:{TEXT_NOUN})\s+off\b|(?:{TEXT_NOUN}){ZH_BETWEEN}(?:{verb('remove')}|{NOT_WANTED})")


def _remove(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """"scrap the title", "no text", "remove the music and the title", "字幕去掉"."""
    remove = re.search(_REMOVE, c.text)
    if remove and not re.match(ATTRIBUTE_ZH, c.text[remove.end():]):  # "删掉标题的阴影": not the title
        c.blank(remove.start(), remove.end())
        loose = bool(s.noun) and s.noun.group(0) in ("字幕", "文案")  # Chinese says 字幕 for any words on screen
        add(p, c, "remove_text", remove.start(), role=s.own_role, **({"loose": True} if loose else {}))
        return True
    both = re.search(REMOVE_BOTH, c.orig)
    if both and re.fullmatch(TEXT_NOUN, both.group("second")):
        word = both.group("second")
        c.blank(both.start("second"), both.end("second"))
        add(p, c, "remove_text", both.start("second"),
            role=None if re.fullmatch(r"text|texts|words|overlay", word) else _role_of(word))
        return True
    return False


_STYLE = (r"\b(?:bigger|smaller|larger|font|fonts|colou?r|bold|italic|size|typeface|underline|shadow|outline|white|"
          r"black|red|blue|yellow|green|pink|gold|orange|purple|comic\s+sans|arial|helvetica|times)\b|"
          r"字体|字号|颜色|加粗|大一点|小一点|白色|黑色|红色|黄色|蓝色|绿色")


def _style(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    if re.search(_STYLE, c.text):
        add(p, c, "unsupported", s.pos0, what="text_style")
        return True
    return False


_SPAN = (r"\b(?P<longer>longer|more\s+time|\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\s+more)\b|"
         r"\b(?P<shorter>shorter|less\s+time|briefer|\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\s+(?:less|fewer))\b|"
         r"(?P<zl>久一?点|长一?点|多显示)|(?P<zs>短一?点|少显示)|"
         # "make the title last 5 seconds" (a verb; "in the last 5 seconds" is a place)
         r"(?<!the\s)(?<!\bin\s)\b(?:last|lasts|stay\s+up|stays\s+up|stay\s+on\s+screen)\s+(?:for\s+)?(?P<ln>\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b")


def _time_change(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """"the title should stay on screen longer": the title's time, not the video's."""
    span = re.search(_SPAN, c.text)
    if not (span and s.noun) or re.search(rf"\b(?:{VIDEO_NOUN})\b|视频", c.text):
        return False
    if span.group("ln"):
        c.blank(span.start(), span.end())
        c.blank(s.noun.start(), s.noun.end())
        add(p, c, "move_text", s.pos0, role=s.own_role, place=None, position=None, dur_ms=round(float(span.group("ln")) * 1000))
        return True
    longer = bool(span.group("longer") or span.group("zl"))
    more = re.search(r"(?P<n>\d+(?:\.\d+)?)\s*(?:more\s+|less\s+|fewer\s+)?(?:s|secs?|seconds?)\b|(?P<zn>\d+)秒", c.text)
    c.blank(span.start(), span.end())
    c.blank(s.noun.start(), s.noun.end())
    if more:
        c.blank(more.start(), more.end())
    delta = round(float(more.group("n") or more.group("zn")) * 1000) if more else None
    add(p, c, "move_text", s.pos0, role=s.own_role, place=None, position=None,
        dur_factor=None if delta else (1.5 if longer else 2 / 3),
        dur_delta_ms=(delta if longer else -delta) if delta else None)
    return True


_ANIM = r"\bfad(?:e|es|ing)\s*-?\s*(?:in|out)?\b|\banimat(?:e|ed|ion)\b|淡入|淡出"


def _anim(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """"I want the title to fade in slowly": titles fade in and out already; their speed is fixed."""
    if not (re.search(_ANIM, c.text) and s.noun) or re.search(rf"\b(?:{VIDEO_NOUN})\b|视频", c.text):
        return False
    blank_all(c, [_ANIM, TEXT_NOUN])
    add(p, c, "unsupported", s.pos0, what="text_anim")
    return True


_MOVE = (rf"\b(?:move|put|place|shift|show|display|make|keep|leave|hold)\s+(?:the\s+|my\s+|that\s+)?(?:{TEXT_NOUN})\b"
         rf"|(?:把)?(?:{TEXT_NOUN})(?:移到|放到|放在|挪到|(?=显示|停留))|\b(?:{TEXT_NOUN})\s+(?=up\s+for|on\s+screen\s+for)")
_NEW_WORDS = (rf"\b(?:add|insert|include|create|write|with|want|need|give\s+it|overlay)\b"
              rf"[^,;]*?(?:{TEXT_NOUN})|(?:加上?|添加|写上?|加个|加一个|放上?)(?:一个)?(?:{TEXT_NOUN})")


def _move(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """Move or retime an existing text: "move the title to the end", "keep the title up for 5 seconds"."""
    move = re.search(_MOVE, c.text)
    if not move or re.search(_NEW_WORDS, c.text):
        return False
    c.blank(move.start(), move.end())
    place = _placement(c, names)
    position = _position(c)
    if place or position:
        add(p, c, "move_text", move.start(), role=s.own_role, place=place, position=position)
    return bool(place or position)


def _ask_words(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """A text noun without its words: ask what it should say (unless it only says where something else goes)."""
    new_words = re.search(_NEW_WORDS, c.text)
    if not s.noun or (not new_words and re.search(MUSIC_NOUN, c.text)):
        return True  # "make the music start after the title": the title is where, not what to add
    c.blank(s.noun.start(), s.noun.end())
    if not new_words and re.search(r"\b(?:is|looks?|seems?|are)\s+(?:wrong|off|bad|incorrect|misspelled|weird|"
                                   r"broken|hard\s+to\s+(?:read|see)|unreadable|illegible|too\s+\w+)\b|看不清|看不见", c.text):
        return True  # "the title is wrong, …": the fix comes next
    place = _placement(c, names)
    position = _position(c)
    if new_words:
        c.blank(new_words.start(), new_words.end())
    elif place and place["anchor"] == "time":  # "title从第2秒显示到第6秒": the title there is retimed
        add(p, c, "move_text", s.pos0, role=s.own_role, place=place, position=position)
        return True
    # "title only for the first 2 secs", "keep the title up until 5s": no new words but a time — the text on screen
    # moves there when there is one (respond._text_on_screen_moves), else the question stays.
    add(p, c, "need_text", s.pos0, role=s.role or "title", place=place, **({"move": True} if place and not new_words else {}))
    return True


_EDIT = (rf"\brename\s+(?:the\s+|my\s+)?(?:{TEXT_NOUN})\b|\b(?:change|rename|update|replace|edit|switch|make|fix)\s+"
         rf"(?:the\s+|my\s+)?(?:{TEXT_NOUN})(?:\s+text)?\s+(?:to|with|into|as|say|read)\b|(?:{TEXT_NOUN})\s+"
         rf"(?:should\s+)?(?:say|read|be)\b|(?:把)?(?:{TEXT_NOUN})(?:改成|改为|换成)|\b(?:change|rename)\s+it\s+to\b")
_SWAP = (r"\b(?:change|replace|rename|swap|switch|update|edit|fix)\s+qq[a-z]+\s+(?:to|with|into|by|for)\s+qq[a-z]+|"
         r"把\s*qq[a-z]+\s*(?:改成|改为|换成)\s*qq[a-z]+")
#: "add a title 'Open Late' — sorry, 'Open Till Late'": the words after a correction replace those before.
_CORRECTED = r"qq[a-z]+\W+(?:no|sorry|oops|wait|i\s+mean|actually|rather|make\s+(?:it|that))\b[\s,]*(?=qq[a-z]+)"


def _words(c: Clause, p: Parsed, names: list[str], s: _Slots) -> bool:
    """Quoted or cued words: change an existing text's words, or add new texts."""
    edit = re.search(_EDIT, c.text)
    holders = s.holders
    if len(holders) == 2 and re.search(_CORRECTED, c.text):
        c.blank(holders[0].start(), holders[0].end())
        holders = holders[1:]
    for h in holders:
        c.blank(h.start(), h.end())
    if s.noun:
        c.blank(s.noun.start(), s.noun.end())
    words = [p.texts[placeholder_index(h.group(0))] for h in holders if placeholder_index(h.group(0)) < len(p.texts)]
    swap = len(words) == 2 and re.search(_SWAP, c.orig)
    if swap:  # "change 'Summer Sale' to 'Big Sale'": the text that says the first, now the second
        c.blank(swap.start(), swap.end())
        add(p, c, "edit_text", s.pos0, role=None, old=words[0], text=words[1])
    elif edit and words:
        c.blank(edit.start(), edit.end())
        add(p, c, "edit_text", s.pos0, role=s.own_role, text=words[0])
    elif len(words) == 1:
        add(p, c, "add_text", s.pos0, text=words[0], role=s.role, place=_placement(c, names), position=_position(c))
    elif words:
        _several(c, p, names, s, holders, words)
    return True


def _several(c: Clause, p: Parsed, names: list[str], s: _Slots, holders: list[re.Match[str]], words: list[str]) -> None:
    """Several texts in one clause ("a title 'Sale' at the beginning and 'Shop now' at the end"): each
    takes the placement said between it and the next one, and the noun said just before it."""
    bounds = [h.start() for h in holders[1:]] + [len(c.text)]
    starts = [0] + [h.start() for h in holders[1:]]
    for i, (word, lo, hi) in enumerate(zip(words, starts, bounds, strict=False)):
        window = Clause(c.text[lo:hi], c.offset + lo)
        before = c.orig[holders[i - 1].end() if i > 0 else 0: holders[i].start()]
        nouns = list(re.finditer(TEXT_NOUN, before))
        word_role = _role_of(nouns[-1].group(0)) if nouns else (s.role if i == 0 else None)
        place = _placement(window, names)
        position = _position(window)
        c.text = c.text[:lo] + window.text + c.text[hi:]
        add(p, c, "add_text", s.pos0 + lo, text=word, role=word_role, place=place, position=position)


_TEXT_FRAMES = [_remove, _style, _time_change, _anim, _move, _ask_words]
_WORD_FRAMES = [_words]
