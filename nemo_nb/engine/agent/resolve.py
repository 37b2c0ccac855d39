"""Stage 5 of understanding — resolve: one set of edits from the intents of every clause.

Several requests for the same setting become one (later words winning); an exact amount wins over a
vague one said with it ("shorter, like 10 seconds"); a correction replaces what it corrects ("make it
15 seconds. no wait, 20"); a length said with a build is the build's length ("a 30-second video":
``fold_lengths``, run by ``respond`` once the implicit build of a first request is in place).
"""

from __future__ import annotations

import re

from .model import Intent
from .vocab import (
    ASPECT_WORDS,
    CORRECTION_CHOICE_ZH,
    CORRECTION_EN,
    CORRECTION_WEAK,
    CORRECTION_ZH,
    MOODS,
    SHAPE_WORDS,
    TRANSITION_TYPES,
    alternation,
)

#: A correction cue: what follows it replaces the last value of the same kind said before it.
_CUE = (r"(?:[,.;!?，。；！？—–-]+\s*|\s+)(?:no+\s+wait|wait,?\s+no|wait|oops,?\s+(?:i\s+)?meant?|i\s+meant?|hmm+,?\s+no|"
        r"no,?\s+(?:make\s+(?:it|that)|i\s+mean|actually|sorry)|no,?\s+actually|actually,?\s+no|actually|make\s+that|sorry,?\s+(?:i\s+)?meant?|sorry|"
        r"scratch\s+that|or\s+rather|no|不(?=[\s,，])|"
        + alternation([*CORRECTION_ZH, *(w for w in CORRECTION_WEAK if not w.isascii())]) + r")(?:[\s,，]*"
        + alternation(CORRECTION_ZH) + r")*[\s,，.:]*(?:太[\u4e00-\u9fff]{1,2}了?[\s,，]*)?(?:是\s*)?(?:(?:make\s+it|make\s+that|do|"
        r"let'?s\s+(?:do|say|go\s+with)|is|it'?s|the|to)\s+)*")
#: Marks where a correction cue stood once the words after it are a request of their own (understand.py).
CORRECTION_MARK = "\ue000"
_TAKE_BACK_WORDS = alternation([*CORRECTION_ZH, *CORRECTION_EN]) + "|" + CORRECTION_CHOICE_ZH
_TAKE_BACK = re.compile(rf"(?:^|[\s,，。.;；!！?？—–-]+)(?:(?:嗯|呃|额|啊|哦|em+|hmm+)\s*)?(?:{_TAKE_BACK_WORDS})"
                        rf"(?:[\s,，]*(?:{_TAKE_BACK_WORDS}))*[\s,，.:：]*")
_NUMBER = r"第?\s*\d+(?:\.\d+)?(?:st|nd|rd|th)?(?:\s*(?:%|percent|s|sec|secs|seconds?|秒|张))?"
_VALUE = rf"(?:(?:photos?|pics?|pictures?|images?|photo)\s+)?(?:{_NUMBER}|qq[a-z]+|(?:something\s+)?(?:[a-z]+|[\u4e00-\u9fff]{{2}}))"
_AFTER = re.compile(rf"(?P<v>{_VALUE}(?:\s*(?:and|&|和)\s*{_VALUE})*)\s*(?:please|pls|instead|then|吧|啊|哈|的)?\s*[.!?。！？]*\s*$")


#: "square not vertical", "calm rather than upbeat", "方形，而不是竖屏", "不是竖屏是横屏": the choice not
#: wanted is dropped.
_CHOICES = "(?:" + "|".join([alternation([*ASPECT_WORDS, *(w for _label, en, zh in MOODS.values() for w in [*en, *zh])]),
                             *(pattern for pattern, _kind in TRANSITION_TYPES)]) + ")"
