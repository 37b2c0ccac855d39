"""Brand requests: a text's style (colour, size, font, background, position, animation), the logo
watermark and the end card. Read before ``texts`` so "make the title red" is a style, not new words."""

from __future__ import annotations

import re

from nemo_nb.style import color_hex

from ..model import Parsed
from ..text import PLACEHOLDER_RE, placeholder_index
from ..vocab import (
    ANIM_WORDS,
    ATTRIBUTE_ZH,
    BG_WORDS,
    BG_WORDS_NONE,
    COLOR_WORD,
    CORNER_WORDS,
    END_CARD_NOUN,
    FONT_WORDS,
    LOGO_NOUN,
    SCREEN_POSITIONS,
    SIZE_DOWN,
    SIZE_TOO_BIG,
    SIZE_TOO_SMALL,
    SIZE_UP,
    TEXT_NOUN,
    TEXT_NUDGES,
    ZH_BETWEEN,
    verb,
)
from .base import Clause, add

_ROLE_TITLE = r"title|titles|heading|headline|intro\s+card|标题"
_FONT_NOUN = r"\bfonts?\b|\btypefaces?\b|\blettering\b|字体|字号"
_PX = r"\b(?P<px>\d{2,3})\s*(?:px|pixels?|pt)\b|(?P<zpx>\d{2,3})\s*(?:像素|号)"
_POSITION = SCREEN_POSITIONS
_REMOVE = verb("remove", "negate")  # the one removal vocabulary (vocab.VERBS)
#: A follow-up that names no object ("bigger", "a bit smaller", "at the bottom"): the title's.
_BARE = (r"^\s*(?:(?:make|put|move)\s+it\s+|放在|放到|移到|(?:a\s+)?(?:bit|little|lot|tad)\s+|much\s+|way\s+|even\s+|slightly\s+|"
         r"a\s+little\s+|再|稍微|一些)*(?:{})\s*(?:please|pls|too|then|now|again)?\s*$")

# Compiled once: the frames run on every clause, and the ``re`` module's shared cache is small.
_C = re.compile
COLOR_RE, PX_RE, SIZE_UP_RE, SIZE_DOWN_RE = _C(COLOR_WORD), _C(_PX), _C(SIZE_UP), _C(SIZE_DOWN)
TEXT_RE, FONT_RE, LOGO_RE, END_CARD_RE, REMOVE_RE = (_C(TEXT_NOUN), _C(_FONT_NOUN), _C(LOGO_NOUN), _C(END_CARD_NOUN),
                                                     _C(_REMOVE))
NO_BG_RE = _C(BG_WORDS_NONE)
TOO_SMALL_RE, TOO_BIG_RE = _C(SIZE_TOO_SMALL), _C(SIZE_TOO_BIG)
#: A colour said of the box or outline ("加个黑色描边", "on a white box"): the box's, not the text's.
BG_COLOR_RE = _C(rf"(?P<c>{COLOR_WORD})(?:的?(?=(?P<box>底框|背景|底)|描边|阴影|投影)|\s+(?=(?P<box2>box|background|card)|outline|"
                 rf"stroke|shadow))")
_PLACES = [pat for pat, _ in _POSITION] + [rf"(?:(?:in|at|to)\s+(?:the\s+)?)?(?:{pat})(?:\s+corner)?"
                                           for pat, _ in CORNER_WORDS]
BARE_RE = _C(_BARE.format(f"{SIZE_UP}|{SIZE_DOWN}|" + "|".join(_PLACES)))
REMOVAL_RE = _C(rf"(?:{_REMOVE})\s*(?:the\s+|all\s+(?:the\s+)?|any\s+|my\s+|this\s+|that\s+)?(?:{TEXT_NOUN})|"
                rf"(?:{TEXT_NOUN}){ZH_BETWEEN}(?:{_REMOVE})(?!{ATTRIBUTE_ZH})")  # "标题不要动画" keeps the title
FONT_TABLE = [(_C(pat), value) for pat, value in FONT_WORDS]
STYLE_TABLES = [([(_C(pat), v) for pat, v in table], key) for table, key in
                ((BG_WORDS, "bg"), (ANIM_WORDS, "anim"), (CORNER_WORDS, "position"), (_POSITION, "position"),
                 (TEXT_NUDGES, "position"))]
CORNER_TABLE = [(_C(pat), value) for pat, value in CORNER_WORDS]
STYLE_FILLER_RE = _C(r"\b(?:make|set|change|turn|put|move|use|with|in|to|a|an|the|font)\b|改成|改为|换成|变成|设为|用|把")


def _holder_texts(c: Clause, p: Parsed) -> list[tuple[re.Match[str], str]]:
    out = []
    for h in PLACEHOLDER_RE.finditer(c.text):
        i = placeholder_index(h.group(0))
        if i < len(p.texts):
            out.append((h, p.texts[i]))
    return out


def _style_of(words: str) -> tuple[dict, int | None] | None:
    """The style that ``words`` are entirely made of ("blue", "60px", "bigger"), or None."""
    inner = Clause(words.lower(), 0)
    found, step = _style_words(inner, Parsed("en"))
    return (found, step) if (found or step) and not inner.text.strip() else None


