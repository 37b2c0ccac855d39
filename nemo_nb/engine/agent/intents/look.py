"""How the photos look: motion, fit, aspect/platform, resolution, beat sync."""

from __future__ import annotations

import math
import re

from nemo_nb.draft import ASPECT_SIZES

from ..model import Parsed
from ..refs import find_refs
from ..vocab import (
    ASPECT_RATIO,
    BEAT_SYNC,
    BEAT_SYNC_OFF,
    KNOWN_RATIOS,
    MOTION_OFF,
    MOTIONS,
    NEGATION_EN,
    NEGATION_ZH,
    PLATFORMS,
    SHAPE_WORDS,
    alternation,
    verb,
)
from .base import Clause, add

PLATFORMS_RE = re.compile("|".join(pattern for pattern, *_ in PLATFORMS))


# --- motion and fit -------------------------------------------------------------------------------------
_REST = r"\b(?:the\s+)?(?:rest|others|other\s+(?:photos|ones|pics|pictures))\b|其他|其余|剩下"


def motion(c: Clause, p: Parsed, names: list[str]) -> None:
    refs = find_refs(c.text, names)
    m = re.search(MOTION_OFF, c.text)
    if m:
        c.blank(m.start(), m.end())
        ref = refs[0].ref if refs else None
        if refs:
            c.blank(refs[0].start, refs[0].end)
        add(p, c, "set_motion", m.start(), motion="still", ref=ref)
        return
    for pattern, motion in MOTIONS:
        m = re.search(pattern, c.text)
        if m:
            if motion == "auto" and re.search(r"\bzoom", m.group(0)) and re.search(r"\btransition", c.text):
                continue
            c.blank(m.start(), m.end())
            ref = None
            # "zoom in on the face" names no photo; "… the face in photo 1" does.
            if refs and ("index" in refs[0].ref
                         or not re.search(r"\b(?:subject|face|faces|center|centre|middle|person|people)\b", c.text)):
                ref = refs[0].ref
                c.blank(refs[0].start, refs[0].end)
            rest = ref is None and re.search(_REST, c.text)  # "… and zoom in on the rest": before the one named
            add(p, c, "set_motion", m.start(), motion=motion, ref=ref, **({"rest": True} if rest else {}))
            return


def fit(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"\b(?:don'?t|do\s+not|never|without|no)\s+crop(?:ping)?\b|\bshow\s+(?:the\s+)?(?:whole|entire|full)\s+"
                 r"(?:photos?|images?|pictures?)\b|\bfit\s+(?:the\s+)?(?:whole|entire|photos?|images?)\b|\bletterbox(?:ed|ing)?\b|"
                 r"\bblur(?:red|ry)?\s+(?:background|backdrop|bars|fill|edges|sides|borders)\b|\bkeep\s+(?:the\s+)?(?:whole|entire)\b|"
                 r"\b(?:sides|edges|bars|borders)\b(?:\s+\w+){0,3}?\s+blur(?:red|ry)?\b|\binstead\s+of\s+crop(?:ping)?\b|"
                 r"\bblur(?:red|ry)?\s+(?:them\s+|it\s+|those\s+)?instead\b|"
                 r"不要裁剪|不裁剪|完整显示|模糊背景|显示完整|(?:别|不要|不用|不想|勿)\s*被?\s*(?:裁|切|剪)(?:掉|剪|切|了)?|"
                 r"(?:照片|图片|画面|图)\s*(?:要|都)?\s*完整|要完整的|全部显示出来|显示全")
    if m:
        # Both halves of "fit the whole photo with a blurred background" say the same thing.
        c.search(r"\b(?:with\s+|on\s+|over\s+)?(?:an?\s+|the\s+)?blur(?:red|ry)?\s+(?:background|backdrop|bars|fill|edges|sides|"
                 r"borders)\b|\bfit\s+(?:the\s+)?(?:whole|entire|photos?|images?)(?:\s+(?:photos?|images?|pictures?))?\b|"
                 r"\b(?:don'?t|do\s+not|never|without|no)\s+crop(?:ping)?\b|模糊背景")
        add(p, c, "set_fit", m.start(), fit="blur")
        return
    m = c.search(r"\bcrop\s+(?:them\s+|it\s+)?to\s+fill\b|\bfill\s+the\s+(?:frame|screen|whole\s+screen)\b|\bfull[\s-]*bleed\b|"
                 r"\bzoom\s+to\s+fill\b|\bno\s+(?:black\s+)?bars\b|铺满|裁剪填充|填满")
    if m:
        add(p, c, "set_fit", m.start(), fit="cover")


