"""``NemoClient.send`` over a real SSE socket: both stream shapes, silent edits, errors, silences."""

from __future__ import annotations

import time

import pytest

from nemo_nb.client import (
    AgentStreamError,
    Done,
    NemoClient,
    NemoConnectionError,
    NemoTimeoutError,
    SessionNotFoundError,
    StillWorking,
    TextDelta,
    ToolCall,
    ToolResult,
)
from nemo_nb.draft import Draft
from tests._support.scripted import (
    Drop,
    Json,
    Pause,
    ScriptedServer,
    Sse,
    adk_call,
    adk_error,
    adk_response,
    adk_text,
    ok,
)

pytestmark = pytest.mark.anyio

SID = "sess-1"
STATE = f"/api/state/nemo_agent/me/{SID}/latest"

DRAFT_10S = {"t": [{"tt": 0, "sg": [{"d": 5000, "m": {"type": "photo", "src": "a"}},
                                    {"d": 5000, "m": {"type": "photo", "src": "b"}}]}],
             "m": {"w": 1920, "h": 1080, "fps": 30}}
DRAFT_30S = {"t": [{"tt": 0, "sg": [{"d": 15000, "m": {"type": "photo", "src": "a"}},
                                    {"d": 15000, "m": {"type": "photo", "src": "b"}}]},
                   {"tt": 1, "sg": [{"d": 30000, "m": {"type": "music", "name": "Lo-fi", "volume": 0.35}}],
                    "m": {"role": "bgm"}}],
             "m": {"w": 1920, "h": 1080, "fps": 30}, "cloud_extra": {"keep": True}}


@pytest.fixture
def srv(server: ScriptedServer) -> ScriptedServer:
    server.reset()
    server.on("POST", "/api/auth/anonymous-token", ok({"token": "anon-tok-123456"}))
    server.on("GET", STATE, ok({"state": {"draft": DRAFT_10S, "video_infos": [], "generated_media": []}}))
    return server


def client_for(srv: ScriptedServer, **kw) -> NemoClient:
    kw.setdefault("still_working_after", 30.0)
    return NemoClient(srv.url, **kw)


async def collect(client: NemoClient, text: str = "make it 30 seconds") -> list:
    return [e async for e in client.send(SID, text)]


def texts(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


# Two turns, streamed: partial chunks, a partial functionCall, the aggregated repeat; then a
# functionResponse with the new draft; then the second turn the same way.
STREAMED = [
    adk_text("Got it — building a ", partial=True),
    adk_text("30-second video. ", partial=True),
    adk_text("Adding music.", partial=True),
    adk_call("adk-1", "set_duration", {"seconds": 30}, partial=True),
    adk_call("adk-1", "set_duration", {"seconds": 30}, partial=False,
             text="Got it — building a 30-second video. Adding music."),
    adk_response("adk-1", "set_duration", {"ok": True}, {"draft": DRAFT_30S}),
    adk_text("Done! ", partial=True),
    adk_text("Your timeline is ready.", partial=True),
    adk_text("Done! Your timeline is ready.", partial=False),
]

UNSTREAMED = [
    adk_call("adk-1", "set_duration", {"seconds": 30}, text="Got it — building a 30-second video. Adding music."),
    adk_response("adk-1", "set_duration", {"ok": True}, {"draft": DRAFT_30S}),
    adk_text("Done! Your timeline is ready."),
]


@pytest.mark.parametrize("script", [STREAMED, UNSTREAMED], ids=["partials+aggregate", "no-partials"])
async def test_each_sentence_once_and_calls_hidden(srv: ScriptedServer, script: list) -> None:
    srv.on("POST", "/run_sse", Sse(script))
    async with client_for(srv) as client:
        events = await collect(client)
    shown = texts(events)
    assert shown == "Got it — building a 30-second video. Adding music.\nDone! Your timeline is ready."
    assert shown.count("30-second") == 1 and shown.count("Done!") == 1
    assert "set_duration" not in shown
    calls = [e for e in events if isinstance(e, ToolCall)]
    results = [e for e in events if isinstance(e, ToolResult)]
    assert [(c.id, c.name, c.args) for c in calls] == [("adk-1", "set_duration", {"seconds": 30})]
    assert results[0].state_delta["draft"] == DRAFT_30S
    done = events[-1]
    assert isinstance(done, Done) and not done.silent
    assert done.text == "Got it — building a 30-second video. Adding music.\nDone! Your timeline is ready."
    assert done.draft == Draft.from_json(DRAFT_30S)
    assert done.draft.to_json() == DRAFT_30S  # unknown keys survive
    assert any("10s → 30s" in c for c in done.changes)
    # The request is exactly the ADK body, with streaming on and attribution headers.
    req = srv.seen("POST", "/run_sse")[0]
    assert req.json == {"app_name": "nemo_agent", "user_id": "me", "session_id": SID,
                        "new_message": {"role": "user", "parts": [{"text": "make it 30 seconds"}]},
                        "streaming": True}
    assert req.headers["accept"] == "text/event-stream"
    assert req.headers["authorization"] == "Bearer anon-tok-123456"
    assert req.headers["x-skill-source"] == "nemo-nb" and req.headers["x-skill-platform"] == "jupyter"
    assert req.headers["x-skill-version"]


async def test_thought_parts_hidden_and_text_streams_by_sentence(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([
        adk_text("planning the cut…", partial=True, thought=True),
        adk_text("First sentence. Sec", partial=True),
        Pause(0.4),
        adk_text("ond sentence.", partial=True),
        adk_text("First sentence. Second sentence.", partial=False),
    ]))
    async with client_for(srv) as client:
        stamps = []
        async for event in client.send(SID, "hi"):
            stamps.append((time.monotonic(), event))
    deltas = [(t, e.text) for t, e in stamps if isinstance(e, TextDelta)]
    assert [d for _, d in deltas] == ["First sentence. ", "Second sentence."]
    assert deltas[1][0] - deltas[0][0] >= 0.3  # the first sentence arrived before the pause ended
    assert "planning" not in "".join(d for _, d in deltas)


async def test_gui_talk_is_translated(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("All set. Click the Export button to download it.")]))
    async with client_for(srv) as client:
        text = await client.reply(SID, "ok")
    assert text == 'All set. Say "export" to download it.'