_NOT_THIS = re.compile(rf"(?:,\s*|\s+)(?:not|instead\s+of|rather\s+than)\s+(?:a\s+|an\s+|the\s+)?{_CHOICES}"
                       rf"|(?:[,，]\s*|而)(?:不是|不要)\s*{_CHOICES}"
                       rf"|(?:^|(?<=[\s,，]))(?:不是|不要)\s*{_CHOICES}(?=\s*[,，]?\s*(?:而是|是|要|改成|换成))")


def corrections(norm: str) -> str:
    """"make it 15 no wait 20" → "make it 20"; "swap photo 2 and 3, oops I meant 2 and 4" → "swap photo 2 and 4";
    "add a title 'A' — sorry, 'B'" → the title B; "upbeat music, no actually something calm" → calm music;
    "actually square not vertical" → square."""
    norm = _NOT_THIS.sub(lambda m: " " * len(m.group(0)), norm)
    for cue in reversed(list(re.finditer(_CUE, norm))):
        before, after = norm[: cue.start()], norm[cue.end():]
        m = _AFTER.fullmatch(after)
        fixed = _replace_last(before, m.group("v")) if m and before.strip() else None
        if fixed is not None:
            return fixed
    cues = list(_TAKE_BACK.finditer(norm))
    if cues and norm[: cues[-1].start()].strip():  # a whole request after it: resolve.superseded drops the earlier one
        return norm[: cues[-1].start()] + "，" + CORRECTION_MARK + " " + norm[cues[-1].end():]
    return norm


def superseded(intents: list[Intent], cut: int) -> list[Intent]:
    """The intents said before a correction cue (``intents[:cut]``) that one said after it replaces: the same
    request about the same thing ("改成竖屏 哦不 square就行" → square; "加点音乐 要燃的 算了还是舒缓的吧" → calm)."""
    later = {_kind(i) for i in intents[cut:]}
    return [i for n, i in enumerate(intents) if n >= cut or _kind(i) not in later]


#: Requests that set the same thing under two names: music on or off, a new text or none.
_SAME_THING = {"remove_music": "set_music", "remove_text": "add_text", "need_text": "add_text"}


def _kind(intent: Intent) -> tuple[str, ...]:
    """What an intent sets: its name, and for a text's style which of its looks (colour and size are two)."""
    style = intent.args.get("style")
    name = _SAME_THING.get(intent.name, intent.name)
    return (name, *sorted(style)) if isinstance(style, dict) else (name,)


def _replace_last(before: str, value: str) -> str | None:
    """``before`` with its last values of the kind in ``value`` replaced by those of ``value``."""
    for kind in (r"qq[a-z]+", r"\d+(?:\.\d+)?"):
        new = re.findall(kind, value)
        old = list(re.finditer(kind, before))
        if new and len(old) >= len(new):
            for m, v in zip(reversed(old[-len(new):]), reversed(new), strict=True):
                before = before[: m.start()] + v + before[m.end():]
            return before
    moods = [w for w in re.findall(r"[a-z]+|[\u4e00-\u9fff]{2}", value) if _is_mood(w)]
    said = [m for m in re.finditer(r"[a-z]+|[\u4e00-\u9fff]{2}", before) if _is_mood(m.group(0))]
    if moods and said:
        return before[: said[-1].start()] + moods[-1] + before[said[-1].end():]
    return None


def _is_mood(word: str) -> bool:
    return any(word in en or word in zh for _label, en, zh in MOODS.values())


def resolve(intents: list[Intent], norm: str) -> list[Intent]:
    """The intents of one message as edits: repeats merged."""
    return _shape_over_platform(_merge_builds(_merge_fades(_merge_volumes(_merge_transitions(_rest_first(
        _over_complaints(_amount_of_before(intents))))))))