# --- aspect / platform ---------------------------------------------------------------------------------
#: A format said as not wanted ("不要竖屏", "don't make it vertical", "I don't want it square") is never applied.
_NOT_WANTED_FORMAT = re.compile(rf"(?:{verb('negate')}|{alternation([*NEGATION_EN, *NEGATION_ZH, '不是'])})\s*"
                                r"(?:(?:make|turn|do|want|it|this|that|the\s+video|a|an|in|as|be)\s+|(?:弄|改|做|变|搞|换|调)成\s*)*$")


#: Said right after a format, it is not wanted: "竖屏不好看", "the vertical one looks bad".
_DISLIKED = re.compile(r"\s*(?:的)?\s*(?:不好看|不喜欢|太丑了?|丑|不行|不太好|不合适|看着别扭|looks?\s+(?:bad|weird|off|wrong)|"
                       r"doesn'?t\s+work|is\s+(?:ugly|bad|weird))")


def aspect(c: Clause, p: Parsed, names: list[str]) -> None:
    """An explicit ratio ("4:5", "4比5") wins over a platform name said with it ("ins feed的4:5")."""
    m = re.search(ASPECT_RATIO, c.text)
    ratio = f"{m.group('w')}:{m.group('h')}" if m else ""
    if m and ratio in KNOWN_RATIOS:
        c.blank(m.start(), m.end())
        c.search(PLATFORMS_RE)  # the platform said with it names the same format
        _set_aspect(c, p, m.start(), ratio, ratio, ratio, ratio)
    else:
        _platforms(c, p)
    m = c.search(r"\b(?P<q>1080p|1080|full\s*hd|fhd|720p|720|hd|4k|2160p|uhd)\b(?!\s*(?:x|×))")
    if m:
        q = m.group("q")
        scale = "720" if q.startswith("720") or q == "hd" else "4k" if q in ("4k", "2160p", "uhd") else "1080"
        add(p, c, "set_resolution", m.start(), resolution=scale)


def _platforms(c: Clause, p: Parsed) -> None:
    """Every format named, specific names first: the first one wanted is set; one said as not wanted ("不要竖屏",
    "don't make it vertical", "竖屏不好看") is a "keep" that respond reads with the draft."""
    wanted_ones: list[tuple[int, str, str, str, str]] = []
    for pattern, wanted, label_en, label_zh in PLATFORMS:
        for m in list(re.finditer(pattern, c.text)):
            c.blank(m.start(), m.end())
            negated = _NOT_WANTED_FORMAT.search(c.text[: m.start()])
            disliked = _DISLIKED.match(c.text, m.end())
            if negated or disliked:
                start = negated.start() if negated else m.start()
                end = disliked.end() if disliked else m.end()
                add(p, c, "keep", start, words=c.orig[start:end].strip(), not_aspect=wanted)
            else:
                wanted_ones.append((m.start(), wanted, label_en, label_zh, m.group(0).strip()))
    # A shape said outright wins over the format a platform named with it implies ("square for the insta feed").
    shaped = [w for w in wanted_ones if re.fullmatch(SHAPE_WORDS, w[4])]
    if wanted_ones:
        _set_aspect(c, p, *(shaped or wanted_ones)[0])


def _set_aspect(c: Clause, p: Parsed, pos: int, wanted: str, label_en: str, label_zh: str, said: str) -> None:
    """One format; a ratio the renderer does not make ("2:3", "3:4") becomes the nearest one, said so."""
    aspect = wanted if wanted in ASPECT_SIZES else nearest_aspect(wanted)
    if aspect != wanted:
        p.notes.append(("nearest_aspect", {"asked": label_en, "asked_zh": label_zh, "used": aspect}))
        label_en = label_zh = aspect
    add(p, c, "set_aspect", pos, aspect=aspect, label_en=label_en, label_zh=label_zh, platform=said)


def nearest_aspect(ratio: str) -> str:
    """The renderer's aspect closest to ``ratio`` ("w:h"), by the ratio of the ratios."""
    w, h = (float(x) for x in ratio.split(":"))
    return min(ASPECT_SIZES, key=lambda a: abs(math.log((w / h) / (ASPECT_SIZES[a][0] / ASPECT_SIZES[a][1]))))


def beat_sync(c: Clause, p: Parsed, names: list[str]) -> None:
    """On, or off when a negation is said around it ("don't cut on the beat", 不要卡点): off is stored as
    ``m.beat_sync: false``, so upbeat music's default does not turn it back on."""
    m = c.search(BEAT_SYNC)
    if m:
        near = (max(0, m.start() - 16), min(len(c.text), m.end() + 8))  # "turn off the beat sync", "卡点关掉"
        off = re.search(BEAT_SYNC_OFF, c.text[near[0]: near[1]])
        if off:
            c.blank(near[0] + off.start(), near[0] + off.end())
        add(p, c, "set_beat_sync", m.start(), on=not off)
