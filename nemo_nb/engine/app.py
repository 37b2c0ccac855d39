"""The engine's HTTP API: every endpoint of shared/PROTOCOL.md plus the local extensions.

Envelopes are ``{"code", "message", "data"}`` with the fields the seeds name at the top level
repeated there. Errors keep meaningful HTTP statuses (401 for 1001, 404 for 1002, 415 for 4001,
413 for 4002) and always carry the envelope, so a client may read either. It never refuses for
credits (no 2001): it only counts what the cloud would charge.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import formats, protocol
from ..draft import Draft
from ..protocol import ErrorCode, RenderStatus
from . import drafts, errors, photos, sse, turn, uploads, urlfetch
from .errors import EngineError
from .hosts import HostGuard
from .jobs import JobManager
from .settings import CREDITS_LABEL, EngineSettings, data_dir_id
from .store import SessionRow, Store, TokenRow

log = logging.getLogger("nemo_nb.engine")

#: A JSON body: a message plus a draft (drafts are bounded to drafts.MAX_DRAFT_BYTES).
MAX_JSON_BYTES = 4 * 1024 * 1024
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("nemo_nb")
    except Exception:
        return "0"


class Activity:
    """Requests in flight and the time of the last one: what the idle timeout looks at."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.last = time.monotonic()

    def idle_for(self) -> float:
        return 0.0 if self.in_flight else time.monotonic() - self.last


class ActivityMiddleware:
    def __init__(self, app: ASGIApp, activity: Activity) -> None:
        self.app = app
        self.activity = activity

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # A health check (a launcher looking for us, ``nemo-nb status``) does not keep the engine awake.
        if scope["type"] != "http" or scope.get("path") == protocol.PATH_HEALTH:
            await self.app(scope, receive, send)
            return
        self.activity.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.activity.in_flight -= 1
            self.activity.last = time.monotonic()


# --- helpers --------------------------------------------------------------------------------------

def ok(data: dict[str, Any], top: dict[str, Any] | None = None, message: str = "ok") -> JSONResponse:
    return JSONResponse(protocol.envelope(data, top=top, message=message))


def fail(exc: EngineError) -> JSONResponse:
    return JSONResponse(protocol.envelope(exc.data, code=exc.code, message=exc.message),
                        status_code=exc.status, headers=exc.headers)


