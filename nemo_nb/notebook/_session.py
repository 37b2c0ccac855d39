"""The Studio's session on the worker side, and the two recovery steps a request may need.

:meth:`Session.request` runs one request against the backend. When it fails in a way a step can
mend, that step runs once and the request is sent again — a flat list of steps, each at most once,
not retries nested in retries (the client's own retry policy, ``client/_retry.py``, has already
handled rate limits, token refresh and transient network errors by then):

* **renew the session** — the backend lost it (1002): start a new one, add the files again, say so;
* **revive the engine** — the background engine stopped (connection refused): start it again and
  move to it (its store still holds the session).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..backend import Backend, revive
from ..client import NemoClient, NemoConnectionError, NemoError, SessionNotFoundError, UploadedMedia
from ..client.models import SessionState
from ..draft import Draft
from ._ops import Work
from .events import DraftChanged, MediaChanged, Notice, SessionChanged

log = logging.getLogger("nemo_nb.notebook")
T = TypeVar("T")
Request = Callable[[NemoClient, str], Awaitable[T]]


def make_client(backend: Backend, language: str, **options: Any) -> NemoClient:
    """The client for ``backend`` (a cloud token only ever goes to the cloud)."""
    return NemoClient(backend.base_url, backend.token, language=language, env_token=backend.name == "cloud",
                      token_key=backend.token_key, **options)


@dataclass
class Session:
    """Session id, draft, media, the files sent (to re-send after a renewal) and thumbnails."""

    backend: Backend
    client: NemoClient
    language: str = "en"
    client_options: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None
    draft: Draft = field(default_factory=Draft)
    media: list[UploadedMedia] = field(default_factory=list)
    local_files: dict[str, Path] = field(default_factory=dict)
    thumbs: dict[str, bytes] = field(default_factory=dict)

    async def ensure(self, work: Work) -> str:
        if self.session_id is None:
            session = await self.request(work, lambda c, _sid: c.create_session(self.language), needs_session=False)
            self.session_id = session.session_id
            work.emit(SessionChanged(self.session_id))
        return self.session_id

    async def request(self, work: Work, send: Request[T], *, needs_session: bool = True) -> T:
        """``send(client, session_id)``, with each recovery step (module docstring) at most once."""
        done: set[str] = set()
        while True:
            sid = await self.ensure(work) if needs_session else ""
            try:
                return await send(self.client, sid)
            except NemoError as err:
                step = self._step_for(err, done)
                if step is None:
                    raise
                done.add(step)
                await (self.renew(work) if step == "renew" else self.revive_engine())

    def _step_for(self, err: NemoError, done: set[str]) -> str | None:
        if isinstance(err, SessionNotFoundError) and "renew" not in done and self.session_id is not None:
            return "renew"
        refused = isinstance(err, NemoConnectionError) and isinstance(err.__cause__, httpx.ConnectError)
        if refused and "revive" not in done and self.backend.managed:
            return "revive"
        return None

    async def renew(self, work: Work) -> None:
        """Start a new session because the backend lost this one; add the kernel's files again."""
        old = self.session_id
        self.session_id = None
        self.draft, self.media, self.thumbs = Draft(), [], {}
        sid = await self.ensure(work)
        files = [p for p in dict.fromkeys(self.local_files.values()) if p.is_file()]
        self.local_files = {}
        if files:
            uploaded = await self.client.upload(sid, *files)
            self.local_files = {m.id: p for m, p in zip(uploaded, files, strict=False)}
        again = f" Your {len(files)} file(s) were added to it again." if files else ""
        work.emit(Notice(f"Session {old} no longer exists, so a new one was started: the timeline starts "
                         f"empty.{again}"))
        await self.refresh(work)

    async def revive_engine(self) -> None:
        """The background engine stopped (idle timeout, crash, killed): start it and move to it."""
        try:
            fresh = await asyncio.to_thread(revive, self.backend)
        except Exception as exc:  # EngineStartError: say why, and where to look
            raise NemoError(f"The local engine stopped and could not be started again: {exc}",
                            hint="Run `nemo-nb serve` in a terminal to see the problem.") from exc
        if fresh is None:
            raise NemoError("The local engine stopped", hint="Run nemo_nb.connect() again.")
        old, self.backend = self.client, fresh
        self.client = make_client(fresh, self.language, **self.client_options)
        with contextlib.suppress(Exception):
            await old.aclose()
        log.info("nemo_nb: the local engine had stopped; now using %s", fresh.base_url)

    async def refresh(self, work: Work) -> SessionState:
        """Fetch the session state: the draft and the media the backend lists."""
        state: SessionState = await self.request(work, lambda c, sid: c.state(sid))
        self.draft = state.draft
        self.media = [UploadedMedia.from_json(info) for info in state.video_infos]
        work.emit(DraftChanged(self.draft))
        work.emit(MediaChanged(tuple(self.media)))
        return state


__all__ = ["Session", "make_client"]
