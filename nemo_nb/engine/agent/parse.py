"""Text → intents: the documented grammar (docs/agent.md), English and Chinese.

The pipeline: pull title words out (``text.py``), normalise width/case/numbers/typos, split into
sentences and clauses ("…, and make it vertical"), then run the detectors on each clause in a fixed
order. A detector that recognises something blanks the words it used, so a later detector does not
read them again ("from 5 to 8 seconds" belongs to a caption, not to the video length). A clause
that yields nothing but has real words in it is reported back as not understood.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .lang import detect_language
from .lexicon import (
    COMMON_WORDS,
    FILLER_RE,
    INTO_EACH_OTHER,
    MOODS,
    MOTION_OFF,
    MOTIONS,
    MUSIC_NOUN,
    MUSIC_ONLY_MOODS,
    PHOTO_NOUN,
    PLATFORMS,
    TEXT_NOUN,
    TRANSITION_NOUN,
    TRANSITION_TYPES,
    VIDEO_NOUN,
    expand_abbreviations,
)
from .model import Intent
from .numbers import find_durations, find_percent, normalize_numbers
from .refs import find_refs
from .text import PLACEHOLDER_RE, extract_texts, placeholder_index
from .typos import KEYWORDS, correct_typos

_VERBS = (r"make|add|put|set|change|remove|delete|use|turn|lower|raise|increase|decrease|reduce|move|swap|"
          r"switch|show|give|apply|include|fade|zoom|cut|shorten|lengthen|extend|trim|keep|export|download|"
          r"drop|mute|boost|replace|insert|write|place|bring|speed|slow|let|get|take|try|do|start|end|finish|"
          r"open|close|shuffle|reverse|no|without|with|i|we|it|render|send|save|undo|redo|lose|kill|play|"
          r"have|go|can|could|would|please")
_CLAUSE_SPLIT = re.compile(
    rf"\s*(?:[,;，；、]+|\band\s+then\b|\bthen\b|\balso\b|\bplus\b|\band\b(?=\s+(?:{_VERBS})\b)|并且|然后|同时|另外|还要|"
    rf"(?<=[\u4e00-\u9fff])再(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])并(?=[\u4e00-\u9fff]))\s*")
_SENTENCE_SPLIT = re.compile(r"(?<!\d)\.(?!\d)|[!?。！？\n]+")
#: "photos 1, 3 and 5", "第1、3、5张": a list of photo numbers, one clause (its commas are not clause breaks).
#: A number with a unit after it ("photo 2, 5 seconds") is not part of the list.
_UNIT_AFTER = r"(?!\s*(?:s\b|secs?\b|seconds?\b|%|percent\b|x\b|秒|张))"
_PHOTO_LIST = re.compile(rf"(?:{PHOTO_NOUN})\s*(?:#\s*)?\d+(?:\s*(?:,|、|，|\band\b|&)\s*\d+\b{_UNIT_AFTER})+|"
                         r"第\d+(?:\s*[、，,和&]\s*第?\d+)+张")


#: "photo 2, 5 seconds", "the second photo, 5 s": that photo's length, not the video's.
_PHOTO_THEN_LENGTH = re.compile(rf"(?P<ref>(?:{PHOTO_NOUN})\s*#?\s*\d+|\b(?:the\s+)?(?:first|second|third|fourth|fifth|"
                                rf"sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\s+(?:{PHOTO_NOUN}))\s*[,，:]\s*"
                                r"(?=\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\b)")


def _join_photo_lists(sentence: str) -> str:
    sentence = _PHOTO_LIST.sub(lambda m: re.sub(r"\s*(?:,|、|，|\band\b|和)\s*", " & ", m.group(0)), sentence)
    return _PHOTO_THEN_LENGTH.sub(lambda m: m.group("ref") + " for ", sentence)


@dataclass
class Clause:
    """One clause of a request; detectors blank what they used so nobody reads it twice."""

    text: str
    offset: int
    orig: str = ""

    def __post_init__(self) -> None:
        self.orig = self.orig or self.text

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]

    def search(self, pattern: str | re.Pattern[str], *, consume: bool = True) -> re.Match[str] | None:
        m = re.search(pattern, self.text)
        if m and consume:
            self.blank(m.start(), m.end())
        return m

    def has(self, pattern: str | re.Pattern[str]) -> bool:
        return re.search(pattern, self.text) is not None


@dataclass
class Parsed:
    language: str
    intents: list[Intent] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    fixes: list[tuple[str, str]] = field(default_factory=list)
    vague: bool = False


def normalize(text: str) -> tuple[str, list[str], list[tuple[str, str]]]:
    """(normalised text with placeholders, the title words, typo fixes made)."""
    text = unicodedata.normalize("NFKC", text)
    text, texts = extract_texts(text)
    text = text.replace("’", "'").lower()
    # A Latin word touching Chinese ("做个tiktok视频") gets spaces, so word boundaries work in both.
    text = re.sub(r"(?<=[\u4e00-\u9fff])(?=[a-z])|(?<=[a-z])(?=[\u4e00-\u9fff])", " ", text)
    text = expand_abbreviations(text)
    text = normalize_numbers(text)
    text, fixes = correct_typos(text)
    text = re.sub(r"[ \t]+", " ", text)
    return text, texts, fixes


_VAGUE = re.compile(
    r"\b(?:better|nicer|prettier|cooler|good|great|amazing|awesome|professional|pro|pop|stunning|"
    r"beautiful|improve|enhance|fix|polish|magic|wow|fancy|perfect|viral|engaging)\b|好看|漂亮|高级|优化|更好")


def parse(text: str, media_names: list[str] | None = None) -> Parsed:
    """Every intent in ``text``, in the order said. ``media_names``: file names for "the cat photo"."""
    names = media_names or []
    language = detect_language(text)
    norm, texts, fixes = normalize(text)
    parsed = Parsed(language=language, texts=texts, fixes=fixes)
    offset = 0
    topic = ""
    for sentence in _SENTENCE_SPLIT.split(norm):
        pieces = _CLAUSE_SPLIT.split(_join_photo_lists(sentence))
        for piece in pieces:
            if not piece or not piece.strip():
                offset += len(piece or "") + 1
                continue
            piece, topic = _with_topic(piece, topic)
            clause = Clause(" " + piece + " ", offset)
            before = len(parsed.intents)
            _detect(clause, parsed, names)
            if len(parsed.intents) == before:
                leftover = _content_words(piece)
                if leftover:
                    parsed.unknown.append(leftover)
                    if _VAGUE.search(piece):
                        parsed.vague = True
            else:
                parsed.unknown.extend(_unused_parts(clause))
            offset += len(piece) + 1
    parsed.intents = _merge_fades(_merge_volumes(_merge_transitions(parsed.intents)))
    if parsed.intents:
        # Next to understood requests, only report parts with words outside the vocabulary.
        parsed.unknown = [part for part in parsed.unknown if _unknown_words(part)]
    return parsed


def _merge_transitions(intents: list[Intent]) -> list[Intent]:
    """Several transition requests in one message are one setting, later words winning:
    "add transitions and make them slower, maybe one second each" → crossfade, 1 s."""
    first: Intent | None = None
    out: list[Intent] = []
    for intent in intents:
        if intent.name != "set_transition":
            out.append(intent)
        elif first is None:
            first = Intent(intent.name, dict(intent.args), intent.pos)
            out.append(first)
        else:
            first.args.update({k: v for k, v in intent.args.items() if v is not None})
    return out


def _merge_fades(intents: list[Intent]) -> list[Intent]:
    """"fade in at the start and fade out at the end": one change of both fades, not two."""
    fades = [i for i in intents if i.name == "set_fade"]
    if len(fades) < 2:
        return intents
    merged = dict(fades[0].args)
    for intent in fades[1:]:
        merged.update({k: v for k, v in intent.args.items() if v is not None})
    fades[0].args = merged
    return [i for i in intents if i.name != "set_fade" or i is fades[0]]


def _merge_volumes(intents: list[Intent]) -> list[Intent]:
    """A volume given as a number wins over a "louder"/"quieter" said before it in the same message:
    "make the music louder, maybe 60%" → 60%, not one step up and then 60%."""
    absolute = [i for i, intent in enumerate(intents) if intent.name == "set_volume" and "volume" in intent.args]
    if not absolute:
        return intents
    return [intent for i, intent in enumerate(intents)
            if not (intent.name == "set_volume" and "step" in intent.args and i < absolute[-1])]


_TOPICS = [("transitions", TRANSITION_NOUN), ("music", MUSIC_NOUN), ("text", TEXT_NOUN),
           ("photo", PHOTO_NOUN), ("video", VIDEO_NOUN)]


def _with_topic(piece: str, topic: str) -> tuple[str, str]:
    """A clause that only says "them"/"each" after one about transitions is about transitions too:
    "add transitions and make them slower, maybe one second each". Returns (clause, topic now)."""
    for name, pattern in _TOPICS:
        if re.search(pattern, piece):
            return piece, name
    if topic == "transitions" and re.search(r"\b(?:them|they|those|each)\b", piece):
        return piece + " transitions", topic
    if topic == "music" and re.search(r"\d\s*(?:%|percent\b)|百分之", piece):  # "… music louder, maybe 60%"
        return piece + " music volume", topic
    if topic == "transitions" and _bare_duration(piece):  # "dissolve transitions, 1 second"
        return piece + " transitions", topic
    if topic == "text":  # "the title is wrong, it should be 'Summer Sale 2026'"
        fixed = re.sub(r"^\s*(?:it|that)\s+(?:should|must|needs?\s+to|has\s+to)\s+(?:be|say|read)\b", " the text should say",
                       piece)
        if fixed != piece:
            return fixed, topic
    return piece, topic


def _bare_duration(piece: str) -> bool:
    """Whether a clause is only a length and filler ("1 second", "maybe half a second each")."""
    found = find_durations(piece)
    if not found or found[0].ms > 3000:
        return False
    rest = piece[: found[0].start] + " " + piece[found[0].end:]
    return not _content_words(re.sub(r"\b(?:each|long|maybe|about|around|like|say|roughly)\b|每个|左右|大概", " ", rest))


def _unknown_words(part: str) -> list[str]:
    words = [re.sub(r"'s$", "", w) for w in re.findall(r"[a-z][a-z']*", part.lower())]  # "mom's" is "mom"
    return [w for w in words if w not in COMMON_WORDS and w not in KEYWORDS and not FILLER_RE.fullmatch(w)]


def _unused_parts(clause: Clause) -> list[str]:
    """Parts of an understood clause ("… and flurb the wizzle") that no detector touched."""
    out = []
    start = 0
    for m in [*re.finditer(r"\s(?:and|but|&|with)\s", clause.orig), None]:
        end = m.start() if m else len(clause.orig)
        part = clause.orig[start:end]
        if part.strip() and clause.text[start:end] == part and _content_words(part) and _unknown_words(part):
            out.append(part.strip())
        start = m.end() if m else end
    return out


def _content_words(piece: str) -> str:
    bare = FILLER_RE.sub(" ", piece)
    bare = re.sub(r"\b(?:it|the|a|an|this|that|to|me|my|of|and|or|is|be|i|you|do|please|video|"
                  r"one|its|it's|us|we|our|your)\b", " ", bare)
    bare = re.sub(r"[^\w\u4e00-\u9fff']+", " ", bare).strip()
    return piece.strip() if bare else ""


def _add(parsed: Parsed, clause: Clause, name: str, pos: int = 0, **args: object) -> None:
    parsed.intents.append(Intent(name, dict(args), clause.offset + pos))


def _detect(clause: Clause, parsed: Parsed, names: list[str]) -> None:
    before = len(parsed.intents)
    for detector in (_actions, _help, _texts, _beat_sync, _music, _fades, _transitions, _order, _remove_photos,
                     _motion, _fit, _aspect, _photo_durations, _total_duration, _build):
        detector(clause, parsed, names)
    if len(parsed.intents) == before:
        _unsupported(clause, parsed)


#: Things people ask for that this editor does not do, so the reply can say so specifically.
_UNSUPPORTED = [
    (r"\bblack\s+and\s+white\b|\bb&w\b|\bgr[ae]yscale\b|\bsepia\b|\bfilters?\b|\bcolou?r\s+grad(?:e|ing)\b|"
     r"\bbrightness\b|\bcontrast\b|\bsaturation\b|\bbrighter\b|\bdarker\b|\bvintage\s+look\b|滤镜|黑白|调色|亮度|对比度",
     "filter"),
    (r"\bwatermark\b|\blogo\b|\bsticker\b|\bemoji\b|水印|贴纸|logo", "overlay"),
    (r"\bvoice\s*-?\s*over\b|\bnarrat(?:e|ion|or)\b|\bvoice\b|\bspeech\b|配音|旁白|解说", "voice"),
    (r"\bsubtitles?\s+(?:automatically|from\s+(?:the\s+)?audio)\b|\bauto\s*-?\s*captions?\b|自动字幕", "auto_captions"),
    (r"\b\d+\s*fps\b|\bframe\s*-?\s*rate\b|帧率", "fps"),
]


def _unsupported(c: Clause, p: Parsed) -> None:
    for pattern, what in _UNSUPPORTED:
        m = re.search(pattern, c.orig)
        if m:
            _add(p, c, "unsupported", m.start(), what=what)
            return


# --- actions -------------------------------------------------------------------------------------
_UNDO = (r"\bundo\b|\bun-do\b|\brevert\b|\bgo\s+back\b|\btake\s+(?:that|it)\s+back\b|\bcancel\s+(?:that|the\s+last)"
         r"|\bnever\s*mind\b|\bput\s+it\s+back\b|\bback\s+to\s+(?:how|the\s+way)\s+it\s+was\b|\bctrl\s*\+?\s*z\b"
         r"|\bprevious\s+version\b|撤销|撤回|回退|返回上一步|恢复原样|还原|上一步")
_REDO = r"\bredo\b|\bre-do\b|\bctrl\s*\+?\s*y\b|重做|恢复撤销"
_EXPORT = (r"\bexport(?:ing|ed)?\b|\bdownload\b|\bsend\s+(?:me\s+)?(?:the\s+|my\s+)?(?:video|file|mp4|it|result)\b"
           r"|\brender\s+(?:it|this|that|the\s+(?:video|final|mp4)|out)\b|\bsave\s+(?:it|this|the\s+video)\b"
           r"|\bgive\s+me\s+the\s+(?:video|file|mp4|result)\b|\bi'?m\s+done\b|\bfinali[sz]e\b"
           r"|\bget\s+(?:me\s+)?the\s+(?:video|mp4|file)\b|^\s*render\s*$|导出|下载|输出视频|保存视频")
_CREDITS = r"\bcredits?\b|\bbalance\b|\bhow\s+much\s+(?:do\s+i\s+have\s+)?left\b|积分|余额|点数"
_STATUS = (r"\bstatus\b|\bhow\s+long\s+is\s+(?:it|the\s+video|this)\b|\bwhat(?:'?s|\s+is)\s+the\s+(?:length|duration)\b|"
           r"多长时间|多少秒|\bshow\s+(?:me\s+)?(?:the\s+)?(?:tracks?|timeline|draft|project)\b|\bwhat'?s\s+"
           r"(?:in\s+)?(?:the\s+)?(?:timeline|draft|project)\b|\bwhere\s+are\s+we\b|\bsummary\b|"
           r"\bcurrent\s+(?:state|draft|timeline)\b|\bpreview\s+in\s+(?:the\s+)?timeline\b|\bshow\s+tracks\b|"
           r"\bwhat\s+(?:does|do)\s+(?:the\s+|my\s+|our\s+)?(?:timeline|draft|project|video|tracks?)\s+(?:look\s+like|"
           r"contain|have)\b|\bwhat(?:'?s|\s+is)\s+on\s+(?:the\s+|my\s+)?(?:timeline|tracks?)\b|"
           r"状态|时间线|轨道|进度")


def _actions(c: Clause, p: Parsed, names: list[str]) -> None:
    for name, pattern in (("redo", _REDO), ("undo", _UNDO), ("export", _EXPORT), ("credits", _CREDITS),
                          ("status", _STATUS)):
        m = c.search(pattern)
        if m:
            _add(p, c, name, m.start())
            other = c.search(r"\b(?:as\s+(?:an?\s+)?|in\s+|to\s+)?(?:gif|mov|webm|avi|mkv|wmv|animated\s+gif)\b")
            if name == "export" and other:  # "export as gif": say what it exports
                _add(p, c, "unsupported", other.start(), what="export_format")


def _help(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"^\s*(?:help|\?|what\s+can\s+you\s+do|how\s+does\s+this\s+work|commands|帮助|你能做什么)\s*$")
    if m:
        _add(p, c, "help", m.start())


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
          r"(?:到|至|-|~)\s*第?\s*(?P<b3>\d+(?:\.\d+)?)\s*秒")
_AT_TIME = (r"\b(?:at|after|starting\s+at|from|appearing\s+at|around)\s+(?:the\s+)?(?P<a>\d+(?:\.\d+)?)\s*"
            r"(?:s|sec|secs|seconds?)\b(?:\s+mark)?|在\s*第?\s*(?P<a2>\d+(?:\.\d+)?)\s*秒")
_FOR_TIME = r"\bfor\s+(?:the\s+)?(?:first\s+|last\s+)?(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|持续\s*(?P<a2>\d+(?:\.\d+)?)\s*秒"
_FIRST_N = r"\b(?:the\s+)?first\s+(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|前\s*(?P<a2>\d+(?:\.\d+)?)\s*秒"
_LAST_N = r"\b(?:the\s+)?(?:last|final)\s+(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|最后\s*(?P<a2>\d+(?:\.\d+)?)\s*秒"
_POSITION = [
    (r"\b(?:at|on|to|along|across)\s+(?:the\s+)?(?:very\s+)?top\b|\bup\s+top\b|顶部|上方|上面", "top"),
    (r"\blower\s+third\b|下三分之一", "lower_third"),
    (r"\b(?:at|on|to|along|across)\s+(?:the\s+)?(?:very\s+)?bottom\b|\bdown\s+below\b|底部|下方|下面", "bottom"),
    (r"\b(?:in\s+the\s+)?(?:center|centre|middle)\b|\bcentered\b|\bcentred\b|居中|中间|正中", "center"),
]


def _ms(value: str | None) -> int | None:
    return None if value is None else round(float(value) * 1000)


def _group(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        value = m.group(name)
        if value is not None:
            return value
    return None


def _placement(c: Clause, names: list[str]) -> dict | None:
    """Where in time a text goes, read (and blanked) from the clause."""
    m = c.search(_RANGE)
    if m:
        a, b = _group(m, "a", "a2", "a3"), _group(m, "b", "b2", "b3")
        start, end = _ms(a) or 0, _ms(b) or 0
        if end > start:
            return {"anchor": "time", "start_ms": start, "end_ms": end}
    dur = None
    m = c.search(_FIRST_N)
    if m:
        return {"anchor": "start", "dur_ms": _ms(_group(m, "a", "a2"))}
    m = c.search(_LAST_N)
    if m:
        return {"anchor": "end", "dur_ms": _ms(_group(m, "a", "a2"))}
    m = c.search(_FOR_TIME)
    if m:
        dur = _ms(_group(m, "a", "a2"))
    m = c.search(_AT_TIME)
    if m:
        return {"anchor": "time", "start_ms": _ms(_group(m, "a", "a2")), "dur_ms": dur}
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


def _texts(c: Clause, p: Parsed, names: list[str]) -> None:
    holders = list(PLACEHOLDER_RE.finditer(c.text))
    noun = re.search(TEXT_NOUN, c.text)
    if not holders and not noun:
        return
    role = _role_of(noun.group(0)) if noun else None
    all_text = bool(noun and re.fullmatch(r"text|texts|words|overlay|文字", noun.group(0)))
    pos0 = (noun.start() if noun else holders[0].start())
    remove = re.search(
        rf"\b(?:remove|delete|drop|no|without|get\s+rid\s+of|take\s+(?:off|out|away|down)|hide|clear|kill|lose|"
        rf"erase|ditch|turn\s+off|switch\s+off|don'?t\s+(?:want|need))\s+(?:the\s+|all\s+(?:the\s+)?|any\s+|that\s+|"
        rf"this\s+|my\s+)?(?:{TEXT_NOUN})|(?:{TEXT_NOUN})\s+off\b|\b(?:turn|switch)\s+(?:the\s+|my\s+)?(?:{TEXT_NOUN})\s+off\b|(?:去掉|删除|删掉|移除|不要|取消|隐藏)(?:所有的?)?(?:{TEXT_NOUN})|"
        rf"(?:{TEXT_NOUN})\s*(?:也|都)?(?:去掉|删除|删掉|拿掉|移除|不要了?|取消|隐藏)", c.text)
    both = None if remove or holders else re.search(_REMOVE_BOTH, c.orig)
    if both and re.fullmatch(TEXT_NOUN, both.group("second")):  # "remove the music and the title"
        remove = both
        noun_word = both.group("second")
        role, all_text = _role_of(noun_word), bool(re.fullmatch(r"text|texts|words|overlay", noun_word))
        c.blank(both.start("second"), both.end("second"))
        _add(p, c, "remove_text", both.start("second"), role=None if all_text else role)
        return
    if remove and not holders:
        c.blank(remove.start(), remove.end())
        _add(p, c, "remove_text", remove.start(), role=None if all_text else role)
        return
    # Move an existing text ("move the title to the end", "show the caption over photo 2").
    move = re.search(rf"\b(?:move|put|place|shift|show|display|make)\s+(?:the\s+|my\s+|that\s+)?(?:{TEXT_NOUN})\b"
                     rf"|(?:把)?(?:{TEXT_NOUN})(?:移到|放到|放在|挪到)", c.text)
    if not holders and re.search(r"\b(?:bigger|smaller|larger|font|fonts|colou?r|bold|italic|size|typeface|"
                                 r"underline|shadow|outline|white|black|red|blue|yellow|green|pink|gold|orange|purple)\b|"
                                 r"字体|字号|颜色|加粗|大一点|小一点|白色|黑色|红色|黄色", c.text):
        _add(p, c, "unsupported", pos0, what="text_style")
        return
    span = None if holders else re.search(
        r"\b(?P<longer>longer|more\s+time|\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\s+more)\b|"
        r"\b(?P<shorter>shorter|less\s+time|briefer|\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\s+(?:less|fewer))\b|"
        r"(?P<zl>久一?点|长一?点|多显示)|(?P<zs>短一?点|少显示)", c.text)
    if span and noun and not re.search(rf"\b(?:{VIDEO_NOUN})\b|视频", c.text):
        # "the title should stay on screen longer": the title's time, not the video's.
        longer = bool(span.group("longer") or span.group("zl"))
        more = re.search(r"(?P<n>\d+(?:\.\d+)?)\s*(?:more\s+|less\s+|fewer\s+)?(?:s|secs?|seconds?)\b|(?P<zn>\d+)秒",
                         c.text)
        c.blank(span.start(), span.end())
        c.blank(noun.start(), noun.end())
        if more:
            c.blank(more.start(), more.end())
        delta = round(float(more.group("n") or more.group("zn")) * 1000) if more else None
        _add(p, c, "move_text", pos0, role=None if all_text else role, place=None, position=None,
             dur_factor=None if delta else (1.5 if longer else 2 / 3),
             dur_delta_ms=(delta if longer else -delta) if delta else None)
        return
    anim = None if holders else re.search(r"\bfad(?:e|es|ing)\s*-?\s*(?:in|out)?\b|\banimat(?:e|ed|ion)\b|淡入|淡出", c.text)
    if anim and noun and not re.search(rf"\b(?:{VIDEO_NOUN})\b|视频", c.text):
        # "I want the title to fade in slowly": titles fade in and out already; their speed is fixed.
        _blank_all(c, [r"\bfad(?:e|es|ing)\s*-?\s*(?:in|out)?\b|\banimat(?:e|ed|ion)\b|淡入|淡出", TEXT_NOUN])
        _add(p, c, "unsupported", pos0, what="text_anim")
        return
    if not holders:
        new_words = re.search(rf"\b(?:add|insert|include|create|write|with|want|need|give\s+it|overlay)\b"
                              rf"[^,;]*?(?:{TEXT_NOUN})|(?:加上?|添加|写上?|加个|加一个|放上?)(?:一个)?(?:{TEXT_NOUN})",
                              c.text)
        if move and not new_words:
            c.blank(move.start(), move.end())
            place = _placement(c, names)
            position = _position(c)
            if place or position:
                _add(p, c, "move_text", move.start(), role=None if all_text else role, place=place,
                     position=position)
                return
        if noun and not new_words and re.search(MUSIC_NOUN, c.text):
            return  # "make the music start after the title": the title is where, not what to add
        if noun and not new_words and re.search(r"\b(?:is|looks?|seems?|are)\s+(?:wrong|off|bad|incorrect|misspelled|weird|"
                                                r"broken)\b", c.text):
            c.blank(noun.start(), noun.end())
            return  # "the title is wrong, …": the fix comes next
        if noun:
            c.blank(noun.start(), noun.end())
            place = _placement(c, names)
            _position(c)
            if new_words:
                c.blank(new_words.start(), new_words.end())
            _add(p, c, "need_text", pos0, role=role or "title", place=place)
        return
    # Change the words of an existing text.
    edit = re.search(rf"\brename\s+(?:the\s+|my\s+)?(?:{TEXT_NOUN})\b|"
                     rf"\b(?:change|rename|update|replace|edit|switch|make|fix)\s+(?:the\s+|my\s+)?"
                     rf"(?:{TEXT_NOUN})(?:\s+text)?\s+(?:to|with|into|as|say|read)\b|(?:{TEXT_NOUN})\s+"
                     rf"(?:should\s+)?(?:say|read|be)\b|(?:把)?(?:{TEXT_NOUN})(?:改成|改为|换成)", c.text)
    for h in holders:
        c.blank(h.start(), h.end())
    if noun:
        c.blank(noun.start(), noun.end())
    words = [p.texts[placeholder_index(h.group(0))] for h in holders if placeholder_index(h.group(0)) < len(p.texts)]
    if not words:
        return
    swap = len(words) == 2 and re.search(r"\b(?:change|replace|rename|swap|switch|update|edit|fix)\s+qq[a-z]+\s+(?:to|with|into|"
                                          r"by|for)\s+qq[a-z]+|把\s*qq[a-z]+\s*(?:改成|改为|换成)\s*qq[a-z]+", c.orig)
    if swap:  # "change 'Summer Sale' to 'Big Sale'": the text that says the first, now the second
        c.blank(swap.start(), swap.end())
        _add(p, c, "edit_text", pos0, role=None, old=words[0], text=words[1])
        return
    if edit:
        c.blank(edit.start(), edit.end())
        _add(p, c, "edit_text", pos0, role=None if all_text else role, text=words[0])
        return
    if len(holders) == 1:
        place = _placement(c, names)
        position = _position(c)
        _add(p, c, "add_text", pos0, text=words[0], role=role, place=place, position=position)
        return
    # Several texts in one clause ("a title 'Sale' at the beginning and 'Shop now' at the end"):
    # each takes the placement said between it and the next one.
    bounds = [h.start() for h in holders[1:]] + [len(c.text)]
    starts = [0] + [h.start() for h in holders[1:]]
    for i, (word, lo, hi) in enumerate(zip(words, starts, bounds, strict=False)):
        window = Clause(c.text[lo:hi], c.offset + lo)
        # The noun said just before this text names it ("a caption 'A' and a title 'B'").
        before = c.orig[holders[i - 1].end() if i > 0 else 0: holders[i].start()]
        nouns = list(re.finditer(TEXT_NOUN, before))
        own_noun = nouns[-1] if nouns else None
        word_role = _role_of(own_noun.group(0)) if own_noun else (role if i == 0 else None)
        place = _placement(window, names)
        position = _position(window)
        c.text = c.text[:lo] + window.text + c.text[hi:]
        _add(p, c, "add_text", pos0 + lo, text=word, role=word_role, place=place, position=position)


# --- music -------------------------------------------------------------------------------------------
_MUSIC_OFF = (rf"\b(?:no|without|remove|delete|drop|turn\s+off|switch\s+off|kill|lose|get\s+rid\s+of|take\s+"
              rf"(?:out|away|off)|cut|stop|disable|skip|ditch|mute|silence|don'?t\s+(?:want|need|add|use|put))\s+"
              rf"(?:the\s+|any\s+|all\s+|that\s+|this\s+|of\s+|some\s+)*(?:background\s+)?(?:{MUSIC_NOUN})\b|"
              rf"\b(?:{MUSIC_NOUN})\s+off\b|\bsilent\b|\bno\s+sound\b|\bwithout\s+sound\b|\bmute\s+(?:it|the\s+video)\b|"
              rf"(?:去掉|删除|删掉|移除|不要|关掉|关闭|取消|拿掉)了?\s*(?:背景)?(?:音乐|配乐|bgm|声音|歌曲|歌)|"
              rf"(?:无|没有|不加|不用)(?:背景)?(?:音乐|配乐|声音)|静音|"
              rf"(?:背景)?(?:音乐|配乐|bgm|声音)\s*(?:也)?(?:关掉|关闭|去掉|删掉|删除|拿掉|取消|不要了?)")
_QUIETER = (r"\b(?:lower|reduce|decrease|drop|soften|dim|turn\s+(?:it\s+|the\s+\w+\s+)?down|bring\s+(?:it\s+|the\s+\w+\s+)?"
            r"down|tone\s+(?:it\s+)?down|quieter|softer|less\s+loud|not\s+so\s+loud|too\s+loud|lower\s+down|"
            r"more\s+(?:low|quiet|soft)|less\s+(?:high|strong)|too\s+(?:strong|high|much)|"
            r"down)\b|小声|调小|降低|调低|轻一点|小一点|低一点|太大声|太吵|弱一点")
_LOUDER = (r"\b(?:louder|raise|increase|boost|pump\s+up|turn\s+(?:it\s+|the\s+\w+\s+)?up|bring\s+(?:it\s+|the\s+\w+\s+)?"
           r"up|more\s+volume|can'?t\s+hear|too\s+quiet|too\s+soft|too\s+low|more\s+(?:loud|high|strong)|up)\b|大声|调大|提高|调高|响一点|大一点|高一点|听不见|太小声")
_VOLUME_WORD = rf"\bvolume\b|\blevel\b|\bloudness\b|音量|声音|(?:{MUSIC_NOUN})"


def _mood_in(text: str, *, music_context: bool) -> tuple[str | None, str | None]:
    """(mood, the word used) in ``text``; generic words only count when music is mentioned."""
    for mood, (_label, en_words, zh_words) in MOODS.items():
        for word in en_words:
            if re.search(rf"\b{re.escape(word)}(?:er|r)?\b", text) and (music_context or word in MUSIC_ONLY_MOODS):
                return mood, word
        for word in zh_words:
            if word in text and (music_context or word in MUSIC_ONLY_MOODS or "音乐" in text):
                return mood, word
    return None, None


_SECS = r"\d+(?:\.\d+)?\s*(?:s|sec|secs|seconds?)?"
#: "music from 0 to 10 seconds", "music only for the first 10 s": music over part of the video, which this
#: editor does not do (its music spans the video) — said so, instead of taken for the video's length.
_MUSIC_SPAN = (rf"\b(?:from|between)\s+(?:the\s+(?:start|beginning)|{_SECS})\s+(?:to|until|till|and|-)\s+"
               rf"(?:the\s+end|{_SECS})\b|\b(?:only\s+)?(?:for|during|in)\s+the\s+(?:first|last|final)\s+{_SECS}\b|"
               rf"\b(?:until|till|up\s+to)\s+{_SECS}\b|\bstart(?:ing|s)?\s+(?:at|from|after)\s+{_SECS}\b|"
               rf"\b(?:start|begin|come\s+in)(?:ing|s)?\s+(?:after|when)\s+(?:the\s+)?\w+|"
               r"(?:只在|只有)?(?:前|后|最后)\d+秒|从\d+秒(?:开始|到)")


_REMOVE_BOTH = (r"\b(?:remove|delete|drop|get\s+rid\s+of|take\s+out|lose|ditch|no)\s+(?:the\s+|all\s+(?:the\s+)?|any\s+)?"
                r"[a-z]+(?:\s+[a-z]+)?\s+(?:and|&)\s+(?:the\s+|all\s+(?:the\s+)?|any\s+)?(?P<second>[a-z]+(?:\s+[a-z]+)?)\b")


def _music(c: Clause, p: Parsed, names: list[str]) -> None:
    both = re.search(_REMOVE_BOTH, c.orig)
    second = both and re.fullmatch(rf"(?:background\s+)?(?:{MUSIC_NOUN})", both.group("second"))
    if second and re.search(MUSIC_NOUN, c.text[both.start("second"):both.end("second")]):
        c.blank(both.start("second"), both.end("second"))  # "remove the title and the music"
        _add(p, c, "remove_music", both.start("second"))
        return
    mentions = re.search(MUSIC_NOUN, c.text)
    volume_word = re.search(r"\bvolume\b|\bloudness\b|音量", c.text)
    span = re.search(_MUSIC_SPAN, c.text) if mentions and not re.search(r"\bfad|淡", c.text) else None
    if span:
        c.blank(span.start(), span.end())
        _add(p, c, "unsupported", span.start(), what="music_span")
    keep = re.search(r"\bmute\b.*\bkeep\b|\bkeep\b.*\bmute", c.text)
    m = c.search(_MUSIC_OFF)
    if m and keep:  # "mute the music but keep it": silent, still on the timeline
        c.search(r"\bkeep\b(?:\s+it)?")
        _add(p, c, "set_volume", m.start(), volume=0.0)
        return
    if m:
        _add(p, c, "remove_music", m.start())
        return
    if re.search(r"\bunmute\b|取消静音", c.text):
        c.search(r"\bunmute\b|取消静音")
        _add(p, c, "set_music", 0, mood=None)
        return
    if mentions or volume_word or re.search(r"\b(?:quieter|louder|softer)\b|小声|大声", c.text):
        pct = find_percent(c.text)
        num = re.search(r"(?:\bvolume\b|音量)\s*(?:to|at|=|:|of|调到|为|是)?\s*(?P<n>\d+(?:\.\d+)?)\b(?!\s*(?:s|sec|seconds?)\b)",
                        c.text)
        fraction = None
        span = None
        if pct:
            fraction, span = pct[0], (pct[1], pct[2])
        elif num:
            value = float(num.group("n"))
            fraction = value / 100.0 if value > 1 else value
            span = num.span("n")
        quieter = re.search(_QUIETER, c.text)
        louder = re.search(_LOUDER, c.text)
        halve = re.search(r"\b(?:halve|half)\b|减半", c.text)
        double = re.search(r"\b(?:double)\b|加倍|翻倍", c.text)
        # "up by 20%", "20% louder": a step of 20 points, not "set to 20%".
        by = re.search(r"\bby\s+(?:\d+(?:\.\d+)?)\s*(?:%|percent)|(?:\d+(?:\.\d+)?)\s*(?:%|percent)\s+"
                       r"(?:louder|quieter|softer|lower|higher|more|less)\b", c.text)
        if fraction is not None and (volume_word or mentions or quieter or louder):
            c.blank(*span)
            _blank_all(c, [_QUIETER, _LOUDER])  # "quieter" is not the mood "quiet"
            mood, word = _mood_in(c.text, music_context=bool(mentions))
            if mood and word:  # "cinematic music at 40%": the mood and the volume
                at = c.search(rf"\b{re.escape(word)}\w*\b" if word.isascii() else re.escape(word))
                _add(p, c, "set_music", at.start() if at else 0, mood=mood, mood_word=word, variation=False, own=False)
            if by and (quieter or louder):
                _add(p, c, "set_volume", span[0], delta=-fraction if quieter else fraction)
            else:
                _add(p, c, "set_volume", span[0], volume=fraction)
            _blank_all(c, [_QUIETER, _LOUDER, _VOLUME_WORD, r"\b(?:to|at|by)\b|调到|到"])
            return
        if (halve or double) and (volume_word or mentions):
            _add(p, c, "set_volume", 0, factor=0.5 if halve else 2.0)
            _blank_all(c, [r"\b(?:halve|half|double)\b|减半|加倍|翻倍", _VOLUME_WORD])
            return
        # "quieter" / "turn it up" — but "fade the music down" is a fade, "slow down" is pacing.
        if (quieter or louder) and not re.search(r"\bfade|\bslow\b|\bspeed\b|\bpace\b", c.text):
            _add(p, c, "set_volume", (quieter or louder).start(), step=-1 if quieter else 1)
            _blank_all(c, [_QUIETER, _LOUDER, _VOLUME_WORD])
            return
    mood, word = _mood_in(c.text, music_context=bool(mentions))
    if re.search(r"\bfade\b|淡入|淡出", c.text) and mentions and not mood:
        return  # "fade the music out" is for the fade detector
    variation = re.search(r"\b(?:different|another|other|new|change\s+the|swap\s+the|switch\s+the)\s+"
                          rf"(?:{MUSIC_NOUN}|track|tracks)\b|\b(?:don'?t|do\s+not)\s+(?:really\s+)?(?:like|love|want)\s+"
                          rf"(?:the\s+|this\s+|that\s+)?(?:{MUSIC_NOUN})\b|\b(?:next|another)\s+(?:song|track|tune)\b|"
                          r"换一首|换个音乐|换首歌|换音乐|不喜欢(?:这个)?(?:音乐|配乐|歌)", c.text)
    if variation and not mentions:  # "another track": the music, not a timeline track
        mentions = variation
    own = re.search(rf"\b(?:my|the\s+uploaded|our|my\s+own)\s+(?:own\s+)?(?:{MUSIC_NOUN}|mp3|wav)\b|"
                    r"(?:我的|我上传的|上传的|我自己的)(?:音乐|歌|音频|歌曲)", c.text)
    if mentions or mood:
        pos = (mentions or re.search(re.escape(word or ""), c.text)).start()
        if mentions:
            c.blank(mentions.start(), mentions.end())
        if word:
            c.search(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word))
        if variation:
            c.blank(variation.start(), variation.end())
        _add(p, c, "set_music", pos, mood=mood, mood_word=word, variation=bool(variation), own=bool(own))


def _blank_all(c: Clause, patterns: list[str]) -> None:
    for pattern in patterns:
        for m in list(re.finditer(pattern, c.text)):
            c.blank(m.start(), m.end())


# --- fades --------------------------------------------------------------------------------------------
def _fades(c: Clause, p: Parsed, names: list[str]) -> None:
    if not re.search(r"\bfad|\bblack\b|淡入|淡出|渐隐|渐显", c.text):
        return
    if re.search(rf"(?:{TRANSITION_NOUN})|\bbetween\b|\bcross\s*-?\s*fade|{INTO_EACH_OTHER}|之间", c.text) \
            and not re.search(r"\bfade\s*-?\s*(?:in|out)\b|\bfade\s+(?:up\s+)?from\s+black\b", c.text):
        return
    music = re.search(MUSIC_NOUN, c.text)
    off = re.search(r"\b(?:no|without|remove|delete|drop|get\s+rid\s+of|turn\s+off|kill)\s+(?:the\s+|any\s+|all\s+)?"
                    r"fades?(?:\s*-?\s*(?:in|out))?\b|(?:去掉|删除|不要|取消)(?:淡入淡出|淡入|淡出)", c.text)
    both = re.search(r"\bfade\s*-?\s*in\s*(?:and|&|/|\+)\s*(?:fade\s*-?\s*)?out\b|\bfades?\s+in\s+and\s+out\b|"
                     r"\bfade\s+(?:it\s+)?(?:up\s+)?from\s+(?:and\s+to\s+)?black\s+and\s+(?:back\s+)?to\s+black\b|"
                     r"淡入淡出", c.text)
    fin = re.search(r"\bfade\s*-?\s*in\b|\bfade\s+(?:it\s+)?(?:up\s+)?from\s+black\b|\bopen\s+from\s+black\b|"
                    r"\bfade(?:s)?\s+(?:the\s+\w+\s+)?in\b|淡入|渐显", c.text)
    fout = re.search(r"\bfade\s*-?\s*out\b|\bfade\s+(?:it\s+|the\s+\w+\s+)?(?:out|down)\b|\bfade\s+to\s+black\b|"
                     r"\bend\s+on\s+black\b|\bfade(?:s)?\s+(?:the\s+\w+\s+)?out\b|\bfade\s+away\b|淡出|渐隐", c.text)
    plain = re.search(r"\bfades?\b", c.text)
    if not (both or fin or fout or off or plain):
        return
    durations = find_durations(c.text)
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
    _blank_all(c, [r"\bfad(?:e|es|ing)\b|\bin\b|\bout\b|\bdown\b|\bblack\b|\bfrom\b|\bto\b|\bend\b|\bover\b|"
                   r"淡入淡出|淡入|淡出|渐隐|渐显"])
    if off:
        c.blank(off.start(), off.end())
    if music:
        c.blank(music.start(), music.end())
        if not ms:  # a fade people notice on music is longer than a picture fade
            fade_in = 3000 if fade_in else fade_in
            fade_out = 3000 if fade_out else fade_out
        _add(p, c, "music_fade", pos, fade_in=fade_in, fade_out=fade_out)
    else:
        _add(p, c, "set_fade", pos, fade_in=fade_in, fade_out=fade_out)


# --- transitions ---------------------------------------------------------------------------------------
_TRANSITION_OFF = (rf"\b(?:no|without|remove|delete|drop|turn\s+off|get\s+rid\s+of|kill|lose|disable|skip|ditch|"
                   rf"don'?t\s+(?:want|need|use))\s+(?:the\s+|any\s+|all\s+(?:the\s+)?)?(?:[a-z]+\s+)?(?:{TRANSITION_NOUN})|"
                   rf"(?:{TRANSITION_NOUN})\s+off\b|\bhard\s+cuts?\b|\bjust\s+cuts?\b|\bstraight\s+cuts?\b|\bcuts?\s+only\b|"
                   rf"\bjump\s+cuts?\b|(?:去掉|删除|不要|取消|关闭)(?:所有的?)?(?:转场|过渡)|无转场|直接切|硬切|"
                   rf"(?:转场|过渡)(?:效果)?(?:都|全部|也)?(?:去掉|删掉|删除|不要了?|取消|关掉|关闭|拿掉)")
_TRANSITION_FAST = r"\b(?:quick|quicker|fast|faster|snappy|snappier|short|shorter|brief|rapid|speed\s+up)\b|快一?点|更快|短一?点"
_TRANSITION_SLOW = (r"\b(?:slow|slower|long|longer|gentler|smoother|softer|lingering|slow\s+down)\b|慢一?点|更慢|长一?点")


def _transitions(c: Clause, p: Parsed, names: list[str]) -> None:
    noun = re.search(TRANSITION_NOUN, c.text)
    strong = re.search(rf"\bcross\s*-?\s*(?:fade|dissolve)s?\b|\bcross\s*-?\s*fad(?:ed|ing)\b|\bdissolves?\b|\bwipes?\b|"
                       rf"\bfade\s+(?:to|through)\s+black\s+between\b|{INTO_EACH_OTHER}|交叉淡化|叠化|溶解|擦除", c.text)
    between = re.search(rf"\bbetween\s+(?:the\s+|each\s+|all\s+)?(?:{PHOTO_NOUN})|\bbetween\s+(?:them|each)\b|"
                        r"(?:照片|图片|相片|每张|张)(?:之间|中间|与照片之间)", c.text)
    cuts = re.search(r"\bhard\s+cuts?\b|\bjust\s+cuts?\b|\bstraight\s+cuts?\b|\bcuts?\s+only\b|\bjump\s+cuts?\b|直接切|硬切",
                     c.text)
    if not (noun or strong or between or cuts):
        return
    off = c.search(_TRANSITION_OFF)
    both = None if off else re.search(_REMOVE_BOTH, c.orig)
    if both and re.fullmatch(TRANSITION_NOUN, both.group("second")):  # "remove the music and the transitions"
        c.blank(both.start("second"), both.end("second"))
        off = both
    if off:
        _add(p, c, "set_transition", off.start(), type="none")
        return
    kind = None
    for pattern, value in TRANSITION_TYPES:
        m = re.search(pattern, c.text)
        if m:
            kind = value
            c.blank(m.start(), m.end())
            break
    if not (noun or kind):
        return
    durations = [d for d in find_durations(c.text) if d.ms <= 3000]
    ms = None
    if durations:
        ms = durations[0].ms
        c.blank(durations[0].start, durations[0].end)
    speed = None
    if ms is None:
        if re.search(_TRANSITION_FAST, c.text):
            speed = "faster"
        elif re.search(_TRANSITION_SLOW, c.text):
            speed = "slower"
        _blank_all(c, [_TRANSITION_FAST, _TRANSITION_SLOW])
    pos = (noun or strong or between or cuts).start() if (noun or strong or between or cuts) else 0
    for m in (noun, between):
        if m:
            c.blank(m.start(), m.end())
    _add(p, c, "set_transition", pos, type=kind, ms=ms, speed=speed)


# --- order ---------------------------------------------------------------------------------------------
def _order(c: Clause, p: Parsed, names: list[str]) -> None:
    t = c.text
    m = re.search(r"\breverse\s+(?:the\s+)?(?:order|sequence)\b|\bin\s+reverse(?:\s+order)?\b|\breverse\s+(?:the\s+|all\s+"
                  rf"(?:the\s+)?)?(?:{PHOTO_NOUN})\b|\breverse\s+(?:it|them|everything|all|the\s+(?:whole\s+)?(?:thing|video|"
                  r"slideshow))\b|^\s*reverse\s*$|\bbackwards\b|\breversed\b|倒序|反转顺序|顺序反过来|倒过来|反过来", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "reorder", m.start(), mode="reverse")
        return
    m = re.search(r"\bshuffle\b|\brandomi[sz]e\b|\bmix\s+up\s+(?:the\s+)?(?:order|photos)\b|\brandom\s+order\b|打乱|随机顺序|随机排列", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "reorder", m.start(), mode="shuffle")
        return
    m = re.search(r"\bsort\s+(?:them\s+|the\s+photos\s+)?(?:by\s+name|alphabetically)\b|\balphabetical\s+order\b|按名字排序|按文件名排序", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "reorder", m.start(), mode="sort")
        return
    m = re.search(rf"\b(?:swap|switch|exchange|trade|flip)\s+(?:the\s+)?(?:order\s+of\s+(?:the\s+)?)?(?P<which>first|last)\s+"
                  rf"(?:2|two)(?:\s+{PHOTO_NOUN})?\b|(?:交换|调换|对调|互换)(?:一下)?前(?:2|两)张|前(?:2|两)张(?:交换|调换|对调|互换)", t)
    if m:
        c.blank(m.start(), m.end())
        last = (m.group("which") or "") == "last"
        _add(p, c, "reorder", m.start(), mode="swap", a={"index": -2 if last else 1}, b={"index": -1 if last else 2})
        return
    # "swap photos 2 and 5", "swap 1 and 3", "switch #2 with #4" (bare numbers are positions here).
    m = re.search(rf"\b(?:swap|switch|exchange|trade)\s+(?:the\s+)?(?:(?:{PHOTO_NOUN})\s*|#\s*)?(?P<a>\d+)\s*"
                  rf"(?:and|with|&|,|<->)\s*(?:(?:{PHOTO_NOUN})\s*|#\s*)?(?P<b>\d+)\b(?!\s*(?:s|sec|secs|seconds?|%|:|x))", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "reorder", m.start(), mode="swap", a={"index": int(m.group("a"))}, b={"index": int(m.group("b"))})
        return
    verb = re.search(r"\b(?:swap|switch|exchange|trade|interchange)\b|\bchange\s+(?:the\s+)?(?:positions?|places?|"
                     r"order|spots?)\s+(?:of|between|for)\b|交换|调换|对调|互换|换一?下?位置|换个位置|位置互换|位置交换", t)
    if verb:
        refs = find_refs(t, names, bare_ordinals=True, bare_names=True)
        if len(refs) >= 2:
            for r in refs[:2]:
                c.blank(r.start, r.end)
            c.blank(verb.start(), verb.end())
            _add(p, c, "reorder", verb.start(), mode="swap", a=refs[0].ref, b=refs[1].ref)
            return
    # "make photo 3 the first one and photo 1 the last one": each numbered photo, then its new end.
    ends = list(re.finditer(rf"(?:{PHOTO_NOUN})\s*#?\s*(?P<n>\d+)\s+(?:should\s+be\s+|be\s+|is\s+|as\s+)?(?:the\s+)?"
                            r"(?P<to>first|last|final)(?:\s+(?:one|photo|pic|picture|image))?\b", t))
    if len(ends) >= 2:
        moved: list[tuple[int, str]] = []  # the numbers are positions before this request: follow earlier moves
        for m in ends:
            c.blank(m.start(), m.end())
            at, to = int(m.group("n")), "first" if m.group("to") == "first" else "last"
            for prev, prev_to in moved:
                if prev_to == "first":
                    at = 1 if at == prev else (at + 1 if 0 < at < prev else at)
                else:
                    at = -1 if at == prev else (at - 1 if at > prev else at)
            moved.append((at, to))
            _add(p, c, "reorder", m.start(), mode="move", ref={"index": at}, to=to)
        c.search(r"\b(?:make|put|set|have)\b")
        return
    # Moves: "put the cat photo last", "move photo 3 to the start", "start with the rocket", "把第一张放到最后".
    lead = re.search(r"\b(?:start|open|begin|lead|kick\s+off)\s+with\b|以(?=第|最后)", t)
    close = re.search(r"\b(?:end|finish|close|wrap\s+up)\s+(?:with|on)\b", t)
    if lead or close:
        refs = find_refs(t, names, bare_ordinals=True, bare_names=True)
        if refs:
            r = refs[0]
            c.blank(r.start, r.end)
            m2 = lead or close
            c.blank(m2.start(), m2.end())
            c.search(r"开头|结尾")
            _add(p, c, "reorder", m2.start(), mode="move", ref=r.ref, to="first" if lead else "last")
            return
    verb = re.search(r"\b(?:put|move|place|make|set|bring|shift|drag|push|have|show|reposition|relocate)\b|把|将"
                     r"|(?<=[张个片图])(?:放到|移到|挪到|放在|移动到|排到)", t)  # "第一张放到最后": no 把 needed
    if not verb:
        verb = re.search(rf"\b(?:{PHOTO_NOUN})\b[^,]*?\b(?:should|must|to)\s+(?:be|go|come)\b", t)
    if not verb:
        # No verb, a photo and a place: "pic 4 first", "the cat photo last", "photo 2 to the end".
        refs = find_refs(t, names)
        if refs and re.match(r"\s*(?:goes\s+|comes\s+|should\s+(?:be|go|come)\s+)?(?:first|last|to\s+the\s+(?:start|end|"
                             r"front|back|beginning))\s*$", t[refs[0].end:]) and not t[: refs[0].start].strip():
            verb = re.search(r"\s*", t)
    if not verb:
        return
    dest = re.search(
        r"\b(?:to|at|as|in)\s+(?:the\s+)?(?:very\s+)?(?P<first>first|start|beginning|front|top|opening)\b(?:\s+(?:position|place|slot|one))?"
        r"|\b(?:to|at|as|in)\s+(?:the\s+)?(?:very\s+)?(?P<last>last|end|back|bottom|finish|closing)\b(?:\s+(?:position|place|slot|one))?"
        r"|\b(?P<first2>first)\b(?!\s+(?:\d|photo|image|picture|pic|slide|one))|\b(?P<last2>last)\b(?!\s+(?:\d|photo|image|picture|pic|slide|one))"
        r"|\b(?:to|at|in|into)\s+(?:the\s+)?(?:position|place|slot|spot)\s*(?:number\s*|#\s*)?(?P<pos>\d+)\b"
        r"|\b(?:to|at|as)\s+(?:the\s+)?(?P<ord>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
        r"(?:\s+(?:position|place|slot|one|photo))?\b"
        r"|\b(?:in|to|into|at)\s+the\s+(?P<middle>middle|center|centre)\b"
        r"|\b(?P<rel>before|after|in\s+front\s+of|behind)\b"
        r"|(?:放到|移到|挪到|放在|移动到|调到|排到|放)(?:最)?(?P<zfirst>前面|开头|第一|第1|最前|前)"
        r"|(?:放到|移到|挪到|放在|移动到|调到|排到|放)(?:最)?(?P<zlast>后面|结尾|最后|末尾|后)"
        r"|(?:放到|移到|挪到|放在|移动到|调到|排到)第\s*(?P<zpos>\d+)", t)
    if not dest:
        return
    refs = find_refs(t[: dest.start()], names, bare_names=True)
    if not refs:
        return
    r = refs[0]
    to: object
    if dest.group("first") or dest.group("first2") or dest.group("zfirst"):
        to = "first"
    elif dest.group("last") or dest.group("last2") or dest.group("zlast"):
        to = "last"
    elif dest.group("middle"):
        to = "middle"
    elif dest.group("pos") or dest.group("zpos"):
        to = {"index": int(dest.group("pos") or dest.group("zpos"))}
    elif dest.group("ord"):
        from .refs import ordinal_value

        to = {"index": ordinal_value(dest.group("ord")) or 1}
    else:
        later = find_refs(t[dest.end():], names, bare_ordinals=True, bare_names=True)
        if not later:
            return
        rel = "before" if dest.group("rel") in ("before", "in front of") else "after"
        o = later[0]
        c.blank(dest.end() + o.start, dest.end() + o.end)
        to = {rel: o.ref}
    c.blank(r.start, r.end)
    c.blank(dest.start(), dest.end())
    c.blank(verb.start(), verb.end())
    _add(p, c, "reorder", verb.start(), mode="move", ref=r.ref, to=to)


# --- removing / choosing photos ----------------------------------------------------------------------
def _remove_photos(c: Clause, p: Parsed, names: list[str]) -> None:
    t = c.text
    m = re.search(rf"\b(?:only|just)\s+(?:use|keep|show|include|want)?\s*(?:the\s+)?(?P<fl>first|last)?\s*(?P<n>\d+)\s+"
                  rf"(?:{PHOTO_NOUN})|\b(?:use|keep|show|include)\s+(?:only\s+|just\s+)?(?:the\s+)?(?P<fl2>first|last)\s+"
                  rf"(?P<n2>\d+)(?:\s+{PHOTO_NOUN})?|只(?:用|要|保留)(?P<zfl>前|后)?(?P<zn>\d+)张", t)
    if m:
        n = int(m.group("n") or m.group("n2") or m.group("zn"))
        last = (m.group("fl") or m.group("fl2")) == "last" or m.group("zfl") == "后"
        c.blank(m.start(), m.end())
        _add(p, c, "remove_photos", m.start(), keep_last=n) if last else _add(p, c, "remove_photos", m.start(), keep_first=n)
        return
    m = re.search(rf"\b(?:use|include|add|put\s+back|bring\s+back)\s+(?:all|every|each)\s+(?:of\s+)?(?:the\s+|my\s+)?"
                  rf"(?:{PHOTO_NOUN})|\b(?:add|include|use)\s+the\s+(?:rest|remaining|other|new)\b(?:\s+{PHOTO_NOUN})?|"
                  rf"用上?所有(?:的)?(?:照片|图片)|加上?(?:其余|剩下|新)的?(?:照片|图片)", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "build", m.start(), include_all=True)
        return
    m = re.search(rf"\b(?:remove|delete|drop|take\s+out|cut|skip|exclude|lose|get\s+rid\s+of|leave\s+out|ditch)\s+"
                  rf"(?:the\s+)?(?P<fl>first|last|final)\s+(?P<n>\d+)(?:\s+{PHOTO_NOUN})?\b|"
                  rf"(?:删除|删掉|去掉|移除)(?P<zfl>前|后|最后)(?P<zn>\d+)张", t)
    if m:
        n = int(m.group("n") or m.group("zn"))
        first = (m.group("fl") or "") == "first" or m.group("zfl") == "前"
        c.blank(m.start(), m.end())
        _add(p, c, "remove_photos", m.start(), **({"drop_first": n} if first else {"drop_last": n}))
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
            _add(p, c, "remove_photos", before[0].start, refs=[r.ref for r in before])
            return
    # "remove the second and third photos": bare ordinals joined to a photo noun.
    multi = re.search(rf"(?P<list>(?:(?:the\s+)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|"
                      rf"\d+(?:st|nd|rd|th))(?:\s*,\s*|\s+and\s+|\s*&\s*)?)+)\s+(?:{PHOTO_NOUN})", rest)
    if multi and len(re.findall(r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th)",
                                multi.group("list"))) > 1:
        from .refs import ordinal_value

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
    _add(p, c, "remove_photos", verb.start(), refs=found)


# --- motion and fit -------------------------------------------------------------------------------------
def _motion(c: Clause, p: Parsed, names: list[str]) -> None:
    refs = find_refs(c.text, names)
    m = re.search(MOTION_OFF, c.text)
    if m:
        c.blank(m.start(), m.end())
        ref = refs[0].ref if refs else None
        if refs:
            c.blank(refs[0].start, refs[0].end)
        _add(p, c, "set_motion", m.start(), motion="still", ref=ref)
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
            _add(p, c, "set_motion", m.start(), motion=motion, ref=ref)
            return


def _fit(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"\b(?:don'?t|do\s+not|never|without|no)\s+crop(?:ping)?\b|\bshow\s+(?:the\s+)?(?:whole|entire|full)\s+"
                 r"(?:photos?|images?|pictures?)\b|\bfit\s+(?:the\s+)?(?:whole|entire|photos?|images?)\b|\bletterbox(?:ed|ing)?\b|"
                 r"\bblur(?:red|ry)?\s+(?:background|backdrop|bars|fill|edges|sides|borders)\b|\bkeep\s+(?:the\s+)?(?:whole|entire)\b|"
                 r"不要裁剪|不裁剪|完整显示|模糊背景|显示完整")
    if m:
        # Both halves of "fit the whole photo with a blurred background" say the same thing.
        c.search(r"\b(?:with\s+|on\s+|over\s+)?(?:an?\s+|the\s+)?blur(?:red|ry)?\s+(?:background|backdrop|bars|fill|edges|sides|"
                 r"borders)\b|\bfit\s+(?:the\s+)?(?:whole|entire|photos?|images?)(?:\s+(?:photos?|images?|pictures?))?\b|"
                 r"\b(?:don'?t|do\s+not|never|without|no)\s+crop(?:ping)?\b|模糊背景")
        _add(p, c, "set_fit", m.start(), fit="blur")
        return
    m = c.search(r"\bcrop\s+(?:them\s+|it\s+)?to\s+fill\b|\bfill\s+the\s+(?:frame|screen|whole\s+screen)\b|\bfull[\s-]*bleed\b|"
                 r"\bzoom\s+to\s+fill\b|\bno\s+(?:black\s+)?bars\b|铺满|裁剪填充|填满")
    if m:
        _add(p, c, "set_fit", m.start(), fit="cover")


# --- aspect / platform ---------------------------------------------------------------------------------
def _aspect(c: Clause, p: Parsed, names: list[str]) -> None:
    for pattern, aspect, label_en, label_zh in PLATFORMS:
        m = re.search(pattern, c.text)
        if m:
            c.blank(m.start(), m.end())
            _add(p, c, "set_aspect", m.start(), aspect=aspect, label_en=label_en, label_zh=label_zh,
                 platform=m.group(0).strip())
            break
    m = c.search(r"\b(?P<q>1080p|1080|full\s*hd|fhd|720p|720|hd|4k|2160p|uhd)\b(?!\s*(?:x|×))")
    if m:
        q = m.group("q")
        scale = "720" if q.startswith("720") or q == "hd" else "4k" if q in ("4k", "2160p", "uhd") else "1080"
        _add(p, c, "set_resolution", m.start(), resolution=scale)


def _beat_sync(c: Clause, p: Parsed, names: list[str]) -> None:
    m = c.search(r"\b(?:sync|synced|match|time|cut)\s+(?:the\s+)?(?:cuts?\s+|photos?\s+|it\s+)?(?:to|with)\s+(?:the\s+)?"
                 r"(?:beats?|music|rhythm)\b|\bbeat[\s-]*sync(?:ed)?\b|\bon\s+the\s+beat\b|卡点|踩点|跟着节奏")
    if m:
        off = re.search(r"\b(?:no|without|stop|don'?t|turn\s+off)\b", c.text)
        _add(p, c, "set_beat_sync", m.start(), on=not off)


# --- durations --------------------------------------------------------------------------------------------
_LONGER = r"\blonger\b|\bmore\s+time\b|\blinger\b|\bstay\s+longer\b|\bhold\s+(?:it\s+)?longer\b|久一?点|长一?点|多停留"
_SHORTER = r"\bshorter\b|\bless\s+time\b|\bquicker\b|\bbriefer\b|\bfaster\b|短一?点|快一?点|少停留"


#: "a 10 second clip using photo 3": a video of chosen photos, not a photo's length.
_PICK_ONE = (rf"\b(?:using|use|from|with|of)\s+(?:only\s+|just\s+)?(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*(?P<one>\d+)\b"
             rf"(?!\s*(?:s\b|secs?\b|seconds?\b|&|-|–|to\b))")


def _photo_durations(c: Clause, p: Parsed, names: list[str]) -> None:
    t = c.text
    # "all photos 2s except the first, which should be 4s": the rest first, then the exception.
    but = re.search(rf"\b(?:all|every|each)\s+(?:the\s+)?(?:(?:{PHOTO_NOUN})\s+)?(?:at\s+|for\s+)?(?P<a>\d+(?:\.\d+)?)\s*"
                    rf"(?:s|sec|secs|seconds?)\s+(?:except|but|apart\s+from|other\s+than)\s+(?P<who>.+?)\s*(?:,\s*)?"
                    rf"(?:which|that|who)?\s*(?:should\s+be|is|gets?|at|for|=)?\s*(?P<b>\d+(?:\.\d+)?)\s*"
                    rf"(?:s|sec|secs|seconds?)\b", t)
    if but:
        who = find_refs(but.group("who"), names, bare_ordinals=True, bare_names=True)
        if who:
            c.blank(but.start(), but.end())
            _add(p, c, "set_photo_duration", but.start(), ref=who[0].ref, ms=_ms(but.group("b")),
                 rest_ms=_ms(but.group("a")))
            return
    # "6 photos, 2 seconds each": a clause that is only "N seconds each" is per photo.
    each_alone = re.fullmatch(r"\s*(?P<n>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\s+(?:each|apiece|a\s+piece)\s*", t)
    if each_alone and not re.search(TRANSITION_NOUN, t):
        c.blank(0, len(t))
        _add(p, c, "set_photo_duration", 0, all=True, ms=round(float(each_alone.group("n")) * 1000))
        return
    if (re.search(_PICK_ONE, t) or re.search(r"\b(?:only|just)\s+(?:use\s+)?(?:the\s+)?(?:first|last|second|third)\b", t)) \
            and re.search(rf"\b(?:{VIDEO_NOUN}|slideshow)\b", t) and re.search(rf"{_BUILD_VERB}|\buse\b", t):
        return  # "only use the last photo for a 10 second clip": a video of that photo
    each = re.search(rf"(?P<a>\d+(?:\.\d+)?)\s*-?\s*(?:s|sec|secs|seconds?)\s*(?:per|each|for\s+each|a|an|every|on\s+each|"
                     rf"for\s+every)\s*(?:{PHOTO_NOUN})|\b(?:each|every|all)\s+(?:{PHOTO_NOUN})?\s*(?:should\s+)?(?:for|gets?|"
                     rf"lasts?|last|is|at|=|on\s+screen\s+for|shows?\s+for|stays?\s+for|for\s+about)?\s*(?P<b>\d+(?:\.\d+)?)\s*"
                     rf"(?:s|sec|secs|seconds?)\b|\b(?:show|hold|display|keep)\s+(?:each|every|all)\s+(?:(?:the\s+)?"
                     rf"(?:{PHOTO_NOUN})\s+)?(?:for\s+)?(?P<c>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|每张(?:照片|图片)?"
                     rf"(?:显示|停留|播放)?\s*(?P<z>\d+(?:\.\d+)?)\s*秒", t)
    if not each:
        # "each photo stayed on screen for about 4 seconds": a few words between "each photo" and the time,
        # as long as they do not talk about the whole video.
        each = re.search(rf"\b(?:each|every)\s+(?:single\s+)?(?:{PHOTO_NOUN})\b(?P<gap>[^,;]{{0,40}}?)(?<![\d.])"
                         rf"(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b", t)
        if each and re.search(r"\b(?:video|total|whole|overall|entire|transitions?|fades?)\b", each.group("gap")):
            each = None
    if each:
        value = _group(each, "a", "b", "c", "z")
        c.blank(each.start(), each.end())
        _add(p, c, "set_photo_duration", each.start(), all=True, ms=_ms(value))
        return
    refs = find_refs(t, names)
    rest = re.search(r"\b(?:the\s+)?(?:rest|others|other\s+(?:photos|images|pictures|slides|ones)|remaining(?:\s+(?:photos|"
                     r"images|pictures|slides|ones))?|all\s+the\s+others)\b\s*(?:at|for|get|gets|should\s+be|to|=)?\s*"
                     r"(?P<a>\d+(?:\.\d+)?)\s*(?:s|sec|secs|seconds?)\b|其他(?:的)?(?:照片|图片)?\s*(?P<z>\d+(?:\.\d+)?)\s*秒", t)
    if refs and rest:
        r = refs[0]
        first = [d for d in find_durations(t[: rest.start()]) if d.start >= r.end]
        if first:
            c.blank(rest.start(), rest.end())
            c.blank(r.start, first[0].end)
            _add(p, c, "set_photo_duration", r.start, ref=r.ref, ms=first[0].ms, rest_ms=_ms(_group(rest, "a", "z")))
            return
    if refs:
        r = refs[0]
        durations = [d for d in find_durations(t) if d.start >= r.end or len(refs) == 1]
        longer = re.search(_LONGER, t)
        shorter = re.search(_SHORTER, t)
        # "speed up the 3rd photo", "slow down on photo 2": about that photo, not the whole pacing.
        tied = re.search(r"\b(?:(?P<fast>speed\s+up)|(?P<slow>slow\s+down))(?:\s+(?:on|at))?(?:\s+the)?\s+$", t[: r.start])
        if tied and not durations:
            longer, shorter = (None, tied) if tied.group("fast") else (tied, None)
        verb = re.search(r"\b(?:show|hold|display|make|keep|give|set|leave|stay|linger|extend|shorten|lengthen|trim|cut)\b|"
                         r"\blonger\b|\bshorter\b|显示|停留|延长|缩短|改成|长|短", t)
        times = re.search(r"\b(?P<x2>twice|double)\s+(?:as\s+long|the\s+(?:time|length))\b|\b(?P<half>half)\s+(?:as\s+long|"
                          r"the\s+(?:time|length))\b|\b(?P<n>\d+(?:\.\d+)?)\s*(?:x|times)\s+(?:as\s+)?longer?\b", t)
        if times:  # "photo 3 twice as long"
            factor = 2.0 if times.group("x2") else 0.5 if times.group("half") else float(times.group("n"))
            c.blank(times.start(), times.end())
            c.blank(r.start, r.end)
            _add(p, c, "set_photo_duration", r.start, ref=r.ref, factor=factor)
            return
        step = durations and re.match(r"\s*(?P<more>longer|more)\b|\s*(?P<less>shorter|less)\b", t[durations[0].end:])
        if step:  # "make photo 4 2 seconds shorter"
            d = durations[0]
            c.blank(d.start, d.end + step.end())
            c.blank(r.start, r.end)
            _add(p, c, "set_photo_duration", r.start, ref=r.ref, delta_ms=d.ms if step.group("more") else -d.ms)
            return
        if durations and (verb or re.search(r"\b(?:should|be|is|last|lasts|for|stays?|at|gets?)\b|要|为", t)):
            d = durations[0]
            c.blank(d.start, d.end)
            c.blank(r.start, r.end)
            if verb:
                c.blank(verb.start(), verb.end())
            _add(p, c, "set_photo_duration", r.start, ref=r.ref, ms=d.ms)
            return
        if longer or shorter:
            if re.search(r"\bextend\b|\blengthen\b|延长", t):
                longer = longer or re.search(r"\bextend\b|\blengthen\b|延长", t)
            m = longer or shorter
            c.blank(m.start(), m.end())
            c.blank(r.start, r.end)
            _add(p, c, "set_photo_duration", r.start, ref=r.ref, factor=1.5 if longer else 2 / 3)
            return
    m = re.search(r"\b(?:faster|quicker|more\s+(?:fast|quick|rapid)|speed\s+(?:it\s+|things\s+)?up|snappier|pick\s+up\s+the\s+pace|fast[\s-]+paced?|"
                  r"more\s+dynamic\s+pacing|rapid|quick\s+cuts|less\s+time\s+(?:on|per)\s+each)\b|节奏快|加快|快一?点|快些|紧凑"
                  r"|(?:每张|照片|图片)[^，,。]*?(?:显示|停留|展示)(?:得|时间)?短一?(?:点|些)", t)
    if m and (re.search(r"\bpac(?:e|ing)\b|\bfaster\b|\bmore\s+(?:fast|quick|rapid)\b|\bspeed\b|\bquicker\b|\bsnappier\b|\brapid\b|\bquick\s+cuts\b|"
                        r"\bless\s+time\b|节奏|加快|快|紧凑", t)):
        c.blank(m.start(), m.end())
        times = re.search(r"\b(?P<x>\d+(?:\.\d+)?)\s*(?:x|times)\b|(?P<zx>\d+(?:\.\d+)?)\s*倍", c.text)
        factor = 0.7
        pct = _pacing_percent(c)
        if times and float(times.group("x") or times.group("zx")) > 1:
            factor = 1 / float(times.group("x") or times.group("zx"))
            c.blank(times.start(), times.end())
        elif pct:  # "everything 20% faster": photos show 1/1.2 as long
            factor = 1 / (1 + pct)
        _add(p, c, "set_pacing", m.start(), factor=round(factor, 4))
        return
    m = re.search(r"\b(?:slower|more\s+slow(?:ly)?|slow\s+(?:it\s+|things\s+)?down|more\s+time\s+(?:on|per)\s+each|less\s+rushed|"
                  r"slow[\s-]+paced?|relaxed\s+pac(?:e|ing)|calmer\s+pac(?:e|ing)|longer\s+on\s+each|slower\s+pac(?:e|ing))\b|"
                  r"节奏慢|放慢|慢一?点|慢些|(?:每张|照片|图片)[^，,。]*?(?:显示|停留|展示)(?:得|时间)?(?:久|长)一?(?:点|些)", t)
    if m:
        c.blank(m.start(), m.end())
        pct = _pacing_percent(c)
        _add(p, c, "set_pacing", m.start(), factor=round(1 + pct, 4) if pct else 1.4)


def _pacing_percent(c: Clause) -> float:
    """The "20%" of "20% faster" as 0.2 (0 when none is said, or when it is the music's)."""
    if re.search(MUSIC_NOUN, c.text):
        return 0.0
    m = c.search(r"(?P<p>\d+(?:\.\d+)?)\s*(?:%|percent\b)|百分之(?P<zp>\d+)")
    value = float(m.group("p") or m.group("zp")) / 100 if m else 0.0
    return value if 0 < value <= 3 else 0.0


def _total_duration(c: Clause, p: Parsed, names: list[str]) -> None:
    t = c.text
    half = re.search(r"\b(?:cut|trim|shorten|chop)\s+(?:it|the\s+video|this|everything|the\s+whole\s+thing)\s+(?:in|by)\s+"
                     r"half\b|\bhalve\s+(?:it|the\s+(?:length|video|duration))\b|\bhalf\s+(?:as\s+long|the\s+length)\b|"
                     r"(?:时长)?减半|缩短一半", t)
    if half and not find_refs(t, names):
        c.blank(half.start(), half.end())
        _add(p, c, "set_duration", half.start(), factor=0.5)
        return
    bare = re.search(r"\b(?:cut|trim|shorten|reduce|bring|get|change|set|extend|lengthen|make)\b(?:\s+(?:it|the\s+video|"
                     r"this|everything|the\s+whole\s+thing))?(?:\s+(?:down|up|back))?\s+to\s+(?P<n>\d+(?:\.\d+)?)\b"
                     r"(?!\s*(?:%|x|:|st|nd|rd|th|p\b|percent|photos?|images?|pictures?))", t)
    if bare and not find_durations(t):
        c.blank(bare.start(), bare.end())
        _add(p, c, "set_duration", bare.start(), ms=round(float(bare.group("n")) * 1000))
        return
    durations = find_durations(t)
    if durations:
        d = durations[-1] if len(durations) > 1 and re.search(r"\bno,?\b|\bactually\b|\binstead\b|不对", t) else durations[0]
        before = t[max(0, d.start - 40): d.start]
        after = t[d.end: d.end + 30]
        minus = re.search(r"\b(?:shorten|shorter|cut|trim|reduce|remove|take\s+off|shave\s+off)\b[^,]*\bby\s*$|\b(?:cut|trim|"
                          r"take|shave|remove)\s+(?:off\s+)?$|缩短\s*$|减少\s*$", before) or re.search(
            r"^\s*(?:shorter|less|off)\b|^\s*短", after)
        plus = re.search(r"\b(?:extend|lengthen|longer|add|increase)\b[^,]*\bby\s*$|\badd\s+(?:another\s+)?$|延长\s*$|加长\s*$|增加\s*$",
                         before) or re.search(r"^\s*(?:longer|more)\b|^\s*长", after)
        c.blank(d.start, d.end)
        if minus:
            _add(p, c, "set_duration", d.start, delta_ms=-d.ms)
        elif plus:
            _add(p, c, "set_duration", d.start, delta_ms=d.ms)
        else:
            _add(p, c, "set_duration", d.start, ms=d.ms)
        return
    m = re.search(r"\b(?:double)\s+(?:the\s+)?(?:length|duration)\b|\btwice\s+as\s+long\b|加倍|翻倍", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "set_duration", m.start(), factor=2.0)
        return
    m = re.search(r"\bhalve\b|\bhalf\s+(?:the\s+)?(?:length|duration|as\s+long)\b|\bhalf\s+as\s+long\b|减半|一半", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "set_duration", m.start(), factor=0.5)
        return
    m = re.search(r"\b(?:shorter|too\s+long|shorten\s+it|shorten\s+the\s+video|trim\s+it(?:\s+down)?|cut\s+it\s+down|"
                  r"less\s+long)\b|短一?点|缩短|太长", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "set_duration", m.start(), factor=0.75, vague=True)
        return
    m = re.search(r"\b(?:longer|too\s+short|lengthen\s+it|extend\s+it|extend\s+the\s+video)\b|长一?点|加长|延长|太短", t)
    if m:
        c.blank(m.start(), m.end())
        _add(p, c, "set_duration", m.start(), factor=4 / 3, vague=True)


# --- building a video from the uploads -----------------------------------------------------------------
_BUILD_VERB = (r"\b(?:turn|turning|convert|converting|make|making|create|creating|build|generate|produce|put\s+together|"
               r"put\s+(?:these|them|those|it|all|my\s+\w+|the\s+\w+)\s+together|"
               r"compile|combine|stitch|assemble|transform|animate|bring\s+(?:it|them|this|these)\s+to\s+life|"
               r"change|edit|cut|give\s+me|i\s+want|i\s+need|want|need|do|prepare|render|slideshow|montage)\b")


def _picked_photos(t: str) -> list[int] | None:
    """"using photos 1, 3 and 5", "with pics 2-4", "用第1、3、5张", "using photo 2": those photos, in that order."""
    picked = re.search(rf"(?:{PHOTO_NOUN})\s*(?:#\s*)?(?P<list>\d+(?:\s*(?:,|and|&|-|–|to)\s*\d+\b{_UNIT_AFTER})+)|"
                       r"第(?P<zlist>\d+(?:\s*[、,，和到至&-]\s*第?\d+)+)张", t) or re.search(_PICK_ONE, t)
    if not picked:
        return None
    spec = picked.groupdict().get("list") or picked.groupdict().get("zlist") or picked.group("one")
    pick: list[int] = []
    for part in re.split(r"\s*(?:,|and|&|、|，|和)\s*", spec.replace("第", "")):
        ends = [int(x) for x in re.findall(r"\d+", part)]
        if len(ends) == 2 and re.search(r"-|–|to|到|至", part):
            pick.extend(range(ends[0], ends[1] + 1) if ends[0] <= ends[1] else range(ends[0], ends[1] - 1, -1))
        else:
            pick.extend(ends)
    return list(dict.fromkeys(pick))


def _build(c: Clause, p: Parsed, names: list[str]) -> None:
    # Read the whole clause: "a 16 second vertical story" is a build even though "story" set the aspect.
    t = c.orig
    fresh = re.search(r"\bstart\s+(?:over|again|from\s+scratch)\b|\bfrom\s+scratch\b|\breset\b|重新开始|重来|从头开始", t)
    if fresh:
        c.blank(fresh.start(), fresh.end())
        pick = _picked_photos(c.text)  # "start over with only photos 2 and 3"
        if pick:
            _blank_all(c, [PHOTO_NOUN, r"\b(?:with|only|just|using|\d+|and)\b|&"])
        _add(p, c, "build", fresh.start(), fresh=True, **({"pick": pick} if pick else {}))
        return
    knob = re.search(r"\b(?:turn|switch)(?:ing|ed|s)?\s+(?:(?:off|up|down|on)\b|(?:\w+\s+){1,3}?(?:off|up|down|on)\b)", t) \
        and not re.search(r"\binto\b|变成|做成", t)  # "turn the music up", "turn off the title": not a build
    en = (not knob and (re.search(_BUILD_VERB, t) and (
        re.search(rf"\b(?:a|an|into|to|as|new|my|one)\s+(?:[\w:.%-]+\s+){{0,6}}?(?:{VIDEO_NOUN})\b", t)
        or re.search(rf"\b(?:turn|convert|animate|transform|combine|stitch|compile|use|bring)\b[^,]*?\b(?:these|those|them|"
                     rf"this|my|the|all|\d+)\b[^,]*?(?:{PHOTO_NOUN})?", t)
        or re.search(r"\b(?:slideshow|slide\s+show|montage|photo\s+video)\b", t)))) or \
        re.search(rf"(?:{VIDEO_NOUN}|\bslideshow)\s+(?:from|with|using|of)\s+(?:the\s+)?(?:{PHOTO_NOUN})\s*#?\s*\d", t) or \
        (re.search(rf"\b(?:only|just)\s+use\s+(?:the\s+)?(?:first|last|second|third)\s+(?:{PHOTO_NOUN})", t)
         and re.search(rf"\b(?:{VIDEO_NOUN})\b", t))
    zh = re.search(r"(?:做成|制作|生成|变成|转成|转换成|转为|合成|剪成|弄成|制成|做一个|做个|生成一个|做一段|来一个|来个)"
                   r"[^，,。]{0,12}?(?:视频|短片|动画|幻灯片|影片|相册|mp4)|把(?:这些|这张|这几张|所有|全部)?(?:照片|图片|相片)"
                   r"|(?:照片|图片)(?:做|转|变)成", t)
    if not (en or zh):
        return
    count = None
    pick = _picked_photos(t)
    if not pick:  # "the last three pics", "with the first photo only"
        from .refs import ordinal_value

        last_n = re.search(rf"\b(?:the\s+)?last\s+(?P<n>\d+)\s+(?:[a-z]+\s+)?(?:{PHOTO_NOUN})", t)
        one = re.search(rf"\b(?:only|just)\s+(?:use\s+)?(?:the\s+)?(?P<o>first|second|third|fourth|fifth|sixth|seventh|"
                        rf"eighth|ninth|tenth|last)\s+(?:{PHOTO_NOUN})\b|\b(?:the\s+)?(?P<o2>first|second|third|fourth|"
                        rf"fifth|sixth|seventh|eighth|ninth|tenth|last)\s+(?:{PHOTO_NOUN})\s+(?:only|alone)\b", t)
        if last_n:
            pick = [-int(last_n.group("n")) + k for k in range(int(last_n.group("n")))]
        elif one:
            pick = [ordinal_value(one.group("o") or one.group("o2"))]
    m = re.search(rf"\b(?:these|those|the|my|all|first)?\s*(?P<n>\d+)\s+(?:[a-z]+\s+)?(?:{PHOTO_NOUN})\b|(?P<z>\d+)张", t)
    if m and not pick:
        count = int(m.group("n") or m.group("z"))
    single = re.search(r"\b(?:this|the|a|one|my|single|1)\s+(?:[a-z]+\s+){0,3}?(?:image|photo|picture|pic|illustration|"
                       r"drawing|shot|scene)\b(?!s)|这张|一张|单张", t)
    _blank_all(c, [_BUILD_VERB, VIDEO_NOUN, PHOTO_NOUN, r"\b(?:these|those|them|this|that|it|my|into|a|an|to|from|with|"
                                                        r"of|the|all|out|as|in|format|static|single|one|new|short|"
                                                        r"animated|\d+|jpe?g|png|webp|heic|gif|product|illustration|"
                                                        r"illustrated|scene|vacation|holiday|travel|some|nice|quick|"
                                                        r"simple|little|cool|for|me|us|using|photo|video)\b|"
                                                        r"做成|制作|生成|变成|转成|转换成|合成|把|这些|这张|的|一个|个|"
                                                        r"张|动态|短"])
    _add(p, c, "build", 0, count=count, single=bool(single) and not pick, **({"pick": pick} if pick else {}))
