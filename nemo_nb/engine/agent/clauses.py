"""Stage 2 of understanding — clauses: a normalised request cut into sentences and clauses.

A clause is one request ("…, and make it vertical"); a list of photo numbers ("photos 1, 3 and 5") is
not cut at its commas. 再 before a comparative ("每张再多停一秒", "再大一点") is "more", not "then". A clause that only says
"them"/"each"/"60%" after one about transitions or
music takes that topic ("add transitions and make them slower, maybe one second each"). Very long
clauses are cut into pieces of at most ``MAX_CLAUSE`` characters so every matcher stays linear in
the length of the message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .numbers import find_durations
from .spans import TEXT_LOOK, style_only
from .vocab import (
    BG_WORDS,
    CLAUSE_VERBS,
    COLOR_WORD,
    END_CARD_NOUN,
    FILLER_RE,
    FONT_WORDS,
    MUSIC_NOUN,
    PHOTO_NOUN,
    SIZE_DOWN,
    SIZE_UP,
    TEXT_NOUN,
    TRANSITION_NOUN,
    VIDEO_NOUN,
    ZH_AFTER_ZAI,
    ZH_CONNECTORS,
    alternation,
)

MAX_CLAUSE = 400
_CLAUSE_SPLIT = re.compile(
    rf"\s*(?:[,;，；、]+|\band\s+then\b|\bthen\b|\balso\b|\bplus\b|\band\b(?=\s+(?:{CLAUSE_VERBS})\b)|{alternation(ZH_CONNECTORS)}|"
    rf"(?<=[\u4e00-\u9fff])\s+(?=其他|其余|剩下|别的)|(?<=[\u4e00-\u9fff])再(?=[\u4e00-\u9fff])(?!{ZH_AFTER_ZAI})|(?<=[\u4e00-\u9fff])并(?=[\u4e00-\u9fff]))\s*")
_SENTENCE_SPLIT = re.compile(r"(?<!\d)\.(?!\d)|[!?。！？\n]+")
#: "photos 1, 3 and 5", "第1、3、5张": a list of photo numbers, one clause (its commas are not clause breaks).
#: A number with a unit after it ("photo 2, 5 seconds") is not part of the list.
UNIT_AFTER = r"(?!\s*(?:s\b|secs?\b|seconds?\b|%|percent\b|x\b|秒|张))"
#: "keep only 1, 3 and 5", "use 2, 5 and 7", "only use 1 3 5": numbers after keep/use are photos when they are a list.
PICK_LEAD = r"\b(?:(?:keep|use)(?:\s+(?:only|just))?|(?:only|just)\s+(?:keep|use))\s+"
_PHOTO_LIST = re.compile(rf"(?:{PHOTO_NOUN}|{PICK_LEAD})\s*(?:#\s*)?\d+"
                         rf"(?:\s*(?:,|、|，|\band\b|&)\s*\d+\b{UNIT_AFTER})+|"
                         r"第\d+(?:\s*[、，,和&]\s*第?\d+)+张")
#: "photo 2, 5 seconds", "the second photo, 5 s": that photo's length, not the video's.
_PHOTO_THEN_LENGTH = re.compile(rf"(?P<ref>(?:{PHOTO_NOUN})\s*#?\s*\d+|\b(?:the\s+)?(?:first|second|third|fourth|fifth|"
                                rf"sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\s+(?:{PHOTO_NOUN}))\s*[,，:]\s*"
                                r"(?=\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\b)")
#: A clause of text style words only ("用黑体", "give it a shadow", "红色的"): about the text said before.
_STYLE_ONLY = re.compile("|".join([COLOR_WORD, SIZE_UP, SIZE_DOWN, *(p for p, _ in FONT_WORDS), *(p for p, _ in BG_WORDS)]))
_OTHER_OBJECT = re.compile(rf"{MUSIC_NOUN}|{PHOTO_NOUN}|{VIDEO_NOUN}|{TRANSITION_NOUN}|\blogo\b|水印")
#: "3 then 1 then 2": an order, not three clauses.
_CHAIN = re.compile(r"^\s*\d+(?:\s+then\s+\d+)+\s*$")
#: A clause that is only a place ("at the very end, could you write …"): it belongs to the next one.
_PLACE_ONLY = re.compile(r"^\s*(?:at|in)\s+the\s+(?:very\s+)?(?:end|start|beginning)\s*$|^\s*(?:结尾|开头)\s*$")
_TOPICS = [("end_card", END_CARD_NOUN), ("transitions", rf"{TRANSITION_NOUN}|\bcross\s*-?\s*fades?\b|\bdissolves?\b|\bwipes?\b"),
           ("music", rf"{MUSIC_NOUN}|\bvolume\b|音量"), ("text", TEXT_NOUN),
           ("photo", PHOTO_NOUN), ("video", VIDEO_NOUN)]


def clauses(norm: str) -> Iterator[tuple[str, int]]:
    """(clause, offset) for every clause of the normalised request, topics carried over."""
    offset = 0
    topic = ""
    for sentence in _SENTENCE_SPLIT.split(norm):
        sentence = _CHAIN.sub(lambda m: "order " + " ".join(re.findall(r"\d+", m.group(0))), sentence)
        for piece in _CLAUSE_SPLIT.split(_join_photo_lists(sentence)):
            for chunk in _bounded(piece or ""):
                if chunk.strip():
                    text, topic = with_topic(chunk, topic)
                    yield text, offset
                offset += len(chunk) + 1


def _bounded(piece: str) -> list[str]:
    """``piece`` in chunks of at most MAX_CLAUSE characters, cut at spaces."""
    out = []
    while len(piece) > MAX_CLAUSE:
        cut = piece.rfind(" ", 0, MAX_CLAUSE)
        cut = cut if cut > 0 else MAX_CLAUSE
        out.append(piece[:cut])
        piece = piece[cut:]
    return [*out, piece]


#: "get rid of the blurry one, it's pic 5", "the one with the dog (photo 3)": the photo named after its description.
_APPOSITION = re.compile(rf"\bthe\s+(?:[\w']+\s+){{0,4}}?one\b(?:\s+(?:with|of|where)(?:\s+[\w']+){{1,5}}?)?[\s,(–—-]*"
                         rf"(?:it'?s|that'?s|its|thats|which\s+is|i\s+mean|aka|=)?\s*(?P<ref>(?:{PHOTO_NOUN})\s*#?\s*\d+)\b(?:\)|\s*,(?!\s*(?:and|then)\b))?")
#: "remove the one that's now third": the photo at that place now.
_ONE_AT = re.compile(r"\bthe\s+one\s+(?:that'?s|thats|which\s+is|that\s+is)\s+(?:now\s+)?(?:in\s+)?(?:the\s+)?"
                     r"(?P<o>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|\d+(?:st|nd|rd|th))\b"
                     r"(?:\s+(?:now|place|position|spot))?")


#: "除了最后一张 其他都用": the photos named and "the others" are one request (not split at the space).
_BUT_THE_REST = re.compile(r"(?P<but>(?:除了|除去|除开)[^，,。\s]{1,16})\s+(?=其他|其余|剩下|别的)")


def _join_photo_lists(sentence: str) -> str:
    sentence = _BUT_THE_REST.sub(lambda m: m.group("but"), sentence)
    sentence = _APPOSITION.sub(lambda m: m.group("ref"), sentence)
    sentence = _ONE_AT.sub(lambda m: f"the {m.group('o')} photo", sentence)
    sentence = _PHOTO_LIST.sub(lambda m: re.sub(r"\s*(?:,|、|，|\band\b|和)\s*", " & ", m.group(0)), sentence)
    return _PHOTO_THEN_LENGTH.sub(lambda m: m.group("ref") + " for ", sentence)


def with_topic(piece: str, topic: str) -> tuple[str, str]:
    """A clause that only says "them"/"each" after one about transitions is about transitions too:
    "add transitions and make them slower, maybe one second each". Returns (clause, topic now)."""
    if re.search(rf"\b(?:each|every)\s+(?:{PHOTO_NOUN}|one)\b|每张|每一张", piece) and re.search(
            r"\b(?:longer|shorter|stay|stays|show|shown|long|time|hold)\b|久|长|短|放|显示|停留", piece):
        return piece, "each_photo"
    if topic == "each_photo" and _bare_duration(piece, 60000):  # "each photo a bit longer, about 4 seconds"
        return piece + " each", topic
    if topic == "each_photo" and re.fullmatch(r"\s*(?:(?:like|maybe|about|say|make\s+it|make\s+them|try|just|do)\s+)*"
                                              r"\d+(?:\.\d+)?\s*", piece):  # "3 secs each pic is too long, make it 2"
        return piece + " seconds each", topic
    if topic.startswith("place:"):
        piece = piece + " " + topic[6:]
    if _PLACE_ONLY.match(piece):
        return piece, "place:" + piece.strip()
    if topic == "length" and re.fullmatch(r"\s*(?:(?:like|maybe|about|say|make\s+it)\s+)?\d+(?:\.\d+)?\s*", piece):
        return piece + " seconds", topic  # "too long, 20"
    if re.search(r"\btoo\s+(?:long|short)\b|\b(?:shorter|longer)\b|太长|太短", piece) and not re.search(PHOTO_NOUN, piece):
        return piece, "length"
    if topic == "music" and re.search(r"\bto\s+\d+\s*$|(?:调到|调成|改成|到)\s*\d+\s*%?\s*$|\b(?:in\s+half|halve|double|twice)\b", piece) and not re.search(
            r"\b(?:length|duration|long|video|time|fast|slow)\b|时长|长度", piece):  # "…the music is at 35 now, can we go to 25"
        return piece + " music volume", topic
    if topic == "end_card" and re.fullmatch(r"\s*qq[a-z]+\s*", piece):  # "finish on a card with our website, bloom.co"
        return piece + " end card", topic
    if topic == "end_card" and style_only(piece):  # "end card reads Shop at mia.co, black background"
        return piece + " end card", topic
    place = re.fullmatch(r"\s*(?:the\s+)?(top|bottom|center|centre|middle)\s*", piece)
    if topic == "text" and place:  # "title Spring Menu, white, bottom"
        return f" at the {place.group(1)} the text", topic
    # "make the title white and add an outline": the title's outline; "字大一点 颜色换成红色": the words on screen
    if (topic == "text" or (not topic and TEXT_LOOK.search(piece))) and style_only(piece) and not re.search(TEXT_NOUN, piece):
        return piece + " the text", topic
    for name, pattern in _TOPICS:
        if re.search(pattern, piece):
            return piece, name
    if topic == "text" and _STYLE_ONLY.search(piece) and not _OTHER_OBJECT.search(piece):
        return piece + " text", topic  # "标题换个字体，用黑体", "the title is hard to read, give it a shadow"
    if topic == "transitions" and re.search(r"\b(?:them|they|those|each)\b", piece):
        return piece + " transitions", topic
    bare = re.fullmatch(r"\s*(?:(?:like|maybe|about|around|say|so|to|at|roughly)\s+)*(?P<n>\d+)\s*", piece)
    if topic == "music" and bare:  # "music is too quiet, bring it up, maybe 60"
        return f" music volume {bare.group('n')}% ", topic
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


def _bare_duration(piece: str, max_ms: int = 3000) -> bool:
    """Whether a clause is only a length and filler ("1 second", "maybe half a second each", "4秒左右")."""
    found = find_durations(piece)
    if not found or found[0].ms > max_ms:
        return False
    rest = piece[: found[0].start] + " " + piece[found[0].end:]
    return not content_words(re.sub(r"\b(?:each|long|maybe|about|around|like|say|roughly)\b|每个|左右|大概|差不多", " ",
                                    rest))


def content_words(piece: str) -> str:
    """``piece`` when it has words beyond filler and pronouns, else ""."""
    bare = FILLER_RE.sub(" ", piece)
    bare = re.sub(r"\b(?:it|the|a|an|this|that|to|me|my|of|and|or|is|be|i|you|do|please|video|"
                  r"one|its|it's|us|we|our|your)\b", " ", bare)
    bare = re.sub(r"[^\w\u4e00-\u9fff']+", " ", bare).strip()
    return piece.strip() if bare else ""
