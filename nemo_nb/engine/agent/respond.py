"""One turn: request text + context → reply (operations with their drafts, texts, action).

Pure and deterministic: no I/O, no clock, no randomness; the same request on the same draft always
gives the same reply. The engine turns the reply into ADK events and, for ``action``, moves its
undo pointer, starts a render, or reads credits/state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nemo_nb.draft import Draft, TrackType

from . import reply as R
from .followup import followup, last_object, referred
from .lang import reply_language
from .model import AgentContext, AgentReply, Intent, Operation, Parsed
from .normalise import normalise
from .ops import PRIORITY, Env, OpError, apply, current_transition, main_segments, text_tracks
from .resolve import fold_lengths, said_length
from .text import screen_words_as_roles
from .understand import understand
from .vocab import PLATFORMS, REQUEST_SHAPE, VAGUE

ACTIONS = ("undo", "redo", "export", "credits", "status", "help")
_ACTION_PRIORITY = ("export", "credits", "status")
#: Credits a turn costs when it changed the draft (the cloud charges per edit; 0 when nothing changed).
EDIT_COST = 1


@dataclass
class _Turn:
    """One turn as it is worked out: what was asked, what was done, what to say."""

    ctx: AgentContext
    parsed: Parsed
    draft: Draft
    zh: bool
    env: Env
    edits: list[Intent] = field(default_factory=list)
    asks: list[Intent] = field(default_factory=list)
    actions: set[str] = field(default_factory=set)
    unsupported: list[str] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    done: list[tuple[Intent, dict, Draft]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    action: str | None = None


def respond(text: str, ctx: AgentContext) -> AgentReply:
    """Interpret ``text`` against ``ctx.draft`` and say what was done (docs/agent.md). A pronoun with no object
    of its own ("move it to the end", "make them faster") is also read as the object the last turn changed
    (followup.last_object), and that reading wins when the literal one changes nothing (or, for "them" after
    the transitions changed, whenever it makes a change)."""
    reply = _respond(text, ctx)
    draft = ctx.draft if ctx.draft is not None else Draft()
    other = referred(text or "", last_object(ctx.undo_draft, draft))
    if other is None or reply.action or (reply.operations and not other[1]) or VAGUE.search(text.lower()):
        return reply
    alt = _respond(other[0], ctx)
    made = {op.name for op in alt.operations}  # a pronoun edits its object: it never writes new words or builds
    return alt if alt.understood and made and not made & {"add_text", "build"} and alt.draft != draft else reply


def _respond(text: str, ctx: AgentContext) -> AgentReply:
    draft = ctx.draft if ctx.draft is not None else Draft()
    text = screen_words_as_roles(text or "", _on_screen(draft))
    names = [m.name for m in ctx.media] + [s.name for s in main_segments(draft)]
    parsed = understand(text or "", names)
    norm = normalise(text or "")
    parsed.language = reply_language(norm.bare, ctx.language)  # the screen words are not the request's language
    followup(norm.text, parsed, ctx.undo_draft, draft)  # "no wait, 20", "再大一点" after a change
    turn = _Turn(ctx, parsed, draft, parsed.language == "zh", Env(media=list(ctx.media), has_glyph=ctx.has_glyph))
    intents = _sort_intents(turn, text or "")
    if not intents:
        return _not_understood(text or "", parsed.vague, draft, parsed.language, turn.zh, turn.unsupported)
    base = _undo_redo(turn)
    if isinstance(base, AgentReply):
        return base
    turn.action = next((name for name in _ACTION_PRIORITY if name in turn.actions), None)
    final = _apply_edits(turn, _plan_edits(turn, base))
    return _finish(turn, final)


def _on_screen(draft: Draft) -> list[tuple[str, str]]:
    """(words, role) of every text on the draft."""
    return [(str(seg.meta.get("text") or ""), str(track.role or seg.meta.get("role") or "caption"))
            for track in text_tracks(draft) for seg in track.segments]


def _sort_intents(turn: _Turn, text: str) -> list[Intent]:
    """Split the intents into actions, edits and questions; "hi" is a help request; a vague first request
    with photos uploaded ("make it pop") gets a sensible default video, saying what was assumed."""
    parsed = turn.parsed
    turn.unsupported = [i.args["what"] for i in parsed.intents if i.name == "unsupported"]
    kept = [i for i in parsed.intents if i.name == "keep"]  # "标题不要动": said back, never an edit
    intents = [i for i in parsed.intents if i.name not in ("unsupported", "keep")] + _unwanted_format(turn, kept)
    kept = [i for i in kept if i.name == "keep"]
    if kept:
        turn.head.append(R.kept_line(kept[0].args["words"], turn.zh))
        intents = intents or [Intent("status")]
    if not intents and parsed.vague and turn.draft.is_empty and turn.env.visuals and not turn.unsupported:
        intents = [Intent("build", {}, 0), Intent("set_transition", {"type": None}, 1), Intent("set_music", {"mood": None}, 2)]
        parsed.notes.append(("assumed_default", {"n": len(turn.env.visuals)}))
        parsed.unknown = []
    elif not intents and not parsed.unknown and not turn.unsupported and text.strip():
        intents = [Intent("help")]  # "hi", "thanks": nothing to do, say what is possible
    bare = [i.args.pop("no_object") for i in intents if "no_object" in i.args]
    if bare and [i.name for i in intents] == ["set_music"] and turn.ctx.redo_draft:
        intents = [Intent("redo", {}, intents[0].pos)]  # "撤回" then "恢复": the undone change back
    turn.actions = {i.name for i in intents if i.name in ACTIONS}
    turn.edits = [i for i in intents if i.name not in ACTIONS and i.name != "need_text"]
    turn.asks = [i for i in intents if i.name == "need_text"]
    _text_on_screen_moves(turn)
    _fades_between_photos(turn)
    if parsed.fixes:
        turn.notes.append(R.note_line("typos", {"fixes": parsed.fixes}, turn.zh))
    return intents


#: A format said as not wanted while the video is in it ("不要竖屏" on a vertical video): the other way round.
_OTHER_FORMAT = {"9:16": "16:9", "16:9": "9:16", "1:1": "16:9", "4:5": "16:9"}


def _unwanted_format(turn: _Turn, kept: list[Intent]) -> list[Intent]:
    """"不要竖屏" / "don't make it vertical" said of the format the video is in now: that format is changed
    (vertical ↔ landscape, square → landscape) and the reply says how to get another; otherwise it is left."""
    now = turn.draft.meta.get("aspect")
    for n, intent in enumerate(kept):
        if now and intent.args.get("not_aspect") == now and not any(i.name == "set_aspect" for i in turn.parsed.intents):
            other = _OTHER_FORMAT.get(now, "16:9")
            turn.parsed.notes.append(("unwanted_format", {"now": now, "used": other}))
            label_en, label_zh = next((en, zh) for _pattern, aspect, en, zh in PLATFORMS if aspect == other)
            kept[n] = Intent("set_aspect", {"aspect": other, "label_en": label_en, "label_zh": label_zh,
                                            "platform": other}, intent.pos)
            return [kept[n]]
    return []


def _text_on_screen_moves(turn: _Turn) -> None:
    """"title从第2秒显示到第6秒", "title only for the first 2 secs": a time for a text with no new words moves the
    text on screen there (of that role when there is one); with none on screen the question what to write stays."""
    roles = {str(s.meta.get("role") or t.role) for t in text_tracks(turn.draft) for s in t.segments}
    asks = []
    for intent in turn.asks:
        if intent.args.pop("move", False) and roles:
            role = intent.args.get("role") if intent.args.get("role") in roles else None
            turn.edits.append(Intent("move_text", {"role": role, "place": intent.args.get("place"), "position": None},
                                     intent.pos))
        else:
            asks.append(intent)
    turn.asks = asks


def _fades_between_photos(turn: _Turn) -> None:
    """"make the fades longer" after "crossfades pls": the transitions between the photos are the fades meant (the
    reply says how to get fades at the start and end); with no transitions it is the picture's fade in and out."""
    for n, intent in enumerate(turn.edits):
        speed = intent.args.pop("speed", None) if intent.name == "set_fade" else None
        if speed and current_transition(turn.draft):
            turn.edits[n] = Intent("set_transition", {"type": None, "ms": None, "speed": speed}, intent.pos)
            turn.notes.append(R.note_line("fades_meant_transitions", {}, turn.zh))


