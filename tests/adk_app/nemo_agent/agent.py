"""A scripted ADK agent: real ADK Events, no model. The message picks the script.

- "edit ...":   streamed text (partials + aggregated repeat), a function call + response carrying
                a draft in ``stateDelta``, then a second turn.
- "silent ...": only a function call and its response (a silent edit).
- "slow ...":   a sentence, 5 seconds of silence, a sentence.
- "fail ...":   a sentence, then an exception (ADK ends the stream with an ``{"error": ...}`` event).

Partial events are emitted only when the request asked for ``"streaming": true``, as an LLM agent
would. Runs in a separate venv with google-adk installed (see tests/test_client_adk.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

from google.adk.agents import BaseAgent
from google.adk.agents.invocation_context import InvocationContext
from google.adk.agents.run_config import StreamingMode
from google.adk.events import Event, EventActions
from google.genai import types

DRAFT_30S = {
    "t": [{"tt": 0, "sg": [{"d": 15000, "m": {"type": "photo", "src": "a"}},
                           {"d": 15000, "m": {"type": "photo", "src": "b"}}]}],
    "m": {"w": 1920, "h": 1080, "fps": 30},
}


class ScriptedAgent(BaseAgent):
    """Yields the events of one script; see the module docstring."""

    def _event(self, ctx: InvocationContext, parts: list[types.Part], *, role: str = "model",
               partial: bool | None = None, **actions: object) -> Event:
        return Event(
            invocation_id=ctx.invocation_id,
            author=self.name,
            content=types.Content(role=role, parts=parts),
            partial=partial,
            actions=EventActions(**actions),
        )

    async def _turn(self, ctx: InvocationContext, chunks: list[str],
                    call: types.FunctionCall | None = None) -> AsyncGenerator[Event, None]:
        streaming = ctx.run_config.streaming_mode == StreamingMode.SSE
        if streaming:
            for chunk in chunks:
                yield self._event(ctx, [types.Part(text=chunk)], partial=True)
                await asyncio.sleep(0.05)
            if call is not None:
                yield self._event(ctx, [types.Part(function_call=call)], partial=True)
        parts = [types.Part(text="".join(chunks))]
        if call is not None:
            parts.append(types.Part(function_call=call))
        yield self._event(ctx, parts, partial=False if streaming else None)

    async def _run_async_impl(self, ctx: InvocationContext) -> AsyncGenerator[Event, None]:
        text = ""
        if ctx.user_content and ctx.user_content.parts:
            text = "".join(p.text or "" for p in ctx.user_content.parts).lower()
        if text.startswith("edit"):
            call = types.FunctionCall(id="adk-call-1", name="set_duration", args={"seconds": 30})
            async for event in self._turn(ctx, ["Got it — making it ", "30 seconds. ", "Adding music."], call):
                yield event
            yield self._event(ctx, [types.Part(function_response=types.FunctionResponse(
                id="adk-call-1", name="set_duration", response={"ok": True}))], role="user",
                state_delta={"draft": DRAFT_30S})
            async for event in self._turn(ctx, ["Done! ", "Your timeline is ready."]):
                yield event
        elif text.startswith("silent"):
            call = types.FunctionCall(id="adk-call-2", name="set_duration", args={"seconds": 30})
            yield self._event(ctx, [types.Part(function_call=call)])
            yield self._event(ctx, [types.Part(function_response=types.FunctionResponse(
                id="adk-call-2", name="set_duration", response={"ok": True}))], role="user",
                state_delta={"draft": DRAFT_30S}, skip_summarization=True)
        elif text.startswith("slow"):
            async for event in self._turn(ctx, ["Thinking about it."]):
                yield event
            await asyncio.sleep(5.0)
            async for event in self._turn(ctx, ["Here it is."]):
                yield event
        elif text.startswith("fail"):
            async for event in self._turn(ctx, ["Working on it. "]):
                yield event
            raise RuntimeError("scripted failure in the render planner")
        else:
            async for event in self._turn(ctx, ["Say edit, silent, slow or fail."]):
                yield event


root_agent = ScriptedAgent(name="nemo_agent", description="Scripted no-LLM agent for client tests.")
