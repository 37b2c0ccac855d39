"""Run the corpus of how people type (tests/corpus/*.jsonl) through the agent and judge each case.

Pure functions, no pytest: ``tests/test_corpus.py`` asserts the share understood and
``benchmarks/understanding.py`` reports it by style and language. A conversation runs in a fresh
session holding N placeholder photos; every turn goes through the agent's public entry point, the one
the engine's ``run_turn`` calls (``agent.respond(text, AgentContext)``), and the undo/redo pointer moves
the way the engine's store moves it. The labels are checked on the draft after each turn
(schema: tests/corpus/README.md).
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nemo_nb import style
from nemo_nb.draft import ASPECT_SIZES, Draft, TrackType
from nemo_nb.engine import agent

CORPUS_DIR = Path(__file__).resolve().parent
STYLES = {"runon", "unquoted", "emoji", "polite", "terse", "typo", "lowercase", "voice", "relative",
          "per_unit", "onoff", "distractor", "selection", "correction", "platform", "mood", "transition",
          "motion", "text_time", "text_style", "order", "removal", "undo", "unsupported", "multi", "plain",
          "complaint", "colloquial"}
LANGS = {"en", "zh", "mixed"}
STARTS = {"empty", "slideshow", "slideshow+music", "slideshow+music+title"}
START_TITLE = "Grand Opening"
CJK = re.compile(r"[\u3400-\u9fff]")
TRAILING = " \t.,!?;:。！？，；：、"
SECONDS_TOL = 0.25
PHOTO_TOL = 0.05


# --- the session: placeholder photos and the engine's revision pointer --------------------------------
def placeholder_media(n: int) -> list[agent.MediaItem]:
    """N landscape phone photos, named the way a camera names them."""
    return [agent.MediaItem(f"med_{i:02d}", f"IMG_{4100 + i}.JPG", "photo", 4032, 3024) for i in range(1, n + 1)]


def start_draft(start: str, media: list[agent.MediaItem]) -> Draft:
    """A starting timeline written by hand in the docs/draft.md layout (not by the agent): every photo
    3 s, 16:9, auto motion, no transitions; "+music" adds Lo-fi at 35 %, "+title" a title in the first 3 s."""
    if start == "empty":
        return Draft()
    parts = set(start.split("+"))
    segs = [{"d": 3000, "m": {"type": "photo", "src": m.id, "name": m.name, "motion": "auto", "fit": "cover"}}
            for m in media]
    total = 3000 * len(media)
    tracks: list[dict[str, Any]] = [{"tt": 0, "m": {"role": "main"}, "sg": segs}]
    if "music" in parts:
        tracks.append({"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": total, "s": 0, "m": {
            "type": "music", "mood": "lofi", "name": "Lo-fi", "volume": 0.35, "fade_in": 1000, "fade_out": 2000,
            "seed": 7}}]})
    if "title" in parts:
        tracks.append({"tt": 7, "m": {"role": "title"}, "sg": [{"d": 3000, "s": 0, "m": {
            "type": "text", "role": "title", "text": START_TITLE, "position": "center", "anim": "fade",
            "anchor": "start"}}]})
    return Draft.from_json({"m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30, "fade_in": 0, "fade_out": 0},
                            "t": tracks})


@dataclass
class Session:
    """The engine store's revision tree in memory: undo goes to the parent, redo to the newest child."""

    media: list[agent.MediaItem]
    revisions: list[tuple[dict[str, Any], int | None]] = field(default_factory=lambda: [({}, None)])
    head: int = 0
    language: str | None = None  # the conversation's language, kept the way engine/turn.py keeps it

    @property
    def draft(self) -> Draft:
        return Draft.from_json(copy.deepcopy(self.revisions[self.head][0]))

    def peek(self, direction: str) -> Draft | None:
        target = self._target(direction)
        return None if target is None else Draft.from_json(copy.deepcopy(self.revisions[target][0]))

    def commit(self, draft: Draft) -> None:
        self.revisions.append((draft.to_json(), self.head))
        self.head = len(self.revisions) - 1

    def move(self, direction: str) -> None:
        target = self._target(direction)
        if target is not None:
            self.head = target

    def _target(self, direction: str) -> int | None:
        if direction == "undo":
            return self.revisions[self.head][1]
        children = [i for i, (_, parent) in enumerate(self.revisions) if parent == self.head]
        return max(children) if children else None


def new_session(photos: int, start: str = "empty") -> Session:
    session = Session(placeholder_media(photos))
    if start != "empty":
        session.commit(start_draft(start, session.media))
    return session


