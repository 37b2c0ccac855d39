"""Kernel-side async client for the NemoVideo protocol (shared/PROTOCOL.md).

``async with NemoClient() as client:`` talks to the cloud or to the embedded engine alike; the
events of ``client.send()`` and the errors below are the whole surface the notebook layer uses::

    async with NemoClient("http://127.0.0.1:8765") as client:
        session = await client.create_session()
        await client.upload(session.session_id, "a.jpg", "b.jpg", progress=print)
        async for event in client.send(session.session_id, "a 15 second video with music"):
            if isinstance(event, TextDelta):
                print(event.text, end="")
        job = await client.export(session.session_id)
        await client.download(job.url, "video.mp4")

Failures are :class:`NemoError` subclasses; ``str(err)`` is one line with what to do.
"""

from __future__ import annotations

from ._retry import RetryPolicy
from .client import NemoClient
from .errors import (
    AgentStreamError,
    FileTooLargeError,
    MissingClientIdError,
    NemoConnectionError,
    NemoError,
    NemoTimeoutError,
    NoCreditsError,
    NotSupportedError,
    PlanRequiredError,
    RateLimitedError,
    RenderFailed,
    SessionNotFoundError,
    TokenInvalidError,
    UnsupportedFileError,
    ValidationError,
)
from .events import AdkStreamParser, Done, Event, StillWorking, TextDelta, ToolCall, ToolResult
from .intents import detect_intent, translate_gui
from .models import Credits, RenderJob, Session, SessionState, UploadedMedia

__all__ = [
    "AdkStreamParser",
    "AgentStreamError",
    "Credits",
    "Done",
    "Event",
    "FileTooLargeError",
    "MissingClientIdError",
    "NemoClient",
    "NemoConnectionError",
    "NemoError",
    "NemoTimeoutError",
    "NoCreditsError",
    "NotSupportedError",
    "PlanRequiredError",
    "RateLimitedError",
    "RenderFailed",
    "RenderJob",
    "RetryPolicy",
    "Session",
    "SessionNotFoundError",
    "SessionState",
    "StillWorking",
    "TextDelta",
    "TokenInvalidError",
    "ToolCall",
    "ToolResult",
    "UnsupportedFileError",
    "UploadedMedia",
    "ValidationError",
    "detect_intent",
    "translate_gui",
]