def _undo_redo(turn: _Turn) -> Draft | AgentReply:
    """The draft the edits start from: the undo/redo target when one was asked for."""
    zh, names = turn.zh, turn.actions
    if "undo" not in names and "redo" not in names:
        return turn.draft
    which = "redo" if "redo" in names and "undo" not in names else "undo"
    target = turn.ctx.redo_draft if which == "redo" else turn.ctx.undo_draft
    if target is None:
        turn.head.append(("没有可以撤销的操作。" if which == "undo" else "没有可以重做的操作。") if zh
                         else ("There is nothing to undo." if which == "undo" else "There is nothing to redo."))
        return turn.draft
    if not turn.edits:
        line = ("已撤销上一步。" if which == "undo" else "已重做。") if zh else \
            ("Undid the last change." if which == "undo" else "Redid the change.")
        if turn.parsed.notes and any(k == "steps" for k, _ in turn.parsed.notes):  # "undo the last two changes"
            line += "每次撤销一步，再说一次“撤销”可以撤销再前一步。" if zh else \
                " One step at a time: say \"undo\" again for the change before it."
        return AgentReply(language=turn.parsed.language, intro=line, operations=[], understood=True, action=which,
                          draft=target, cost=0, closing=_closing_summary(target, zh))
    op_line = ("撤销了上一步。" if zh else "Undid the last change.") if which == "undo" else \
        ("重做了上一步。" if zh else "Redid the change.")
    turn.operations.append(Operation(which, {}, target, op_line))
    return target


