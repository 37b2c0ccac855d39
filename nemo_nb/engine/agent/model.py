"""The agent's public data types: what the engine passes in and what it gets back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nemo_nb.draft import Draft


@dataclass
class MediaItem:
    """One uploaded file, as the engine's store knows it (``video_infos[]``)."""

    id: str
    name: str
    kind: str  # "photo" | "video" | "audio"
    width: int | None = None
    height: int | None = None
    duration_ms: int | None = None


@dataclass
class AgentContext:
    """Everything a turn may read: the current draft, the session's media, undo/redo targets."""

    draft: Draft
    media: list[MediaItem] = field(default_factory=list)
    undo_draft: Draft | None = None
    redo_draft: Draft | None = None
    #: Whether the video's font draws a character (the engine passes the renderer's ``has_glyph``; the
    #: agent never imports the renderer). None: emoji and other symbols count as not drawable.
    has_glyph: Callable[[str], bool] | None = None
    #: The conversation's language so far ("zh"/"en"; None: none yet). The engine keeps it per session from
    #: the previous user turns (``lang.conversation_language``); a message with no language of its own
    #: ("export", "ok", "👍") is answered in it.
    language: str | None = None


@dataclass
class Operation:
    """One edit: becomes one ADK functionCall + functionResponse (draft in ``stateDelta``)."""

    name: str
    args: dict[str, Any]
    draft: Draft
    summary: str


@dataclass
class AgentReply:
    """The answer to one request. ``draft == ctx.draft`` and ``cost == 0`` when nothing changed."""

    language: str  # "en" | "zh"
    intro: str
    operations: list[Operation]
    closing: str
    understood: bool
    action: str | None  # None | "undo" | "redo" | "export" | "credits" | "status"
    draft: Draft
    cost: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.operations)

    @property
    def text(self) -> str:
        """Intro and closing as one message (for logs and simple clients)."""
        return "\n".join(part for part in (self.intro, self.closing) if part)


@dataclass
class Intent:
    """A parsed request part, before it is applied: op name, arguments, where it was said."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    pos: int = 0


@dataclass
class Parsed:
    """What the understanding pipeline made of one request, before anything is applied."""

    language: str
    intents: list[Intent] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    fixes: list[tuple[str, str]] = field(default_factory=list)
    vague: bool = False
    #: Things the resolution stage wants said: ("distractor", {...}), ("reading", {...}), ("span", {...}).
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
