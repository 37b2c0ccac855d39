"""What a Studio operation reports, and the state those reports build: typed, in one place.

Operations run on nemo_nb's worker loop and *emit* :data:`StudioEvent` values; on the caller's
thread :func:`apply` folds each one into the :class:`StudioState` (the one place that decides what
an event means for the view) and returns the names of the fields it changed. Listeners — the
widget, a test — are told ``(field, new value)`` for each changed field, so the widget mirrors the
state field by field. :mod:`.echo` prints the same events in a cell. Every event kind is handled in
both places (``assert_never`` makes a new kind a type error until it is).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..brand import BrandKit
from ..client import NemoError, NoCreditsError
from ..client.models import UploadedMedia
from ..draft import Draft

try:  # Python 3.11+
    from typing import assert_never
except ImportError:  # pragma: no cover - Python 3.10
    from typing_extensions import assert_never


# --- events (worker → caller) ----------------------------------------------------------------------
@dataclass(frozen=True)
class UserSaid:
    """The user's request, as sent (opens a pending agent message in the chat)."""

    text: str


@dataclass(frozen=True)
class AgentText:
    """A piece of the agent's streamed answer (already GUI-translated)."""

    text: str


@dataclass(frozen=True)
class AgentDone:
    """The answer is complete; ``silent``: the text was written here (a silent edit, a shortcut)."""

    text: str
    changes: tuple[str, ...] = ()
    silent: bool = False


@dataclass(frozen=True)
class StillWorking:
    """Nothing new for a while; the agent is still working."""

    elapsed_s: float


@dataclass(frozen=True)
class AgentActivity:
    """The agent called one of its tools (shown as "Editing the timeline…", never by its name)."""

    tool: str


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not the agent's answer (a renewed session, a file added)."""

    text: str


@dataclass(frozen=True)
class Failure:
    """An operation failed: what happened, what to do, and a link when there is one."""

    message: str
    hint: str = ""
    link: str = ""
    link_text: str = ""

    @classmethod
    def of(cls, err: BaseException) -> Failure:
        if isinstance(err, NemoError):
            link = err.register_url if isinstance(err, NoCreditsError) and err.register_url else ""
            return cls(err.message, err.hint, link, "Register to get more credits" if link else "")
        return cls(f"{type(err).__name__}: {err}")

    def payload(self) -> dict[str, Any]:
        return {k: v for k, v in (("message", self.message), ("hint", self.hint), ("link", self.link),
                                  ("link_text", self.link_text)) if v or k in ("message", "hint")}


@dataclass(frozen=True)
class Busy:
    """Work of a kind (``thinking`` | ``rendering`` | ``uploading``) started (+1) or ended (-1)."""

    what: str
    delta: int


@dataclass(frozen=True)
class RenderChanged:
    """A render's progress or outcome (``state``: queued | running | completed | failed | ...)."""

    render: dict[str, Any]


@dataclass(frozen=True)
class CreditsChanged:
    available: float
    frozen: float
    total: float
    limit: str | None = None  # "local · no limit" where the backend never refuses for credits


@dataclass(frozen=True)
class DraftChanged:
    draft: Draft


@dataclass(frozen=True)
class MediaChanged:
    media: tuple[UploadedMedia, ...]


@dataclass(frozen=True)
class SessionChanged:
    session_id: str


@dataclass(frozen=True)
class BrandChanged:
    """The user's brand kit was set or cleared (``studio.brand``, the widget's brand panel)."""

    kit: BrandKit


StudioEvent = (UserSaid | AgentText | AgentDone | StillWorking | AgentActivity | Notice | Failure | Busy
               | RenderChanged | CreditsChanged | DraftChanged | MediaChanged | SessionChanged | BrandChanged)
EVENT_KINDS: tuple[type, ...] = StudioEvent.__args__  # type: ignore[attr-defined]

#: What the chat shows while a tool runs: one phrase, whatever the tool is called.
ACTIVITY_TEXT = "Editing the timeline…"
_BUSY_ORDER = ("thinking", "rendering", "uploading")