@dataclass
class TurnOutcome:
    say: str
    before: Draft
    after: Draft
    reply: str
    action: str | None
    understood: bool
    language: str
    operations: list[str]
    seconds: float


def ask(session: Session, text: str) -> TurnOutcome:
    """One turn, as the engine runs it: respond() on the head, commit a changed draft, move for undo/redo."""
    before = session.draft
    ctx = agent.AgentContext(draft=before, media=list(session.media), undo_draft=session.peek("undo"),
                             redo_draft=session.peek("redo"), language=session.language)
    session.language = agent.conversation_language(session.language, text)
    started = time.perf_counter()
    reply = agent.respond(text, ctx)
    seconds = time.perf_counter() - started
    if reply.operations and reply.draft is not None and reply.draft != before:
        session.commit(reply.draft)
    if reply.action in ("undo", "redo"):
        session.move(reply.action)
    return TurnOutcome(text, before, session.draft, reply.text, reply.action, reply.understood, reply.language,
                       [op.name for op in reply.operations], seconds)


# --- reading a draft ----------------------------------------------------------------------------------
def _photos(d: Draft) -> list[Any]:
    return list(d.video.segments) if d.video is not None else []


def _music(d: Draft) -> list[Any]:
    return [s for t in d.tracks_of(TrackType.AUDIO) if t.role == "bgm" for s in t.segments]


def _texts(d: Draft) -> list[tuple[str, float, float, str]]:
    return [(seg.text or "", start / 1000, end / 1000, str(seg.meta.get("role") or t.role))
            for t in d.tracks_of(TrackType.TEXT) for start, end, seg in t.spans()]


def _volume(d: Draft) -> float | None:
    music = _music(d)
    return None if not music or music[0].volume is None else music[0].volume * 100


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(TRAILING)


