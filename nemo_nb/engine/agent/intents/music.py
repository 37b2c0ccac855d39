"""Music: add/change (mood), remove, put back, volume (absolute, relative, steps)."""

from __future__ import annotations

import re

from ..model import Parsed
from ..numbers import find_percent
from ..vocab import (
    DET,
    FRACTION,
    MOOD_ALONE_AFTER,
    MOOD_ALONE_BEFORE,
    MOOD_COMPLAINTS,
    MOODS,
    MUSIC_NOUN,
    MUSIC_ONLY_MOODS,
    NOT_WANTED,
    OF_CURRENT,
    PHOTO_NOUN,
    TEXT_NOUN,
    TRANSITION_NOUN,
    VOLUME_NOUN,
    ZH_BETWEEN,
    alternation,
    complaint,
    split_remove,
    verb,
)
from .base import REMOVE_BOTH, Clause, add, blank_all, frame_of

#: The music as the object before a Chinese verb, in either language ("背景音乐去掉", "music关掉").
_MUSIC_ZH = rf"(?:背景)?(?:{MUSIC_NOUN}|声音)"
_NOT_OFF = r"(?!\s+(?:volume|level|loudness|down|up|in\s+half|by\b|a\s+(?:notch|bit|little)|quieter|louder|lower|to\b))"
#: "drop the song to half" / "cut the bgm to a third" set a level (``_NOT_OFF``: "to" follows), never remove.
#: "lose the soundtrack", "kill the song", "no music", "把音乐关了", "音乐也不要了": one verb list (vocab.VERBS).
_MUSIC_OFF = (split_remove(MUSIC_NOUN) + "|" + rf"(?:{verb('remove', 'negate', 'mute')})了?\s*{DET}(?:background\s+)?(?:{MUSIC_NOUN})(?![a-z]){_NOT_OFF}|"
              rf"\b(?:{MUSIC_NOUN})\s+(?:off|mute|muted)\b|\bsilent\b|\bno\s+sound\b|\bwithout\s+sound\b|\bmute\s+(?:it|the\s+video)\b|"
              rf"{_MUSIC_ZH}{ZH_BETWEEN}(?:{verb('remove', 'mute')}|{NOT_WANTED})|静音")
#: "put the song back in", "bring the music back", "unmute", "音乐加回来".
_MUSIC_BACK = (rf"\b(?:put|bring|add|get)\s+{DET}(?:background\s+)?(?:{MUSIC_NOUN})\s+back\b(?!\s+(?:up|down))(?:\s+in)?|"
               rf"(?:{verb('restore')})\s*{DET}(?:background\s+)?(?:{MUSIC_NOUN})?|{_MUSIC_ZH}\s*(?:{verb('restore')})")
_QUIETER = (rf"{verb('quieter')}|\b(?:drop|turn\s+(?:it\s+|the\s+\w+\s+)?down|bring\s+(?:it\s+|the\s+\w+\s+)?down|"
            r"take\s+(?:it\s+|the\s+\w+\s+)?down|tone\s+(?:it\s+)?down|lower\s+down|more\s+(?:low|quiet|soft)|"
            r"less\s+(?:high|strong)|too\s+(?:strong|high|much)|down)\b")
_LOUDER = (rf"{verb('louder')}|\b(?:turn\s+(?:it\s+|the\s+\w+\s+)?up|bring\s+(?:it\s+|the\s+\w+\s+)?up|can'?t\s+hear|"
           r"too\s+quiet|too\s+soft|too\s+low|more\s+(?:loud|high|strong)|"
           # a bare "up" is the volume's, but not "our anniversary is coming up", "wrap up", "sign up"
           r"(?<!coming\s)(?<!come\s)(?<!comes\s)(?<!came\s)(?<!wrap\s)(?<!sign\s)(?<!set\s)(?<!show\s)(?<!pop\s)(?<!what's\s)up)\b|"
           r"听不见|太小声")