# --- state (caller side) -----------------------------------------------------------------------------
@dataclass
class StudioState:
    """What a view of the Studio shows. The widget has one synced trait per field."""

    session_id: str = ""
    chat: list[dict[str, Any]] = field(default_factory=list)
    busy: str = ""
    still_working: bool = False
    activity: str = ""
    draft: Draft = field(default_factory=Draft)
    media: list[UploadedMedia] = field(default_factory=list)
    render: dict[str, Any] = field(default_factory=lambda: {"state": "idle"})
    credits: dict[str, Any] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)
    brand: BrandKit = field(default_factory=BrandKit)
    active: Counter[str] = field(default_factory=Counter, repr=False)

    def edit_pending(self, change: Any) -> bool:
        """Apply ``change`` to the last pending chat message; False when there is none."""
        for i in range(len(self.chat) - 1, -1, -1):
            if self.chat[i].get("pending"):
                self.chat = [*self.chat[:i], change(self.chat[i]), *self.chat[i + 1:]]
                return True
        return False

    def close_pending(self, entry: dict[str, Any]) -> None:
        """End the pending answer (dropping it if empty) and add ``entry``."""
        chat = [m for m in self.chat if not (m.get("pending") and not m.get("text"))]
        self.chat = [*({**m, "pending": False} if m.get("pending") else m for m in chat), entry]


#: The fields a view mirrors (``active`` is bookkeeping for ``busy``).
STATE_FIELDS = tuple(f for f in StudioState.__dataclass_fields__ if f != "active")


def apply(state: StudioState, event: StudioEvent) -> tuple[str, ...]:
    """Fold ``event`` into ``state``; returns the names of the fields that changed."""
    if isinstance(event, UserSaid):
        state.chat = [*state.chat, {"role": "user", "text": event.text},
                      {"role": "agent", "text": "", "pending": True}]
        return ("chat",)
    if isinstance(event, AgentText):
        return ("chat",) if state.edit_pending(lambda m: {**m, "text": m["text"] + event.text}) else ()
    if isinstance(event, AgentDone):
        state.still_working, state.activity = False, ""
        state.edit_pending(lambda m: {**m, "text": m["text"] or event.text, "changes": list(event.changes),
                                      "pending": False})
        return ("chat", "still_working", "activity")
    if isinstance(event, StillWorking):
        state.still_working = True
        return ("still_working",)
    if isinstance(event, AgentActivity):
        state.activity = ACTIVITY_TEXT
        return ("activity",)
    if isinstance(event, (Notice, Failure)):
        entry = {"role": "info", "text": event.text} if isinstance(event, Notice) else {
            "role": "error", "text": event.message, **{k: v for k, v in event.payload().items() if k != "message" and v}}
        state.still_working, state.activity = False, ""
        state.close_pending(entry)
        return ("chat", "still_working", "activity")
    if isinstance(event, Busy):
        state.active[event.what] += event.delta
        state.busy = next((w for w in _BUSY_ORDER if state.active[w] > 0), "")
        return ("busy",)
    if isinstance(event, RenderChanged):
        state.render = dict(event.render)
        return ("render",)
    if isinstance(event, CreditsChanged):
        state.credits = {"available": event.available, "frozen": event.frozen, "total": event.total,
                         "limit": event.limit}
        return ("credits",)
    if isinstance(event, DraftChanged):
        state.draft = event.draft
        return ("draft",)
    if isinstance(event, MediaChanged):
        state.media = list(event.media)
        return ("media",)
    if isinstance(event, SessionChanged):
        state.session_id = event.session_id
        return ("session_id",)
    if isinstance(event, BrandChanged):
        state.brand = event.kit
        return ("brand",)
    assert_never(event)


__all__ = [
    "ACTIVITY_TEXT", "EVENT_KINDS", "STATE_FIELDS", "AgentActivity", "AgentDone", "AgentText", "BrandChanged", "Busy",
    "CreditsChanged", "DraftChanged", "Failure", "MediaChanged", "Notice", "RenderChanged", "SessionChanged",
    "StillWorking", "StudioEvent", "StudioState", "UserSaid", "apply",
]