async def test_silent_edit_fetches_state_and_summarises(srv: ScriptedServer) -> None:
    srv.on("GET", STATE,
           ok({"state": {"draft": DRAFT_10S}}),
           ok({"state": {"draft": DRAFT_30S}}))
    srv.on("POST", "/run_sse", Sse([
        adk_call("adk-7", "set_duration", {"seconds": 30}),
        {**adk_response("adk-7", "set_duration", {"ok": True}), "actions": {"skipSummarization": True}},
    ]))
    async with client_for(srv) as client:
        events = await collect(client)
    assert not [e for e in events if isinstance(e, TextDelta)]
    done = events[-1]
    assert isinstance(done, Done) and done.silent
    assert "Length: 10s → 30s" in done.changes
    assert done.text.startswith("Updated the timeline: Length: 10s → 30s")
    assert "Timeline (2 tracks): 1. Video: 2 photos (0-30s) 2. BGM: Lo-fi (0-30s, 35%)" in done.text
    assert len(srv.seen("GET", STATE)) == 2  # before and after


async def test_silent_stream_without_change_says_so(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([]))
    async with client_for(srv) as client:
        done = (await collect(client))[-1]
    assert done.silent and done.changes == []
    assert "did not change" in done.text


async def test_mid_stream_error_raises_after_text(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("Working on it. ", partial=True), adk_error("model overloaded")]))
    seen = []
    async with client_for(srv) as client:
        with pytest.raises(AgentStreamError) as info:
            async for event in client.send(SID, "x"):
                seen.append(event)
    assert texts(seen) == "Working on it. "
    assert "model overloaded" in str(info.value)
    assert info.value.hint and "\n" not in str(info.value)


async def test_still_working_during_silence(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("Rendering a preview."), Pause(1.0), adk_text("Ready.")]))
    async with client_for(srv, still_working_after=0.3) as client:
        events = await collect(client)
    still = [e for e in events if isinstance(e, StillWorking)]
    assert 2 <= len(still) <= 4
    assert all(s.text == "⏳ Still working..." for s in still)
    assert still[0].elapsed_s >= 0.3
    assert texts(events) == "Rendering a preview.\nReady."


async def test_heartbeats_do_not_hide_still_working(srv: ScriptedServer) -> None:
    beats = [x for _ in range(10) for x in (Pause(0.1), "")]  # an empty data line every 0.1 s
    srv.on("POST", "/run_sse", Sse([adk_text("Rendering a preview."), *beats, adk_text("Ready.")]))
    async with client_for(srv, still_working_after=0.3) as client:
        events = await collect(client)
    assert len([e for e in events if isinstance(e, StillWorking)]) >= 2
    assert texts(events) == "Rendering a preview.\nReady."


async def test_survives_five_seconds_of_silence(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("Thinking hard."), Pause(5.0), adk_text("Here it is.")]))
    async with client_for(srv, timeout=2.0) as client:  # ordinary requests time out at 2 s, streams do not
        events = await collect(client)
    assert texts(events) == "Thinking hard.\nHere it is."
    assert isinstance(events[-1], Done)


async def test_stream_cap(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("Starting."), Pause(3.0), adk_text("late")]))
    async with client_for(srv, stream_cap=0.6, still_working_after=0.25) as client:
        seen = []
        started = time.monotonic()
        with pytest.raises(NemoTimeoutError) as info:
            async for event in client.send(SID, "x"):
                seen.append(event)
        assert time.monotonic() - started < 2.5
    assert texts(seen) == "Starting."
    assert "minutes" in str(info.value)


async def test_dropped_connection(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse([adk_text("Half", partial=True), Drop()]))
    async with client_for(srv) as client:
        with pytest.raises(NemoConnectionError) as info:
            await collect(client)
    assert "dropped" in str(info.value)


async def test_adk_404_session_not_found(srv: ScriptedServer) -> None:
    srv.on("GET", STATE, Json({"detail": "Not Found"}, status=404))  # a bare ADK server: no state route
    srv.on("POST", "/run_sse", Json({"detail": f"Session not found: {SID}"}, status=404))
    async with client_for(srv) as client:
        with pytest.raises(SessionNotFoundError) as info:
            await collect(client)
    assert info.value.code == 1002
    assert "Create a new session; the timeline starts empty." in str(info.value)


async def test_heartbeats_and_non_json_lines_are_ignored(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Sse(["", "not json", adk_text("你好。我来剪辑。"), adk_text("点击导出按钮即可下载。")]))
    async with client_for(srv) as client:
        events = await collect(client)
    assert texts(events) == "你好。我来剪辑。\n输入“导出”即可下载。"
