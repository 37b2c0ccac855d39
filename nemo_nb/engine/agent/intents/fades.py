"""Fades of the picture and of the music."""

from __future__ import annotations

import re

from ..model import Parsed
from ..numbers import find_durations
from ..vocab import INTO_EACH_OTHER, MUSIC_NOUN, TRANSITION_NOUN, VIDEO_NOUN
from .base import Clause, add, blank_all

#: "make the fades longer", "quicker fades": the fades' own pace (said next to them).
_PACE = r"longer|slower|shorter|quicker|faster|softer|gentler|snappier"
_FADE_PACE = rf"\b(?P<w>{_PACE})\s+fades?\b|\bfades?\s+(?:(?:a\s+)?(?:bit|little|lot|tad)\s+)?(?P<w2>{_PACE})\b"

_OF_VIDEO = rf"\s*-?\s*(?:long\s+)?(?:{VIDEO_NOUN})\b|\s*的?(?:视频|短片)"


# --- fades --------------------------------------------------------------------------------------------
def fades(c: Clause, p: Parsed, names: list[str]) -> None:
    if not re.search(r"\bfad|\bblack\b|淡入|淡出|渐隐|渐显|变黑|黑掉|渐黑|黑下去|变亮|亮起来", c.text):
        return
    if re.search(rf"(?:{TRANSITION_NOUN})|\bbetween\b|\bcross\s*-?\s*fade|{INTO_EACH_OTHER}|之间", c.text) \
            and not re.search(r"\bfade\s*-?\s*(?:in|out)\b|\bfade\s+(?:up\s+)?from\s+black\b", c.text):
        return
    music = re.search(MUSIC_NOUN, c.text)
    off = re.search(r"\b(?:no|without|remove|delete|drop|get\s+rid\s+of|turn\s+off|kill)\s+(?:the\s+|any\s+|all\s+)?"
                    r"fades?(?:\s*-?\s*(?:in|out))?\b|(?:去掉|删除|不要|取消)(?:淡入淡出|淡入|淡出)", c.text)
    both = re.search(r"\bfade\s*-?\s*in\s*(?:and|&|/|\+)\s*(?:fade\s*-?\s*)?out\b|\bfades?\s+in\s+and\s+out\b|"
                     r"\bfade\s+(?:it\s+)?(?:up\s+)?from\s+(?:and\s+to\s+)?black\s+and\s+(?:back\s+)?to\s+black\b|"
                     r"淡入淡出|(?:开头|开始|片头)\s*(?:和|跟|与|、)?\s*(?:结尾|结束|片尾)|头尾|首尾|"
                     r"\b(?:the\s+)?(?:start|beginning)\s+and\s+(?:the\s+)?end\b", c.text)
    fin = re.search(r"\bfade\s*-?\s*in\b|\bfade\s+(?:it\s+)?(?:up\s+)?from\s+black\b|\bopen\s+from\s+black\b|"
                    r"\bfade(?:s)?\s+(?:the\s+\w+\s+)?in\b|淡入|渐显|(?:慢慢|渐渐|从黑)(?:变亮|亮起来)", c.text)
    fout = re.search(r"\bfade\s*-?\s*out\b|\bfade\s+(?:it\s+|the\s+\w+\s+)?(?:out|down)\b|\bfade\s+to\s+black\b|"
                     r"\bend\s+on\s+black\b|\bfade(?:s)?\s+(?:the\s+\w+\s+)?out\b|\bfade\s+away\b|淡出|渐隐|(?:慢慢|渐渐)?(?:变黑|黑掉|渐黑|黑下去)", c.text)
    plain = re.search(r"\bfades?\b", c.text)
    if not (both or fin or fout or off or plain):
        return
    # "a 10 second video that fades out": that length is the video's, not the fade's
    durations = [d for d in find_durations(c.text) if not re.match(_OF_VIDEO, c.text[d.end:])]
    ms = durations[0].ms if durations else None
    if off:
        fade_in, fade_out = (0 if (not re.search(r"out", off.group(0)) or re.search(r"in", off.group(0))) else None,
                             0 if not re.search(r"\bin\b", off.group(0).replace("fade-in", "fade in")) else None)
        if re.search(r"淡入淡出", off.group(0)):
            fade_in = fade_out = 0
    elif both:
        fade_in = fade_out = ms or 1000
    elif fin or fout:
        fade_in = (ms or 1000) if fin else None
        fade_out = (ms or 1000) if fout else None
    else:
        fade_in = fade_out = ms or 1000
    for d in durations[:1]:
        c.blank(d.start, d.end)
    pos = (off or both or fin or fout or plain).start()
    # "make the fades longer": with transitions on screen those are the fades meant (respond._fades_between_photos)
    speed = None
    if plain and not (off or both or fin or fout or music or ms):
        said = re.search(_FADE_PACE, c.text)
        if said:
            c.blank(said.start("w") if said.group("w") else said.start("w2"), said.end("w") if said.group("w") else said.end("w2"))
            speed = "faster" if (said.group("w") or said.group("w2")) in ("shorter", "quicker", "faster", "snappier") else "slower"
    blank_all(c, [r"\bfad(?:e|es|ing)\b|\bin\b|\bout\b|\bdown\b|\bblack\b|\bfrom\b|\bto\b|\bend\b|\bover\b|"
                   r"淡入淡出|淡入|淡出|渐隐|渐显"])
    if off:
        c.blank(off.start(), off.end())
    if music:
        c.blank(music.start(), music.end())
        if not ms:  # a fade people notice on music is longer than a picture fade
            fade_in = 3000 if fade_in else fade_in
            fade_out = 3000 if fade_out else fade_out
        add(p, c, "music_fade", pos, fade_in=fade_in, fade_out=fade_out)
    else:
        add(p, c, "set_fade", pos, fade_in=fade_in, fade_out=fade_out, **({"speed": speed} if speed else {}))

