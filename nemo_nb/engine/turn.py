"""One ``/run_sse`` turn: ask the agent, apply its reply to the store, and spell it as ADK events.

The agent is pure (text + context → reply); everything with side effects happens here: the new
draft revision and its credit charge (one transaction, retried if another request moved the
draft meanwhile), undo/redo as moves of the revision pointer, and export as a render job.
Credit rate: ``settings.cost_edit`` per turn that changed the draft; a turn that changed nothing
(a question, undo/redo, export, a request the agent did not understand) is free.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ..draft import Draft
from . import errors
from .jobs import JobManager
from .settings import EngineSettings
from .sse import EventWriter, new_call_id
from .store import HeadMoved, SessionRow, Store, TokenRow

MAX_RETRIES = 8


@dataclass
class TurnResult:
    events: list[dict[str, Any]] = field(default_factory=list)
    job_id: str | None = None


def _agent():
    """The agent module, imported late so the engine starts even while the agent is being built."""
    from . import agent

    return agent


def media_items(store: Store, session_id: str) -> list[Any]:
    agent = _agent()
    return [agent.MediaItem(id=m["id"], name=m["name"], kind=m["kind"], width=m["width"], height=m["height"],
                            duration_ms=m["duration_ms"]) for m in store.list_media(session_id)]


def renderable_problem(draft: dict[str, Any], media_ids: set[str]) -> str | None:
    """Why this draft cannot be rendered here, or None (checked before a job is queued)."""
    model = Draft.from_json(draft)
    if model.is_empty or model.duration_ms <= 0:
        return "The timeline is empty: upload photos and describe the video first."
    for track in model.tracks:
        for seg in track.segments:
            if seg.kind in ("photo", "video", "audio") and seg.meta.get("src") and seg.meta["src"] not in media_ids:
                return (f"The timeline uses media {seg.meta['src']!r}, which is not uploaded in this session: "
                        "upload it again or remove it from the timeline.")
    return None


def start_render(store: Store, jobs: JobManager, settings: EngineSettings, session: SessionRow, token: TokenRow,
                 draft: dict[str, Any], *, job_id: str | None = None, quality: str = "high") -> dict[str, Any]:
    """Queue a render of ``draft``; 400 naming the problem when it cannot be rendered."""
    media_ids = {m["id"] for m in store.list_media(session.id)}
    problem = renderable_problem(draft, media_ids)
    if problem:
        raise errors.bad_request(problem)
    job_id = job_id or f"render_{int(time.time() * 1000)}"
    row, created = store.create_job(job_id, session, token.id, draft, quality=quality, fmt="mp4",
                                    cost=settings.cost_render)
    if created:
        jobs.submit(job_id)
    return row


def run_turn(text: str, *, store: Store, jobs: JobManager, settings: EngineSettings, session: SessionRow,
             token: TokenRow, writer: EventWriter) -> TurnResult:
    """Everything one message does; raises 2001 (before any event) when credits are short."""
    agent = _agent()
    for _attempt in range(MAX_RETRIES):
        head = store.head(session.id)
        undo, redo = store.peek(session.id, "undo"), store.peek(session.id, "redo")
        ctx = agent.AgentContext(
            draft=Draft.from_json(head.draft), media=media_items(store, session.id),
            undo_draft=None if undo is None else Draft.from_json(undo),
            redo_draft=None if redo is None else Draft.from_json(redo))
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
            if exc.code == 2001:
                raise
            calls.append((call, {"status": "failed", "error": exc.message}, None))
            closing = f"无法导出：{exc.message}" if zh else exc.message
        else:
            result.job_id = row["id"]
            calls.append((call, {"status": row["status"], "id": row["id"], "job_id": row["id"]}, None))
            line = (f"已开始导出（{row['id']}），MP4 马上就好。" if zh
                    else f"Export started ({row['id']}): the MP4 will be ready in a moment.")
            closing = f"{closing}\n{line}".strip()
    elif action == "credits":
        balance = store.credits(token.id)
        line = (f"积分：可用 {balance['available']}，冻结 {balance['frozen']}，共 {balance['total']}。" if zh
                else f"Credits: {balance['available']} available, {balance['frozen']} frozen, "
                     f"{balance['total']} total.")
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
