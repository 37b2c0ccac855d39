"""``NemoClient``: the async client for the whole NemoVideo protocol (shared/PROTOCOL.md).

One client speaks to either backend (the cloud or the embedded engine). It owns auth (NEMO_TOKEN
or an anonymous token tied to a persistent client id) and turns every failure into a typed
:class:`NemoError` whose message a notebook user can act on. Every HTTP request goes through one
retry policy (``_retry.py``: 429 with Retry-After, 1001 token refresh, new client id, transient
network errors with backoff). The token is never logged, shown in a repr, or put into an exception
message.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from httpx_sse import EventSource

from .. import protocol
from ..draft import Draft
from ..netloc import is_loopback_url
from . import _http
from . import errors as E
from ._auth import TokenStore
from ._retry import RetryPolicy, send_with_retries
from .events import AdkStreamParser, Done, Event, StillWorking
from .local import link_local_output
from .models import Credits, RenderJob, Session, SessionState, UploadedMedia
from .upload import LocalFile, MultipartFile, ProgressFn, check_file, is_url

log = logging.getLogger("nemo_nb.client")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class NemoClient:
    """Async client. Use as ``async with NemoClient() as client: ...``.

    ``base_url``: env ``NEMO_BASE_URL``, else the cloud. ``token``: env ``NEMO_TOKEN`` (unless
    ``env_token=False``, as for the local engine, which must never see a cloud credential; by
    default a server on this machine's loopback gets it only when ``NEMO_BASE_URL`` names it), else a
    stored anonymous token for this base URL (or ``token_key``) and client id, else a new one (client
    id kept in the config dir). A configured token the server refuses is reported, never replaced.

    ``retry``: the :class:`RetryPolicy` (``rate_limit_wait`` overrides its 429 wait when the server
    sends no Retry-After). ``poll_interval``: seconds between render polls (default: what the
    server says, else the seeds' 30 s).
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        client_id: str | None = None,
        config_dir: str | os.PathLike[str] | None = None,
        language: str = "en",
        rate_limit_wait: float | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float | None = None,
        still_working_after: float = float(protocol.STILL_WORKING_SECONDS),
        stream_cap: float = float(protocol.SSE_MAX_SECONDS),
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        env_token: bool | None = None,
        token_key: str | None = None,
    ) -> None:
        self.base_url = (base_url or os.environ.get("NEMO_BASE_URL") or protocol.CLOUD_BASE_URL).rstrip("/")
        #: Where the anonymous token is filed in the auth file: the base URL unless told otherwise
        #: (the background engine changes port on every start but keeps its tokens).
        self.token_key = token_key or self.base_url
        self.language = language
        policy = retry or RetryPolicy()
        if rate_limit_wait is not None:
            policy = dataclasses.replace(policy, rate_limit_wait=float(rate_limit_wait))
        self.retry = policy
        self.poll_interval = poll_interval
        self.still_working_after = float(still_working_after)
        self.stream_cap = float(stream_cap)
        self._store = TokenStore(Path(config_dir) if config_dir else None)
        self._client_id_override = client_id
        if token:
            self._token, self.token_source = token, "explicit"
        elif _env_token_allowed(env_token, self.base_url) and os.environ.get("NEMO_TOKEN"):
            self._token, self.token_source = os.environ["NEMO_TOKEN"], "env"
        else:
            self._token, self.token_source = self._store.token(self.token_key, self.client_id), "anonymous"
        self._old_tokens: list[str] = []
        self._auth_lock = asyncio.Lock()
        self._sessions: dict[str, Session] = {}  # what create-session said (for the 2001 bind link)
        base_timeout = timeout if timeout is not None else DEFAULT_TIMEOUT
        self._timeout = base_timeout if isinstance(base_timeout, httpx.Timeout) else httpx.Timeout(base_timeout)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=self._timeout,
            transport=transport,
            headers=_http.attribution_headers(),
            follow_redirects=True,
        )

    # --- identity ------------------------------------------------------------------------------
    @property
    def backend_name(self) -> str:
        """``local`` when the server is on this machine's loopback, else ``cloud``."""
        return "local" if is_loopback_url(self.base_url) else "cloud"

    @property
    def client_id(self) -> str:
        return self._client_id_override or self._store.client_id()

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    def __repr__(self) -> str:
        state = "set" if self._token else "none yet"
        return f"NemoClient(base_url={self.base_url!r}, backend={self.backend_name!r}, token={self.token_source}:{state})"

    async def __aenter__(self) -> NemoClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- auth ----------------------------------------------------------------------------------
    def _secrets(self) -> tuple[str, ...]:
        return tuple(t for t in (self._token, *self._old_tokens) if t)

    def _redacted(self, err: E.NemoError) -> E.NemoError:
        secrets = self._secrets()
        err.message = E.redact(err.message, secrets)
        err.hint = E.redact(err.hint, secrets)
        err.args = (str(err),)
        return err

    async def _anonymous_token(self) -> str:
        """POST the anonymous-token request (through the retry policy: 400 → new client id, 429)."""

        async def attempt() -> str:
            response = await self._send_raw("POST", protocol.PATH_ANON_TOKEN,
                                            headers={protocol.HEADER_CLIENT_ID: self.client_id})
            body = _http.decode(response)
            err = _http.error_for(response, body, self._secrets())
            if err is not None:
                raise self._redacted(err)
            token = protocol.pick(body, "token", "access_token")
            if not isinstance(token, str) or not token:
                raise E.TokenInvalidError("The server did not return an anonymous token",
                                          hint="Set NEMO_TOKEN, or try again later.")
            return token

        return await send_with_retries(attempt, self.retry, idempotent=False, recover=self._recover)

    async def _recover(self, step: str) -> None:
        """A recovery step the retry policy asked for before the next attempt."""
        if step == "refresh_token":
            await self._ensure_token(refresh=True)
        elif step == "new_client_id":
            self._client_id_override = None
            self._store.new_client_id()
            log.info("nemo_nb: the server wanted a new client id; generated one")

    async def _ensure_token(self, refresh: bool = False) -> str:
        async with self._auth_lock:
            if self._token and not refresh:
                return self._token
            stale = self._token
            if refresh and stale:
                self._old_tokens.append(stale)
                if self.token_source != "anonymous":
                    raise self._refused_token()
                self._store.forget_token(self.token_key)
            token = await self._anonymous_token()
            self._token, self.token_source = token, "anonymous"
            self._store.set_token(self.token_key, token, self.client_id)
            return token

    def _refused_token(self) -> E.TokenInvalidError:
        """A token the user configured was refused: say so, and what to do (never swap it)."""
        if self.token_source == "env":
            return E.TokenInvalidError(
                f"{urlsplit(self.base_url).netloc} refused the token in NEMO_TOKEN (invalid or expired)",
                hint="Set NEMO_TOKEN to a current token from your NemoVideo account, or unset it to use a "
                     "free anonymous token (100 credits).")
        return E.TokenInvalidError(
            f"{urlsplit(self.base_url).netloc} refused the token you passed (invalid or expired)",
            hint="Pass a current token from your NemoVideo account, or none to use a free anonymous token.")

    # --- requests ------------------------------------------------------------------------------
    async def _send_raw(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        stream: bool = False,
        timeout: httpx.Timeout | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """One HTTP exchange; transport failures become NemoConnectionError / NemoTimeoutError."""
        request = self._http.build_request(method, url, headers=headers, timeout=timeout or self._timeout, **kwargs)
        try:
            response = await self._http.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            raise E.NemoTimeoutError(f"{self.base_url} did not answer {method} {request.url.path} in time") from exc
        except httpx.TransportError as exc:
            raise E.NemoConnectionError(f"Could not reach {self.base_url} ({type(exc).__name__})") from exc
        log.debug("nemo_nb: %s %s → %s", method, request.url.path, response.status_code)
        return response

    async def _authed(
        self,
        method: str,
        path: str,
        *,
        session_id: str | None = None,
        stream: bool = False,
        body_factory: Callable[[], dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
        conflict: bool = False,
        **kwargs: Any,
    ) -> tuple[httpx.Response, Any]:
        """An authenticated request, through the retry policy (``_retry.py``).

        ``body_factory`` gives fresh request kwargs per attempt (a streamed upload body can only
        be sent once; a render gets a new id). ``conflict``: an HTTP 409 is retried with the next
        body. With ``stream=True`` a successful response is returned unread.
        """
        extra_headers = dict(headers or {})

        async def attempt() -> tuple[httpx.Response, Any]:
            token = await self._ensure_token()
            hdrs = {"Authorization": f"Bearer {token}", **extra_headers}
            req_kwargs = dict(kwargs)
            if body_factory is not None:
                req_kwargs.update(body_factory())
                hdrs.update(req_kwargs.pop("headers", {}) or {})
            response = await self._send_raw(method, path, headers=hdrs, stream=stream, timeout=timeout, **req_kwargs)
            is_json = response.headers.get("content-type", "").startswith("application/json")
            if stream and response.status_code < 400 and not is_json:
                return response, None
            if stream:
                # An error, or a JSON envelope (which may carry an error code even with HTTP 200).
                await response.aread()
                await response.aclose()
            body = _http.decode(response)
            err = _http.error_for(response, body, self._secrets())
            if err is None:
                return response, body
            if isinstance(err, E.NoCreditsError):
                err = await self._no_credits(err, session_id)
            raise self._redacted(err)

        async def recover(step: str) -> None:
            await self._recover(step)
            if step == "new_client_id":
                extra_headers[protocol.HEADER_CLIENT_ID] = self.client_id

        return await send_with_retries(attempt, self.retry, idempotent=method in ("GET", "HEAD"),
                                       recover=recover, conflict=conflict)

    async def _no_credits(self, err: E.NoCreditsError, session_id: str | None) -> E.NoCreditsError:
        """2001: anonymous users get the registration link bound to their work; others top up."""
        if self.token_source != "anonymous":
            return E.NoCreditsError(err.message, status=err.status)
        return E.NoCreditsError(err.message, register_url=f"{protocol.REGISTER_URL}?bind={await self._bind_id(session_id)}",
                                status=err.status)

    async def _bind_id(self, session_id: str | None) -> str:
        """The ``bind_id`` create-session or the state gave; only without one, the task, session or
        client id."""
        created = self._sessions.get(session_id or "")
        state: SessionState | None = None
        if not (created and created.bind_id) and session_id:
            with contextlib.suppress(E.NemoError):
                state = await self.state(session_id)
        bind = (created.bind_id if created else None) or (state.bind_id if state else None)
        fallback = (created.task_id if created else None) or (state.task_id if state else None)
        return bind or fallback or session_id or self.client_id

    def _resolve(self, url: str) -> str:
        return urljoin(self.base_url + "/", url)

    def _same_origin(self, url: str) -> bool:
        a, b = urlsplit(url), urlsplit(self.base_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    # --- sessions ------------------------------------------------------------------------------
    async def create_session(self, language: str | None = None) -> Session:
        """A new editing session (and its task)."""
        _, body = await self._authed(
            "POST", protocol.PATH_CREATE_SESSION,
            json={"task_name": "project", "language": language or self.language},
        )
        session = Session.from_response(body)
        self._sessions[session.session_id] = session
        return session

    # --- upload --------------------------------------------------------------------------------
    async def upload(
        self, session_id: str, *items: str | os.PathLike[str], progress: ProgressFn | None = None
    ) -> list[UploadedMedia]:
        """Upload files (streamed from disk) and/or http(s) URLs. Every file is checked first."""
        if not items:
            raise E.ValidationError("Nothing to upload", hint="Pass one or more file paths or URLs.")
        path = protocol.PATH_UPLOAD.format(session_id=session_id)
        urls = [str(i) for i in items if is_url(i)]
        files = [check_file(i) for i in items if not is_url(i)]  # all checks before any byte is sent
        results: list[UploadedMedia] = []
        for local in files:
            results.extend(await self._upload_file(session_id, path, local, progress))
        if urls:
            _, body = await self._authed("POST", path, session_id=session_id,
                                         json={"urls": urls, "source_type": "url"},
                                         timeout=httpx.Timeout(300.0, connect=10.0))
            results.extend(_media_list(body, urls))
        return results

    async def _upload_file(
        self, session_id: str, path: str, local: LocalFile, progress: ProgressFn | None
    ) -> list[UploadedMedia]:
        def body() -> dict[str, Any]:
            part = MultipartFile(local, progress=progress)
            return {"content": part.stream(), "headers": part.headers()}

        _, resp = await self._authed("POST", path, session_id=session_id, body_factory=body,
                                     timeout=httpx.Timeout(300.0, connect=10.0))
        return _media_list(resp, [local.name])

    # --- the agent -----------------------------------------------------------------------------
    async def send(self, session_id: str, text: str) -> AsyncIterator[Event]:
        """Send one message; yield TextDelta / ToolCall / ToolResult / StillWorking, then Done.

        A mid-stream error event raises AgentStreamError. A reply with no text (a silent edit) is
        explained from the draft: state before vs. after.
        """
        before = await self._draft_or_none(session_id)
        payload = {
            "app_name": protocol.APP_NAME,
            "user_id": protocol.USER_ID,
            "session_id": session_id,
            "new_message": {"role": "user", "parts": [{"text": text}]},
            "streaming": True,
        }
        read_timeout = max(self.stream_cap + 60.0, float(protocol.SSE_MAX_SECONDS))
        response, _ = await self._authed(
            "POST", protocol.PATH_RUN_SSE, session_id=session_id, stream=True, json=payload,
            headers={"Accept": "text/event-stream"},
            timeout=httpx.Timeout(read_timeout, connect=10.0),
        )
        if "text/event-stream" not in response.headers.get("content-type", ""):
            await response.aclose()
            raise E.NemoError(
                f"{self.base_url} did not answer with an event stream",
                hint="Check that the base URL points at a NemoVideo server or the local engine.",
            )
        parser = AdkStreamParser()
        started = quiet_since = time.monotonic()  # heartbeats do not count as news for the user
        source = EventSource(response).aiter_sse()
        pending: asyncio.Task[Any] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(source.__anext__())
                now = time.monotonic()
                remaining = self.stream_cap - (now - started)
                if remaining <= 0:
                    raise E.NemoTimeoutError(
                        f"The agent did not finish within {self.stream_cap / 60:g} minutes",
                        hint="The request may be too big: split it into smaller steps and try again.",
                    )
                until_notice = quiet_since + self.still_working_after - now
                if until_notice <= 0:
                    yield StillWorking(elapsed_s=round(now - started, 1))
                    quiet_since = time.monotonic()
                    continue
                done, _ = await asyncio.wait({pending}, timeout=min(until_notice, remaining))
                if not done:
                    continue
                task, pending = pending, None
                try:
                    sse = task.result()
                except StopAsyncIteration:
                    break
                except httpx.TimeoutException as exc:
                    raise self._redacted(E.NemoTimeoutError("The agent's stream stalled")) from exc
                except httpx.TransportError as exc:
                    raise self._redacted(E.NemoConnectionError(
                        "The connection dropped while the agent was answering",
                        hint="Say \"status\" to see what was applied, then try again.")) from exc
                data = (sse.data or "").strip()
                if not data:
                    continue  # heartbeat / empty data line: keep waiting
                try:
                    event = json.loads(data)
                except ValueError:
                    log.debug("nemo_nb: skipping a non-JSON SSE line")
                    continue
                try:
                    for item in parser.feed(event):
                        yield item
                        quiet_since = time.monotonic()
                except E.NemoError as err:
                    raise self._redacted(err) from None
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(BaseException):
                    await pending
            with contextlib.suppress(Exception):
                await source.aclose()
            await response.aclose()
        for item in parser.finish():
            yield item
        yield await self._done(session_id, parser, before)

    async def _draft_or_none(self, session_id: str) -> Draft | None:
        """The current draft, or None when this server has no state endpoint (a bare ADK server)."""
        try:
            return (await self.state(session_id)).draft
        except (E.NotSupportedError, E.ValidationError):
            return None

    async def _done(self, session_id: str, parser: AdkStreamParser, before: Draft | None) -> Done:
        after = parser.draft
        if parser.had_text:
            changes = after.describe_changes(before) if (after is not None and before is not None) else []
            return Done(text=parser.text, silent=False, changes=changes, draft=after)
        # A silent edit: look at the state to say what changed.
        with contextlib.suppress(E.NotSupportedError, E.ValidationError):
            after = (await self.state(session_id)).draft
        if after is None:
            text = "The agent finished without a reply."
            if parser.tool_calls:
                text = f"The agent made {parser.tool_calls} edit(s) without a reply."
            return Done(text=text, silent=True, changes=[], draft=None)
        changes = after.describe_changes(before)
        if changes:
            text = "Updated the timeline: " + "; ".join(changes) + "\n" + after.summary()
        else:
            text = "The agent finished without a reply; the timeline did not change.\n" + after.summary()
        return Done(text=text, silent=True, changes=changes, draft=after)

    async def reply(self, session_id: str, text: str) -> str:
        """Send a message and return the visible reply (the change summary for a silent edit)."""
        chunks: list[str] = []
        async for event in self.send(session_id, text):
            if isinstance(event, Done):
                return event.text if event.silent else ("".join(chunks).strip() or event.text)
            if hasattr(event, "text") and not isinstance(event, StillWorking):
                chunks.append(event.text)  # type: ignore[union-attr]
        return "".join(chunks).strip()

    # --- state and credits ---------------------------------------------------------------------
    async def state(self, session_id: str) -> SessionState:
        _, body = await self._authed("GET", protocol.PATH_STATE.format(session_id=session_id), session_id=session_id)
        return SessionState.from_response(body)

    async def credits(self) -> Credits:
        _, body = await self._authed("GET", protocol.PATH_CREDITS)
        return Credits.from_response(body)

    # --- export --------------------------------------------------------------------------------
    async def start_export(
        self, session_id: str, draft: Draft | dict[str, Any] | None = None, *, quality: str = "high"
    ) -> RenderJob:
        """Post a render job for ``draft`` (default: the session's current draft)."""
        if draft is None:
            draft = (await self.state(session_id)).draft
        draft_json = draft.to_json() if isinstance(draft, Draft) else Draft.from_json(draft).to_json()
        sent: list[str] = []

        def body() -> dict[str, Any]:
            sent.append(protocol.new_render_id())  # a fresh id per attempt: a 409 means it was taken
            return {"json": {"id": sent[-1], "sessionId": session_id, "draft": draft_json,
                             "output": {"format": "mp4", "quality": quality}}}

        _, answer = await self._authed("POST", protocol.PATH_RENDER, session_id=session_id, body_factory=body,
                                       conflict=True)
        job = RenderJob.from_response(answer, job_id=sent[-1])
        if not job.id:
            job.id = sent[-1]
        return job

    async def render_status(self, job_id: str) -> RenderJob:
        _, body = await self._authed("GET", protocol.PATH_RENDER_STATUS.format(job_id=job_id))
        job = RenderJob.from_response(body, job_id=job_id)
        job.id = job.id or job_id
        return job

    def _poll_seconds(self, job: RenderJob) -> float:
        """Ours to set, else what the server says (``poll_interval_s``), else the seeds' 30 s —
        whatever the host (a cloud behind a tunnel is still the cloud)."""
        if self.poll_interval is not None:
            return float(self.poll_interval)
        if job.poll_interval_s:
            return float(job.poll_interval_s)
        return protocol.CLOUD_POLL_SECONDS

    async def wait_render(
        self,
        job_id: str,
        progress: Callable[[RenderJob], object] | None = None,
        *,
        timeout: float | None = None,
    ) -> RenderJob:
        """Poll until the job ends; return it when completed, raise RenderFailed otherwise."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            job = await self.render_status(job_id)
            if progress is not None:
                result = progress(job)
                if isinstance(result, Awaitable):
                    await result
            if job.ok:
                if not job.url:
                    raise E.RenderFailed("The export finished but the server gave no video URL")
                return job
            if job.done:
                why = "was cancelled" if job.status == protocol.RenderStatus.CANCELLED else "failed"
                detail = f": {job.error}" if job.error else ""
                raise self._redacted(E.RenderFailed(f"The export {why}{detail}"))
            wait = self._poll_seconds(job)
            if deadline is not None and time.monotonic() + wait > deadline:
                raise E.NemoTimeoutError(f"The export did not finish within {timeout:g} s",
                                         hint=f"It may still finish: check render_status({job_id!r}) later.")
            await asyncio.sleep(wait)

    async def export(
        self,
        session_id: str,
        draft: Draft | dict[str, Any] | None = None,
        *,
        quality: str = "high",
        progress: Callable[[RenderJob], object] | None = None,
    ) -> RenderJob:
        """Start a render and wait for it; the returned job has ``.url`` (see :meth:`download`)."""
        job = await self.start_export(session_id, draft, quality=quality)
        if progress is not None:
            result = progress(job)
            if isinstance(result, Awaitable):
                await result
        return await self.wait_render(job.id, progress)

    async def cancel_export(self, job_id: str) -> RenderJob:
        """Cancel a render (a local-engine extension; NotSupportedError on the cloud)."""
        _, body = await self._authed("POST", protocol.PATH_RENDER_CANCEL.format(job_id=job_id))
        job = RenderJob.from_response(body, job_id=job_id)
        job.id = job.id or job_id
        return job

    # --- files ---------------------------------------------------------------------------------
    async def _get_stream(self, url: str) -> httpx.Response:
        """GET a file: with auth on our own server, without it anywhere else (a CDN)."""
        url = self._resolve(url)
        timeout = httpx.Timeout(300.0, connect=10.0)
        if self._same_origin(url):
            response, _ = await self._authed("GET", url, stream=True, timeout=timeout)
            return response

        async def attempt() -> httpx.Response:
            response = await self._send_raw("GET", url, stream=True, timeout=timeout)
            if response.status_code < 400:
                return response
            await response.aread()
            await response.aclose()
            err = _http.error_for(response, _http.decode(response), self._secrets())
            raise self._redacted(err or E.NemoError(f"Download failed (HTTP {response.status_code})"))

        return await send_with_retries(attempt, self.retry, idempotent=True)

    async def download(
        self, url: str, dest: str | os.PathLike[str], progress: Callable[[int, int | None], object] | None = None
    ) -> Path:
        """Stream ``url`` to ``dest`` (a file, or a directory to put it in); atomic: temp then rename."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            name = Path(urlsplit(self._resolve(url)).path).name or "video.mp4"
            dest = dest / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
        response = await self._get_stream(url)
        try:
            total_header = response.headers.get("content-length")
            total = int(total_header) if total_header and total_header.isdigit() else None
            done = 0
            with open(tmp, "wb") as fh:
                async for chunk in response.aiter_bytes(1024 * 1024):
                    await asyncio.to_thread(fh.write, chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
            if total is not None and done != total:
                raise E.NemoConnectionError(f"The download stopped early ({done} of {total} bytes)",
                                            hint="Try the download again.")
            os.replace(tmp, dest)
        except httpx.TransportError as exc:
            raise E.NemoConnectionError("The connection dropped during the download",
                                        hint="Try the download again.") from exc
        finally:
            await response.aclose()
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        return dest

    async def save_render(self, job: RenderJob, dest: str | os.PathLike[str],
                          progress: Callable[[int, int | None], object] | None = None) -> Path:
        """The finished render's MP4 at ``dest``: a hard link to the engine's own file when the engine
        runs on this machine (so each video is stored once), else downloaded."""
        linked = await asyncio.to_thread(link_local_output, job, self.base_url, dest)
        if linked is not None:
            if progress is not None:
                size = linked.stat().st_size
                progress(size, size)
            return linked
        return await self.download(job.url or "", dest, progress)

    async def fetch_bytes(self, url: str) -> bytes:
        """A small file (a thumbnail) in memory; relative URLs are resolved against the base URL."""
        response = await self._get_stream(url)
        try:
            return await response.aread()
        except httpx.TransportError as exc:
            raise E.NemoConnectionError("The connection dropped while fetching a file") from exc
        finally:
            await response.aclose()


def _media_list(body: Any, names: list[str]) -> list[UploadedMedia]:
    """The stored media from an upload answer (a list, or under media/files/items, or one dict)."""
    found: Any = None
    if isinstance(body, list):
        found = body
    else:
        found = protocol.pick(body, "media", "files", "items", "uploaded", "video_infos", "results")
        if found is None:
            data = body.get("data") if isinstance(body, dict) else None
            found = data if isinstance(data, (list, dict)) and data else []
    if isinstance(found, dict):
        found = [found]
    items = [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []
    return [UploadedMedia.from_json(m, names[i] if i < len(names) else "") for i, m in enumerate(items)]


def _env_token_allowed(env_token: bool | None, base_url: str) -> bool:
    """Whether ``NEMO_TOKEN`` (a cloud secret) may go to ``base_url``.

    Explicit wins. By default a loopback server — the embedded engine, typically — gets it only
    when the user pointed ``NEMO_BASE_URL`` at it (a tunnel to the cloud, a test double).
    """
    if env_token is not None:
        return env_token
    if not is_loopback_url(base_url):
        return True
    named = (os.environ.get("NEMO_BASE_URL") or "").strip().rstrip("/")
    return bool(named) and named == base_url