#: A volume changed by a factor: "three times louder", "twice as loud", "cut the volume in half", "音乐小声一半".
_FACTOR = (r"\b(?P<n>\d+(?:\.\d+)?)\s*(?:x|times)\s+(?:as\s+)?(?:louder|loud|higher|more)\b|\b(?P<two>twice|double)\b|"
           r"\b(?P<three>triple|treble|thrice)\b|(?:\bx|×|\*)\s*(?P<xn>\d+(?:\.\d+)?)\b|"
           r"\b(?P<half>halve|half)\b|(?P<pct>\d+(?:\.\d+)?)\s*%\s+as\s+loud\b|(?P<zhalf>减半|一半)|"
           r"(?P<ztwo>(?:大声?|提高|提升|增加|加大|调高|调大|放大)\s*了?\s*1\s*倍|加倍|翻倍)|(?P<zn>\d+)\s*倍")
_VOLUME_WORD = rf"{VOLUME_NOUN}|\blevel\b|(?:{MUSIC_NOUN})"


_MOOD_COMPLAINT = re.compile(r"\b(?:is|'s|are|sounds?|feels?|kinda|kind\s+of|so|a\s+bit|way|really|pretty)\s+(?:\w+\s+)?"
                             rf"(?P<w>{alternation([w for words in MOOD_COMPLAINTS.values() for w in words])})")


_MOOD_EN = alternation([w for _label, en, _zh in MOODS.values() for w in en])
_NEXT_TO_MUSIC = re.compile(rf"(?P<w>{_MOOD_EN})\s+(?:background\s+|bg\s+)?(?:{MUSIC_NOUN})|(?:{MUSIC_NOUN})\s+(?:that'?s\s+|that\s+is\s+|"
                            rf"which\s+is\s+|more\s+|a\s+bit\s+more\s+)?(?P<w2>{_MOOD_EN})\b")


def _mood_in(text: str, *, music_context: bool) -> tuple[str | None, str | None]:
    """(mood, the word used) in ``text``; generic words only count when music is mentioned. A complaint about
    the mood ("the music is kinda depressing") is the mood it moves to."""
    said = _MOOD_COMPLAINT.search(text) if music_context else None
    if said:
        return next((m for m, words in MOOD_COMPLAINTS.items() if said.group("w") in words), None), said.group("w")
    near = _NEXT_TO_MUSIC.search(text)  # "happy bday video … w calm music": the word said with the music wins
    if near:
        word = near.group("w") or near.group("w2")
        return next(m for m, (_l, en, _zh) in MOODS.items() if word in en), word
    for mood, (_label, en_words, zh_words) in MOODS.items():
        for word in en_words:
            if re.search(rf"\b{re.escape(word)}(?:er|r)?\b", text) and (music_context or word in MUSIC_ONLY_MOODS):
                return mood, word
        for word in zh_words:
            if word in text and (music_context or word in MUSIC_ONLY_MOODS or "音乐" in text or _alone(text, word)):
                return mood, word
    return None, None


_OTHER_OBJECT = re.compile(rf"{PHOTO_NOUN}|{TEXT_NOUN}|{TRANSITION_NOUN}")


def _alone(text: str, word: str) -> bool:
    """A Chinese mood word as a phrase of its own ("竖屏 15秒 燃", "温馨风"), with no other object in the clause."""
    return (bool(re.search(r"[\u4e00-\u9fff]", text)) and not _OTHER_OBJECT.search(text)
            and re.search(MOOD_ALONE_BEFORE + re.escape(word) + MOOD_ALONE_AFTER, text) is not None)


_SECS = r"\d+(?:\.\d+)?\s*(?:s|sec|secs|seconds?)?"
#: "music from 0 to 10 seconds", "music only for the first 10 s": music over part of the video, which this
#: editor does not do (its music spans the video) — said so, instead of taken for the video's length.
_MUSIC_SPAN = (rf"\b(?:from|between)\s+(?:the\s+(?:start|beginning)|{_SECS})\s+(?:to|until|till|and|-)\s+"
               rf"(?:the\s+end|{_SECS})\b|\b(?:only\s+)?(?:for|during|in)\s+the\s+(?:first|last|final)\s+{_SECS}\b|"
               rf"\b(?:until|till|up\s+to)\s+{_SECS}\b|\bstart(?:ing|s)?\s+(?:at|from|after)\s+{_SECS}\b|"
               rf"\b(?:start|begin|come\s+in)(?:ing|s)?\s+(?:after|when)\s+(?:the\s+)?\w+|"
               r"(?:只在|只有)?(?:前|后|最后)\d+秒|从\d+秒(?:开始|到)")