def _bare_size_to_volume(turn: _Turn, base: Draft) -> None:
    """"再小一点" / "a bit bigger" names no object: the title's size — but with no words on screen and music
    playing (after "声音太大了"), the music's volume."""
    texts = any(t.segments for t in base.tracks_of(TrackType.TEXT))
    has_music = any(t.role == "bgm" and t.segments for t in base.tracks_of(TrackType.AUDIO))
    for n, intent in enumerate(turn.edits):
        bare = intent.name == "set_text_style" and (intent.args.get("style") or {}).pop("bare", False)
        if bare and not texts and has_music and intent.args.get("size_step"):
            turn.edits[n] = Intent("set_volume", {"step": intent.args["size_step"]}, intent.pos)


def _plan_edits(turn: _Turn, base: Draft) -> Draft:
    """A first request builds from the uploads; a build folds in the photos and length asked with it."""
    _bare_size_to_volume(turn, base)
    env, edits = turn.env, turn.edits
    if edits and not main_segments(base):
        if env.visuals:
            if not any(i.name == "build" for i in edits):
                edits.insert(0, Intent("build", {}, -1))
                env.note("implicit_build", n=len(env.visuals))
        else:
            turn.head.append("还没有照片。" if turn.zh else "There are no photos yet.")
            turn.problems.append(R.error_line("no_media", {}, turn.zh))
            edits = []
    edits = fold_lengths(said_length(_prepare_build(_appended(edits, base, env), env, turn.zh), base.duration_ms))
    for intent in edits:  # "I started from a slideshow of your 3 photos" when only 3 were asked for
        if intent.name == "build" and intent.pos == -1 and intent.args.get("pick"):
            env.notes = [(k, dict(p, n=len(intent.args["pick"])) if k == "implicit_build" else p) for k, p in env.notes]
    turn.edits = edits
    return base


