"""ADK events and their SSE framing, exactly as PROTOCOL.md's "ADK wire format".

Each event is one ``data: <compact JSON>\\n\\n`` frame: no ``event:``/``id:`` lines, no comments,
no heartbeats, raw UTF-8. Keys are camelCase, None values are left out, empty dicts are kept.
With ``streaming`` a model turn is sent as partial text chunks, a partial event holding just the
function call (if any), then one non-partial event repeating the whole turn; without it, one event
per turn with no ``partial`` key.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import StreamingResponse

AUTHOR = "nemo_agent"


def frame(event: dict[str, Any]) -> bytes:
    """One SSE frame."""
    return b"data: " + json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n\n"


def new_call_id() -> str:
    return "adk-" + str(uuid.uuid4())


@dataclass
class EventWriter:
    """Builds the events of one invocation (one ``/run_sse`` request)."""

    streaming: bool
    invocation_id: str = field(default_factory=lambda: "e-" + str(uuid.uuid4()))

    def _event(self, content: dict[str, Any] | None, *, partial: bool | None = None,
               state_delta: dict[str, Any] | None = None, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        event: dict[str, Any] = {}
        if content is not None:
            event["content"] = content
        if partial is not None:
            event["partial"] = partial
        event["invocationId"] = self.invocation_id
        event["author"] = AUTHOR
        event["actions"] = {"stateDelta": state_delta or {}, "artifactDelta": {}}
        if extra:
            event.update(extra)
        event["id"] = str(uuid.uuid4())
        event["timestamp"] = time.time()
        return event

    def model_turn(self, text: str, call: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """A model turn: text (streamed in chunks when streaming) and an optional function call."""
        call_part = {"functionCall": call} if call else None
        events: list[dict[str, Any]] = []
        if self.streaming:
            chunks = split_chunks(text)
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1 and call_part is None
                events.append(self._event({"parts": [{"text": chunk}], "role": "model"}, partial=True,
                                          extra={"finishReason": "STOP"} if last else None))
            if call_part:
                events.append(self._event({"parts": [call_part], "role": "model"}, partial=True))
        parts: list[dict[str, Any]] = []
        if text:
            parts.append({"text": text})
        if call_part:
            parts.append(call_part)
        if not parts:
            return events
        events.append(self._event({"parts": parts, "role": "model"}, partial=False if self.streaming else None))
        return events

    def function_response(self, call: dict[str, Any], response: dict[str, Any],
                          state_delta: dict[str, Any] | None = None) -> dict[str, Any]:
        """The tool's answer: role ``user``, author the agent, state changes on ``stateDelta``."""
        part = {"functionResponse": {"id": call["id"], "name": call["name"], "response": response}}
        return self._event({"parts": [part], "role": "user"}, state_delta=state_delta)

    @staticmethod
    def error(exc: BaseException) -> dict[str, Any]:
        """The mid-stream error event: top-level ``error``, no ``content``."""
        message = str(exc) or type(exc).__name__
        return {"error": f"{type(exc).__name__}: {message}",
                "error_details": {"error_type": type(exc).__name__, "error_message": message}}


def split_chunks(text: str, words: int = 6) -> list[str]:
    """Split text into chunks of a few words whose concatenation is exactly ``text``."""
    if not text:
        return []
    pieces = re.findall(r"\S+\s*|\s+", text)
    if len(pieces) <= 1 and len(text) > 24:  # CJK text has no spaces: cut by characters
        return [text[i:i + 12] for i in range(0, len(text), 12)]
    return ["".join(pieces[i:i + words]) for i in range(0, len(pieces), words)]


def sse_response(frames: Iterator[bytes]) -> StreamingResponse:
    """A chunked ``text/event-stream; charset=utf-8`` response over ready-made frames."""
    return StreamingResponse(frames, media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