def _shape_over_platform(intents: list[Intent]) -> list[Intent]:
    """A format said by its shape wins over one a platform implies, wherever each is said: "vertical please,
    it's going on youtube" is vertical."""
    formats = [i for i in intents if i.name == "set_aspect"]
    shaped = [i for i in formats if re.fullmatch(SHAPE_WORDS, str(i.args.get("platform") or ""))]
    if not shaped or len(formats) == len(shaped):
        return intents
    return [i for i in intents if i.name != "set_aspect" or i is shaped[-1]]


def _amount_of_before(intents: list[Intent]) -> list[Intent]:
    """"make photo 2 stay longer, like 6 seconds", "title longer on screen, like 5 seconds": a bare hedged amount
    is the amount of the photo or text change said just before it, not a new length for the video."""
    out: list[Intent] = []
    for intent in intents:
        before = out[-1] if out else None
        bare = intent.args.pop("bare", False) and before is not None
        if (bare and before.name == "set_photo_duration" and "factor" in before.args
                and not before.args.get("all")):
            before.args.pop("factor")
            before.args["ms"] = intent.args["ms"]
            continue
        if bare and before.name == "move_text" and before.args.get("dur_factor"):  # "title longer, like 5 seconds"
            before.args.update(dur_factor=None, dur_ms=intent.args["ms"])
            continue
        out.append(intent)
    return out


def _rest_first(intents: list[Intent]) -> list[Intent]:
    """"keep photo 1 still and zoom in on the rest": the motion of "the rest" first, so the one named stays."""
    rest = [i for i in intents if i.name == "set_motion" and i.args.pop("rest", False)]
    if not rest:
        return intents
    first = min(i.pos for i in intents if i.name == "set_motion")
    for i in rest:  # edits of one kind apply in the order said (respond._ordered): the rest goes first
        i.pos = first - 1
    return intents


def _over_complaints(intents: list[Intent]) -> list[Intent]:
    """"it feels rushed, slow it down": the change asked for replaces the step a complaint implies; an exact
    length for every photo replaces "slower"/"faster" said with it."""
    asked = {i.name for i in intents if not i.args.get("complaint")}
    kept = [i for i in intents if not (i.args.get("complaint") and i.name in asked)]
    if any(i.name == "set_photo_duration" and i.args.get("all") and i.args.get("ms") for i in kept):
        kept = [i for i in kept if i.name != "set_pacing"]  # "放久一点，4秒左右": the number said is the pace
    for i in kept:
        i.args.pop("complaint", None)
    return kept


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
    """A volume given as a number or a factor wins over a "louder"/"quieter" said before it in the same
    message: "make the music louder, maybe 60%" → 60%; "way too loud, cut it in half" → half."""
    absolute = [i for i, intent in enumerate(intents)
                if intent.name == "set_volume" and ("volume" in intent.args or "factor" in intent.args)]
    if not absolute:
        return intents
    return [intent for i, intent in enumerate(intents)
            if not (intent.name == "set_volume" and "step" in intent.args and i < absolute[-1])]


def fold_lengths(edits: list[Intent]) -> list[Intent]:
    """"a 30-second video from these": one build at 30 s, not a build then a length change.
    "shorter, like 10 seconds": the exact length wins over the vague one; "too long, make it shorter":
    one step, not two; "make it 15 seconds. no wait, 20 seconds": the last one said."""
    if any((i.name == "set_duration" and ("ms" in i.args or "delta_ms" in i.args))
           or (i.name == "set_photo_duration" and i.args.get("all")) for i in edits):
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


def said_length(edits: list[Intent], current_ms: int) -> list[Intent]:
    """"nobody's gonna sit through 24 seconds of this", "30 seconds feels like forever": a length equal to the
    video's own, said next to another change of length or pace, describes the video — it is not the target."""
    other = any((i.name == "set_duration" and "ms" not in i.args) or i.name == "set_pacing" for i in edits)
    return [i for i in edits if not (other and i.name == "set_duration" and "ms" in i.args
                                     and abs(i.args["ms"] - current_ms) <= 250)] if current_ms else edits