def _apply_edits(turn: _Turn, current: Draft) -> Draft:
    """Each edit in the fixed order, each on the draft the previous one made."""
    for intent in _ordered(turn.edits):
        try:
            new, facts = apply(intent.name, current, intent.args, turn.env)
        except OpError as err:
            turn.problems.append(R.error_line(err.key, err.params, turn.zh))
            continue
        if facts.get("unchanged") or new == current:
            turn.unchanged.append(R.already_line(intent.name, intent.args, _already_facts(intent, facts, new), turn.zh))
            continue
        summary = R.op_line(intent.name, intent.args, facts, turn.zh)
        turn.operations.append(Operation(intent.name, _wire_args(intent.args), new, summary))
        turn.done.append((intent, facts, new))
        current = new
    return current


def _finish(turn: _Turn, final: Draft) -> AgentReply:
    """The reply: notes, questions and problems said; the draft and its cost."""
    zh = turn.zh
    for key, params in [*turn.parsed.notes, *turn.env.notes]:
        line = R.note_line(key, params, zh)
        if line:
            turn.notes.append(line)
    for ask in turn.asks:
        role = R.ROLE_EN.get(ask.args.get("role") or "title", "text")
        turn.problems.append("要写什么字？例如：在开头加上标题“夏日促销”。" if zh else
                             f"What should the {role} say? For example: add a {role} 'Summer Sale' at the start.")
    if turn.parsed.unknown:
        turn.notes.append(R.note_line("partly_unknown", {"parts": turn.parsed.unknown}, zh))
    turn.notes.extend(R.unsupported_line(what, zh) for what in turn.unsupported)
    if turn.action == "export" and final.is_empty:
        turn.action = None
        turn.problems.append("还没有可以导出的视频：先上传照片并告诉我要做什么。" if zh
                             else "There is nothing to export yet: upload photos and tell me what to make first.")
    if not turn.operations and not turn.action and not turn.head and turn.problems:
        turn.head.append(turn.problems.pop(0))  # nothing happened because of a problem: say it first, not "OK."
    helped = "help" in turn.actions
    if helped and not turn.operations and not turn.head and not turn.done:
        turn.head.append("我可以这样帮你。" if zh else "Here is what I can do.")
    changed = bool(turn.operations)
    intro = _intro(turn.head, turn.operations, turn.done, turn.action, zh)
    closing = _closing(turn.operations, turn.action, turn.notes, turn.problems, turn.unchanged, final, zh, helped)
    return AgentReply(language=turn.parsed.language, intro=intro, operations=turn.operations, closing=closing,
                      understood=True, action=turn.action, draft=final if changed else turn.draft,
                      cost=EDIT_COST if changed else 0)


def _prepare_build(edits: list[Intent], env: Env, zh: bool) -> list[Intent]:
    """A build that says "this image" with several uploads uses the latest photo; a build with "only the
    first/last N photos", "skip the first two" or "everything except photo 3" in the same message builds
    from those photos (not from all, then removing)."""
    removals = [i for i in edits if i.name == "remove_photos"]
    if removals:  # "skip the first two and use the rest": the rest of those, not all of them back
        for intent in edits:
            if intent.name == "build":
                intent.args.pop("include_all", None)
    builds = [i for i in edits if i.name == "build"]
    if len(builds) == 1 and len(removals) == 1 and not builds[0].args.get("pick") and not builds[0].args.get("count"):
        pick = _kept_photos(removals[0].args, len(env.visuals))
        if pick:
            builds[0].args["pick"] = pick
            edits = [i for i in edits if i is not removals[0]]
    for intent in edits:
        if intent.name == "build" and intent.args.get("single") and not intent.args.get("count"):
            photos = [m for m in env.visuals if m.kind == "photo"]
            if len(photos) > 1:
                latest = photos[-1]
                env.media = [m for m in env.media if m.kind not in ("photo", "video") or m.id == latest.id]
                env.note("picked_latest", name=latest.name)
    return edits


