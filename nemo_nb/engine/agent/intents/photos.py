"""Choosing photos: remove some, keep some, put all back."""

from __future__ import annotations

import re

from ..model import Parsed
from ..refs import find_refs, ordinal_value
from ..vocab import PHOTO_NOUN
from .base import Clause, add


# --- removing / choosing photos ----------------------------------------------------------------------
def remove_photos(c: Clause, p: Parsed, names: list[str]) -> None:
    t = c.text
    m = re.search(rf"\b(?:only|just)\s+(?:use|keep|show|include|want)?\s*(?:the\s+)?(?P<fl>first|last)?\s*(?P<n>\d+)\s+"
                  rf"(?:{PHOTO_NOUN})|\b(?:use|keep|show|include)\s+(?:only\s+|just\s+)?(?:the\s+)?(?P<fl2>first|last)\s+"
                  rf"(?P<n2>\d+)(?:\s+{PHOTO_NOUN})?|只(?:用|要|保留)(?P<zfl>前|后)?(?P<zn>\d+)张", t)
    if m:
        n = int(m.group("n") or m.group("n2") or m.group("zn"))
        last = (m.group("fl") or m.group("fl2")) == "last" or m.group("zfl") == "后"
        c.blank(m.start(), m.end())
        add(p, c, "remove_photos", m.start(), keep_last=n) if last else add(p, c, "remove_photos", m.start(), keep_first=n)
        return
    m = re.search(rf"\b(?:use|include|add|put\s+back|bring\s+back)\s+(?:all|every|each)\s+(?:of\s+)?(?:the\s+|my\s+)?"
                  rf"(?:{PHOTO_NOUN})|\b(?:add|include|use)\s+the\s+(?:rest|remaining|other|new)\b(?:\s+{PHOTO_NOUN})?|"
                  rf"用上?所有(?:的)?(?:照片|图片)|加上?(?:其余|剩下|新)的?(?:照片|图片)", t)
    if m:
        c.blank(m.start(), m.end())
        add(p, c, "build", m.start(), include_all=True)
        return
    m = re.search(rf"\b(?:remove|delete|drop|take\s+out|cut|skip|exclude|lose|get\s+rid\s+of|leave\s+out|ditch)\s+"
                  rf"(?:the\s+)?(?P<fl>first|last|final)\s+(?P<n>\d+)(?:\s+{PHOTO_NOUN})?\b|"
                  rf"(?:删除|删掉|去掉|移除)(?P<zfl>前|后|最后)(?P<zn>\d+)张", t)
    if m:
        n = int(m.group("n") or m.group("zn"))
        first = (m.group("fl") or "") == "first" or m.group("zfl") == "前"
        c.blank(m.start(), m.end())
        add(p, c, "remove_photos", m.start(), **({"drop_first": n} if first else {"drop_last": n}))
        return
    verb = re.search(r"\b(?:remove|delete|drop|take\s+out|cut|skip|exclude|lose|get\s+rid\s+of|leave\s+out|ditch|"
                     r"don'?t\s+(?:use|include|show|want))\b|删除|删掉|删了|删去|去掉|去了|拿掉|移除|不要", t)
    if not verb:
        return
    rest = t[verb.end():]
    refs = find_refs(rest, names, bare_names=True)
    if not refs and not verb.group(0).isascii():
        # Chinese puts the verb last: "第三张照片删掉".
        before = find_refs(t[: verb.start()], names)
        if before:  # "第二张和第四张删掉": every photo named before the verb
            for r in before:
                c.blank(r.start, r.end)
            c.blank(verb.start(), verb.end())
            add(p, c, "remove_photos", before[0].start, refs=[r.ref for r in before])
            return
    # "remove the second and third photos": bare ordinals joined to a photo noun.
    multi = re.search(rf"(?P<list>(?:(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
                      rf"\d+(?:st|nd|rd|th))(?:\s*,\s*|\s+and\s+|\s*&\s*)?)+)\s+(?:{PHOTO_NOUN})", rest)
    if multi and len(re.findall(r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)",
                                multi.group("list"))) > 1:

        words = re.findall(r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)",
                           multi.group("list"))
        found = [{"index": ordinal_value(w)} for w in words]
        c.blank(verb.end() + multi.start(), verb.end() + multi.end())
    else:
        nums = re.search(rf"(?:{PHOTO_NOUN})\s*(?P<list>\d+(?:\s*(?:,|and|&)\s*\d+)+)", rest)
        if nums:
            found = [{"index": int(x)} for x in re.findall(r"\d+", nums.group("list"))]
            c.blank(verb.end() + nums.start(), verb.end() + nums.end())
        elif refs:
            found = [r.ref for r in refs]
            for r in refs:
                c.blank(verb.end() + r.start, verb.end() + r.end)
        else:
            return
    c.blank(verb.start(), verb.end())
    add(p, c, "remove_photos", verb.start(), refs=found)