def _style_words(c: Clause, p: Parsed) -> tuple[dict, int | None]:
    """The style said in the clause (blanked as read), and a size step (+1 bigger, -1 smaller)."""
    style: dict = {}
    step = None
    for h, words in _holder_texts(c, p):  # "change the title to 'blue'", "make the title 60px": a style
        found = _style_of(words)
        if found is not None:
            style.update(found[0])
            step = found[1] or step
            c.blank(h.start(), h.end())
    m = c.search(BG_COLOR_RE)
    if m and (m.group("box") or m.group("box2")):
        style["bg_color"] = color_hex(m.group("c").strip())
    for table, key in STYLE_TABLES:  # before the colour: "lose the white box" is the box's colour
        for pattern, value in table:
            if key not in style and c.search(pattern):
                style[key] = value
    m = c.search(COLOR_RE)
    if m:
        style["color"], style["color_word"] = color_hex(m.group(0).strip()), m.group(0).strip()
    m = c.search(PX_RE)
    if m:
        style["size"] = int(m.group("px") or m.group("zpx"))
    step = 1 if c.search(TOO_SMALL_RE) else -1 if c.search(TOO_BIG_RE) else step
    if step is None and c.search(SIZE_UP_RE):
        step = 1
    elif step is None and c.search(SIZE_DOWN_RE):
        step = -1
    for pattern, value in FONT_TABLE:
        if c.search(pattern):
            style.update(value)
    return style, step


def text_style(c: Clause, p: Parsed, names: list[str]) -> None:
    noun = TEXT_RE.search(c.text)
    font = FONT_RE.search(c.text)
    bare = BARE_RE.search(c.text)
    if not (noun or font or bare) or LOGO_RE.search(c.text):
        return
    # "remove the title" is ``texts``'; "标题不要背景" removes the card, not the title.
    if REMOVAL_RE.search(c.text) and not NO_BG_RE.search(c.text):
        return
    holders = _holder_texts(c, p)
    pos = (noun or font or bare).start()  # type: ignore[union-attr]
    new_words = [h for h, words in holders if _style_of(words) is None]
    style, step = _style_words(c, p)
    if not style and step is None:
        return
    if font and not noun:
        c.blank(font.start(), font.end())
    role = None
    if noun:
        role = "title" if re.fullmatch(_ROLE_TITLE, noun.group(0)) else (
            None if re.fullmatch(r"text|texts|words|overlay|文字", noun.group(0)) else "caption")
        if not new_words:  # the words of a new text keep their noun for ``texts``
            c.blank(noun.start(), noun.end())
    elif bare:
        role = "title"
        style["bare"] = True  # "再小一点" with no object: the title's — or the music's when there is no text
    c.search(STYLE_FILLER_RE)
    loose = bool(noun) and noun.group(0) in ("字幕", "文案")  # Chinese says 字幕 for any words on screen
    add(p, c, "set_text_style", pos, role=role, style=style, size_step=step, last=bool(new_words),
        **({"loose": True} if loose else {}))


def logo(c: Clause, p: Parsed, names: list[str]) -> None:
    m = LOGO_RE.search(c.text)
    if not m:
        return
    c.blank(m.start(), m.end())
    if c.search(REMOVE_RE):
        add(p, c, "set_logo", m.start(), remove=True)
        return
    corner = next((value for pattern, value in CORNER_TABLE if c.search(pattern)), None)
    step = 1 if c.search(SIZE_UP_RE) else -1 if c.search(SIZE_DOWN_RE) else None
    c.search(r"\b(?:in|on|at|to)\s+(?:the\s+|a\s+)?(?:corner|corners)\b|\bcorner\b|角落|角上|角")
    c.search(r"\b(?:put|add|place|show|use|our|my|the|a|in|on)\b", consume=True)
    add(p, c, "set_logo", m.start(), corner=corner, size_step=step)


def end_card(c: Clause, p: Parsed, names: list[str]) -> None:
    m = END_CARD_RE.search(c.text)
    if not m:
        return
    holders = _holder_texts(c, p)
    for h, _words in holders:
        c.blank(h.start(), h.end())
    colour = c.search(COLOR_RE)  # "a black card": read before the noun (which may hold it) is blanked
    c.blank(m.start(), m.end())
    if c.search(REMOVE_RE):
        add(p, c, "set_end_card", m.start(), remove=True)
        return
    bg = None
    if colour:
        bg = color_hex(colour.group(0).strip())
    elif c.search(r"\bsolid\b|\bplain\b|纯色"):
        bg = "#111114"
    elif c.search(r"\bblur(?:red|ry)?\b|模糊"):
        bg = "blur"
    c.search(r"\b(?:saying|that\s+says|which\s+says|reading|with\s+the\s+(?:text|words?)|with|add|an?|the)\b|写着|写|加上?|一张|一个",
             consume=True)
    add(p, c, "set_end_card", m.start(), text=holders[0][1] if holders else None, bg=bg,
        bg_word=colour.group(0).strip() if colour else None)