def _appended(edits: list[Intent], base: Draft, env: Env) -> list[Intent]:
    """"add photo 10 at the end": the video's photos as they are, then upload 10 (unless it is there already)."""
    ids = [m.id for m in env.visuals]
    current = [ids.index(s.source) + 1 for s in main_segments(base) if s.source in ids]
    for intent in edits:
        extra = intent.args.pop("append", None) if intent.name == "build" else None
        if extra:
            intent.args["pick"] = current + [n for n in extra if n not in current]
    return edits


def _kept_photos(args: dict, total: int) -> list[int] | None:
    """The upload numbers a removal keeps, or None when it names photos by name (the build resolves those)."""
    numbers = list(range(1, total + 1))
    if "keep_first" in args or "keep_last" in args:
        n = int(args.get("keep_first") or args.get("keep_last"))
        return None if not 0 < n <= total else numbers[:n] if "keep_first" in args else numbers[total - n:]
    if "drop_first" in args or "drop_last" in args:
        n = int(args.get("drop_first") or args.get("drop_last"))
        return None if not 0 < n < total else numbers[n:] if "drop_first" in args else numbers[: total - n]
    refs = args.get("refs") or []
    if refs and all("index" in r for r in refs):
        gone = {int(r["index"]) if int(r["index"]) > 0 else total + 1 + int(r["index"]) for r in refs}
        kept = [n for n in numbers if n not in gone]
        return kept if kept and len(kept) < total else None
    return None


def _ordered(edits: list[Intent]) -> list[Intent]:
    rank = {name: i for i, name in enumerate(PRIORITY)}
    return sorted(edits, key=lambda i: (rank.get(i.name, len(rank)), i.pos))


def _wire_args(args: dict[str, Any]) -> dict[str, Any]:
    """Arguments as they go on the wire (functionCall.args): JSON values, no parser internals."""
    out: dict[str, Any] = {}
    for key, value in args.items():
        if value is None or value is False or key.startswith("label_") or key == "mood_word":
            continue
        out[key] = _wire_args(value) if isinstance(value, dict) else value
    return out


def _already_facts(intent: Intent, facts: dict, new: Draft) -> dict:
    out = dict(facts)
    out.setdefault("total_ms", new.duration_ms)
    if intent.name == "set_aspect":
        out.setdefault("label_en", intent.args.get("label_en"))
        out.setdefault("label_zh", intent.args.get("label_zh"))
    if intent.name == "set_volume":
        from .ops import music_segments

        segs = music_segments(new)
        out.setdefault("volume", segs[0].volume if segs else None)
    if intent.name == "add_text":
        out.setdefault("text", intent.args.get("text"))
    return out


def _intro(head: list[str], ops: list[Operation], done: list[tuple[Intent, dict, Draft]], action: str | None,
           zh: bool) -> str:
    parts = list(head)
    if ops and ops[0].name in ("undo", "redo"):
        parts.append(ops[0].summary)
    plan = [R.plan_phrase(i.name, i.args, facts, new, zh) for i, facts, new in done]
    plan = list(dict.fromkeys(p for p in plan if p))  # "fade in … and fade out …": one "setting the fades"
    if plan:
        if zh:
            parts.append("好的，" + "，".join(plan) + "。")
        else:
            joined = plan[0] if len(plan) == 1 else ", ".join(plan[:-1]) + " and " + plan[-1]
            parts.append(f"Got it — {joined}.")
    if action == "export":
        parts.append("开始导出视频。" if zh else "Starting the export.")
    elif action == "credits":
        parts.append("查询积分余额。" if zh else "Checking your credits.")
    elif action == "status":
        parts.append("这是当前的时间线：" if zh else "Here is the current timeline:")
    if not parts:
        parts.append("好的。" if zh else "OK.")
    return " ".join(parts) if not zh else "".join(parts)