def _close(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol + 1e-9


# --- the labels: one small check per key, each returns "" when it holds or the reason it does not -------
Check = Callable[[Any, TurnOutcome], str]


def _duration(want: float, o: TurnOutcome) -> str:
    got = o.after.duration_ms / 1000
    return "" if _close(got, want, SECONDS_TOL) else f"length {got:g} s, want {want:g} s"


def _duration_ratio(want: float, o: TurnOutcome) -> str:
    before, got = o.before.duration_ms / 1000, o.after.duration_ms / 1000
    return "" if _close(got, before * want, SECONDS_TOL) else f"length {before:g} → {got:g} s, want ×{want:g}"


def _duration_dir(want: str, o: TurnOutcome) -> str:
    """"up": longer than before; "down": shorter than before (a complaint or "a bit longer" names no amount)."""
    before, got = o.before.duration_ms / 1000, o.after.duration_ms / 1000
    ok = got > before + SECONDS_TOL if want == "up" else SECONDS_TOL < got < before - SECONDS_TOL
    return "" if ok else f"length {before:g} → {got:g} s, want {want}"


def _aspect(want: str | list[str], o: TurnOutcome) -> str:
    wants = [want] if isinstance(want, str) else list(want)
    got = o.after.aspect
    ok = got in wants and o.after.size == ASPECT_SIZES[got]
    return "" if ok else f"aspect {got} {o.after.size}, want {' or '.join(wants)}"


def _photos_used(want: int, o: TurnOutcome) -> str:
    got = len(_photos(o.after))
    return "" if got == want else f"{got} photos used, want {want}"


def _order(want: list[int], o: TurnOutcome) -> str:
    got = [int(s.source.split("_")[1]) if s.source else 0 for s in _photos(o.after)]
    return "" if got == want else f"photo order {got}, want {want}"


def _per_photo(want: float, o: TurnOutcome) -> str:
    got = [s.duration_ms / 1000 for s in _photos(o.after)]
    ok = bool(got) and all(_close(g, want, PHOTO_TOL) for g in got)
    return "" if ok else f"photo lengths {got}, want {want:g} s each"


def _photo_s(want: dict[str, float], o: TurnOutcome) -> str:
    segs = _photos(o.after)
    for key, seconds in want.items():
        i = int(key) - 1
        got = segs[i].duration_ms / 1000 if 0 <= i < len(segs) else None
        if got is None or not _close(got, seconds, PHOTO_TOL):
            return f"photo {key} is {got} s, want {seconds:g} s"
    return ""


def _music_on(want: bool, o: TurnOutcome) -> str:
    music = _music(o.after)
    if bool(music) != want:
        return "music present" if music else "no music"
    total = o.after.duration_ms
    if music and any((s.start_ms or 0) != 0 or s.duration_ms != total for s in music):
        return "music does not span the video"
    return ""


def _mood(want: str, o: TurnOutcome) -> str:
    music = _music(o.after)
    got = str(music[0].meta.get("mood") or "").lower().replace("-", "") if music else "(no music)"
    return "" if got == want.replace("-", "") else f"music mood {got}, want {want}"


def _volume_abs(want: float, o: TurnOutcome) -> str:
    got = _volume(o.after)
    return "" if got is not None and _close(got, want, 1) else f"volume {got}, want {want:g}%"


def _volume_ratio(want: float, o: TurnOutcome) -> str:
    before, got = _volume(o.before), _volume(o.after)
    if before is None or got is None:
        return f"volume {before} → {got}, want ×{want:g}"
    target = min(100.0, before * want)
    return "" if _close(got, target, 1) else f"volume {before:.0f} → {got:.0f}%, want ×{want:g} ({target:.0f}%)"


def _volume_dir(want: str, o: TurnOutcome) -> str:
    before, got = _volume(o.before), _volume(o.after)
    if before is None or got is None:
        return f"volume {before} → {got}, want {want}"
    ok = got > before if want == "up" else 0 < got < before
    return "" if ok else f"volume {before:.0f} → {got:.0f}%, want {want}"


def _transition(want: str, o: TurnOutcome) -> str:
    kinds = [str((s.meta.get("transition") or {}).get("type") or "none") for s in _photos(o.after)[1:]]
    ok = bool(kinds) and all(k == want or k.startswith(want + "_") for k in kinds)
    return "" if ok else f"transitions {sorted(set(kinds))}, want {want}"


def _transition_s(want: float, o: TurnOutcome) -> str:
    got = [(s.meta.get("transition") or {}).get("d", 0) / 1000 for s in _photos(o.after)[1:]]
    ok = bool(got) and all(_close(g, want, PHOTO_TOL) for g in got)
    return "" if ok else f"transition lengths {sorted(set(got))}, want {want:g} s"


def _transition_s_dir(want: str, o: TurnOutcome) -> str:
    """"up": the transitions got longer ("slower fades"); "down": shorter ("转场快一点") but still there."""
    def mean(d: Draft) -> float:
        got = [(s.meta.get("transition") or {}).get("d", 0) / 1000 for s in _photos(d)[1:]]
        return sum(got) / len(got) if got else 0.0
    before, got = mean(o.before), mean(o.after)
    ok = got > before + 0.01 if want == "up" else 0 < got < before - 0.01
    return "" if ok else f"transition length {before:g} → {got:g} s, want {want}"


def _motion_matches(got: str, want: str) -> bool:
    if want == "moving":
        return got != "still"
    return got == want or got.startswith(want + "_")


def _motion(want: str, o: TurnOutcome) -> str:
    got = [str(s.meta.get("motion") or "auto") for s in _photos(o.after)]
    ok = bool(got) and all(_motion_matches(g, want) for g in got)
    return "" if ok else f"motion {sorted(set(got))}, want {want}"


def _photo_motion(want: dict[str, str], o: TurnOutcome) -> str:
    segs = _photos(o.after)
    for key, motion in want.items():
        i = int(key) - 1
        got = str(segs[i].meta.get("motion") or "auto") if 0 <= i < len(segs) else "(no photo)"
        if not _motion_matches(got, motion):
            return f"photo {key} motion {got}, want {motion}"
    return ""


def _fit(want: str, o: TurnOutcome) -> str:
    got = sorted({str(s.meta.get("fit") or "cover") for s in _photos(o.after)})
    return "" if got == [want] else f"fit {got}, want {want}"


def _text(want: list[dict[str, Any]], o: TurnOutcome) -> str:
    have = _texts(o.after)
    for item in want:
        found = [t for t in have if _clean(t[0]) == _clean(item["text"])
                 and ("role" not in item or t[3] == item["role"])
                 and ("start" not in item or _close(t[1], item["start"], SECONDS_TOL))
                 and ("end" not in item or _close(t[2], item["end"], SECONDS_TOL))]
        if not found:
            return f"no text {item}; texts are {[(t[0], t[1], t[2]) for t in have]}"
    return ""


def _texts_count(want: int, o: TurnOutcome) -> str:
    have = _texts(o.after)
    return "" if len(have) == want else f"{len(have)} texts {[t[0] for t in have]}, want {want}"


def _text_absent(want: list[str], o: TurnOutcome) -> str:
    have = [_clean(t[0]) for t in _texts(o.after)]
    still = [w for w in want if _clean(w) in have]
    return "" if not still else f"text still there: {still}"


def _fade(key: str) -> Check:
    def check(want: bool | float, o: TurnOutcome) -> str:
        got = int(o.after.meta.get(key) or 0) / 1000
        ok = (got > 0) == want if isinstance(want, bool) else _close(got, want, PHOTO_TOL)
        return "" if ok else f"{key} {got:g} s, want {want}"
    return check


def _action(want: str | None, o: TurnOutcome) -> str:
    return "" if o.action == want else f"action {o.action}, want {want}"


def _unchanged(want: bool, o: TurnOutcome) -> str:
    same = o.after == o.before and not o.operations
    return "" if same == want else ("draft changed: " + ", ".join(o.operations) if want else "nothing changed")


def _changed(want: bool, o: TurnOutcome) -> str:
    return _unchanged(not want, o)


def _reply_any(want: list[str], o: TurnOutcome) -> str:
    low = o.reply.lower()
    return "" if any(w.lower() in low for w in want) else f"reply mentions none of {want}"


def _reply_lang(want: str, o: TurnOutcome) -> str:
    zh = o.language == "zh" and bool(CJK.search(o.reply))
    got = "zh" if zh else "en"
    return "" if got == want else f"replied in {o.language}, want {want}"


def _not_understood(want: bool, o: TurnOutcome) -> str:
    return "" if (not o.understood) == want else f"understood={o.understood}"


def _style_value(key: str, value: Any) -> str:
    return (style.color_hex(value) or "?") if key == "color" else str(value).lower()


def _text_style(want: dict[str, Any], o: TurnOutcome) -> str:
    """Every text's effective style (its own keys, else the draft's ``m.text_style``) matches."""
    default = o.after.meta.get("text_style") if isinstance(o.after.meta.get("text_style"), dict) else {}
    segs = [seg for t in o.after.tracks_of(TrackType.TEXT) for seg in t.segments]
    if not segs:
        return "no text to style"
    for key, wanted in want.items():
        accepted = {_style_value(key, w) for w in (wanted if isinstance(wanted, list) else [wanted])}
        got = [_style_value(key, seg.meta.get(key, default.get(key, ""))) for seg in segs]
        if any(g not in accepted for g in got):
            return f"text {key} {got}, want {sorted(accepted)}"
    return ""


def _end_card(want: str | bool | dict[str, Any], o: TurnOutcome) -> str:
    """The end card's words (and ``bg``), or ``false``: no end card."""
    card = o.after.meta.get("end_card")
    card = card if isinstance(card, dict) and card.get("text") else None
    if want is False:
        return "" if card is None else f"end card {card.get('text')!r}, want none"
    spec = want if isinstance(want, dict) else {"text": want}
    if card is None:
        return f"no end card, want {spec['text']!r}"
    if _clean(str(card["text"])) != _clean(spec["text"]):
        return f"end card {card['text']!r}, want {spec['text']!r}"
    bg = spec.get("bg")
    return "" if bg is None or style.color_hex(card.get("bg")) == style.color_hex(bg) else f"end card on {card.get('bg')}, want {bg}"


def _beat_sync(want: bool, o: TurnOutcome) -> str:
    """Cuts on the beat in effect: ``m.beat_sync`` when set, else on for upbeat music (docs/draft.md)."""
    flag = o.after.meta.get("beat_sync")
    music = _music(o.after)
    mood = str(music[0].meta.get("mood") or "") if music else ""
    got = bool(music) and (flag if isinstance(flag, bool) else mood == "upbeat")
    return "" if got == want else f"beat sync {got} (m.beat_sync {flag}, music {mood or 'none'}), want {want}"


def _any_of(want: list[dict[str, Any]], o: TurnOutcome) -> str:
    """One of several readings holds (e.g. the colour applied, or said plainly that it cannot be)."""
    reasons = [[why for key, value in alt.items() if (why := CHECKS[key](value, o))] for alt in want]
    return "" if any(not r for r in reasons) else "none of: " + " | ".join("; ".join(r) for r in reasons)


CHECKS: dict[str, Check] = {
    "duration_s": _duration, "duration_ratio": _duration_ratio, "duration_dir": _duration_dir, "aspect": _aspect,
    "photos_used": _photos_used,
    "order": _order, "per_photo_s": _per_photo, "photo_s": _photo_s, "music": _music_on, "mood": _mood,
    "volume": _volume_abs, "volume_ratio": _volume_ratio, "volume_dir": _volume_dir, "transition": _transition,
    "transition_s": _transition_s, "transition_s_dir": _transition_s_dir, "motion": _motion, "photo_motion": _photo_motion, "fit": _fit, "text": _text,
    "texts": _texts_count, "text_absent": _text_absent, "fade_in": _fade("fade_in"), "fade_out": _fade("fade_out"),
    "action": _action, "unchanged": _unchanged, "changed": _changed, "reply_any": _reply_any,
    "reply_lang": _reply_lang, "not_understood": _not_understood, "text_style": _text_style, "any_of": _any_of,
    "end_card": _end_card, "beat_sync": _beat_sync,
}


# --- cases ----------------------------------------------------------------------------------------------
@dataclass
class CaseResult:
    case: dict[str, Any]
    passed: bool
    reason: str
    turns: list[TurnOutcome]
    turns_ok: list[bool] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.case["id"])


