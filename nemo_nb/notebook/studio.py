"""The Studio: one editing session, usable from ``await``, from blocking calls, magics and the widget.

Every method is a coroutine (``await studio.ask(...)`` at the top level of a notebook); the
``studio.sync`` namespace has the blocking twins for plain scripts and magics. The network work
runs on nemo_nb's private I/O loop (see ``_runner``), so neither form can deadlock the kernel.

The Studio speaks only to ``NemoClient`` over a base URL from ``backend.resolve``: it never knows
whether the embedded engine or the cloud answers. What happens is published as events (chat text,
draft, media, render progress) to listeners such as the widget, always on the caller's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from .. import config, protocol
from ..backend import Backend, resolve, revive
from ..client import (
    Done,
    FileTooLargeError,
    NemoClient,
    NemoConnectionError,
    NemoError,
    NoCreditsError,
    NotSupportedError,
    RenderFailed,
    SessionNotFoundError,
    StillWorking,
    TextDelta,
    ToolCall,
    ToolResult,
    UnsupportedFileError,
    UploadedMedia,
    ValidationError,
    detect_intent,
)
from ..client.models import RenderJob, SessionState
from ..client.upload import expand_folders, is_url
from ..draft import Draft
from . import _runner
from ._upload import safe_name
from ._view import media_kind
from .display import RenderResult
from .frames import credits_frame, renders_frame, tracks_frame
from .history import RenderHistory, RenderRecord
from .replies import Reply, Timeline

log = logging.getLogger("nemo_nb.notebook")

#: The seeds' "Try saying" lines, completed where the seeds cut them off.
SUGGESTIONS = [
    "turn these photos into a 30-second video with transitions and background music",
    "turn this image into a 5-second animated video clip",
    "convert five vacation photos in JPG format into a 1080p MP4",
    "make it vertical for TikTok",
    "add a title 'Summer Sale' at the start",
    "lower the music to 20%",
    "export 1080p MP4",
]

QUALITIES = ("high", "preview")
Event = tuple[str, Any]


def error_payload(err: BaseException) -> dict[str, Any]:
    """What the user is shown for a failure: one message, the hint, and a link when there is one."""
    if isinstance(err, NemoError):
        out: dict[str, Any] = {"message": err.message, "hint": err.hint}
        if isinstance(err, NoCreditsError) and err.register_url:
            out["link"] = err.register_url
            out["link_text"] = "Register to get more credits"
        return out
    return {"message": f"{type(err).__name__}: {err}", "hint": ""}


class Studio:
    """One editing session on one backend. Create it with :func:`connect`."""

    def __init__(
        self,
        backend: Backend,
        *,
        language: str = "en",
        echo: bool = True,
        history: RenderHistory | None = None,
        client: NemoClient | None = None,
    ) -> None:
        self.backend = backend
        self.language = language
        #: Print streamed text and progress in the cell (the widget shows them regardless).
        self.echo = echo
        self.client = client or NemoClient(backend.base_url, backend.token, language=language,
                                           env_token=backend.name == "cloud", token_key=backend.token_key)
        self.history = history or RenderHistory()
        self.session_id: str | None = None
        self.draft = Draft()
        self.media: list[UploadedMedia] = []
        self.chat: list[dict[str, Any]] = []
        self.render_state: dict[str, Any] = {"state": "idle"}
        self.credits_state: dict[str, Any] = {}
        self.busy = ""
        self.still_working = False
        self.suggestions = list(SUGGESTIONS)
        self.sync = BlockingStudio(self)
        self._active: Counter[str] = Counter()
        self._local_files: dict[str, Path] = {}
        self._thumbs: dict[str, bytes] = {}
        self._listeners: list[Callable[[str, Any], None]] = []
        self._agent_lock: asyncio.Lock | None = None
        self._job_id: str | None = None
        self._widget: Any = None
        self._echo_step = -1
        self._closed = False

    # --- how calls run ------------------------------------------------------------------------
    def _handler(self, echo: bool) -> Callable[[Event], None]:
        def handle(event: Event) -> None:
            self._apply(event)
            if echo:
                self._echo(event)
        return handle

    async def _call(self, op: Callable[..., Awaitable[Any]], *args: Any, echo: bool | None = None, **kw: Any) -> Any:
        self._check_open()
        echo = self.echo if echo is None else echo
        return await _runner.call_async(lambda pipe: self._guarded(op, pipe, echo, *args, **kw), self._handler(echo))

    def _call_sync(self, op: Callable[..., Awaitable[Any]], *args: Any, echo: bool | None = None,
                   what: str = "this call", **kw: Any) -> Any:
        self._check_open()
        echo = self.echo if echo is None else echo
        return _runner.call_sync(lambda pipe: self._guarded(op, pipe, echo, *args, **kw), self._handler(echo), what)

    async def _guarded(self, op: Callable[..., Awaitable[Any]], pipe: _runner.EventPipe, echo: bool,
                       *args: Any, **kw: Any) -> Any:
        pipe.echo = echo  # type: ignore[attr-defined]
        try:
            try:
                return await op(pipe, *args, **kw)
            except NemoConnectionError as err:
                if not await self._revive_engine(err):
                    raise
                return await op(pipe, *args, **kw)
        except asyncio.CancelledError:
            raise
        except Exception as err:
            pipe.emit(("error", error_payload(err)))
            raise

    async def _revive_engine(self, err: NemoConnectionError) -> bool:
        """The background engine stopped (idle timeout, crash, killed): start it again and move
        this Studio to it — its store still holds the session. True when the call may be retried
        (only a refused connection: the request never reached a server)."""
        if not isinstance(err.__cause__, httpx.ConnectError):
            return False
        try:
            fresh = await asyncio.to_thread(revive, self.backend)
        except Exception as exc:  # EngineStartError: say why, and where the log is
            raise NemoError(f"The local engine stopped and could not be started again: {exc}",
                            hint="Run `nemo-nb serve` in a terminal to see the problem.") from exc
        if fresh is None:
            return False
        old, self.backend = self.client, fresh
        self.client = NemoClient(fresh.base_url, fresh.token, language=self.language, env_token=False,
                                 token_key=fresh.token_key)
        with contextlib.suppress(Exception):
            await old.aclose()
        log.info("nemo_nb: the local engine had stopped; now using %s", fresh.base_url)
        return True

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("This Studio is closed: run nemo_nb.connect() for a new one.")

    # --- events (caller side) -------------------------------------------------------------------
    def subscribe(self, listener: Callable[[str, Any], None]) -> Callable[[], None]:
        """Call ``listener(kind, data)`` for every change; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, kind: str, data: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(kind, data)
            except Exception:  # a broken listener must not break the call
                log.exception("nemo_nb: a Studio listener failed on %r", kind)

    def _apply(self, event: Event) -> None:
        kind, data = event
        if kind == "user":
            self.chat = [*self.chat, {"role": "user", "text": data},
                         {"role": "agent", "text": "", "pending": True}]
            self._notify("chat", self.chat)
        elif kind == "delta":
            self._edit_pending(lambda m: {**m, "text": m["text"] + data})
        elif kind == "done":
            self.still_working = False
            self._notify("still_working", False)
            text, changes = data.get("text", ""), data.get("changes") or []
            self._edit_pending(lambda m: {**m, "text": m["text"] or text, "changes": changes, "pending": False})
        elif kind == "still":
            self.still_working = True
            self._notify("still_working", True)
        elif kind in ("info", "error"):
            self.still_working = False
            entry = {"role": kind, "text": data} if kind == "info" else {"role": "error", "text": data["message"], **{
                k: v for k, v in data.items() if k != "message" and v}}
            chat = [m for m in self.chat if not (m.get("pending") and not m.get("text"))]
            chat = [{**m, "pending": False} if m.get("pending") else m for m in chat]
            self.chat = [*chat, entry]
            self._notify("chat", self.chat)
            self._notify("still_working", False)
        elif kind == "busy":
            what, delta = data
            self._active[what] += delta
            order = ("thinking", "rendering", "uploading")
            self.busy = next((w for w in order if self._active[w] > 0), "")
            self._notify("busy", self.busy)
        elif kind == "render":
            self.render_state = data
            self._notify("render", data)
        elif kind == "credits":
            self.credits_state = data
            self._notify("credits", data)
        else:  # draft, media, session: the worker already stored them
            self._notify(kind, data)

    def _edit_pending(self, change: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
        for i in range(len(self.chat) - 1, -1, -1):
            if self.chat[i].get("pending"):
                self.chat = [*self.chat[:i], change(self.chat[i]), *self.chat[i + 1:]]
                self._notify("chat", self.chat)
                return

    def _echo(self, event: Event) -> None:
        kind, data = event
        out = sys.stdout
        if kind == "delta":
            out.write(data)
        elif kind == "done":
            if data.get("silent"):
                out.write(data.get("text", ""))
            out.write("\n")
        elif kind == "still":
            out.write("\n⏳ Still working...\n")
        elif kind == "info":
            out.write(f"{data}\n")
        elif kind == "render":
            line, self._echo_step = _progress_line(data, self._echo_step)
            if line:
                out.write(line + "\n")
        else:
            return
        with contextlib.suppress(Exception):
            out.flush()

    # --- worker side helpers ----------------------------------------------------------------------
    async def _ensure_session(self, pipe: _runner.EventPipe) -> str:
        if self.session_id is None:
            session = await self.client.create_session(self.language)
            self.session_id = session.session_id
            pipe.emit(("session", self.session_id))
        return self.session_id

    async def _with_session(self, pipe: _runner.EventPipe, fn: Callable[[str], Awaitable[Any]]) -> Any:
        """Run ``fn(session_id)``; on 1002 (session gone) start a new session and retry once."""
        sid = await self._ensure_session(pipe)
        try:
            return await fn(sid)
        except SessionNotFoundError:
            await self._renew_session(pipe)
            return await fn(self.session_id)  # type: ignore[arg-type]

    async def _renew_session(self, pipe: _runner.EventPipe) -> None:
        old = self.session_id
        session = await self.client.create_session(self.language)
        self.session_id = session.session_id
        self.draft, self.media, self._thumbs = Draft(), [], {}
        files = [p for p in dict.fromkeys(self._local_files.values()) if p.is_file()]
        self._local_files = {}
        if files:
            uploaded = await self.client.upload(self.session_id, *files)
            self._local_files = {m.id: p for m, p in zip(uploaded, files, strict=False)}
        again = f" Your {len(files)} file(s) were added to it again." if files else ""
        pipe.emit(("session", self.session_id))
        pipe.emit(("info", f"Session {old} no longer exists, so a new one was started: the timeline starts "
                           f"empty.{again}"))
        await self._refresh(pipe)

    async def _refresh(self, pipe: _runner.EventPipe) -> SessionState:
        """Fetch the session state: the draft and the media the backend lists."""
        state: SessionState = await self._with_session(pipe, self.client.state)
        self.draft = state.draft
        self.media = [UploadedMedia.from_json(info) for info in state.video_infos]
        pipe.emit(("draft", self.draft))
        pipe.emit(("media", list(self.media)))
        return state

    def _new_render(self, state: SessionState) -> RenderRecord | None:
        """A render the agent started by itself ("export 1080p MP4"), not yet in the history."""
        fresh = [g for g in state.generated_media
                 if g.get("id") and str(g.get("type") or "video") == "video" and self.history.get(str(g["id"])) is None
                 and str(g.get("status") or "") not in (protocol.RenderStatus.FAILED, protocol.RenderStatus.CANCELLED)]
        if not fresh:
            return None
        job = fresh[-1]
        return self.history.add(RenderRecord(
            id=str(job["id"]), backend=self.backend.name, base_url=self.backend.base_url,
            session=self.session_id or "", status=str(job.get("status") or protocol.RenderStatus.QUEUED),
            started=float(job.get("created_at") or time.time()), quality=str(job.get("quality") or "high")))

    def _busy(self, pipe: _runner.EventPipe, what: str) -> contextlib.AbstractContextManager[None]:
        @contextlib.contextmanager
        def scope() -> Any:
            pipe.emit(("busy", (what, 1)))
            try:
                yield
            finally:
                pipe.emit(("busy", (what, -1)))
        return scope()

    # --- operations (run on the worker loop) ----------------------------------------------------
    async def _op_open(self, pipe: _runner.EventPipe) -> Studio:
        await self._ensure_session(pipe)
        await self._refresh(pipe)
        return self

    async def _op_upload(self, pipe: _runner.EventPipe, items: Sequence[str | Path]) -> list[UploadedMedia]:
        if not items:
            raise NemoError("Nothing to upload", hint="Pass one or more file paths or URLs, e.g. studio.upload('cat.jpg').")
        normalised: list[str | Path] = [i if is_url(i) or _has_scheme(i) else Path(i).expanduser().resolve()
                                        for i in expand_folders(items)]
        uploaded: list[UploadedMedia] = []
        refused: list[tuple[str | Path, NemoError]] = []
        with self._busy(pipe, "uploading"):
            for item in normalised:  # one by one: a bad file is reported, the good ones still land
                try:
                    got = await self._with_session(pipe, lambda sid, item=item: self.client.upload(sid, item))
                except (UnsupportedFileError, FileTooLargeError, ValidationError) as err:
                    refused.append((item, err))
                    continue
                uploaded.extend(got)
                if isinstance(item, Path):
                    for media in got:
                        self._local_files[media.id] = item
            if uploaded:
                await self._refresh(pipe)
        if uploaded:
            pipe.emit(("info", f"Added {len(uploaded)} file(s): {', '.join(m.name for m in uploaded)}"))
        if refused:
            raise _refusal(refused, len(uploaded))
        return uploaded

    async def _op_ask(self, pipe: _runner.EventPipe, text: str) -> Reply:
        text = (text or "").strip()
        if not text:
            raise NemoError("Nothing to send", hint="Type a request, e.g. \"turn these photos into a 30-second video\".")
        echo = bool(getattr(pipe, "echo", False))
        intent = detect_intent(text)
        if intent is not None:
            return await self._shortcut(pipe, intent, text)
        if self._agent_lock is None:
            self._agent_lock = asyncio.Lock()
        async with self._agent_lock:
            pipe.emit(("user", text))
            with self._busy(pipe, "thinking"):
                done = await self._with_session(pipe, lambda sid: self._stream(pipe, sid, text))
                state = await self._refresh(pipe)
            pipe.emit(("done", {"text": done.text, "changes": done.changes, "silent": done.silent}))
        reply = Reply(text=done.text, kind="agent", changes=list(done.changes), draft=self.draft, echoed=echo)
        record = self._new_render(state) if self._job_id is None else None
        if record is not None:  # the agent started an export: follow it like our own
            with self._busy(pipe, "rendering"):
                reply.result = await self._follow(pipe, record)
            reply.kind = "export"
            pipe.emit(("info", _ready_text(reply.result)))
        return reply

    async def _stream(self, pipe: _runner.EventPipe, sid: str, text: str) -> Done:
        done: Done | None = None
        parts: list[str] = []
        new_turn = False
        async for event in self.client.send(sid, text):
            if isinstance(event, TextDelta):
                chunk = event.text
                if new_turn and parts and not parts[-1][-1:].isspace() and not chunk[:1].isspace():
                    chunk = "\n" + chunk  # text of the next model turn starts on its own line
                new_turn = False
                parts.append(chunk)
                pipe.emit(("delta", chunk))
            elif isinstance(event, ToolCall):
                new_turn = True
                pipe.emit(("activity", event.name))
            elif isinstance(event, ToolResult):
                new_turn = True
                draft = event.state_delta.get("draft")
                if isinstance(draft, (dict, str)):
                    self.draft = Draft.from_json(draft)
                    pipe.emit(("draft", self.draft))
            elif isinstance(event, StillWorking):
                pipe.emit(("still", event.elapsed_s))
            elif isinstance(event, Done):
                done = event
        if done is None:
            done = Done(text="".join(parts).strip())
        elif not done.silent:
            done.text = "".join(parts).strip() or done.text
        return done

    async def _shortcut(self, pipe: _runner.EventPipe, intent: str, text: str) -> Reply:
        """Intent shortcuts: answered here, with no agent round trip."""
        echo = bool(getattr(pipe, "echo", False))
        pipe.emit(("user", text))
        if intent == "export":
            result = await self._op_export(pipe)
            msg = _ready_text(result)
            pipe.emit(("done", {"text": msg, "silent": True}))
            return Reply(text=msg, kind="export", draft=self.draft, result=result, echoed=echo)
        if intent == "credits":
            credits = await self._credits(pipe)
            msg = str(credits)
            pipe.emit(("done", {"text": msg, "silent": True}))
            return Reply(text=msg, kind="credits", result=credits, echoed=echo)
        if intent == "status":
            await self._refresh(pipe)
            msg = self.draft.summary()
            pipe.emit(("done", {"text": msg, "silent": True}))
            return Reply(text=msg, kind="status", draft=self.draft, echoed=echo)
        # upload: either the message names files/URLs, or the user wants to know how.
        items = [t.strip("'\"") for t in text.replace(",", " ").split()]
        if items and all(is_url(i) or Path(i).expanduser().exists() for i in items):
            uploaded = await self._op_upload(pipe, items)
            msg = f"Added {len(uploaded)} file(s)."
        else:
            msg = ("Drop files on the Media panel or choose them there, or from Python: "
                   "studio.upload('photo.jpg') / %nemo upload photo.jpg")
        pipe.emit(("done", {"text": msg, "silent": True}))
        return Reply(text=msg, kind="upload", draft=self.draft, echoed=echo)

    async def _credits(self, pipe: _runner.EventPipe) -> Any:
        credits = await self.client.credits()
        pipe.emit(("credits", {"available": credits.available, "frozen": credits.frozen, "total": credits.total}))
        return credits

    async def _op_credits(self, pipe: _runner.EventPipe) -> pd.DataFrame:
        c = await self._credits(pipe)
        return credits_frame(self.backend.name, c.available, c.frozen, c.total)

    async def _op_timeline(self, pipe: _runner.EventPipe) -> Timeline:
        await self._refresh(pipe)
        return Timeline(self.draft.copy(), media_count=len(self.media))

    async def _op_tracks(self, pipe: _runner.EventPipe) -> pd.DataFrame:
        await self._refresh(pipe)
        return tracks_frame(self.draft)

    async def _op_renders(self, pipe: _runner.EventPipe, refresh: bool = True) -> pd.DataFrame:
        if refresh:
            for record in self.history.unfinished(self.backend.name):
                with contextlib.suppress(NemoError):
                    job = await self.client.render_status(record.id)
                    if job.status != record.status:
                        self._record_job(record, job)
        return renders_frame(self.history.all())

    async def _op_export(self, pipe: _runner.EventPipe, quality: str = "high") -> RenderResult:
        if quality not in QUALITIES:
            raise NemoError(f"Unknown quality {quality!r}", hint=f"Use one of: {', '.join(QUALITIES)}.")
        if self._job_id is not None:
            raise NemoError("An export is already running", hint="Wait for it, or cancel it first.")
        await self._refresh(pipe)
        if self.draft.is_empty:
            raise NemoError("The timeline is empty, so there is nothing to export",
                            hint="Upload photos and ask for a video first, e.g. "
                                 "\"turn these photos into a 30-second video\".")
        with self._busy(pipe, "rendering"):
            job = await self._with_session(pipe, lambda sid: self.client.start_export(sid, self.draft, quality=quality))
            record = self.history.add(RenderRecord(
                id=job.id, backend=self.backend.name, base_url=self.backend.base_url,
                session=self.session_id or "", status=job.status or protocol.RenderStatus.QUEUED,
                started=time.time(), quality=quality))
            return await self._follow(pipe, record)

    async def _follow(self, pipe: _runner.EventPipe, record: RenderRecord) -> RenderResult:
        """Wait for a render (reporting progress), then download it and record the result."""
        self._job_id = record.id
        state: dict[str, Any] = {"state": protocol.RenderStatus.QUEUED, "id": record.id, "fraction": 0.0,
                                 "eta_s": None, "quality": record.quality}
        pipe.emit(("render", dict(state)))

        def progress(job: RenderJob) -> None:
            p = job.progress or {}
            state.update(state=job.status if job.status in (protocol.RenderStatus.QUEUED,
                                                            protocol.RenderStatus.RUNNING) else state["state"],
                         fraction=float(p.get("fraction") or 0.0), eta_s=p.get("eta_s"))
            if job.status != record.status and not job.done:
                self._record_job(record, job)
            pipe.emit(("render", dict(state)))

        try:
            job = await self.client.wait_render(record.id, progress)
        except RenderFailed as err:
            final = await self._final_status(record.id)
            self.history.update(record.id, status=final, finished=time.time(), error=err.message)
            pipe.emit(("render", {**state, "state": final, "error": err.message, "hint": err.hint}))
            raise
        except asyncio.CancelledError:
            pipe.emit(("render", {**state, "state": "detached"}))
            raise
        finally:
            self._job_id = None
        path = await self.client.download(job.url or "", self._renders_dir() / f"{safe_name(record.id)}.mp4")
        os.chmod(path, 0o600)  # kept in the private data dir, like the engine's copy
        result = await asyncio.to_thread(
            RenderResult.from_file, record.id, path, url=job.url, backend=record.backend, session=record.session,
            quality=record.quality)
        finished = time.time()
        result.seconds = round(finished - record.started, 2) if record.started else None
        self.history.update(record.id, status=protocol.RenderStatus.COMPLETED, finished=finished, path=str(path),
                            url=job.url, size_bytes=result.size_bytes, width=result.width, height=result.height,
                            duration_s=result.duration_s)
        pipe.emit(("render", _completed_state(result)))
        return result

    async def _final_status(self, job_id: str) -> str:
        with contextlib.suppress(NemoError):
            job = await self.client.render_status(job_id)
            if job.done:
                return job.status
        return protocol.RenderStatus.FAILED

    def _record_job(self, record: RenderRecord, job: RenderJob) -> None:
        record.status = job.status
        self.history.update(record.id, status=job.status, url=job.url or record.url,
                            finished=time.time() if job.done else None, error=job.error)

    async def _op_cancel(self, pipe: _runner.EventPipe) -> None:
        job_id = self._job_id
        if job_id is None:
            raise NemoError("Nothing is being exported right now", hint="Start an export first.")
        try:
            await self.client.cancel_export(job_id)
        except NotSupportedError as err:
            raise NemoError("This backend cannot cancel a render",
                            hint=f"It keeps running; studio.attach({job_id!r}) fetches it later.") from err
        pipe.emit(("info", f"Cancelled the export {job_id}."))

    async def _op_attach(self, pipe: _runner.EventPipe, render_id: str | None = None) -> RenderResult:
        record = self.history.get(render_id) if render_id else None
        if render_id and record is None:
            raise NemoError(f"No render {render_id!r} in the history", hint="studio.sync.renders() lists them.")
        if record is None:
            pending = self.history.unfinished(self.backend.name)
            record = pending[-1] if pending else None
            if record is None:
                done = [r for r in self.history.all() if r.status == protocol.RenderStatus.COMPLETED]
                record = done[-1] if done else None
        if record is None:
            raise NemoError("There is no render to attach to", hint="Export first: studio.export().")
        if record.status == protocol.RenderStatus.COMPLETED and record.path and Path(record.path).is_file():
            result = await asyncio.to_thread(RenderResult.from_file, record.id, record.path, url=record.url,
                                             backend=record.backend, session=record.session, quality=record.quality)
            result.seconds = record.seconds
            pipe.emit(("render", _completed_state(result)))
            return result
        if record.backend != self.backend.name:
            raise NemoError(f"Render {record.id} ran on the {record.backend} backend, this Studio uses "
                            f"{self.backend.name}", hint=f"nemo_nb.connect(backend={record.backend!r}) attaches to it.")
        with self._busy(pipe, "rendering"):
            return await self._follow(pipe, record)

    async def _op_thumbnail(self, pipe: _runner.EventPipe, media_id: str) -> bytes | None:
        if media_id in self._thumbs:
            return self._thumbs[media_id]
        info = next((m for m in self.media if m.id == media_id), None)
        data: bytes | None = None
        if info is not None and info.thumbnail_url:
            with contextlib.suppress(NemoError):
                data = await self.client.fetch_bytes(info.thumbnail_url)
        local = self._local_files.get(media_id)
        if data is None and local is not None and (info is None or media_kind(info) == "photo"):
            data = await asyncio.to_thread(_local_thumbnail, local)
        if data is not None:
            self._thumbs[media_id] = data
        return data

    async def _op_close(self, pipe: _runner.EventPipe) -> None:
        await self.client.aclose()

    def _renders_dir(self) -> Path:
        return config.ensure_private_dir(config.data_dir() / "notebook" / "renders")

    def uploads_dir(self) -> Path:
        """Where files sent from the browser are kept (re-sent if the session has to be renewed)."""
        return config.data_dir() / "notebook" / "uploads" / safe_name(self.session_id or "pending")

    def remember_local(self, media_id: str, path: Path) -> None:
        self._local_files[media_id] = path

    # --- the public async API -------------------------------------------------------------------
    async def open(self) -> Studio:
        """Start the session (``connect`` does it for you)."""
        return await self._call(self._op_open, echo=False)

    async def upload(self, *items: str | Path, echo: bool | None = None) -> list[UploadedMedia]:
        """Add files from the kernel's file system (or http(s) URLs) to the session."""
        return await self._call(self._op_upload, list(items), echo=echo)

    async def ask(self, text: str, *, echo: bool | None = None) -> Reply:
        """Send a request to the agent; the answer streams into the cell. Shortcuts such as
        "export", "credits" or "status" run directly, without the agent."""
        return await self._call(self._op_ask, text, echo=echo)

    async def undo(self, *, echo: bool | None = None) -> Reply:
        """Undo the last edit."""
        return await self._call(self._op_ask, "undo", echo=echo)

    async def export(self, quality: str = "high", *, echo: bool | None = None) -> RenderResult:
        """Render the timeline to MP4 (``quality``: "high" or "preview"), download it, return it."""
        return await self._call(self._op_export, quality, echo=echo)

    async def cancel(self) -> None:
        """Cancel the running export."""
        return await self._call(self._op_cancel, echo=False)

    async def attach(self, render_id: str | None = None, *, echo: bool | None = None) -> RenderResult:
        """Re-attach to a render (default: the latest unfinished one, e.g. from before a kernel
        restart), wait for it and fetch the MP4."""
        return await self._call(self._op_attach, render_id, echo=echo)

    async def credits(self) -> pd.DataFrame:
        """The credit balance as a one-row DataFrame."""
        return await self._call(self._op_credits, echo=False)

    async def tracks(self) -> pd.DataFrame:
        """The timeline, one row per segment."""
        return await self._call(self._op_tracks, echo=False)

    async def renders(self) -> pd.DataFrame:
        """Every render in the history (this kernel's and earlier ones), oldest first."""
        return await self._call(self._op_renders, echo=False)

    async def timeline(self) -> Timeline:
        """The current timeline (``.summary``, ``.frame()``, ``.draft``)."""
        return await self._call(self._op_timeline, echo=False)

    status = timeline

    async def thumbnail(self, media_id: str) -> bytes | None:
        """A JPEG thumbnail of an uploaded photo (from the backend's thumbnail URL)."""
        return await self._call(self._op_thumbnail, media_id, echo=False)

    async def close(self) -> None:
        if not self._closed:
            await self._call(self._op_close, echo=False)
            self._closed = True

    # --- display --------------------------------------------------------------------------------
    def widget(self) -> Any:
        """The studio widget (made once; every display of it is a view of the same widget)."""
        if self._widget is None:
            from .widget import StudioWidget

            self._widget = StudioWidget(self)
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = repr(self)  # what a front end without widgets shows
        return bundle

    def __repr__(self) -> str:
        timeline = self.draft.summary() if self.draft.tracks else "empty timeline"
        return (f"<Studio backend={self.backend.label} session={self.session_id} "
                f"media={len(self.media)} · {timeline}>")


class BlockingStudio:
    """``studio.sync``: the blocking twins, for plain scripts and magics.

    In a notebook they block the cell until done (the work runs on nemo_nb's own loop, so this
    cannot deadlock); prefer ``await studio.ask(...)`` there to keep the kernel responsive.
    """

    def __init__(self, studio: Studio) -> None:
        self._s = studio

    def open(self) -> Studio:
        return self._s._call_sync(self._s._op_open, echo=False, what="studio.sync.open()")

    def upload(self, *items: str | Path, echo: bool | None = None) -> list[UploadedMedia]:
        return self._s._call_sync(self._s._op_upload, list(items), echo=echo, what="studio.sync.upload()")

    def ask(self, text: str, *, echo: bool | None = None) -> Reply:
        return self._s._call_sync(self._s._op_ask, text, echo=echo, what="studio.sync.ask()")

    def undo(self, *, echo: bool | None = None) -> Reply:
        return self._s._call_sync(self._s._op_ask, "undo", echo=echo, what="studio.sync.undo()")

    def export(self, quality: str = "high", *, echo: bool | None = None) -> RenderResult:
        return self._s._call_sync(self._s._op_export, quality, echo=echo, what="studio.sync.export()")

    def cancel(self) -> None:
        return self._s._call_sync(self._s._op_cancel, echo=False, what="studio.sync.cancel()")

    def attach(self, render_id: str | None = None, *, echo: bool | None = None) -> RenderResult:
        return self._s._call_sync(self._s._op_attach, render_id, echo=echo, what="studio.sync.attach()")

    def credits(self) -> pd.DataFrame:
        return self._s._call_sync(self._s._op_credits, echo=False, what="studio.sync.credits()")

    def tracks(self) -> pd.DataFrame:
        return self._s._call_sync(self._s._op_tracks, echo=False, what="studio.sync.tracks()")

    def renders(self) -> pd.DataFrame:
        return self._s._call_sync(self._s._op_renders, echo=False, what="studio.sync.renders()")

    def timeline(self) -> Timeline:
        return self._s._call_sync(self._s._op_timeline, echo=False, what="studio.sync.timeline()")

    status = timeline

    def thumbnail(self, media_id: str) -> bytes | None:
        return self._s._call_sync(self._s._op_thumbnail, media_id, echo=False, what="studio.sync.thumbnail()")

    def close(self) -> None:
        if not self._s._closed:
            self._s._call_sync(self._s._op_close, echo=False, what="studio.sync.close()")
            self._s._closed = True


def _progress_line(state: dict[str, Any], printed: int) -> tuple[str | None, int]:
    """A printed line per 25% of render progress, and at the end; returns (line, step printed)."""
    s = state.get("state")
    if s == "completed":
        return (f"Exported {state.get('name')}: {state.get('duration_s'):g} s, {state.get('width')}×"
                f"{state.get('height')}, {(state.get('size_bytes') or 0) / 1e6:.1f} MB"), -1
    if s in ("failed", "cancelled"):
        return f"Export {s}: {state.get('error') or ''}".rstrip(": "), -1
    if s == "running":
        step = int((state.get("fraction") or 0) * 4)
        if step <= printed:
            return None, printed
        eta = state.get("eta_s")
        left = f" · about {eta:.0f} s left" if isinstance(eta, (int, float)) and eta > 0 else ""
        return f"Rendering {100 * (state.get('fraction') or 0):.0f}%{left}", step
    return None, printed


def _ready_text(result: RenderResult) -> str:
    return f"Your video is ready: {result.name} ({result.duration_s:g} s, {result.width}×{result.height})."


def _completed_state(result: RenderResult) -> dict[str, Any]:
    return {"state": "completed", "id": result.id, "fraction": 1.0, "eta_s": 0, "name": result.name,
            "size_bytes": result.size_bytes, "width": result.width, "height": result.height,
            "duration_s": result.duration_s, "has_audio": result.has_audio, "seconds": result.seconds,
            "quality": result.quality}


def _refusal(refused: list[tuple[str | Path, NemoError]], added: int) -> NemoError:
    """One error for the files that could not be added, saying which and that the others were."""
    first = refused[0][1]
    if len(refused) == 1 and not added:
        return first
    kinds = {type(err) for _, err in refused}
    cls = kinds.pop() if len(kinds) == 1 else NemoError  # still catchable as UnsupportedFileError etc.
    others = f" The other {added} file(s) were added." if added else ""
    if len(refused) == 1:
        return cls(first.message, hint=f"{first.hint}{others}", code=first.code, status=first.status)
    names = ", ".join(str(item) if is_url(item) else Path(str(item)).name for item, _ in refused)
    reasons = " · ".join(err.message for _, err in refused)
    return cls(f"{len(refused)} files could not be added ({names}): {reasons}",
               hint=f"{first.hint}{others}", code=first.code, status=first.status)


def _has_scheme(item: object) -> bool:
    """``ftp://...``, ``s3://...``: left as typed, so the client can say which URLs it takes."""
    return isinstance(item, str) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", item) is not None


def _local_thumbnail(path: Path, size: tuple[int, int] = (320, 180)) -> bytes | None:
    """A JPEG thumbnail made here when the backend offers none (e.g. a lean cloud answer)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail(size)
            buf = io.BytesIO()
            im.convert("RGB").save(buf, format="JPEG", quality=80)
            return buf.getvalue()
    except (OSError, ValueError):
        return None


def connect(
    backend: str | None = None,
    base_url: str | None = None,
    token: str | None = None,
    language: str = "en",
    *,
    echo: bool = True,
) -> Studio:
    """Open a Studio: one editing session on the local engine (default without cloud settings)
    or the NemoVideo cloud. ``display(studio)`` shows the widget."""
    studio = Studio(resolve(backend, base_url, token), language=language, echo=echo)
    studio.sync.open()
    set_current(studio)
    return studio


_current: Studio | None = None


def current() -> Studio | None:
    """The Studio the ``%nemo`` magics use: the last one connected."""
    return _current if _current is not None and not _current._closed else None


def set_current(studio: Studio | None) -> None:
    global _current
    _current = studio


__all__ = ["SUGGESTIONS", "BlockingStudio", "Studio", "connect", "current", "error_payload", "set_current"]
