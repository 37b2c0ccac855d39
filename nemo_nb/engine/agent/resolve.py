"""Stage 5 of understanding — resolve: one set of edits from the intents of every clause.

Several requests for the same setting become one (later words winning); an exact amount wins over a
vague one said with it ("shorter, like 10 seconds"); a correction replaces what it corrects ("make it
15 seconds. no wait, 20"); a length said with a build is the build's length ("a 30-second video":
``fold_lengths``, run by ``respond`` once the implicit build of a first request is in place).
"""

from __future__ import annotations

import re

from .model import Intent

#: "no wait, 20", "actually 20", "make that 20", "I mean 20": the last amount said before is replaced.
CORRECTION = re.compile(r"(?:^|[,.;!?，。；！？]|\s)\s*(?:no+\s+wait|wait\s+no|no,?\s+(?:make\s+(?:it|that)|i\s+mean)|actually|"
                        r"make\s+that|i\s+mean|sorry|scratch\s+that|or\s+rather|rather|不对|不是|算了)\s*,?\s*"
                        r"(?:(?:make\s+it|let'?s\s+(?:do|say|go\s+with)|do)\s+)?(?P<n>\d+(?:\.\d+)?)(?![\d.])\s*(?P<unit>%|percent)?"
                        r"(?!\s*(?:s\b|secs?\b|seconds?\b|minutes?\b|mins?\b|秒|分钟|photos?|pics?|images?|x\b))")


def resolve(intents: list[Intent], norm: str) -> list[Intent]:
    """The intents of one message as edits: corrections applied, repeats merged."""
    intents = _apply_correction(intents, norm)
    return _merge_builds(_merge_fades(_merge_volumes(_merge_transitions(intents))))


def _apply_correction(intents: list[Intent], norm: str) -> list[Intent]:
    """"make it 15 seconds, no wait, 20": a bare number after a correction cue takes the unit of the
    last amount said before it."""
    found = list(CORRECTION.finditer(norm))
    if not found:
        return intents
    m = found[-1]
    value = float(m.group("n"))
    for intent in reversed(intents):
        if intent.name in ("set_duration", "build") and "ms" in intent.args and not m.group("unit"):
            intent.args["ms"] = round(value * 1000)
            return intents
        if intent.name == "set_photo_duration" and "ms" in intent.args and not m.group("unit"):
            intent.args["ms"] = round(value * 1000)
            return intents
        if intent.name == "set_volume" and "volume" in intent.args:
            intent.args["volume"] = value / 100 if value > 1 else value
            return intents
    return intents


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


def _merge_builds(intents: list[Intent]) -> list[Intent]:
    """"pick photos 3, 7 and 11 and make a 16 second clip": one build with the photos picked."""
    builds = [i for i in intents if i.name == "build" and not i.args.get("fresh") and not i.args.get("include_all")]
    if len(builds) < 2:
        return intents
    merged = builds[0]
    for other in builds[1:]:
        merged.args.update({k: v for k, v in other.args.items() if v and not merged.args.get(k)})
    return [i for i in intents if i not in builds[1:]]


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


def fold_lengths(edits: list[Intent]) -> list[Intent]:
    """"a 30-second video from these": one build at 30 s, not a build then a length change.
    "shorter, like 10 seconds": the exact length wins over the vague one; "too long, make it shorter":
    one step, not two; "make it 15 seconds. no wait, 20 seconds": the last one said."""
    if any(i.name == "set_duration" and "ms" in i.args for i in edits):
        edits = [i for i in edits if not (i.name == "set_duration" and i.args.get("vague"))]
    exact = [i for i in edits if i.name == "set_duration" and "ms" in i.args]
    if len(exact) > 1:
        edits = [i for i in edits if not (i.name == "set_duration" and "ms" in i.args and i is not exact[-1])]
    vague = [i for i in edits if i.name == "set_duration" and i.args.get("vague")]
    edits = [i for i in edits if not (i.name == "set_duration" and i.args.get("vague") and i is not vague[-1])]
    builds = [i for i in edits if i.name == "build"]
    lengths = [i for i in edits if i.name == "set_duration" and "ms" in i.args]
    if len(builds) == 1 and len(lengths) == 1:
        builds[0].args["ms"] = lengths[0].args["ms"]
        return [i for i in edits if i is not lengths[0]]
    return edits
