"""The Studio: one editing session, usable from ``await``, from blocking calls, magics and the widget.

Every public method is a coroutine (``await studio.ask(...)`` at the top level of a notebook); the
``studio.sync`` namespace has the blocking twins for plain scripts and magics. Both are generated
from one table (``_ops.OPERATIONS``). The network work runs on nemo_nb's private I/O loop (see
``_runner``), so neither form can deadlock the kernel.

The Studio speaks only to ``NemoClient`` over a base URL from ``backend.resolve``: it never knows
whether the embedded engine or the cloud answers. Its jobs are split: the session and its recovery
steps (``_session``), render follow-up (``_renders``), printing in the cell (``echo``). What happens
is reported as typed events (``events``) that build the :class:`StudioState` a view mirrors; the
widget subscribes to it (the Studio never imports the widget).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import io
import logging
import os
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..backend import Backend, resolve
from ..brand import BrandKit, clear_brand, load_brand, set_brand
from ..client import (
    Done,
    FileTooLargeError,
    NemoClient,
    NemoError,
    RetryPolicy,
    StillWorking,
    TextDelta,
    ToolCall,
    ToolResult,
    UnsupportedFileError,
    UploadedMedia,
    ValidationError,
    detect_intent,
)
from ..client.upload import expand_folders, is_url
from ..config import data_dir
from ..draft import Draft
from . import _ops, _runner, events
from ._ops import Op, Work
from ._renders import Renders, ready_text
from ._session import Session, make_client
from ._upload import safe_name
from ._view import media_kind
from .display import RenderResult
from .echo import Echo
from .events import (
    AgentActivity,
    AgentDone,
    AgentText,
    BrandChanged,
    CreditsChanged,
    DraftChanged,
    Failure,
    Notice,
    StudioEvent,
    StudioState,
    UserSaid,
)
from .frames import credits_frame, tracks_frame
from .history import RenderHistory
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

#: The Studio's interactive view, loaded by name when first shown: the widget depends on the
#: Studio, never the other way round.
VIEW = "nemo_nb.notebook.widget:StudioWidget"

Listener = Callable[[str, Any], None]


def error_payload(err: BaseException) -> dict[str, Any]:
    """What the user is shown for a failure: one message, the hint, and a link when there is one."""
    return Failure.of(err).payload()


class Studio:
    """One editing session on one backend. Create it with :func:`connect`.

    ``async with`` / ``with`` close it at the end of the block.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        language: str = "en",
        echo: bool = True,
        history: RenderHistory | None = None,
        client: NemoClient | None = None,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self.language = language
        #: Print streamed text and progress in the cell (the widget shows them regardless).
        self.echo = echo
        options = dict(client_options or {})
        self._session = Session(backend, client or make_client(backend, language, **options), language, options)
        self._renders = Renders(self._session, history or RenderHistory())
        self._brand_logos: dict[tuple[str, str], str] = {}  # (session id, the logo's sha256) → its media id
        self.state = StudioState(suggestions=list(SUGGESTIONS), brand=load_brand())
        self.sync = BlockingStudio(self)
        self._echo = Echo()
        self._listeners: list[Listener] = []
        self._agent_lock: asyncio.Lock | None = None
        self._widget: Any = None
        self._closed = False

    # --- what the session holds (worker side: the freshest) -------------------------------------
    @property
    def backend(self) -> Backend:
        return self._session.backend

    @property
    def client(self) -> NemoClient:
        return self._session.client

    @property
    def history(self) -> RenderHistory:
        return self._renders.history

    @property
    def session_id(self) -> str | None:
        return self._session.session_id

    @session_id.setter
    def session_id(self, value: str | None) -> None:
        self._session.session_id = value

    @property
    def draft(self) -> Draft:
        return self._session.draft

    @property
    def media(self) -> list[UploadedMedia]:
        return self._session.media

    # --- what a view shows (caller side) ------------------------------------------------------------
    @property
    def chat(self) -> list[dict[str, Any]]:
        return self.state.chat

    @property
    def busy(self) -> str:
        return self.state.busy

    @property
    def still_working(self) -> bool:
        return self.state.still_working

    @property
    def render_state(self) -> dict[str, Any]:
        return self.state.render

    @property
    def credits_state(self) -> dict[str, Any]:
        return self.state.credits

    @property
    def suggestions(self) -> list[str]:
        return self.state.suggestions

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(field, value)`` whenever a :class:`StudioState` field changes; returns
        the unsubscribe function. Listeners run on the thread that called the Studio."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _receive(self, event: StudioEvent, echo: bool) -> None:
        """One event from the worker, on the caller's thread: update the state, tell listeners, echo."""
        for name in events.apply(self.state, event):
            value = getattr(self.state, name)
            for listener in list(self._listeners):
                try:
                    listener(name, value)
                except Exception:  # a broken listener must not break the call
                    log.exception("nemo_nb: a Studio listener failed on %r", name)
        if echo:
            self._echo(event)

    # --- how calls run ----------------------------------------------------------------------------
    def _job(self, op: Op, args: tuple[Any, ...], kw: dict[str, Any], echo: bool) -> Callable[..., Awaitable[Any]]:
        impl = getattr(self, op.impl)

        async def job(pipe: _runner.EventPipe) -> Any:
            work = Work(pipe, echo)
            try:
                return await impl(work, *args, **kw)
            except asyncio.CancelledError:
                raise
            except Exception as err:
                work.emit(Failure.of(err))
                raise

        return job

    async def _run(self, op: Op, args: tuple[Any, ...], kw: dict[str, Any], echo: bool | None) -> Any:
        self._check_open()
        echo = self.echo if echo is None else echo
        return await _runner.call_async(self._job(op, args, kw, echo), lambda ev: self._receive(ev, echo))

    def _run_sync(self, op: Op, args: tuple[Any, ...], kw: dict[str, Any], echo: bool | None, what: str) -> Any:
        self._check_open()
        echo = self.echo if echo is None else echo
        return _runner.call_sync(self._job(op, args, kw, echo), lambda ev: self._receive(ev, echo), what)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("This Studio is closed: run nemo_nb.connect() for a new one.")

    # --- operations (run on the worker loop; the table in _ops makes them public) ------------------
    async def _open(self, work: Work) -> Studio:
        """Start the session (``connect`` does it for you)."""
        await self._session.ensure(work)
        await self._session.refresh(work)
        return self

    async def _upload(self, work: Work, *items: str | Path) -> list[UploadedMedia]:
        """Add files from the kernel's file system (or http(s) URLs) to the session."""
        if not items:
            raise NemoError("Nothing to upload", hint="Pass one or more file paths or URLs, e.g. studio.upload('cat.jpg').")
        normalised: list[str | Path] = [i if is_url(i) or _has_scheme(i) else Path(i).expanduser().resolve()
                                        for i in expand_folders(items)]
        uploaded: list[UploadedMedia] = []
        refused: list[tuple[str | Path, NemoError]] = []
        with work.busy("uploading"):
            for item in normalised:  # one by one: a bad file is reported, the good ones still land
                try:
                    got = await self._session.request(work, lambda c, sid, item=item: c.upload(sid, item))
                except (UnsupportedFileError, FileTooLargeError, ValidationError) as err:
                    refused.append((item, err))
                    continue
                uploaded.extend(got)
                if isinstance(item, Path):
                    for media in got:
                        self._session.local_files[media.id] = item
            if uploaded:
                await self._session.refresh(work)
        if uploaded:
            work.emit(Notice(f"Added {len(uploaded)} file(s): {', '.join(m.name for m in uploaded)}"))
        if refused:
            raise _refusal(refused, len(uploaded))
        return uploaded

    async def _ask(self, work: Work, text: str) -> Reply:
        """Send a request to the agent; the answer streams into the cell. Shortcuts such as
        "export", "credits" or "status" run directly, without the agent."""
        text = (text or "").strip()
        if not text:
            raise NemoError("Nothing to send", hint="Type a request, e.g. \"turn these photos into a 30-second video\".")
        intent = detect_intent(text)
        if intent is not None:
            return await self._shortcut(work, intent, text)
        if self._agent_lock is None:
            self._agent_lock = asyncio.Lock()
        async with self._agent_lock:
            work.emit(UserSaid(text))
            with work.busy("thinking"):
                done = await self._session.request(work, lambda c, sid: self._stream(work, c, sid, text))
                state = await self._session.refresh(work)
            work.emit(AgentDone(done.text, tuple(done.changes), done.silent))
        reply = Reply(text=done.text, kind="agent", changes=list(done.changes), draft=self.draft, echoed=work.echo)
        record = self._renders.started_by_agent(state)
        if record is not None:  # the agent started an export: follow it like our own
            with work.busy("rendering"):
                reply.result = await self._renders.follow(work, record)
            reply.kind = "export"
            work.emit(Notice(ready_text(reply.result)))
        return reply

    async def _undo(self, work: Work) -> Reply:
        """Undo the last edit."""
        return await self._ask(work, "undo")

    async def _stream(self, work: Work, client: NemoClient, sid: str, text: str) -> Done:
        done: Done | None = None
        async for event in client.send(sid, text):
            if isinstance(event, TextDelta):
                work.emit(AgentText(event.text))
            elif isinstance(event, ToolCall):
                work.emit(AgentActivity(event.name))
            elif isinstance(event, ToolResult):
                draft = event.state_delta.get("draft")
                if isinstance(draft, (dict, str)):
                    self._session.draft = Draft.from_json(draft)
                    work.emit(DraftChanged(self._session.draft))
            elif isinstance(event, StillWorking):
                work.emit(events.StillWorking(event.elapsed_s))
            elif isinstance(event, Done):
                done = event
        return done if done is not None else Done(text="")

    async def _shortcut(self, work: Work, intent: str, text: str) -> Reply:
        """Intent shortcuts: answered here, with no agent round trip."""
        work.emit(UserSaid(text))
        reply = await self._shortcut_reply(work, intent, text)
        work.emit(AgentDone(reply.text, silent=True))
        return reply

    async def _shortcut_reply(self, work: Work, intent: str, text: str) -> Reply:
        if intent == "export":
            result = await self._renders.export(work, "high", None)
            return Reply(text=ready_text(result), kind="export", draft=self.draft, result=result, echoed=work.echo)
        if intent == "credits":
            credits = await self._credits(work)
            return Reply(text=str(credits), kind="credits", result=credits, echoed=work.echo)
        if intent == "status":
            await self._session.refresh(work)
            return Reply(text=self.draft.summary(), kind="status", draft=self.draft, echoed=work.echo)
        # upload: either the message names files/URLs, or the user wants to know how.
        items = [t.strip("'\"") for t in text.replace(",", " ").split()]
        if items and all(is_url(i) or Path(i).expanduser().exists() for i in items):
            uploaded = await self._upload(work, *items)
            msg = f"Added {len(uploaded)} file(s)."
        else:
            msg = ("Drop files on the Media panel or choose them there, or from Python: "
                   "studio.upload('photo.jpg') / %nemo upload photo.jpg")
        return Reply(text=msg, kind="upload", draft=self.draft, echoed=work.echo)

    async def _credits(self, work: Work) -> Any:
        credits = await self._session.request(work, lambda c, _sid: c.credits(), needs_session=False)
        work.emit(CreditsChanged(credits.available, credits.frozen, credits.total, credits.limit))
        return credits

    async def _credits_frame(self, work: Work) -> pd.DataFrame:
        """The credit balance as a one-row DataFrame."""
        c = await self._credits(work)
        return credits_frame(self.backend.name, c)

    async def _timeline(self, work: Work) -> Timeline:
        """The current timeline (``.summary``, ``.frame()``, ``.draft``)."""
        await self._session.refresh(work)
        return Timeline(self.draft.copy(), media_count=len(self.media))

    async def _tracks(self, work: Work) -> pd.DataFrame:
        """The timeline, one row per segment."""
        await self._session.refresh(work)
        return tracks_frame(self.draft)

    async def _render_table(self, work: Work) -> pd.DataFrame:
        """Every render in the history (this kernel's and earlier ones), oldest first."""
        return await self._renders.table(work)

    async def _export(self, work: Work, quality: str = "high", *, out: str | os.PathLike[str] | None = None
                      ) -> RenderResult:
        """Render the timeline to MP4, download it and return it. ``quality``: "high" (default),
        "fast" or "preview" (540p, quickest); ``out``: where to write the MP4 (a file or a folder;
        default: nemo_nb's data dir). The result's ``.path`` is the file's full path. The local engine
        puts your brand kit (``studio.brand``) on it, as on every export however it is started."""
        return await self._renders.export(work, quality, out)

    async def _brand(self, work: Work, *, logo: str | Path | None = None, colors: list[str] | str | None = None,
                     font: str | None = None, corner: str | None = None, size: float | None = None,
                     opacity: float | None = None, clear: bool = False) -> BrandKit:
        """Set your brand kit, kept for every notebook of this user: ``logo`` (a PNG with transparency is
        best) becomes a watermark on every export (``corner``: top_left … bottom_right, ``size``: a
        fraction of the frame's shorter side, ``opacity``); ``colors`` (names like "red" / "红色" or hex;
        the first for text, the second for the text's card) and ``font`` ("sans" with Chinese, "inter",
        "serif") are every text's default style. An empty value (``logo=""``, ``colors=[]``, ``font=""``)
        removes that part alone; ``clear=True`` forgets the whole kit. With no arguments: the kit."""
        if clear:
            clear_brand()
            kit = BrandKit()
        elif any(v is not None for v in (logo, colors, font, corner, size, opacity)):
            try:
                kit = set_brand(logo=logo, colors=colors, font=font, corner=corner, size=size, opacity=opacity)
            except ValueError as err:
                raise NemoError(str(err), hint="Nothing was changed in your brand kit.") from None
        else:
            kit = load_brand()
        if kit.logo:  # uploaded now, so the agent can place it ("put our logo in the corner")
            await self._brand_logo(work, kit)
        work.emit(BrandChanged(kit))
        work.emit(Notice("Brand kit: " + kit.describe()))
        return kit

    async def _brand_logo(self, work: Work, kit: BrandKit) -> str | None:
        """The kit's logo as a media id of this session (uploaded once per session)."""
        if not kit.logo:
            return None
        await self._session.ensure(work)
        key = self._logo_key(kit)
        if key is None:
            return None
        if key not in self._brand_logos:
            got = await self._session.request(work, lambda c, sid: c.upload(sid, Path(kit.logo or "")))
            self._brand_logos[key] = got[0].id
            await self._session.refresh(work)
        return self._brand_logos[key]

    def brand_logo_id(self, kit: BrandKit) -> str | None:
        """The media id of the kit's logo in this session when this Studio uploaded it (else None)."""
        key = self._logo_key(kit)
        return None if key is None else self._brand_logos.get(key)

    def _logo_key(self, kit: BrandKit) -> tuple[str, str] | None:
        """(session id, the logo's sha256): a new logo, or a new session, is uploaded again."""
        try:
            digest = hashlib.sha256(Path(kit.logo or "").read_bytes()).hexdigest() if kit.logo else None
        except OSError:
            return None
        return None if digest is None else (self._session.session_id or "", digest)

    async def _cancel(self, work: Work) -> None:
        """Cancel the running export."""
        await self._renders.cancel(work)

    async def _attach(self, work: Work, render_id: str | None = None) -> RenderResult:
        """Re-attach to a render (default: the latest unfinished one, e.g. from before a kernel
        restart), wait for it and fetch the MP4."""
        return await self._renders.attach(work, render_id)

    async def _thumbnail(self, work: Work, media_id: str) -> bytes | None:
        """A JPEG thumbnail of an uploaded photo (from the backend's thumbnail URL)."""
        session = self._session
        if media_id in session.thumbs:
            return session.thumbs[media_id]
        info = next((m for m in session.media if m.id == media_id), None)
        data: bytes | None = None
        if info is not None and info.thumbnail_url:
            with contextlib.suppress(NemoError):
                data = await session.client.fetch_bytes(info.thumbnail_url)
        local = session.local_files.get(media_id)
        if data is None and local is not None and (info is None or media_kind(info) == "photo"):
            data = await asyncio.to_thread(_local_thumbnail, local)
        if data is not None:
            session.thumbs[media_id] = data
        return data

    async def _media_file(self, work: Work, media_id: str) -> Path | None:
        """The file of an uploaded medium on the kernel's disk: the one uploaded from here, or a copy
        fetched once from the backend (the live player renders from it); None when there is none."""
        session = self._session
        local = session.local_files.get(media_id)
        if local is not None and local.is_file():
            return local
        info = next((m for m in session.media if m.id == media_id), None)
        if info is None or not info.url:
            return None
        folder = data_dir() / "notebook" / "media" / safe_name(session.session_id or "pending")
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"{safe_name(media_id)}{Path(info.name).suffix.lower()}"
        if not path.is_file():
            data = await session.client.fetch_bytes(info.url)
            tmp = path.with_name(f".{path.name}.part")
            await asyncio.to_thread(tmp.write_bytes, data)
            os.replace(tmp, path)
        return path

    async def _close(self, work: Work) -> None:
        """End this Studio: close its connection (the session stays on the backend)."""
        self._closed = True
        await self._session.client.aclose()

    # --- lifetime ---------------------------------------------------------------------------------
    async def __aenter__(self) -> Studio:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if not self._closed:
            await self.close()

    def __enter__(self) -> Studio:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._closed:
            self.sync.close()

    # --- helpers for the widget ---------------------------------------------------------------------
    def uploads_dir(self) -> Path:
        """Where files sent from the browser are kept (re-sent if the session has to be renewed)."""
        return data_dir() / "notebook" / "uploads" / safe_name(self.session_id or "pending")

    def remember_local(self, media_id: str, path: Path) -> None:
        self._session.local_files[media_id] = path

    # --- campaigns ----------------------------------------------------------------------------------
    def campaign(self, photos: Any = None, directions: Any = None, formats: Any = ("16:9",), copy: Any = None,
                 **options: Any) -> Any:
        """A :class:`nemo_nb.Campaign` on this studio's backend; ``photos`` default to the files uploaded
        from this kernel. See docs/campaigns.md."""
        from ..campaign import Campaign

        if photos is None:
            photos = [p for p in dict.fromkeys(self._session.local_files.values()) if p.is_file()] or None
        return Campaign(photos, directions, formats, copy, backend=self.backend, **options)

    # --- display ------------------------------------------------------------------------------------
    def widget(self) -> Any:
        """The studio widget (made once; every display of it is a view of the same widget)."""
        if self._widget is None:
            module, _, name = VIEW.partition(":")
            self._widget = getattr(importlib.import_module(module), name)(self)
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if isinstance(data, dict):
            data["text/plain"] = repr(self)  # what a front end without widgets shows
        return bundle

    def __repr__(self) -> str:
        timeline = self.draft.summary() if self.draft.tracks else "empty timeline"
        return (f"<Studio on the {self.backend.label} · session {self.session_id} · "
                f"{len(self.media)} media · {timeline}>")