TEXT_LABELS = ("text", "texts", "text_absent", "text_style")


def _stray_text(o: TurnOutcome) -> str:
    """Words on screen nobody asked for (a turn with no text label must not add any)."""
    before = {t[0] for t in _texts(o.before)}
    added = [t[0] for t in _texts(o.after) if t[0] not in before]
    return f"added text nobody asked for: {added}" if added else ""


def turn_problems(expect: dict[str, Any], outcome: TurnOutcome, case_lang: str) -> list[str]:
    """Every label of one turn that does not hold (empty when the turn was understood)."""
    problems = [why for key, want in expect.items() if (why := CHECKS[key](want, outcome))]
    if "reply_lang" not in expect and (why := _reply_lang("en" if case_lang == "en" else "zh", outcome)):
        problems.append(why)
    alternatives = [expect, *expect.get("any_of", [])]
    if not any(key in alt for alt in alternatives for key in TEXT_LABELS) and (why := _stray_text(outcome)):
        problems.append(why)
    quiet = any(a.get("unchanged") or a.get("not_understood") or "action" in a for a in alternatives)
    if not quiet and not outcome.understood:
        problems.append("not understood")
    return problems


def run_case(case: dict[str, Any]) -> CaseResult:
    """Play the conversation in a fresh session; the case fails at its first turn whose labels fail."""
    session = new_session(int(case["photos"]), case.get("start", "empty"))
    outcomes: list[TurnOutcome] = []
    turns_ok: list[bool] = []
    reason = ""
    for n, turn in enumerate(case["turns"], 1):
        outcome = ask(session, turn["say"])
        outcomes.append(outcome)
        problems = turn_problems(turn.get("expect") or {}, outcome, case["lang"])
        turns_ok.append(not problems)
        if problems and not reason:
            reason = f"turn {n} {turn['say']!r}: " + "; ".join(problems) + f" — reply: {_short(outcome.reply)}"
    return CaseResult(case, not reason, reason, outcomes, turns_ok)


