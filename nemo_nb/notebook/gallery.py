"""A campaign's gallery (anywidget): variant cards filling in live, play inline, tick to pick.

Same conventions as the studio widget (``widget.py`` + ``js/channel.js``): card state lives in synced
traits; posters and MP4s travel down the ``msg:custom`` channel as binary buffers (``thumb`` and
``video_chunk`` messages keyed by the variant's name) and become Blob URLs in the browser, so a
remote JupyterLab works the same as a local one. Picks are a synced trait, shared with
``campaign.picked``.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from . import _bundle
from .media_channel import send_file

STATIC = _bundle.STATIC

if TYPE_CHECKING:
    from ..campaign import Campaign

log = logging.getLogger("nemo_nb.notebook")
CARD_KEYS = ("variant", "direction", "format", "title", "caption", "status", "error", "fraction", "duration_s",
             "width", "height", "size_mb", "render_s")


_bundle.ensure_built("gallery.js")


def card(row: dict[str, Any]) -> dict[str, Any]:
    """What a card shows (JSON-safe; the poster travels separately as bytes)."""
    out = {k: row.get(k) for k in CARD_KEYS}
    for key, value in out.items():
        if isinstance(value, float) and value != value:  # NaN → null
            out[key] = None
    out["has_poster"] = bool(row.get("poster"))
    return out


class GalleryWidget(anywidget.AnyWidget):
    """Made by ``campaign.gallery()``; displaying a campaign (or its results) shows it."""

    _esm = STATIC / "gallery.js"
    _css = STATIC / "widget.css"

    _uid = traitlets.Unicode().tag(sync=True)
    _ready = traitlets.Bool(False).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    cards = traitlets.List(traitlets.Dict()).tag(sync=True)
    summary = traitlets.Dict().tag(sync=True)
    picked = traitlets.List(traitlets.Unicode()).tag(sync=True)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(_uid=uuid.uuid4().hex)
        self.campaign = campaign
        self.save_dir: Path | None = None
        self._queue: list[tuple[dict[str, Any], list[bytes]]] = []
        self._sent_posters: set[str] = set()
        with self.hold_sync():
            self.title = f"Campaign · {len(campaign.rows)} variants"
            self.cards = [card(r) for r in campaign.rows]
            self.summary = campaign.progress()
            self.picked = sorted(campaign.picked)
        self._unsubscribe = campaign.subscribe(self._on_campaign)
        self.observe(self._on_picked, names="picked")
        self.observe(self._flush, names="_ready")
        self.on_msg(self._on_custom)
        for row in campaign.rows:
            self._push_poster(row)

    # --- campaign → browser ---------------------------------------------------------------------------
    def _on_campaign(self, kind: str, data: Any) -> None:
        if kind == "row":
            row = self.campaign.rows[data]
            cards = list(self.cards)
            cards[data] = card(row)
            self.cards = cards
            self._push_poster(row)
        elif kind == "progress":
            self.summary = dict(data)
        elif kind == "picked" and sorted(data) != sorted(self.picked):
            self.picked = list(data)

    def _deliver(self, content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        if self._ready:
            self.send(content, buffers=buffers or None)
        else:
            self._queue.append((content, buffers or []))

    def _flush(self, change: dict[str, Any]) -> None:
        if change.get("new"):
            queued, self._queue = self._queue, []
            for content, buffers in queued:
                self.send(content, buffers=buffers or None)

    def _push_poster(self, row: dict[str, Any]) -> None:
        name, jpeg = row["variant"], row.get("poster")
        if jpeg and name not in self._sent_posters:
            self._sent_posters.add(name)
            self._deliver({"kind": "thumb", "media_id": name, "mime": "image/jpeg"}, [jpeg])

    def send_video(self, name: str) -> None:
        """The variant's MP4 down the channel in chunks (a Blob URL in the browser)."""
        row = next((r for r in self.campaign.rows if r["variant"] == name), None)
        path = row.get("path") if row else None
        remote = path is not None and "://" in str(path)
        send_file(self._deliver, name, None if remote else path)

    # --- browser → campaign ---------------------------------------------------------------------------
    def _on_picked(self, change: dict[str, Any]) -> None:
        names = set(change["new"])
        if names != self.campaign.picked:
            self.campaign.pick(*names, only=True)

    def _on_custom(self, _widget: Any, content: Any, _buffers: list[Any]) -> None:
        if not isinstance(content, dict):
            return
        kind, msg_id = content.get("kind"), content.get("id")
        try:
            if kind == "need_video":
                self.send_video(str(content.get("render_id") or ""))
            elif kind == "need_thumb":
                self._sent_posters.discard(str(content.get("media_id") or ""))
                for row in self.campaign.rows:
                    if row["variant"] == content.get("media_id"):
                        self._push_poster(row)
            elif kind == "cancel":
                self.campaign.cancel()
            elif kind == "save_picked":
                if isinstance(content.get("picked"), list):  # what the user saw ticked when clicking
                    self.campaign.pick(*map(str, content["picked"]), only=True)
                dest = self.save_dir or Path.cwd() / f"{self.campaign.id}_picked"
                path = self.campaign.to_folder(dest, picked=True)
                self._reply(msg_id, {"path": str(path), "files": len(self.campaign.picked)})
            elif kind == "js_error":
                log.warning("nemo_nb gallery error in the browser: %s", str(content.get("message"))[:2000])
        except Exception as err:
            self._reply(msg_id, error=err)

    def _reply(self, msg_id: Any, data: dict[str, Any] | None = None, error: BaseException | None = None) -> None:
        if msg_id is None:
            return
        if error is None:
            self.send({"kind": "reply", "id": msg_id, "ok": True, "data": data or {}})
        else:
            self.send({"kind": "reply", "id": msg_id, "ok": False, "error": {"message": str(error), "hint": ""}})

    def close(self) -> None:
        unsubscribe = getattr(self, "_unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe()
        super().close()


__all__ = ["GalleryWidget"]