async def read_json(request: Request, limit: int = MAX_JSON_BYTES) -> Any:
    """The JSON body, read with a size cap (never an unbounded read), bounded depth and finite numbers."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise errors.bad_request(f"The request body is larger than {limit // (1024 * 1024)} MB.", 413, 413)
    if not body.strip():
        return {}
    return drafts.loads(bytes(body))


def field(body: dict[str, Any], snake: str, default: Any = None) -> Any:
    """A request field by its snake_case or camelCase name (both are accepted)."""
    if snake in body:
        return body[snake]
    head, *rest = snake.split("_")
    camel = head + "".join(w.capitalize() for w in rest)
    return body.get(camel, default)


def _lower_priority() -> None:
    """Background preparation yields the CPU to requests and renders (Linux: per thread)."""
    with contextlib.suppress(OSError, AttributeError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + 10)


class Engine:
    """The routes, bound to one store, job manager and settings."""

    def __init__(self, store: Store, settings: EngineSettings) -> None:
        self.store = store
        self.settings = settings
        self.jobs = JobManager(store, settings)
        self.activity = Activity()
        self.started = time.time()
        # New photos are prepared for previews in the background (one at a time, at low priority),
        # so even the first preview with them skips their decode (see nemo_nb/render/prepared.py).
        self._prepare = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare", initializer=_lower_priority)

    def close(self) -> None:
        self._prepare.shutdown(wait=False, cancel_futures=True)
        self.jobs.shutdown()

    def prepare_uploads(self, session_id: str, rows: list[dict[str, Any]]) -> None:
        """Queue the uploaded photos for preparation at the size of the session's current draft."""
        rows = [r for r in rows if r.get("kind") == "photo" and r.get("file")]
        if not rows:
            return
        width, height = Draft.from_json(self.store.head(session_id).draft).size
        for r in rows:
            self._prepare.submit(photos.prepare, self.store.media_dir / r["file"], width, height)

    def prepare_draft(self, session_id: str) -> None:
        """Queue the session's current draft for its first preview (see :mod:`.previews`)."""
        from .previews import prepare_draft

        media = {m["id"]: str(self.store.media_dir / m["file"]) for m in self.store.list_media(session_id)}
        self._prepare.submit(prepare_draft, self.store.head(session_id).draft, media)

    # --- auth --------------------------------------------------------------------------------------
    def auth(self, request: Request) -> TokenRow:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise EngineError(ErrorCode.TOKEN_INVALID,
                              "Missing token: send Authorization: Bearer <token> (get one at POST "
                              f"{protocol.PATH_ANON_TOKEN}).", status=401)
        return self.store.authenticate(token.strip())

    def session(self, session_id: str, token: TokenRow) -> SessionRow:
        return self.store.get_session(session_id, token.client_id)

    def base(self, request: Request) -> str:
        return str(request.base_url).rstrip("/")

    # --- state views ---------------------------------------------------------------------------------
    def video_info(self, request: Request, row: dict[str, Any]) -> dict[str, Any]:
        base = self.base(request)
        thumb = f"{base}/files/media/{row['file_key']}/thumbnail.jpg"
        return {"id": row["id"], "name": row["name"], "type": row["kind"], "format": row["format"],
                "width": row["width"], "height": row["height"], "duration_ms": row["duration_ms"],
                "size_bytes": row["size_bytes"], "url": f"{base}/files/media/{row['file_key']}",
                "thumbnail_url": thumb}

    def output_url(self, request: Request, job: dict[str, Any]) -> str | None:
        if job["status"] != RenderStatus.COMPLETED or not job["file_key"]:
            return None
        name = _SAFE.sub("_", turn.public_job_id(job["id"]))[:80] or "render"
        return f"{self.base(request)}/files/renders/{job['file_key']}/{name}.mp4"

    def job_view(self, request: Request, job: dict[str, Any]) -> dict[str, Any]:
        status = job["status"]
        live = self.jobs.progress(job["id"]) if status == RenderStatus.RUNNING else None
        if status == RenderStatus.COMPLETED:
            total = job["frames_total"]
            progress = {"fraction": 1.0, "frames_done": total, "frames_total": total, "eta_s": 0.0}
        elif live:
            progress = {"fraction": float(live.get("fraction") or 0.0), "frames_done": live.get("frames_done"),
                        "frames_total": live.get("frames_total"), "eta_s": live.get("eta_s")}
        else:
            progress = {"fraction": 0.0, "frames_done": job["frames_done"] or 0, "frames_total": job["frames_total"],
                        "eta_s": None}
        view: dict[str, Any] = {"id": turn.public_job_id(job["id"]), "session_id": job["session_id"], "status": status,
                                "progress": progress, "quality": job["quality"], "created_at": job["created_at"],
                                "started_at": job["started_at"], "finished_at": job["finished_at"]}
        if status not in RenderStatus.TERMINAL:
            view["poll_interval_s"] = self.settings.poll_interval_s
        url = self.output_url(request, job)
        if url:
            view["output"] = {"format": job["format"], "url": url, "width": job["width"], "height": job["height"],
                              "duration_ms": job["duration_ms"], "size_bytes": job["size_bytes"]}
            if self.settings.is_loopback:  # a client on this machine links the file: one copy on disk
                view["output"]["path"] = str(self.store.renders_dir / job["file"])
        if job["error"]:
            view["error"] = job["error"]
        return view

    def state(self, request: Request, session: SessionRow) -> dict[str, Any]:
        head = self.store.head(session.id)
        generated = []
        for job in self.store.session_jobs(session.id):
            item = {"id": turn.public_job_id(job["id"]), "status": job["status"], "type": "video", "format": job["format"],
                    "quality": job["quality"], "url": self.output_url(request, job), "width": job["width"],
                    "height": job["height"], "duration_ms": job["duration_ms"], "size_bytes": job["size_bytes"],
                    "created_at": job["created_at"]}
            if job["error"]:
                item["error"] = job["error"]
            generated.append(item)
        return {"draft": head.draft,
                "video_infos": [self.video_info(request, m) for m in self.store.list_media(session.id)],
                "generated_media": generated, "revision": head.rev, "can_undo": head.can_undo,
                "can_redo": head.can_redo}

    # --- endpoints -----------------------------------------------------------------------------------
    async def health(self, request: Request) -> Response:
        """Liveness for anyone; where the data lives and the pid only for a token holder."""
        data: dict[str, Any] = {"status": "ok", "version": _version(), "data_dir_id": data_dir_id(self.store.dir),
                                "uptime_s": round(time.time() - self.started, 1), "active_jobs": self.jobs.active,
                                "idle_s": round(self.activity.idle_for(), 1)}
        with contextlib.suppress(EngineError):
            if request.headers.get("authorization") and self.auth(request):
                data.update(pid=os.getpid(), data_dir=str(self.store.dir))
        return ok(data, top={"status": "ok"})

    async def anonymous_token(self, request: Request) -> Response:
        client_id = request.headers.get(protocol.HEADER_CLIENT_ID, "").strip()
        if not client_id:
            raise errors.bad_request(f"Missing {protocol.HEADER_CLIENT_ID} header: generate a UUID, keep it, "
                                     "and send it to get an anonymous token.")
        if len(client_id) > 200:
            raise errors.bad_request(f"{protocol.HEADER_CLIENT_ID} is too long (use a UUID).")
        s = self.settings
        token = self.store.issue_token(client_id, ttl_s=s.token_ttl_s, window_s=s.token_window_s,
                                       per_window=s.tokens_per_window, credits=s.anon_credits)
        expires = int(time.time() + s.token_ttl_s)
        data = {"token": token, "credits": s.anon_credits, "expires_at": expires, "expires_in": int(s.token_ttl_s)}
        return ok(data)

    async def create_session(self, request: Request) -> Response:
        token = self.auth(request)
        body = await read_json(request)
        if not isinstance(body, dict):
            raise errors.bad_request('The body must be a JSON object like {"task_name": "project", "language": "en"}.')
        name = field(body, "task_name")
        language = field(body, "language")
        session = self.store.create_session(token.client_id, None if name is None else str(name)[:200],
                                            None if language is None else str(language)[:20], Draft().to_json())
        data = {"session_id": session.id, "task_id": session.task_id, "task_name": session.name,
                "language": session.language}
        return ok(data, top={"session_id": session.id, "task_id": session.task_id})

    async def credits(self, request: Request) -> Response:
        token = self.auth(request)
        balance = {**self.store.credits(token.id), "limit": CREDITS_LABEL}
        return ok(balance, top=dict(balance))

    async def get_state(self, request: Request) -> Response:
        token = self.auth(request)
        session = self.session(request.path_params["session_id"], token)
        state = self.state(request, session)
        data = {"session_id": session.id, "task_id": session.task_id, "state": state, "revision": state["revision"],
                "can_undo": state["can_undo"], "can_redo": state["can_redo"]}
        return ok(data, top={"session_id": session.id, "task_id": session.task_id})

    async def upload(self, request: Request) -> Response:
        try:
            token = self.auth(request)
            session = self.session(request.path_params["session_id"], token)
        except EngineError:
            await _drain(request, self.settings.max_drain_bytes)
            raise
        ctype = request.headers.get("content-type", "")
        if ctype.lower().startswith("multipart/"):
            staged = await uploads.receive_multipart(request.stream(), ctype, self.store, self.settings)
        elif "json" in ctype.lower() or not ctype:
            staged = await self._fetch_urls(await read_json(request, 1024 * 1024))
        else:
            await _drain(request, self.settings.max_drain_bytes)
            raise errors.bad_request("Send files as multipart/form-data (files=@path) or JSON "
                                     '{"urls": ["<url>"], "source_type": "url"}.', 415, 415)
        try:
            await uploads.validate(staged, photos.probe_upload)
            rows = await asyncio.to_thread(uploads.commit, self.store, session.id, staged)
        finally:
            uploads.discard_all(staged)
        self.prepare_uploads(session.id, rows)
        infos = [self.video_info(request, r) for r in rows]
        return ok({"session_id": session.id, "video_infos": infos, "files": infos},
                  top={"video_infos": infos}, message=f"{len(infos)} file(s) uploaded")

    async def _fetch_urls(self, body: Any) -> list[uploads.Staged]:
        urls = body.get("urls") if isinstance(body, dict) else None
        if isinstance(urls, str):
            urls = [urls]
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) for u in urls):
            raise errors.bad_request('Send {"urls": ["https://..."], "source_type": "url"} with at least one URL.')
        if len(urls) > 20:
            raise errors.bad_request("At most 20 URLs per upload.")
        staged: list[uploads.Staged] = []
        try:
            for url in urls:
                staged.append(await urlfetch.fetch(url.strip(), self.store, self.settings))
        except BaseException:
            uploads.discard_all(staged)
            raise
        return staged

    async def run_sse(self, request: Request) -> Response:
        try:
            body = await read_json(request)
        except EngineError as exc:
            if exc.data.get("reason") != "invalid_json":  # too large, too deep, NaN: say so (400/413)
                raise
            return _adk_422("body", "Input should be a valid JSON object")
        problems = _adk_validate(body)
        if problems:
            return JSONResponse({"detail": problems}, status_code=422)
        token = self.auth(request)
        sid = str(field(body, "session_id"))
        try:
            session = self.session(sid, token)
        except EngineError:
            return JSONResponse({"detail": f"Session not found: {sid}"}, status_code=404)
        message = field(body, "new_message")
        text = "".join(p.get("text") or "" for p in message.get("parts") or [] if isinstance(p, dict)
                       and not p.get("thought")).strip()
        writer = sse.EventWriter(streaming=bool(field(body, "streaming", False)))
        head_rev = self.store.head(session.id).rev
        delta = field(body, "state_delta")
        if isinstance(delta, dict) and delta.get("draft") is not None:
            draft = turn.checked_draft(self.store, session, delta["draft"])
            if draft != self.store.head(session.id).draft:
                self.store.commit_draft(session.id, draft, expected_head=None, source="client")
        too_long = turn.too_long_answer(text)
        if not text:
            events = writer.model_turn("Tell me what to make, e.g. \"turn these photos into a 30-second video "
                                       "with transitions and background music\".")
        elif too_long:  # the agent never reads it: free, instant, and the engine stays responsive
            events = writer.model_turn(too_long)
        else:
            try:
                result = await asyncio.to_thread(turn.run_turn, text, store=self.store, jobs=self.jobs,
                                                 settings=self.settings, session=session, token=token, writer=writer)
            except EngineError:
                raise
            except Exception as exc:  # as ADK does: the agent failed inside the run → an error event
                log.exception("agent turn failed")
                events = [writer.error(exc)]
            else:
                events = result.events
                if self.store.head(session.id).rev != head_rev:
                    self.prepare_draft(session.id)
        return sse.sse_response(iter([sse.frame(e) for e in events]))

    async def render(self, request: Request) -> Response:
        token = self.auth(request)
        missing = [h for h in protocol.ATTRIBUTION_HEADERS if not request.headers.get(h, "").strip()]
        if missing:
            raise errors.bad_request(f"Export blocked: missing {', '.join(missing)}. Register or upgrade your plan "
                                     "to unlock export (send the attribution headers).", 402, 402)
        body = await read_json(request)
        if not isinstance(body, dict):
            raise errors.bad_request("The body must be a JSON object.")
        sid = field(body, "session_id") or body.get("sessionId")
        if not sid:
            raise errors.bad_request('Missing "sessionId": the session whose draft to render.')
        session = self.session(str(sid), token)
        output = body.get("output") if isinstance(body.get("output"), dict) else {}
        quality = str(output.get("quality") or "high")
        fmt = str(output.get("format") or "mp4").lower()
        problem = protocol.quality_problem(quality)
        if problem:
            raise errors.bad_request(f"output.quality: {problem}")
        if fmt != "mp4":
            raise errors.bad_request(f'output.format must be "mp4" (got {fmt!r}).')
        job_id = body.get("id")
        if job_id is not None and (not isinstance(job_id, str) or not turn.JOB_ID.fullmatch(job_id)):
            raise errors.bad_request('"id" must be 1 to 128 letters, digits, "_", "-", "." or ":" (no "/"), '
                                     'e.g. "render_<timestamp>".')
        draft = body.get("draft")
        if isinstance(draft, str):
            draft = drafts.loads(draft, max_depth=drafts.MAX_DRAFT_DEPTH, what='"draft"')
        if draft is None:
            draft = self.store.head(session.id).draft
        row = turn.start_render(self.store, self.jobs, self.settings, session, token, draft,
                                job_id=job_id, quality=quality)
        view = self.job_view(request, row)
        return ok(view, top={"id": view["id"], "status": row["status"]}, message="render queued")

    async def render_status(self, request: Request) -> Response:
        token = self.auth(request)
        job = self._job(request, token)
        view = self.job_view(request, job)
        top = {"id": view["id"], "status": view["status"], "progress": view["progress"]}
        if "output" in view:
            top["output"] = view["output"]
        if "error" in view:
            top["error"] = view["error"]
        return ok(view, top=top)

    async def render_cancel(self, request: Request) -> Response:
        token = self.auth(request)
        job = self._job(request, token)
        if job["status"] not in RenderStatus.TERMINAL:
            if not self.jobs.cancel(job["id"]):
                self.store.finish_job(job["id"], RenderStatus.CANCELLED, error="cancelled")
            for _ in range(50):  # a queued job closes at once; a running one within a moment
                job = self.store.get_job(job["id"]) or job
                if job["status"] in RenderStatus.TERMINAL:
                    break
                await asyncio.sleep(0.1)
        view = self.job_view(request, job)
        return ok(view, top={"id": view["id"], "status": view["status"]})

    def _job(self, request: Request, token: TokenRow) -> dict[str, Any]:
        job_id = request.path_params["job_id"]
        job = self.store.get_job(turn.scoped_job_id(token.client_id, job_id)) if turn.JOB_ID.fullmatch(job_id) else None
        if job is None and "/" not in job_id:  # a job stored before ids were scoped per user
            job = self.store.get_job(job_id)
        if job is None or job["owner"] != token.client_id:
            raise errors.bad_request(f"Render job not found: {job_id}. Start an export first.", 404, 404)
        return job

    async def media_file(self, request: Request) -> Response:
        row = self.store.media_by_key(request.path_params["key"])
        if row is None:
            return JSONResponse(protocol.envelope(code=404, message="Not found"), status_code=404)
        return FileResponse(self.store.media_dir / row["file"], media_type=formats.MIME_TYPES.get(row["format"]),
                            filename=row["name"], content_disposition_type="inline")

    async def media_thumbnail(self, request: Request) -> Response:
        row = self.store.media_by_key(request.path_params["key"])
        if row is None:
            return JSONResponse(protocol.envelope(code=404, message="Not found"), status_code=404)
        thumb = self.store.media_dir / f"{row['id']}.thumb.jpg"
        if not thumb.exists():
            try:
                data = await asyncio.to_thread(photos.thumbnail, self.store.media_dir / row["file"])
            except Exception as exc:
                log.warning("thumbnail of %s failed: %s", row["id"], exc)
                return JSONResponse(protocol.envelope(code=404, message="No thumbnail"), status_code=404)
            tmp = thumb.with_name(f".{thumb.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, thumb)
        return FileResponse(thumb, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})

    async def render_file(self, request: Request) -> Response:
        job = self.store.job_by_key(request.path_params["key"])
        if job is None or not job["file"]:
            return JSONResponse(protocol.envelope(code=404, message="Not found"), status_code=404)
        return FileResponse(self.store.renders_dir / job["file"], media_type="video/mp4",
                            filename=request.path_params["name"], content_disposition_type="inline")