def _short(text: str, limit: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def schema_problems(case: dict[str, Any]) -> list[str]:
    """What is malformed in one case (unknown keys, tags or labels), so a typo in a label is not a pass."""
    out = []
    for key in ("id", "style", "lang", "photos", "turns"):
        if key not in case:
            out.append(f"missing {key}")
    styles = case.get("style", [])
    styles = [styles] if isinstance(styles, str) else styles
    out += [f"unknown style {s!r}" for s in styles if s not in STYLES]
    if case.get("lang") not in LANGS:
        out.append(f"unknown lang {case.get('lang')!r}")
    if case.get("start", "empty") not in STARTS:
        out.append(f"unknown start {case.get('start')!r}")
    for turn in case.get("turns", []):
        if not turn.get("say") or not isinstance(turn.get("expect"), dict) or not turn["expect"]:
            out.append(f"turn without say/expect: {turn}")
            continue
        labels = [*turn["expect"], *(k for alt in turn["expect"].get("any_of", []) for k in alt)]
        out += [f"unknown label {k!r}" for k in labels if k not in CHECKS]
    return out


def styles_of(case: dict[str, Any]) -> list[str]:
    style = case["style"]
    return [style] if isinstance(style, str) else list(style)


def load_corpus(folder: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """Every case of every tests/corpus/*.jsonl file, with the file it came from."""
    cases = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("//"):
                case = json.loads(line)
                case["file"] = f"{path.name}:{number}"
                cases.append(case)
    return cases


def run_corpus(cases: Iterable[dict[str, Any]]) -> list[CaseResult]:
    return [run_case(case) for case in cases]


def share(results: list[CaseResult]) -> float:
    return sum(r.passed for r in results) / len(results) if results else 0.0


def read_threshold(folder: Path = CORPUS_DIR) -> float:
    return float((folder / "THRESHOLD").read_text(encoding="utf-8").split()[0])
