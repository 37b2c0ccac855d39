"""One ``/run_sse`` turn: ask the agent, apply its reply to the store, and spell it as ADK events.

The agent is pure (text + context → reply); everything with side effects happens here: the new
draft revision and its credit charge (one transaction, retried if another request moved the
draft meanwhile), undo/redo as moves of the revision pointer, and export as a render job.
Credit rate (what the cloud would charge; counted here, never refused): ``settings.cost_edit`` per
turn that changed the draft; a turn that changed nothing (a question, undo/redo, export, a request
the agent did not understand) is free.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .. import protocol
from ..draft import Draft
from . import branding, drafts, errors
from .jobs import JobManager
from .settings import CREDITS_LABEL, EngineSettings
from .sse import EventWriter, new_call_id
from .store import HeadMoved, SessionRow, Store, TokenRow

MAX_RETRIES = 8
#: The longest message the agent reads. Its matching is not linear on every input (a few thousand
#: digits take seconds), and a request is a sentence or two; past this the answer says so.
MAX_MESSAGE_CHARS = 2000
#: A client-chosen render id: what can be polled and cancelled in a URL path.
JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


@dataclass
class TurnResult:
    events: list[dict[str, Any]] = field(default_factory=list)
    job_id: str | None = None


def _agent():
    """The agent module, imported late so the engine starts even while the agent is being built."""
    from . import agent

    return agent


def _has_glyph(ch: str) -> bool:
    """The renderer's answer to "does the video's font draw ``ch``", handed to the (pure) agent."""
    from ..render.text import has_glyph

    return has_glyph(ch)


def media_items(store: Store, session_id: str) -> list[Any]:
    agent = _agent()
    return [agent.MediaItem(id=m["id"], name=m["name"], kind=m["kind"], width=m["width"], height=m["height"],
                            duration_ms=m["duration_ms"]) for m in store.list_media(session_id)]