class BlockingStudio:
    """``studio.sync``: the blocking twins, for plain scripts and magics (generated from ``_ops``).

    In a notebook they block the cell until done (the work runs on nemo_nb's own loop, so this
    cannot deadlock); prefer ``await studio.ask(...)`` there to keep the kernel responsive.
    """

    def __init__(self, studio: Studio) -> None:
        self._studio = studio


_ops.install(Studio, BlockingStudio)


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
    rate_limit_wait: float | None = None,
    retry: RetryPolicy | None = None,
) -> Studio:
    """Open a Studio: one editing session on the local engine (default without cloud settings)
    or the NemoVideo cloud. ``display(studio)`` shows the widget.

    ``backend``: "local" or "cloud" (default: the cloud when NEMO_TOKEN or NEMO_BASE_URL is set).
    ``base_url``: where that backend lives. ``token``: a NemoVideo token (default: NEMO_TOKEN, else
    a free anonymous one). ``language``: the session's language ("en", "zh"). ``echo``: print the
    agent's answers and render progress in the cell. ``rate_limit_wait``: seconds to wait before
    the one retry after HTTP 429 when the server does not say (default 30, as the seeds say).
    ``retry``: a :class:`~nemo_nb.client.RetryPolicy` for every other number (e.g. the longest
    Retry-After honoured, ``max_retry_after``, default 120 s).
    """
    options: dict[str, Any] = {} if retry is None else {"retry": retry}
    if rate_limit_wait is not None:
        options["rate_limit_wait"] = float(rate_limit_wait)
    studio = Studio(resolve(backend, base_url, token), language=language, echo=echo, client_options=options)
    try:
        studio.sync.open()
    except BaseException:
        with contextlib.suppress(Exception):  # no connection left open behind a failed connect()
            studio.sync.close()
        raise
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