def _second_object(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"remove the title and the music": the music is the second object of the removal."""
    both = re.search(REMOVE_BOTH, c.orig)
    if not (both and re.fullmatch(rf"(?:background\s+)?(?:{MUSIC_NOUN})", both.group("second"))):
        return False
    if not re.search(MUSIC_NOUN, c.text[both.start("second"):both.end("second")]):
        return False
    c.blank(both.start("second"), both.end("second"))
    add(p, c, "remove_music", both.start("second"))
    return True


def _span(c: Clause, p: Parsed, names: list[str]) -> bool:
    """Music over part of the video: said to be unsupported; the clause is still read on."""
    if re.search(MUSIC_NOUN, c.text) and not re.search(r"\bfad|淡", c.text):
        span = c.search(_MUSIC_SPAN)
        if span:
            add(p, c, "unsupported", span.start(), what="music_span")
    return False


def _off(c: Clause, p: Parsed, names: list[str]) -> bool:
    keep = re.search(r"\bmute\b.*\bkeep\b|\bkeep\b.*\bmute", c.text)
    m = c.search(_MUSIC_OFF)
    if m and keep:  # "mute the music but keep it": silent, still on the timeline
        c.search(r"\bkeep\b(?:\s+it)?")
        add(p, c, "set_volume", m.start(), volume=0.0)
    elif m:
        add(p, c, "remove_music", m.start())
    return bool(m)


def _back(c: Clause, p: Parsed, names: list[str]) -> bool:
    m = c.search(_MUSIC_BACK)
    if m:  # a bare "恢复" / "restore" names no music: right after an undo it is a redo (respond)
        bare = not re.search(MUSIC_NOUN, m.group(0))
        add(p, c, "set_music", m.start(), mood=None, **({"no_object": True} if bare else {}))
    return bool(m)


#: The loudest it goes, said without a number: "音量拉满", "音乐开到最大", "full volume", "max it out".
_FULL = re.compile(r"拉满|开满|(?:开|调|放|加)到最大声?|最大声|满格|\bfull\s+volume\b|\bmax(?:imum)?\s+volume\b|"
                   r"\bmax\s+(?:it|the\s+\w+)\s+out\b|\ball\s+the\s+way\s+up\b")


def _amount(text: str) -> tuple[float, tuple[int, int]] | None:
    """The volume as a 0..1 fraction and its span: "60%", "volume 60", "音量调到20", "拉满" (100 %)."""
    pct = find_percent(text)
    if pct:
        return pct[0], (pct[1], pct[2])
    full = _FULL.search(text)
    if full:
        return 1.0, full.span()
    num = re.search(r"(?:\bvolume\b|音量|(?:\bmusic|\bbgm|\bit|\bgo)\s+(?:to|at|around|about|like|maybe)|\blike|调到|调成|降到|升到|设为|设成)\s*(?:to|at|=|:|of|调到|调成|为|是|应该是|应该|改成|改为|设为|设成|变成|要)?\s*"
                    r"(?P<n>\d+(?:\.\d+)?)\b(?!\s*(?:s|secs?|seconds?|mins?|minutes?)\b)", text)
    if num:
        value = float(num.group("n"))
        return (value / 100.0 if value > 1 else value), num.span("n")
    return None


def _volume(c: Clause, p: Parsed, names: list[str]) -> bool:
    mentions = re.search(MUSIC_NOUN, c.text)
    about = mentions or re.search(VOLUME_NOUN, c.text)
    if not (about or re.search(r"\b(?:quieter|louder|softer|as\s+loud|too\s+(?:loud|quiet)|notch|turn\s+it\s+(?:up|down))\b|"
                               r"小声|大声|大\s*1\s*倍|小\s*1\s*半|吵|听不[见到清]|\boverpower|\b(?:barely|hardly|can'?t)\s+hear\b|^\s*(?:(?:a|little|bit|tad|touch|notch|more)\s+)*(?:lower|higher)\s*$", c.text)):
        return False
    if _complained(c, p) or _share_of_now(c, p):
        return True
    quieter, louder = re.search(_QUIETER, c.text), re.search(_LOUDER, c.text)
    amount = None if re.search(r"%\s+as\s+loud", c.text) else _amount(c.text)
    if amount is not None and (about or quieter or louder):
        _set_amount(c, p, amount, quieter, louder, bool(mentions))
        return True
    factor = re.search(_FACTOR, c.text)
    if factor:
        add(p, c, "set_volume", factor.start(), factor=_factor_value(factor, bool(quieter) and not louder))
        blank_all(c, [_FACTOR, _QUIETER, _LOUDER, _VOLUME_WORD])
        return True
    # "quieter" / "turn it up" — but "fade the music down" is a fade, "slow down" is pacing.
    if (quieter or louder) and not re.search(r"\bfade|\bslow\b|\bspeed\b|\bpace\b", c.text):
        add(p, c, "set_volume", (quieter or louder).start(), step=-1 if quieter else 1)
        blank_all(c, [_QUIETER, _LOUDER, _VOLUME_WORD])
        return True
    return False


_TOO_LOUD, _TOO_QUIET = re.compile(complaint("too_loud")), re.compile(complaint("too_quiet"))
_SHARE = re.compile(rf"{FRACTION}|(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?={OF_CURRENT})|(?:{OF_CURRENT})\s*(?P<pct2>\d+(?:\.\d+)?)\s*%")


def _complained(c: Clause, p: Parsed) -> bool:
    """"声音太大了", "the music is overpowering", "can barely hear the music": one notch the other way,
    and the reply says how to set it exactly."""
    m = _TOO_QUIET.search(c.text) or _TOO_LOUD.search(c.text)  # "太小声" before the "太大" inside other words
    if not m or re.search(_FACTOR, c.text) or _amount(c.text):  # "太小声了 大声一倍": the amount said wins
        return False
    step = 1 if m.re is _TOO_QUIET else -1
    add(p, c, "set_volume", m.start(), step=step, complaint=True)
    p.notes.append(("complaint", {"what": "volume", "step": step}))
    blank_all(c, [_TOO_QUIET.pattern, _TOO_LOUD.pattern, _QUIETER, _LOUDER, _VOLUME_WORD])
    return True


def _share_of_now(c: Clause, p: Parsed) -> bool:
    """"a quarter of what it is now", "现在的三分之一", "25% of what it is": a factor of the current volume."""
    m = _SHARE.search(c.text)
    if not m:
        return False
    if m.group("fa"):
        factor = int(m.group("fa")) / max(1, int(m.group("fb")))
    else:
        factor = float(m.group("pct") or m.group("pct2")) / 100
    if not 0 < factor <= 4:
        return False
    if re.search(r"\bby\s*$", c.text[: m.start()]) and factor < 1:  # "reduce the music by a third": ×2/3
        factor = 1 + factor if re.search(_LOUDER, c.text) and not re.search(_QUIETER, c.text) else 1 - factor
    add(p, c, "set_volume", m.start(), factor=round(factor, 4))
    blank_all(c, [_SHARE.pattern, OF_CURRENT, _QUIETER, _LOUDER, _VOLUME_WORD, r"\b(?:to|at|by|now)\b|调到|降到|变成|到"])
    return True


def _factor_value(m: re.Match[str], quieter: bool) -> float:
    if m.group("half") or m.group("zhalf"):
        return 0.5
    if m.group("pct"):  # "half as loud" (numbers made it "50% as loud")
        return float(m.group("pct")) / 100
    value = 2.0 if (m.group("two") or m.group("ztwo")) else 3.0 if m.group("three") else float(
        m.group("n") or m.group("zn") or m.group("xn"))
    return round(1 / value, 4) if quieter and value > 1 else value


def _set_amount(c: Clause, p: Parsed, amount: tuple[float, tuple[int, int]], quieter: object, louder: object,
                mentions: bool) -> None:
    """"music at 60%", "20% louder" (×1.2 of the volume now), "cinematic music at 40%" (mood and volume)."""
    fraction, span = amount
    by = re.search(r"\b(?:by|up|down)\s+(?:by\s+)?(?:\d+(?:\.\d+)?)\s*(?:%|percent)|(?:\d+(?:\.\d+)?)\s*(?:%|percent)\s+"
                   r"(?:louder|quieter|softer|lower|higher|more|less)\b|(?:大声|调大|提高|增加|加大|小声|调小|降低|减少|减小)"
                   r"\s*了?\s*\d+(?:\.\d+)?\s*%", c.text)
    c.blank(*span)
    blank_all(c, [_QUIETER, _LOUDER])  # "quieter" is not the mood "quiet"
    mood, word = _mood_in(c.text, music_context=mentions)
    if mood and word:
        at = c.search(rf"\b{re.escape(word)}\w*\b" if word.isascii() else re.escape(word))
        add(p, c, "set_music", at.start() if at else 0, mood=mood, mood_word=word, variation=False, own=False)
    if by and (quieter or louder):  # "50% louder", "down by 20%": a share of the volume now (×1.5, ×0.8)
        add(p, c, "set_volume", span[0], factor=round(1 - fraction if quieter else 1 + fraction, 4))
    else:
        add(p, c, "set_volume", span[0], volume=fraction)
    blank_all(c, [_QUIETER, _LOUDER, _VOLUME_WORD, r"\b(?:to|at|by)\b|调到|到"])


_VARIATION = (r"\b(?:different|another|other|new)\s+(?:vibe|style|feel|mood|genre|kind)\b|"
              r"\b(?:different|another|other|new|change\s+the|swap\s+the|switch\s+the)\s+"
              rf"(?:{MUSIC_NOUN}|track|tracks)\b|\b(?:don'?t|do\s+not)\s+(?:really\s+)?(?:like|love|want)\s+"
              rf"(?:the\s+|this\s+|that\s+)?(?:{MUSIC_NOUN})\b|\b(?:next|another)\s+(?:song|track|tune)\b|"
              r"换一首|换个音乐|换首歌|换音乐|不喜欢(?:这个)?(?:音乐|配乐|歌)|"
              r"(?:音乐|配乐|歌|bgm)[^，,。；;]{0,6}?(?:不好听|难听|不喜欢|听腻了|太土)")
_OWN = (rf"\b(?:my|the\s+uploaded|our|my\s+own)\s+(?:own\s+)?(?:{MUSIC_NOUN}|mp3|wav)\b|"
        r"(?:我的|我上传的|上传的|我自己的)(?:音乐|歌|音频|歌曲)")


#: "make it feel more energetic", "a bit more dramatic", "the vibe should be chill": the whole video's mood is the
#: music's — unless another object is named ("more dramatic transitions").
_VIBE = re.compile(rf"^(?!.*(?:{TRANSITION_NOUN}|{TEXT_NOUN}|{PHOTO_NOUN}|\bzoom|\bpan\b|\bmotion\b|\bfont\b|\bcolou?r\b|\bfast|\bslow|\bquick|\bspeed|\bpac(?:e|ing)\b))"
                   r".*\b(?:more|less|feel|feels|feeling|vibe|vibes|mood|tone|vibey)\b")


def _mood(c: Clause, p: Parsed, names: list[str]) -> bool:
    """"upbeat music", "something more cinematic", "another track", "use my own song"."""
    mentions = re.search(MUSIC_NOUN, c.text)
    mood, word = _mood_in(c.text, music_context=bool(mentions or re.search(r"\bsomething\b|换个|换成|来点|来个|来首|放点|放首|整点|整首", c.text)
                                                     or _VIBE.search(c.text)))
    if re.search(r"\bfade\b|淡入|淡出", c.text) and mentions and not mood:
        return True  # "fade the music out" is for the fade frame
    variation = re.search(_VARIATION, c.text)
    mentions = mentions or variation  # "another track": the music, not a timeline track
    own = re.search(_OWN, c.text)
    if not (mentions or mood):
        return False
    pos = (mentions or re.search(re.escape(word or ""), c.text)).start()
    if mentions:
        c.blank(mentions.start(), mentions.end())
    if word:
        c.search(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word))
    if variation:
        c.blank(variation.start(), variation.end())
    add(p, c, "set_music", pos, mood=mood, mood_word=word, variation=bool(variation), own=bool(own))
    return True


MUSIC_FRAMES = [_second_object, _span, _off, _back, _volume, _mood]
music = frame_of(MUSIC_FRAMES)