def _closing(ops: list[Operation], action: str | None, notes: list[str], problems: list[str],
             unchanged: list[str], final: Draft, zh: bool, help_asked: bool) -> str:
    body: list[str] = []
    edit_ops = [op for op in ops if op.name not in ("undo", "redo")]
    if edit_ops:
        body.append(("完成：" if zh else "Done: ") + (" " if not zh else "").join(op.summary for op in edit_ops))
    elif ops:
        body.append(ops[0].summary)
    # "Already so" only matters when nothing else happened (a build often makes a later ask moot).
    if unchanged and not edit_ops and not action:
        body.append(("没有改动：" if zh else "Nothing changed: ") + ("" if zh else " ").join(unchanged))
    body.extend(problems)
    body.extend(n for n in notes if n)
    if help_asked:
        body.append(_help_text(zh))
    text = (" " if not zh else "").join(b for b in body if b)
    summary = final.summary("zh" if zh else "en") if not final.is_empty else ""
    if summary and (ops or action == "status" or unchanged or not body):
        return f"{text}\n{summary}" if text else summary
    return text


def _closing_summary(draft: Draft, zh: bool) -> str:
    return draft.summary("zh" if zh else "en") if not draft.is_empty else (
        "时间线现在是空的。" if zh else "The timeline is now empty.")


def _help_text(zh: bool) -> str:
    examples = R.SUGGESTIONS_ZH if zh else R.SUGGESTIONS_EN
    head = "我可以改时长、顺序、转场、运动效果、画面比例、标题字幕、背景音乐和音量、淡入淡出，以及撤销和导出。例如：" if zh else \
        ("I can change length and pacing, order, transitions, motion, aspect ratio/platform, titles and captions, "
         "music and volume, fades, and undo or export. For example:")
    return head + "\n" + "\n".join(f"- {e}" for e in examples[:5])


def _not_understood(text: str, vague: bool, draft: Draft, lang: str, zh: bool,
                    unsupported: list[str] | None = None) -> AgentReply:
    """Nothing usable in the request: say so plainly, suggest what works, change nothing."""
    shown = text.strip()
    if not shown:
        return _empty(draft, lang, zh)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    if unsupported:
        intro = ("" if zh else " ").join(R.unsupported_line(what, zh) for what in unsupported)
    elif not vague and REQUEST_SHAPE.match(text.strip().lower()):  # "make me look thinner": can't, not "didn't get it"
        intro = R.cant_line(shown, zh)
    elif zh:
        intro = f"抱歉，我没有理解“{shown}”。" + ("“好看”是主观的，我需要具体的修改。" if vague else "")
    else:
        intro = f"Sorry, I didn't understand \"{shown}\"." + (
            " I can't judge taste, but I can make concrete changes." if vague else "")
    suggestions = R.SUGGESTIONS_ZH if zh else R.SUGGESTIONS_EN
    examples = suggestions if draft.is_empty else suggestions[1:5]
    head = "视频没有改动。你可以这样说：" if zh else "Nothing was changed. Try something like:"
    closing = head + "\n" + "\n".join(f"- {e}" for e in examples[:4])
    if not draft.is_empty:
        closing += "\n" + draft.summary("zh" if zh else "en")
    return AgentReply(language=lang, intro=intro, operations=[], closing=closing, understood=False, action=None,
                      draft=draft, cost=0)


def _empty(draft: Draft, lang: str, zh: bool) -> AgentReply:
    """An empty message: say what to type."""
    suggestions = R.SUGGESTIONS_ZH if zh else R.SUGGESTIONS_EN
    intro = "请告诉我要怎么做视频。" if zh else "Type what you'd like me to do with your video."
    head = "例如：" if zh else "For example:"
    closing = head + "\n" + "\n".join(f"- {e}" for e in suggestions[:4])
    return AgentReply(language=lang, intro=intro, operations=[], closing=closing, understood=False, action=None,
                      draft=draft, cost=0)
