"""How the photos look: motion, fit, aspect/platform, resolution, beat sync."""

from __future__ import annotations

import re

from ..model import Parsed
from ..refs import find_refs
from ..vocab import MOTION_OFF, MOTIONS, PLATFORMS
from .base import Clause, add


# --- motion and fit -------------------------------------------------------------------------------------
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
            add(p, c, "set_motion", m.start(), motion=motion, ref=ref)
            return


def fit(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"\b(?:don'?t|do\s+not|never|without|no)\s+crop(?:ping)?\b|\bshow\s+(?:the\s+)?(?:whole|entire|full)\s+"
                 r"(?:photos?|images?|pictures?)\b|\bfit\s+(?:the\s+)?(?:whole|entire|photos?|images?)\b|\bletterbox(?:ed|ing)?\b|"
                 r"\bblur(?:red|ry)?\s+(?:background|backdrop|bars|fill|edges|sides|borders)\b|\bkeep\s+(?:the\s+)?(?:whole|entire)\b|"
                 r"不要裁剪|不裁剪|完整显示|模糊背景|显示完整")
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
def aspect(c: Clause, p: Parsed, names: list[str]) -> None:
    for pattern, aspect, label_en, label_zh in PLATFORMS:
        m = re.search(pattern, c.text)
        if m:
            c.blank(m.start(), m.end())
            add(p, c, "set_aspect", m.start(), aspect=aspect, label_en=label_en, label_zh=label_zh,
                 platform=m.group(0).strip())
            break
    m = c.search(r"\b(?P<q>1080p|1080|full\s*hd|fhd|720p|720|hd|4k|2160p|uhd)\b(?!\s*(?:x|×))")
    if m:
        q = m.group("q")
        scale = "720" if q.startswith("720") or q == "hd" else "4k" if q in ("4k", "2160p", "uhd") else "1080"
        add(p, c, "set_resolution", m.start(), resolution=scale)


def beat_sync(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"\b(?:sync|synced|match|time|cut)\s+(?:the\s+)?(?:cuts?\s+|photos?\s+|it\s+)?(?:to|with)\s+(?:the\s+)?"
                 r"(?:beats?|music|rhythm)\b|\bbeat[\s-]*sync(?:ed)?\b|\bon\s+the\s+beat\b|卡点|踩点|跟着节奏")
    if m:
        off = re.search(r"\b(?:no|without|stop|don'?t|turn\s+off)\b", c.text)
        add(p, c, "set_beat_sync", m.start(), on=not off)

