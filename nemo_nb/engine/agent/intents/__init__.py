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
from ..vocab import UNSUPPORTED
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

_UNSUPPORTED = [(re.compile(pattern), what) for pattern, what in UNSUPPORTED]
#: Words before a feature that belong to its request ("can you make it a webm", "add some heart stickers").
_LEAD_IN = re.compile(r"(?:\b(?:add|put|use|apply|give|get|make|do|want|need|have|some|a|an|the|any|this|it|me|"
                      r"can|could|you|i|please|pls|cute|little|few|nice|heart|fun)\s+|加个|加点|加一个|加上|帮我|给我|能|可以)+\s*$")


#: Features said in passing: the reply says it can't, the rest of the clause is still read.
_SAID_ONLY = {"post"}


def unsupported(c: Clause, p: Parsed, names: list[str]) -> None:
    """A feature the editor does not have: said so (reply.unsupported_line); its words are used up, so
    "remove the background from photo 2" never removes photo 2."""
    for pattern, what in _UNSUPPORTED:
        m = pattern.search(c.text)
        if m and what in _SAID_ONLY:  # "post it on TikTok": can't post, but the platform still counts
            c.blank(m.start(), m.end())
            add(p, c, "unsupported", m.start(), what=what)
            return
        if m:
            lead = _LEAD_IN.search(c.text[: m.start()])
            c.blank(lead.start() if lead else m.start(), len(c.text))
            c.orig = c.text  # the build frame reads the whole clause: not these words
            add(p, c, "unsupported", m.start(), what=what)
            return


Frame = Callable[[Clause, Parsed, list[str]], None]

#: (name, frame) in reading order: cuts on the beat first ("don't cut on the beat" turns it off, it keeps
#: nothing), then what is left alone, actions (undo/export are whole-message); the build last
#: (it reads the whole clause again: "a 16 second vertical story" is a build even after the aspect).
FRAMES: list[tuple[str, Frame]] = [
    ("beat_sync", beat_sync), ("keep", keep), ("actions", actions), ("help", help_request), ("unsupported", unsupported), ("end_card", end_card),
    ("logo", logo), ("text_style", text_style),
    ("texts", texts), ("music", music),
    ("fades", fades), ("transitions", transitions), ("order", order), ("remove_photos", remove_photos),
    ("motion", motion), ("fit", fit), ("aspect", aspect), ("photo_durations", photo_durations),
    ("total_duration", total_duration), ("build", build),
]

def read_clause(clause: Clause, parsed: Parsed, names: list[str]) -> None:
    """Every intent of one clause, added to ``parsed`` in the order of FRAMES."""
    for _name, frame in FRAMES:
        frame(clause, parsed, names)