async def _drain(request: Request, limit: int) -> None:
    seen = 0
    with contextlib.suppress(Exception):
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > limit:
                return


def _adk_422(where: str, msg: str, typ: str = "model_attributes_type") -> JSONResponse:
    return JSONResponse({"detail": [{"type": typ, "loc": [where], "msg": msg}]}, status_code=422)


def _adk_validate(body: Any) -> list[dict[str, Any]]:
    """FastAPI-style 422 details for a /run_sse body missing what ADK's RunAgentRequest requires."""
    if not isinstance(body, dict):
        return [{"type": "model_attributes_type", "loc": ["body"], "msg": "Input should be a valid dictionary"}]
    problems = []
    for name in ("app_name", "user_id", "session_id", "new_message"):
        value = field(body, name)
        if value is None:
            problems.append({"type": "missing", "loc": ["body", name], "msg": "Field required"})
        elif name == "new_message" and not isinstance(value, dict):
            problems.append({"type": "model_attributes_type", "loc": ["body", name],
                             "msg": "Input should be a valid dictionary or object to extract fields from"})
        elif name != "new_message" and not isinstance(value, str):
            problems.append({"type": "string_type", "loc": ["body", name], "msg": "Input should be a valid string"})
    message = field(body, "new_message")
    if isinstance(message, dict) and message.get("parts") is not None and not isinstance(message.get("parts"), list):
        problems.append({"type": "list_type", "loc": ["body", "new_message", "parts"],
                         "msg": "Input should be a valid list"})
    return problems