def too_long_answer(text: str) -> str | None:
    """The answer to a message longer than :data:`MAX_MESSAGE_CHARS`, in its language; None otherwise."""
    if len(text) <= MAX_MESSAGE_CHARS:
        return None
    head = text[:MAX_MESSAGE_CHARS]
    cjk = sum(1 for c in head if "\u3400" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    latin = sum(1 for c in head if c.isascii() and c.isalpha())
    if cjk and cjk * 2 >= latin:
        return (f"消息太长了（{len(text)} 个字符，上限 {MAX_MESSAGE_CHARS} 个）：请用一两句话说想怎么做，"
                "例如“把这些照片做成30秒的视频，加上转场和背景音乐”。")
    return (f"That message is too long ({len(text):,} characters; the limit is {MAX_MESSAGE_CHARS:,}). Say what "
            "you want in a sentence or two, e.g. \"turn these photos into a 30-second video with transitions and "
            "background music\".")


def checked_draft(store: Store, session: SessionRow, draft: Any) -> dict[str, Any]:
    """``draft`` if the session may store and render it (engine/drafts.py), else 400 saying why."""
    return drafts.check_draft(draft, {m["id"] for m in store.list_media(session.id)})


def scoped_job_id(owner: str, job_id: str) -> str:
    """The stored id of ``owner``'s render ``job_id``: ids are per user, so one user's id never collides
    with (or reveals) another's. Public ids never contain '/', so the scope is unambiguous."""
    return f"{hashlib.sha256(owner.encode('utf-8')).hexdigest()[:16]}/{job_id}"


def public_job_id(stored_id: str) -> str:
    """The id the client chose (or was given) for a stored job id (older unscoped ids unchanged)."""
    return stored_id.rpartition("/")[2]


def start_render(store: Store, jobs: JobManager, settings: EngineSettings, session: SessionRow, token: TokenRow,
                 draft: Any, *, job_id: str | None = None, quality: str = "high") -> dict[str, Any]:
    """Queue a render of ``draft`` with the user's brand kit (every export comes here: engine/branding.py);
    400 naming the problem when it cannot be rendered."""
    draft = branding.branded(store, settings, session.id, checked_draft(store, session, draft))
    model = Draft.from_json(draft)
    if model.is_empty or model.duration_ms <= 0:
        raise errors.bad_request("The timeline is empty: upload photos and describe the video first.")
    store.prune_renders(max_bytes=settings.renders_max_bytes, max_age_s=settings.renders_max_age_s)
    public = job_id or protocol.new_render_id()
    stored = scoped_job_id(session.owner, public)
    row, created = store.create_job(stored, session, token.id, draft, quality=quality, fmt="mp4",
                                    cost=settings.cost_render)
    if created:
        jobs.submit(stored)
    return row


def run_turn(text: str, *, store: Store, jobs: JobManager, settings: EngineSettings, session: SessionRow,
             token: TokenRow, writer: EventWriter) -> TurnResult:
    """Everything one message does. Credits are counted, never refused (the local engine has no limit)."""
    agent = _agent()
    language = store.language(session.id)
    after = agent.conversation_language(language, text)
    if after != language:  # the conversation's language, from the user's turns so far (respond() stays pure)
        store.set_language(session.id, after)
    for _attempt in range(MAX_RETRIES):
        head = store.head(session.id)
        undo, redo = store.peek(session.id, "undo"), store.peek(session.id, "redo")
        ctx = agent.AgentContext(
            draft=Draft.from_json(head.draft), media=media_items(store, session.id),
            undo_draft=None if undo is None else Draft.from_json(undo),
            redo_draft=None if redo is None else Draft.from_json(redo), has_glyph=_has_glyph, language=language)
        reply = agent.respond(text, ctx)
        try:
            return _apply(reply, head.rev, head.draft, store=store, jobs=jobs, settings=settings, session=session,
                          token=token, writer=writer)
        except HeadMoved:
            continue
    raise errors.bad_request("The session is being edited by another request: try again.", 409, 409)


def _apply(reply: Any, head_rev: int, head_draft: dict[str, Any], *, store: Store, jobs: JobManager,
           settings: EngineSettings, session: SessionRow, token: TokenRow, writer: EventWriter) -> TurnResult:
    result = TurnResult()
    new_draft = reply.draft.to_json() if reply.draft is not None else head_draft
    changed = bool(reply.operations) and new_draft != head_draft
    if changed:
        store.commit_draft(session.id, new_draft, expected_head=head_rev, source="agent",
                           charge=(token.id, settings.cost_edit, session.task_id))
    calls: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any] | None]] = []
    for op in reply.operations if changed else []:
        call = {"id": new_call_id(), "name": op.name, "args": op.args}
        calls.append((call, {"result": op.summary}, {"draft": op.draft.to_json()}))
    closing = reply.closing or ""
    action = reply.action
    zh = getattr(reply, "language", "en") == "zh"
    if action in ("undo", "redo"):
        moved = store.move_head(session.id, action)
        call = {"id": new_call_id(), "name": action, "args": {}}
        if moved is None:
            calls.append((call, {"result": f"nothing to {action}"}, None))
        else:
            calls.append((call, {"result": f"{action} done", "revision": moved.rev}, {"draft": moved.draft}))
    elif action == "export":
        draft = store.head(session.id).draft
        call = {"id": new_call_id(), "name": "export", "args": {"format": "mp4", "quality": "high"}}
        try:
            row = start_render(store, jobs, settings, session, token, draft)
        except errors.EngineError as exc:
            calls.append((call, {"status": "failed", "error": exc.message}, None))
            closing = f"无法导出：{exc.message}" if zh else exc.message
        else:
            job_id = result.job_id = public_job_id(row["id"])
            calls.append((call, {"status": row["status"], "id": job_id, "job_id": job_id}, None))
            line = (f"已开始导出（{job_id}），MP4 马上就好。" if zh
                    else f"Export started ({job_id}): the MP4 will be ready in a moment.")
            closing = f"{closing}\n{line}".strip()
    elif action == "credits":
        balance = store.credits(token.id)
        line = (f"积分：本地 · 不限量。到目前为止，云端会收取 {balance['charged']} 积分。" if zh
                else f"Credits: {CREDITS_LABEL}. The cloud would have charged {balance['charged']} so far.")
        closing = f"{closing}\n{line}".strip() if line not in closing else closing
    intro = reply.intro or ""
    if not calls:
        result.events += writer.model_turn("\n".join(p for p in (intro, closing) if p))
        return result
    for i, (call, response, delta) in enumerate(calls):
        result.events += writer.model_turn(intro if i == 0 else "", call)
        result.events.append(writer.function_response(call, response, delta))
    if closing:
        result.events += writer.model_turn(closing)
    return result
