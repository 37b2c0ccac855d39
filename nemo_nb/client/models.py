"""Typed views of protocol responses; each keeps the raw JSON (``.raw``) for fields we do not model.

Parsers read fields at the top level and under ``data`` (the seeds use both, see
``protocol.pick``) and never fail on missing keys: a cloud answer may be leaner than ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import protocol
from ..draft import Draft

#: Where an answer names the id the 2001 registration link binds to (``?bind=<id>``).
BIND_KEYS = ("bind_id", "bindId")


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@dataclass
class Session:
    """One editing session (``session_id``), the task it belongs to (``task_id``) and the id a
    2001 registration link binds to (``bind_id``), when the server gives one."""

    session_id: str
    task_id: str | None = None
    bind_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_response(cls, body: Any) -> Session:
        sid = protocol.pick(body, "session_id", "sessionId", "id")
        if not sid:
            from .errors import ValidationError

            raise ValidationError("The server did not return a session id", hint="Try again.")
        return cls(session_id=str(sid), task_id=_text(protocol.pick(body, "task_id", "taskId")),
                   bind_id=_text(protocol.pick(body, *BIND_KEYS)), raw=body)

    def __str__(self) -> str:
        return self.session_id


@dataclass
class Credits:
    """The balance. ``limit`` is the backend's own word when it does not enforce one (the local
    engine: "local · no limit"), and ``charged`` what the cloud would have charged so far."""

    available: float
    frozen: float
    total: float
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    limit: str | None = None
    charged: float | None = None

    @classmethod
    def from_response(cls, body: Any) -> Credits:
        available = _num(protocol.pick(body, "available", "balance"))
        frozen = _num(protocol.pick(body, "frozen"))
        total = _num(protocol.pick(body, "total"), available + frozen)
        limit = protocol.pick(body, "limit")
        charged = protocol.pick(body, "charged")
        return cls(available=available, frozen=frozen, total=total, raw=body,
                   limit=str(limit) if isinstance(limit, str) and limit else None,
                   charged=None if charged is None else _num(charged))

    def __str__(self) -> str:
        def fmt(x: float) -> str:
            return str(int(x)) if x == int(x) else f"{x:g}"

        if self.limit:
            spent = "" if self.charged is None else f" (the cloud would have charged {fmt(self.charged)} so far)"
            return f"Credits: {self.limit}{spent}"
        return f"Credits: {fmt(self.available)} available, {fmt(self.frozen)} frozen, {fmt(self.total)} total"


@dataclass
class SessionState:
    """The latest state of a session: the draft plus the media the backend knows about."""

    draft: Draft
    video_infos: list[dict[str, Any]] = field(default_factory=list)
    generated_media: list[dict[str, Any]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_response(cls, body: Any) -> SessionState:
        state = protocol.pick(body, "state", default=None)
        if not isinstance(state, dict):
            # Some answers put the state fields directly under data / at the top level.
            state = body.get("data") if isinstance(body, dict) and isinstance(body.get("data"), dict) else {}
        draft = state.get("draft")
        infos = state.get("video_infos")
        generated = state.get("generated_media")
        return cls(
            draft=Draft.from_json(draft if isinstance(draft, (dict, str)) else {}),
            video_infos=[i for i in infos if isinstance(i, dict)] if isinstance(infos, list) else [],
            generated_media=[g for g in generated if isinstance(g, dict)] if isinstance(generated, list) else [],
            raw=body if isinstance(body, dict) else {},
        )

    @property
    def summary(self) -> str:
        """The seeds' one-line timeline summary."""
        return self.draft.summary()

    def _field(self, *names: str) -> str | None:
        """A field of the answer: at the top, under ``data`` or under ``data.state``."""
        state = protocol.pick(self.raw, "state")
        return _text(protocol.pick(self.raw, *names) or (protocol.pick({"data": state}, *names)
                                                          if isinstance(state, dict) else None))

    @property
    def bind_id(self) -> str | None:
        """The id the 2001 registration link binds to, when the state carries one."""
        return self._field(*BIND_KEYS)

    @property
    def task_id(self) -> str | None:
        return self._field("task_id", "taskId")


@dataclass
class UploadedMedia:
    """One stored file as the backend describes it."""

    id: str
    name: str
    kind: str | None = None
    format: str | None = None
    url: str | None = None
    thumbnail_url: str | None = None
    size: int | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_json(cls, obj: dict[str, Any], fallback_name: str = "") -> UploadedMedia:
        media_id = obj.get("id") or obj.get("media_id") or obj.get("mediaId") or obj.get("file_id") or ""
        size = obj.get("size") or obj.get("size_bytes")
        return cls(
            id=str(media_id),
            name=str(obj.get("name") or obj.get("filename") or obj.get("file_name") or fallback_name),
            kind=obj.get("kind") or obj.get("type") or obj.get("media_type"),
            format=obj.get("format"),
            url=obj.get("url") or obj.get("file_url"),
            thumbnail_url=obj.get("thumbnail_url") or obj.get("thumbnailUrl") or obj.get("cover_url"),
            size=int(size) if isinstance(size, (int, float)) else None,
            raw=obj,
        )


@dataclass
class RenderJob:
    """A render job. ``progress`` (local engine only): fraction, frames_done, frames_total, eta_s."""

    id: str
    status: str
    url: str | None = None
    progress: dict[str, Any] | None = None
    error: str | None = None
    poll_interval_s: float | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_response(cls, body: Any, job_id: str | None = None) -> RenderJob:
        output = protocol.pick(body, "output", default={})
        url = protocol.pick(body, "url", "output_url")
        if isinstance(output, dict) and output.get("url"):
            url = output["url"]
        status = protocol.pick(body, "status", "state", default=protocol.RenderStatus.QUEUED)
        progress = protocol.pick(body, "progress")
        if isinstance(progress, (int, float)) and not isinstance(progress, bool):
            fraction = float(progress) / (100.0 if progress > 1 else 1.0)
            progress = {"fraction": fraction}
        error = protocol.pick(body, "error", "error_message", "reason")
        if isinstance(error, dict):
            error = error.get("message") or error.get("detail") or str(error)
        interval = protocol.pick(body, "poll_interval_s")
        return cls(
            id=str(protocol.pick(body, "id", "job_id", "render_id", default=job_id or "")),
            status=str(status).lower(),
            url=None if url is None else str(url),
            progress=progress if isinstance(progress, dict) else None,
            error=None if error is None else str(error),
            poll_interval_s=None if interval is None else _num(interval, 0.0) or None,
            raw=body if isinstance(body, dict) else {},
        )

    @property
    def done(self) -> bool:
        return self.status in protocol.RenderStatus.TERMINAL

    @property
    def ok(self) -> bool:
        return self.status == protocol.RenderStatus.COMPLETED
