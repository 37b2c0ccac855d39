"""One turn: request text + context → reply (operations with their drafts, texts, action).

Pure and deterministic: no I/O, no clock, no randomness; the same request on the same draft always
gives the same reply. The engine turns the reply into ADK events and, for ``action``, moves its
undo pointer, starts a render, or reads credits/state.
"""

from __future__ import annotations

from typing import Any

from nemo_nb.draft import Draft

from . import reply as R
from .model import AgentContext, AgentReply, Intent, Operation
from .ops import PRIORITY, Env, OpError, apply, main_segments
from .resolve import fold_lengths
from .understand import understand

ACTIONS = ("undo", "redo", "export", "credits", "status", "help")
_ACTION_PRIORITY = ("export", "credits", "status")
#: Credits a turn costs when it changed the draft (the cloud charges per edit; 0 when nothing changed).
EDIT_COST = 1


def respond(text: str, ctx: AgentContext) -> AgentReply:
    """Interpret ``text`` against ``ctx.draft`` and say what was done (docs/agent.md)."""
    draft = ctx.draft if ctx.draft is not None else Draft()
    names = [m.name for m in ctx.media] + [s.name for s in main_segments(draft)]
    parsed = understand(text or "", names)
    zh = parsed.language == "zh"
    lang = parsed.language
    unsupported = [i.args["what"] for i in parsed.intents if i.name == "unsupported"]
    intents = [i for i in parsed.intents if i.name != "unsupported"]
    actions = [i for i in intents if i.name in ACTIONS]
    edits = [i for i in intents if i.name not in ACTIONS and i.name != "need_text"]
    asks = [i for i in intents if i.name == "need_text"]
    action_names = {i.name for i in actions}

    if not intents and not parsed.unknown and not unsupported and text.strip():
        action_names = {"help"}  # "hi", "thanks": nothing to do, say what is possible
        intents = [Intent("help")]
    if not intents:
        return _not_understood(text, parsed.vague, draft, lang, zh, unsupported)

    notes: list[str] = []
    if parsed.fixes:
        notes.append(R.note_line("typos", {"fixes": parsed.fixes}, zh))

    base = draft
    operations: list[Operation] = []
    action: str | None = None
    head: list[str] = []

    if "undo" in action_names or "redo" in action_names:
        which = "redo" if "redo" in action_names and "undo" not in action_names else "undo"
        target = ctx.redo_draft if which == "redo" else ctx.undo_draft
        if target is None:
            head.append(("没有可以撤销的操作。" if which == "undo" else "没有可以重做的操作。") if zh
                        else ("There is nothing to undo." if which == "undo" else "There is nothing to redo."))
        elif not edits:
            line = ("已撤销上一步。" if which == "undo" else "已重做。") if zh else \
                ("Undid the last change." if which == "undo" else "Redid the change.")
            return AgentReply(language=lang, intro=line, operations=[], understood=True, action=which,
                              draft=target, cost=0, closing=_closing_summary(target, zh))
        else:
            base = target
            op_line = ("撤销了上一步。" if zh else "Undid the last change.") if which == "undo" else \
                ("重做了上一步。" if zh else "Redid the change.")
            operations.append(Operation(which, {}, target, op_line))

    for name in _ACTION_PRIORITY:
        if name in action_names:
            action = name
            break

    current = base
    env = Env(media=list(ctx.media), has_glyph=ctx.has_glyph)
    done: list[tuple[Intent, dict, Draft]] = []
    problems: list[str] = []
    unchanged: list[str] = []

    if edits and not main_segments(current):
        if env.visuals:
            if not any(i.name == "build" for i in edits):
                edits.insert(0, Intent("build", {}, -1))
                env.note("implicit_build", n=len(env.visuals))
        else:
            head.append("还没有照片。" if zh else "There are no photos yet.")
            problems.append(R.error_line("no_media", {}, zh))
            edits = []
    edits = _prepare_build(edits, env, zh)
    edits = fold_lengths(edits)
    for intent in edits:  # "I started from a slideshow of your 3 photos" when only 3 were asked for
        if intent.name == "build" and intent.pos == -1 and intent.args.get("pick"):
            env.notes = [(k, dict(p, n=len(intent.args["pick"])) if k == "implicit_build" else p) for k, p in env.notes]

    for intent in _ordered(edits):
        try:
            new, facts = apply(intent.name, current, intent.args, env)
        except OpError as err:
            problems.append(R.error_line(err.key, err.params, zh))
            continue
        if facts.get("unchanged") or new == current:
            unchanged.append(R.already_line(intent.name, intent.args, _already_facts(intent, facts, new), zh))
            continue
        summary = R.op_line(intent.name, intent.args, facts, zh)
        operations.append(Operation(intent.name, _wire_args(intent.args), new, summary))
        done.append((intent, facts, new))
        current = new

    for key, params in [*parsed.notes, *env.notes]:
        line = R.note_line(key, params, zh)
        if line:
            notes.append(line)
    for ask in asks:
        role = ask.args.get("role") or "title"
        problems.append(
            ("要写什么字？例如：在开头加上标题“夏日促销”。" if zh else
             f"What should the {R.ROLE_EN.get(role, 'text')} say? For example: add a {R.ROLE_EN.get(role, 'text')} "
             "'Summer Sale' at the start.")
            if role else "")
    if parsed.unknown:
        notes.append(R.note_line("partly_unknown", {"parts": parsed.unknown}, zh))
    for what in unsupported:
        notes.append(R.unsupported_line(what, zh))

    changed = bool(operations)
    final = current
    if action == "export" and final.is_empty:
        action = None
        problems.append("还没有可以导出的视频：先上传照片并告诉我要做什么。" if zh
                        else "There is nothing to export yet: upload photos and tell me what to make first.")
    if not operations and not action and not head and problems:
        # Nothing happened because of a problem: say the problem first, plainly, not "OK.".
        head.append(problems.pop(0))
    if "help" in action_names and not operations and not head and not done:
        head.append("我可以这样帮你。" if zh else "Here is what I can do.")
    intro = _intro(head, operations, done, action, zh)
    closing = _closing(operations, action, notes, problems, unchanged, final, zh, "help" in action_names)
    return AgentReply(language=lang, intro=intro, operations=operations, closing=closing, understood=True,
                      action=action, draft=final if changed else draft, cost=EDIT_COST if changed else 0)


def _prepare_build(edits: list[Intent], env: Env, zh: bool) -> list[Intent]:
    """A build that says "this image" with several uploads uses the latest photo; a build with "only the
    first/last N photos", "skip the first two" or "everything except photo 3" in the same message builds
    from those photos (not from all, then removing)."""
    builds = [i for i in edits if i.name == "build"]
    removals = [i for i in edits if i.name == "remove_photos"]
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
    if len(shown) > 80:
        shown = shown[:77] + "..."
    if unsupported:
        intro = ("" if zh else " ").join(R.unsupported_line(what, zh) for what in unsupported)
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