def _wrap(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
    """Envelope errors for a route; an unexpected exception is a 500 envelope without internals."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except EngineError as exc:
            return fail(exc)
        except ClientDisconnect:  # the client went away mid-body; what it sent was already discarded
            log.info("%s %s: client disconnected", request.method, request.url.path)
            return Response(status_code=400)
        except Exception:
            log.exception("%s %s failed", request.method, request.url.path)
            return fail(EngineError(500, "The engine hit an internal error; the request did not change anything. "
                                         "Try again, and report it if it persists.", status=500))

    return endpoint


def create_app(store_dir: Path | None = None, settings: EngineSettings | None = None,
               on_ready: Callable[[Engine], None] | None = None) -> Starlette:
    """The ASGI app over the store in ``store_dir`` (default: ``settings.data_dir``)."""
    settings = settings or EngineSettings()
    if store_dir is not None:
        settings.data_dir = Path(store_dir)
    store = Store(settings.data_dir)
    recovered = store.recover_jobs()
    if recovered:
        log.warning("%d render job(s) interrupted by a restart were marked failed", len(recovered))
    store.cleanup_files()
    store.prune_renders(max_bytes=settings.renders_max_bytes, max_age_s=settings.renders_max_age_s)
    engine = Engine(store, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await asyncio.to_thread(engine.close)
            store.close()

    p = protocol
    routes = [
        Route(p.PATH_HEALTH, _wrap(engine.health), methods=["GET"]),
        Route(p.PATH_ANON_TOKEN, _wrap(engine.anonymous_token), methods=["POST"]),
        Route(p.PATH_CREATE_SESSION, _wrap(engine.create_session), methods=["POST"]),
        Route(p.PATH_RUN_SSE, _wrap(engine.run_sse), methods=["POST"]),
        Route(p.PATH_UPLOAD.replace("{session_id}", "{session_id:str}"), _wrap(engine.upload), methods=["POST"]),
        Route(p.PATH_CREDITS, _wrap(engine.credits), methods=["GET"]),
        Route(p.PATH_STATE.replace("{session_id}", "{session_id:str}"), _wrap(engine.get_state), methods=["GET"]),
        Route(p.PATH_RENDER, _wrap(engine.render), methods=["POST"]),
        Route(p.PATH_RENDER_STATUS.replace("{job_id}", "{job_id:str}"), _wrap(engine.render_status), methods=["GET"]),
        Route(p.PATH_RENDER_CANCEL.replace("{job_id}", "{job_id:str}"), _wrap(engine.render_cancel),
              methods=["POST"]),
        Route("/files/media/{key:str}", _wrap(engine.media_file), methods=["GET", "HEAD"]),
        Route("/files/media/{key:str}/thumbnail.jpg", _wrap(engine.media_thumbnail), methods=["GET", "HEAD"]),
        Route("/files/renders/{key:str}/{name:str}", _wrap(engine.render_file), methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(ActivityMiddleware, activity=engine.activity)
    app.add_middleware(HostGuard, settings=settings)  # outermost: refuses foreign hosts before any route
    app.state.engine = engine
    if on_ready:
        on_ready(engine)
    return app
