"""Understanding a request: the named pipeline, each stage its own pure module.

    normalise  (normalise.py)  width, case, shorthand, number words → digits, units, typo repair
    clauses    (clauses.py)    sentences → clauses, topics carried ("…and make them slower")
    entities   (entities.py)   typed spans: durations and their role, amounts, photos, places…
    intents    (intents/)      each clause against the frame table, competing readings scored
    resolve    (resolve.py)    corrections applied ("no wait, 20"), intents merged

``understand(text, names)`` runs them and returns a ``Parsed``: the intents in the order said, the
screen words, what was not understood, the typos repaired and the notes the reply should say.
"""

from __future__ import annotations

import re

from .clauses import clauses, content_words
from .entities import distractors
from .intents import read_clause
from .intents.base import Clause
from .lang import detect_language
from .model import Parsed
from .normalise import Normalised, normalise
from .resolve import CORRECTION_MARK, corrections, resolve, superseded
from .vocab import COMMON_WORDS, FILLER_RE, VAGUE, keywords

#: The most clauses one message is read for (a pasted document is not a list of edits).
MAX_CLAUSES = 40


def understand(text: str, media_names: list[str] | None = None) -> Parsed:
    """Every intent in ``text``, in the order said. ``media_names``: file names for "the cat photo"."""
    names = media_names or []
    norm = normalise(text)
    parsed = Parsed(language=detect_language(norm.bare), texts=norm.texts, fixes=norm.fixes)
    _note_long_spans(norm, parsed)
    cut = 0
    for count, (piece, offset) in enumerate(clauses(corrections(distractors(norm.text, parsed)))):
        if count == MAX_CLAUSES:  # a turn reads a bounded number of requests; the reply says the rest was left
            parsed.notes.append(("clipped", {"n": MAX_CLAUSES}))
            break
        if CORRECTION_MARK in piece:  # what follows takes back what was said before it
            cut, piece = len(parsed.intents), piece.replace(CORRECTION_MARK, " ")
        clause = Clause(" " + piece + " ", offset)
        before = len(parsed.intents)
        read_clause(clause, parsed, names)
        if len(parsed.intents) == before:
            leftover = content_words(piece)
            if leftover:
                parsed.unknown.append(leftover)
                parsed.vague = parsed.vague or bool(VAGUE.search(piece))
        else:
            parsed.unknown.extend(_unused_parts(clause))
    parsed.intents = resolve(superseded(parsed.intents, cut), norm.text)
    if parsed.intents:
        # Next to understood requests, only report parts with words outside the vocabulary.
        parsed.unknown = [part for part in parsed.unknown if _unknown_words(part)]
    return parsed


def _unknown_words(part: str) -> list[str]:
    words = [re.sub(r"'s$", "", w) for w in re.findall(r"[a-z][a-z']*", part.lower())]  # "mom's" is "mom"
    return [w for w in words if w not in COMMON_WORDS and w not in keywords() and not FILLER_RE.fullmatch(w)]


def _unused_parts(clause: Clause) -> list[str]:
    """Parts of an understood clause ("… and flurb the wizzle") that no frame touched."""
    out = []
    start = 0
    for m in [*re.finditer(r"\s(?:and|but|&|with)\s", clause.orig), None]:
        end = m.start() if m else len(clause.orig)
        part = clause.orig[start:end]
        if part.strip() and clause.text[start:end] == part and content_words(part) and _unknown_words(part):
            out.append(part.strip())
        start = m.end() if m else end
    return out


def _note_long_spans(norm: Normalised, parsed: Parsed) -> None:
    """An unquoted text of more than about six words may have taken words meant as a request: say so."""
    for index in norm.guessed:
        if len(norm.texts[index].split()) > 6:
            parsed.notes.append(("long_span", {"text": norm.texts[index]}))
