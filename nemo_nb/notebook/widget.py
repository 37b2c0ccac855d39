"""The studio widget (anywidget): upload | chat | timeline | brand kit | export, bound to one Studio.

State the views draw from lives in synced traits (so a second view, or a reloaded page, draws the
same thing). Everything else goes over one ``msg:custom`` channel of ``{id, kind, ...}``
envelopes; every browser request with an ``id`` gets one ``{kind: "reply", id, ok, ...}``.
Media travel as binary buffers: file chunks up (≤ 4 MB, acknowledged, checksummed), thumbnails and
the exported MP4 down. Work started from the browser runs as tasks on the kernel's running loop
(references kept), reporting through traits; a cell never waits for the browser.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .. import brand, protocol
from ..client import NemoError
from ..draft import Draft
from . import _bundle, _runner, media_channel
from ._upload import CHUNK_BYTES, UploadReceiver, UploadRefused
from ._view import brand_view, media_view, timeline_view
from .events import STATE_FIELDS
from .player import FrameServer, LatestWins, frames_here, sound_file
from .studio import Studio, error_payload

log = logging.getLogger("nemo_nb.notebook")

STATIC, JS_SOURCES = _bundle.STATIC, _bundle.JS_SOURCES
LOGO_HINT = "Use a PNG (transparent is best), JPEG or WebP."
_bundle.ensure_built("widget.js")


#: Studio state field → (trait, how the browser gets it). Every field of StudioState is here.
_MIRROR: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "session_id": ("session_id", lambda v: v or ""),
    "chat": ("chat", list),
    "busy": ("busy", str),
    "still_working": ("still_working", bool),
    "activity": ("activity", str),
    "draft": ("timeline", timeline_view),
    "media": ("media", media_view),
    "render": ("render", dict),
    "credits": ("credits", dict),
    "suggestions": ("suggestions", list),
    "brand": ("brand", brand_view),
}


#: The most frame times one playback request may ask for.
PLAY_BATCH_MAX = 8


def _frame_time(t: Any) -> float:
    if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 <= t < 1e7:
        raise NemoError("That time is not valid", hint="Click on the timeline's ruler.")
    return float(t)


def _frame_fields(frame: Any, got: float) -> dict[str, Any]:
    """What the browser needs to draw a frame. ``kt``: when the kernel got the request and sent the
    frame (epoch ms: the browser on this machine splits the trip with them; benchmarks/player.py)."""
    return {"t": frame.t, "w": frame.width, "h": frame.height, "rev": frame.rev, "quick": frame.quick,
            "mime": "image/jpeg", "kt": [1000 * got, 1000 * time.time()]}


class StudioWidget(anywidget.AnyWidget):
    """The studio's interactive view. Made by ``studio.widget()``; ``display(studio)`` shows it."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    _uid = traitlets.Unicode().tag(sync=True)
    _ready = traitlets.Bool(False).tag(sync=True)
    backend_label = traitlets.Unicode("").tag(sync=True)
    session_id = traitlets.Unicode("").tag(sync=True)
    busy = traitlets.Unicode("").tag(sync=True)
    still_working = traitlets.Bool(False).tag(sync=True)
    activity = traitlets.Unicode("").tag(sync=True)
    chat = traitlets.List(traitlets.Dict()).tag(sync=True)
    suggestions = traitlets.List(traitlets.Unicode()).tag(sync=True)
    media = traitlets.List(traitlets.Dict()).tag(sync=True)
    timeline = traitlets.Dict().tag(sync=True)
    render = traitlets.Dict().tag(sync=True)
    credits = traitlets.Dict().tag(sync=True)
    brand = traitlets.Dict().tag(sync=True)
    accept = traitlets.List(traitlets.Unicode()).tag(sync=True)
    max_bytes = traitlets.Int(protocol.MAX_UPLOAD_BYTES).tag(sync=True)
    qualities = traitlets.Dict(dict(protocol.RENDER_QUALITIES)).tag(sync=True)
    chunk_bytes = traitlets.Int(CHUNK_BYTES).tag(sync=True)

    def __init__(self, studio: Studio, **kwargs: Any) -> None:
        unknown = set(kwargs) - {"layout"}
        if unknown:
            raise TypeError(f"StudioWidget got unexpected argument(s) {', '.join(sorted(unknown))}: "
                            "make it with studio.widget() and change the Studio instead.")
        super().__init__(_uid=uuid.uuid4().hex, **kwargs)
        self.studio = studio
        self.js_errors: list[str] = []
        self._queue: list[tuple[dict[str, Any], list[bytes]]] = []
        self._tasks: set[asyncio.Task[Any] | Any] = set()
        self._receiver = UploadReceiver(Path(studio.uploads_dir()))
        self._pushed_thumbs: set[str] = set()
        self._logo_uploads: dict[str, str] = {}  # the brand panel's transfers (id → name): a logo, never a medium
        self._render_revs: dict[str, int] = {}
        self.player = FrameServer(studio)
        self._frames = LatestWins(self._spawn)
        self._play_turn: asyncio.Lock | None = None
        #: Fields this widget views itself: the timeline carries the player's revision and changed
        #: span, a render the revision it was made from (the export panel marks it out of date).
        self._views: dict[str, Callable[[Any], Any]] = {"draft": self._timeline_view, "render": self._render_view,
                                                         "brand": self._brand_view}
        self.set_state_from(studio)
        self._unsubscribe = studio.subscribe(self._on_studio_event)
        self.on_msg(self._on_custom)
        self.observe(self._flush_queue, names="_ready")

    # --- studio → traits ------------------------------------------------------------------------
    def set_state_from(self, studio: Studio) -> None:
        with self.hold_sync():
            self.backend_label = studio.backend.label
            self.accept = list(protocol.SUPPORTED_FORMATS)
            for name in STATE_FIELDS:
                self._mirror(name, getattr(studio.state, name))

    def _on_studio_event(self, name: str, value: Any) -> None:
        """A Studio state field changed: mirror it into its trait."""
        self._mirror(name, value)
        if name == "brand":  # the timeline and the player show the draft as it will be exported
            self._mirror("draft", self.studio.state.draft)
        if name == "media":
            self._push_new_thumbs()
        elif name == "session_id":
            self._receiver.root = Path(self.studio.uploads_dir())

    def _mirror(self, name: str, value: Any) -> None:
        trait, view = _MIRROR[name]
        setattr(self, trait, self._views.get(name, view)(value))

    def _timeline_view(self, draft: Draft) -> dict[str, Any]:
        """The timeline (and the live player's frames) as the export will look: where this renderer
        exports (the local engine), with the brand kit's defaults — the text colour in a title's swatch,
        the logo once this session has it — applied by the same ``apply_brand`` as engine/branding.py."""
        kit = self.studio.state.brand
        if not kit.is_empty and frames_here(self.studio.backend):
            draft = Draft.from_json(brand.apply_brand(draft.to_json(), kit, self.studio.brand_logo_id(kit)))
        return self.player.timeline(draft)

    def _brand_view(self, kit: brand.BrandKit) -> dict[str, Any]:
        """The kit for the brand panel, and whether this backend's exports draw it (the local engine)."""
        return {**brand_view(kit), "drawn": frames_here(self.studio.backend)}

    def _render_view(self, state: dict[str, Any]) -> dict[str, Any]:
        """The render state plus the timeline revision it was made from: the export panel marks a
        finished video out of date once the timeline has changed since ("make it vertical")."""
        render_id = state.get("id")
        if not render_id:
            return dict(state)
        return {**state, "rev": self._render_revs.setdefault(str(render_id), self.player.rev)}

    # --- kernel → browser -----------------------------------------------------------------------
    def send_when_ready(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        """Send now if a view has rendered, else queue (messages before render are dropped)."""
        if self._ready:
            self.send(content, buffers=buffers or None)
        else:
            self._queue.append((content, buffers or []))

    def _flush_queue(self, change: dict[str, Any]) -> None:
        if change.get("new"):
            queued, self._queue = self._queue, []
            for content, buffers in queued:
                self.send(content, buffers=buffers or None)

    def _reply(self, msg_id: Any, data: dict[str, Any] | None = None, error: BaseException | None = None,
               buffers: list[bytes] | None = None) -> None:
        if msg_id is None:
            return
        if error is None:
            self.send({"kind": "reply", "id": msg_id, "ok": True, "data": data or {}}, buffers=buffers or None)
        else:
            payload = (error_payload(error) if not isinstance(error, UploadRefused)
                       else {"message": error.message, "hint": error.hint})
            self.send({"kind": "reply", "id": msg_id, "ok": False, "error": payload})

    def _push_new_thumbs(self) -> None:
        for item in self.media:
            if item.get("kind") in ("photo", "video") and item["id"] not in self._pushed_thumbs:
                self._pushed_thumbs.add(item["id"])
                self._spawn(self._send_thumb(item["id"]))

    async def _send_thumb(self, media_id: str) -> None:
        data = await self.studio.thumbnail(media_id)
        if data:
            self.send_when_ready({"kind": "thumb", "media_id": media_id, "mime": "image/jpeg"}, [data])

    def send_video(self, render_id: str) -> None:
        """Send an exported MP4 to the browser in chunks (it becomes a Blob URL there)."""
        record = self.studio.history.get(render_id)
        media_channel.send_file(self.send_when_ready, render_id, record.path if record is not None else None)

    # --- browser → kernel -----------------------------------------------------------------------
    def _spawn(self, coro: Coroutine[Any, Any, Any], msg_id: Any = None, reply: bool = False) -> None:
        """Run ``coro`` as a task on the kernel's running loop (or nemo_nb's loop without one)."""

        async def run() -> None:
            try:
                result = await coro
            except Exception as err:
                if reply:
                    self._reply(msg_id, error=err)
                if not isinstance(err, (NemoError, UploadRefused)):
                    log.exception("nemo_nb: a widget action failed")
                return
            if reply:
                self._reply(msg_id, result if isinstance(result, dict) else {})

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None and not _runner.on_worker():
            task = loop.create_task(run())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            future = _runner.submit(run())
            self._tasks.add(future)
            future.add_done_callback(self._tasks.discard)

    def _on_custom(self, _widget: Any, content: Any, buffers: list[Any]) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("kind")
        msg_id = content.get("id")
        handler = getattr(self, f"_msg_{kind}", None)
        if handler is None:
            self._reply(msg_id, error=NemoError(f"Unknown widget message {kind!r}",
                                                hint="Reload the page so the widget and kernel match."))
            return
        try:
            handler(msg_id, content, [bytes(b) for b in buffers or []])
        except Exception as err:
            self._reply(msg_id, error=err)
            if not isinstance(err, (NemoError, UploadRefused)):
                log.exception("nemo_nb: handling %r failed", kind)

    def _msg_ask(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        text = str(content.get("text") or "").strip()
        if not text:
            raise NemoError("Nothing to send", hint="Type a request first.")
        if self.studio.busy == "thinking":
            raise NemoError("Still working on the previous request", hint="Wait for its answer, then send again.")
        self._reply(msg_id, {"started": True})
        self._spawn(self.studio.ask(text, echo=False))

    def _msg_reorder(self, msg_id: Any, content: dict[str, Any], buffers: list[bytes]) -> None:
        src, dst = content.get("from"), content.get("to")
        if not isinstance(src, int) or not isinstance(dst, int) or src < 0 or dst < 0 or src == dst:
            raise NemoError("That move is not valid", hint="Drag a photo onto another photo's place.")
        self._msg_ask(msg_id, {"text": f"put photo {src + 1} in position {dst + 1}"}, buffers)

    def _msg_export(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        quality = str(content.get("quality") or "high")
        if self.studio.render_state.get("state") in ("queued", "running"):
            raise NemoError("An export is already running", hint="Wait for it, or cancel it first.")
        self._reply(msg_id, {"started": True})
        self._spawn(self.studio.export(quality, echo=False))

    def _msg_cancel(self, msg_id: Any, _content: dict[str, Any], _buffers: list[bytes]) -> None:
        self._spawn(self.studio.cancel(), msg_id, reply=True)

    def _msg_need_thumb(self, _msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        media_id = str(content.get("media_id") or "")
        if media_id:
            self._pushed_thumbs.add(media_id)
            self._spawn(self._send_thumb(media_id))

    def _msg_need_video(self, _msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        self.send_video(str(content.get("render_id") or ""))

    def _msg_frame(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        """The player wants the frame at ``t``: answered with a JPEG, or ``superseded`` when a newer
        request came first (only the newest waits, so a drag never builds a backlog); ``quick`` asks
        for a scrub frame (half size, lighter JPEG) while the playhead is dragged. Playback asks for
        several times at once (``play``, ``ts``): each frame is sent as it is made (a ``push``
        with the request's id) and the reply comes after the last, so a played frame costs one
        message, not a request, a reply and the kernel's busy/idle around each."""
        got = time.time()
        if content.get("play"):
            times = content.get("ts")
            if not isinstance(times, list) or not 1 <= len(times) <= PLAY_BATCH_MAX:
                raise NemoError("Those times are not valid", hint="Reload the page so the widget and kernel match.")
            self._spawn(self._play_frames(msg_id, [_frame_time(t) for t in times], got), msg_id, reply=True)
            return
        t = _frame_time(content.get("t"))

        def done(frame: Any, error: BaseException | None) -> None:
            if error is not None:
                self._reply(msg_id, error=error)
                if not isinstance(error, NemoError):
                    log.warning("nemo_nb: the player could not render a frame: %s", error)
            elif frame is None:
                self._reply(msg_id, {"superseded": True})
            else:
                self._reply(msg_id, _frame_fields(frame, got), buffers=[frame.jpeg])

        quick = bool(content.get("quick"))
        self._frames.submit(lambda: self.player.frame(t, quick), done)

    async def _play_frames(self, msg_id: Any, times: list[float], got: float) -> dict[str, Any]:
        """One playback request's frames, in order; requests one after the other (not interleaved,
        so the first frames due come first)."""
        if self._play_turn is None:
            self._play_turn = asyncio.Lock()
        async with self._play_turn:
            for t in times:
                frame = await self.player.frame(t)
                self.send({"kind": "push", "id": msg_id, **_frame_fields(frame, got)}, buffers=[frame.jpeg])
        return {"count": len(times)}

    def _msg_sound(self, msg_id: Any, _content: dict[str, Any], _buffers: list[bytes]) -> None:
        """The preview soundtrack for playback, sent as an M4A through the media channel."""

        async def send() -> dict[str, Any]:
            key, path = f"sound-{self._uid[:8]}-{self.player.rev}", sound_file()
            try:
                if not await self.player.soundtrack(path):
                    return {"silent": True}
                media_channel.send_file(self.send_when_ready, key, path, mime="audio/mp4")
            finally:
                path.unlink(missing_ok=True)
            return {"key": key}

        self._spawn(send(), msg_id, reply=True)

    def _msg_upload_begin(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        upload_id, name = str(content.get("upload_id")), str(content.get("name") or "")
        logo = content.get("purpose") == "logo"
        if logo and Path(name).suffix.lower() not in brand.LOGO_TYPES:
            raise UploadRefused(f"{name} is not a logo image", LOGO_HINT)
        self._receiver.begin(upload_id, name, content.get("size"))
        if logo:
            self._logo_uploads[upload_id] = name
        self._reply(msg_id, {"chunk_bytes": self._receiver.chunk_bytes})

    def _msg_upload_chunk(self, msg_id: Any, content: dict[str, Any], buffers: list[bytes]) -> None:
        if len(buffers) != 1:
            raise UploadRefused("A chunk arrived without its bytes", "Add the file again.")
        upload_id = str(content.get("upload_id"))
        try:
            reply = self._receiver.chunk(upload_id, int(content.get("offset", -1)), str(content.get("sha256") or ""),
                                         buffers[0])
        except UploadRefused as err:
            name = self._logo_uploads.pop(upload_id, None)
            if name is None:
                raise
            raise UploadRefused(f"{name} is not an image I can read", LOGO_HINT) from err
        self._reply(msg_id, reply)

    def _msg_upload_end(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        upload_id = str(content.get("upload_id"))
        path = self._receiver.finish(upload_id, content.get("sha256"))
        if self._logo_uploads.pop(upload_id, None) is not None:
            self._spawn(self._set_brand({"logo": path}, received=path), msg_id, reply=True)
            return

        async def add() -> dict[str, Any]:
            uploaded = await self.studio.upload(path, echo=False)
            first = uploaded[0] if uploaded else None
            return {"media": {"id": first.id, "name": first.name} if first else None, "path": str(path)}

        self._spawn(add(), msg_id, reply=True)

    def _msg_upload_abort(self, _msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        self._logo_uploads.pop(str(content.get("upload_id")), None)
        self._receiver.abort(str(content.get("upload_id")))

    def _msg_brand(self, msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        """The brand panel set part of the kit (colours, font, logo corner/size/opacity), or cleared it:
        the same ``studio.brand`` as in a cell, so it is checked, kept per user and on every export."""
        if content.get("clear"):
            self._spawn(self._set_brand({"clear": True}), msg_id, reply=True)
            return
        fields = {k: content[k] for k in ("colors", "font", "corner", "size", "opacity") if content.get(k) is not None}
        if not fields:
            raise NemoError("Nothing to change in the brand kit", hint="Pick a colour, a font or a logo first.")
        self._spawn(self._set_brand(fields), msg_id, reply=True)

    async def _set_brand(self, fields: dict[str, Any], received: Path | None = None) -> dict[str, Any]:
        try:
            kit = await self.studio.brand(**fields, echo=False)
        finally:
            if received is not None:  # the kit keeps its own copy of the logo
                received.unlink(missing_ok=True)
        return {"kit": brand_view(kit)}

    def _msg_js_error(self, _msg_id: Any, content: dict[str, Any], _buffers: list[bytes]) -> None:
        message = str(content.get("message") or "")[:2000]
        self.js_errors.append(message)
        log.warning("nemo_nb widget error in the browser: %s", message)

    def close(self) -> None:
        unsubscribe = getattr(self, "_unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe()
        receiver = getattr(self, "_receiver", None)
        if receiver is not None:
            receiver.abort_all()
        for task in list(getattr(self, "_tasks", ())):
            task.cancel()
        player = getattr(self, "player", None)
        if player is not None:
            player.close()
        super().close()


__all__ = ["StudioWidget"]
