"""Stage 4 of understanding — intents: each clause read against the frames, one module per object.

``FRAMES`` is the table of frames in the order they read a clause. A frame recognises a verb frame on
its object (remove × music, set × duration, move × photo…), fills the slots from the clause (amounts,
photos, places) and blanks the words it used, so a later frame does not read them again ("from 5 to
8 seconds" belongs to a caption, not to the video's length). Where two readings of the same words
compete (a length for the video or for each photo, a zoom as a transition or a motion) the entities
stage scores them (``entities.py``) and the frame takes the likelier one.

Adding a request: add its words to ``vocab.py``, a frame function here (or in the module of its
object), its row in ``FRAMES``, its operation in ``ops.py`` and its sentences in ``reply.py``
(docs/agent.md, "Adding a request").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..model import Parsed
from .actions import actions, help_request
from .base import Clause, add
from .brand import end_card, logo, text_style
from .build import build
from .fades import fades
from .keep import keep
from .look import aspect, beat_sync, fit, motion
from .music import music
from .order import order
from .photos import remove_photos
from .texts import texts
from .timing import photo_durations, total_duration
from .transitions import transitions

Frame = Callable[[Clause, Parsed, list[str]], None]

#: (name, frame) in reading order: actions first (undo/export are whole-message), the build last
#: (it reads the whole clause again: "a 16 second vertical story" is a build even after the aspect).
FRAMES: list[tuple[str, Frame]] = [
    ("keep", keep), ("actions", actions), ("help", help_request), ("end_card", end_card), ("logo", logo), ("text_style", text_style),
    ("texts", texts), ("beat_sync", beat_sync), ("music", music),
    ("fades", fades), ("transitions", transitions), ("order", order), ("remove_photos", remove_photos),
    ("motion", motion), ("fit", fit), ("aspect", aspect), ("photo_durations", photo_durations),
    ("total_duration", total_duration), ("build", build),
]

#: Things people ask for that this editor does not do, so the reply can say so specifically.
UNSUPPORTED = [
    (r"\bblack\s+and\s+white\b|\bb&w\b|\bgr[ae]yscale\b|\bsepia\b|\bfilters?\b|\bcolou?r\s+grad(?:e|ing)\b|"
     r"\bbrightness\b|\bcontrast\b|\bsaturation\b|\bbrighter\b|\bdarker\b|\bvintage\s+look\b|滤镜|黑白|调色|亮度|对比度",
     "filter"),
    (r"\bwatermark\b|\blogo\b|\bsticker\b|\bemoji\b|水印|贴纸|logo", "overlay"),
    (r"\bvoice\s*-?\s*over\b|\bnarrat(?:e|ion|or)\b|\bvoice\b|\bspeech\b|配音|旁白|解说", "voice"),
    (r"\bsubtitles?\s+(?:automatically|from\s+(?:the\s+)?audio)\b|\bauto\s*-?\s*captions?\b|自动字幕", "auto_captions"),
    (r"\b\d+\s*fps\b|\bframe\s*-?\s*rate\b|帧率", "fps"),
]


def read_clause(clause: Clause, parsed: Parsed, names: list[str]) -> None:
    """Every intent of one clause, added to ``parsed`` in the order of FRAMES."""
    before = len(parsed.intents)
    for _name, frame in FRAMES:
        frame(clause, parsed, names)
    if len(parsed.intents) == before:
        _unsupported(clause, parsed)


def _unsupported(c: Clause, p: Parsed) -> None:
    for pattern, what in UNSUPPORTED:
        m = re.search(pattern, c.orig)
        if m:
            add(p, c, "unsupported", m.start(), what=what)
            return
