"""ADK events (PROTOCOL.md "ADK wire format") → the typed events ``NemoClient.send`` yields.

:class:`AdkStreamParser` is pure (no I/O): feed it each decoded ``data:`` JSON object, then call
``finish()``. It shows each sentence once whether or not the server streams partials (the
aggregated non-partial repeat of a streamed turn is dropped), hides thought parts and function
calls from the text, and raises :class:`AgentStreamError` on a mid-stream ``{"error": ...}`` event.
Text is released sentence by sentence so GUI translation never sees half a phrase.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..draft import Draft
from .errors import AgentStreamError
from .intents import translate_gui


@dataclass
class TextDelta:
    """Visible text for the user (already GUI-translated), in order."""

    text: str


@dataclass
class ToolCall:
    """The agent called a tool (show as activity, never as text)."""

    id: str | None
    name: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class ToolResult:
    """A tool answered; ``state_delta`` carries state changes (e.g. ``{"draft": {...}}``)."""

    id: str | None
    name: str
    response: Any = None
    state_delta: dict[str, Any] = field(default_factory=dict)


@dataclass
class StillWorking:
    """Nothing arrived for a while; the agent is still working (``elapsed_s`` since the start)."""

    elapsed_s: float

    @property
    def text(self) -> str:
        return "⏳ Still working..."


@dataclass
class Done:
    """The reply is complete. ``silent``: the agent edited without saying anything; ``text`` then
    summarises ``changes`` (from ``Draft.describe_changes``). ``draft``: the latest draft seen."""

    text: str
    silent: bool = False
    changes: list[str] = field(default_factory=list)
    draft: Draft | None = None


Event = TextDelta | ToolCall | ToolResult | StillWorking | Done

# A sentence ends at . ! ? … followed by whitespace (kept with it; not after a digit, so "1. Video"
# in a summary line stays whole), a CJK full stop, or a newline.
_SENTENCE_END = re.compile(r"(?:(?<![0-9])[.!?…]\s+|[。！？]\s*|\n)")


def _get(obj: dict, *names: str) -> Any:
    """First present key among camelCase / snake_case spellings."""
    for name in names:
        if name in obj:
            return obj[name]
    return None


def _call_key(call_id: Any, name: str, args: Any) -> str:
    if call_id:
        return f"id:{call_id}"
    try:
        return f"na:{name}:{json.dumps(args, sort_keys=True, default=str)}"
    except (TypeError, ValueError):
        return f"na:{name}:{args!r}"


class AdkStreamParser:
    """Turns a sequence of ADK event dicts into :data:`Event` objects (see module docstring)."""

    def __init__(self, translate: bool = True) -> None:
        self._translate = translate
        self._turn_partial_text = ""  # streamed text of the current turn, to drop its aggregate
        self._pending = ""  # text not yet released (no sentence end seen)
        self._turn_ended = False  # the last complete event closed a turn
        self._seen_calls: set[str] = set()
        self._seen_results: set[str] = set()
        self.text_parts: list[str] = []  # everything released, for Done.text
        self.tool_calls = 0
        self.tool_results = 0
        self.draft: Draft | None = None
        self.state_delta: dict[str, Any] = {}
        self.events_seen = 0

    # --- text --------------------------------------------------------------------------------
    def _release(self, text: str) -> list[Event]:
        if self._translate:
            text = translate_gui(text)
        if not text:
            return []
        if self._turn_ended and self.text_parts and not self.text_parts[-1][-1:].isspace() \
                and not text[:1].isspace():
            text = "\n" + text  # a new model turn starts on its own line
        self._turn_ended = False
        self.text_parts.append(text)
        return [TextDelta(text)]

    def _push_text(self, text: str) -> list[Event]:
        self._pending += text
        last_end = None
        for match in _SENTENCE_END.finditer(self._pending):
            last_end = match.end()
        if last_end is None:
            return []
        out, self._pending = self._pending[:last_end], self._pending[last_end:]
        return self._release(out)

    def _flush(self) -> list[Event]:
        out, self._pending = self._pending, ""
        return self._release(out) if out else []

    # --- events ------------------------------------------------------------------------------
    def feed(self, event: Any) -> list[Event]:
        """Typed events for one ADK event; raises AgentStreamError for an error event."""
        if not isinstance(event, dict):
            return []
        self.events_seen += 1
        self._check_error(event)
        partial = bool(event.get("partial"))
        content = event.get("content") if isinstance(event.get("content"), dict) else {}
        parts = content.get("parts") if isinstance(content.get("parts"), list) else []
        text = ""
        activity: list[Event] = []
        for part in parts:
            if not isinstance(part, dict):
                continue
            if isinstance(part.get("text"), str) and not part.get("thought"):
                text += part["text"]
            call = _get(part, "functionCall", "function_call")
            if isinstance(call, dict):
                activity.extend(self._tool_call(call))
            resp = _get(part, "functionResponse", "function_response")
            if isinstance(resp, dict):
                activity.extend(self._tool_result(resp, event))
        self._absorb_state(event)

        out: list[Event] = []
        if partial:
            self._turn_partial_text += text
            out += self._push_text(text) if text else []
            if activity:  # the turn's words come before the tool it calls
                out += self._flush()
        else:
            streamed, self._turn_partial_text = self._turn_partial_text, ""
            # A complete event ends the turn: release everything held. For the aggregated repeat
            # of a streamed turn, only what the chunks missed (normally nothing) is added.
            if streamed:
                self._pending += text[len(streamed):] if text.startswith(streamed) else ""
            else:
                self._pending += text
            out += self._flush()
            self._turn_ended = True
        return out + activity

    def _check_error(self, event: dict) -> None:
        error = event.get("error")
        code = _get(event, "errorCode", "error_code")
        if error is None and not (code and _get(event, "errorMessage", "error_message")):
            return
        details = _get(event, "error_details", "errorDetails")
        message = None
        if isinstance(details, dict):
            message = details.get("error_message") or details.get("errorMessage")
        if message is None:
            message = error if error is not None else _get(event, "errorMessage", "error_message")
        if isinstance(message, dict):
            message = message.get("message") or json.dumps(message)
        raise AgentStreamError(f"The agent failed while answering: {message}")

    def _tool_call(self, call: dict) -> list[Event]:
        name = str(call.get("name") or "")
        args = call.get("args") if isinstance(call.get("args"), dict) else {}
        key = _call_key(call.get("id"), name, args)
        if key in self._seen_calls:
            return []
        self._seen_calls.add(key)
        self.tool_calls += 1
        return [ToolCall(id=call.get("id"), name=name, args=args)]

    def _tool_result(self, resp: dict, event: dict) -> list[Event]:
        name = str(resp.get("name") or "")
        key = _call_key(resp.get("id"), name, resp.get("response"))
        if key in self._seen_results:
            return []
        self._seen_results.add(key)
        self.tool_results += 1
        actions = event.get("actions") if isinstance(event.get("actions"), dict) else {}
        delta = _get(actions, "stateDelta", "state_delta")
        return [ToolResult(id=resp.get("id"), name=name, response=resp.get("response"),
                           state_delta=dict(delta) if isinstance(delta, dict) else {})]

    def _absorb_state(self, event: dict) -> None:
        actions = event.get("actions") if isinstance(event.get("actions"), dict) else {}
        delta = _get(actions, "stateDelta", "state_delta")
        if isinstance(delta, dict) and delta:
            self.state_delta.update(delta)
            if isinstance(delta.get("draft"), (dict, str)):
                self.draft = Draft.from_json(delta["draft"])

    def finish(self) -> list[Event]:
        """Release any text still held (the stream ended mid-sentence)."""
        self._turn_partial_text = ""
        return self._flush()

    @property
    def text(self) -> str:
        """All visible text so far."""
        return "".join(self.text_parts).strip()

    @property
    def had_text(self) -> bool:
        return bool(self.text)


__all__ = ["AdkStreamParser", "Done", "Event", "StillWorking", "TextDelta", "ToolCall", "ToolResult"]
