"""NemoClient against Google ADK's own api_server: live (opt-in) and a recorded capture (always).

Live: needs google-adk 2.13.0 in a separate venv, pointed to by ``NEMO_NB_ADK_PYTHON``::

    python3.11 -m venv /tmp/adk-venv && /tmp/adk-venv/bin/pip install google-adk==2.13.0
    NEMO_NB_ADK_PYTHON=/tmp/adk-venv/bin/python .venv/bin/pytest tests/test_client_adk.py

The app is tests/adk_app/nemo_agent (a no-LLM BaseAgent). The replay tests feed
tests/fixtures/adk_streams.json (recorded from that server by tests/adk_app/capture.py) byte for
byte through the scripted server, so the parser is checked against real ADK output on every run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

from nemo_nb.client import AgentStreamError, Done, NemoClient, StillWorking, TextDelta, ToolCall, ToolResult
from tests._support.scripted import Pause, ScriptedServer, Sse

pytestmark = pytest.mark.anyio

HERE = Path(__file__).resolve().parent
APP_DIR = HERE / "adk_app"
CAPTURE = HERE / "fixtures" / "adk_streams.json"
EDIT_TEXT = "Got it — making it 30 seconds. Adding music.\nDone! Your timeline is ready."


def _texts(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


async def _run(client: NemoClient, sid: str, text: str) -> tuple[list, BaseException | None]:
    events: list = []
    try:
        async for event in client.send(sid, text):
            events.append(event)
    except AgentStreamError as err:
        return events, err
    return events, None


def check_edit(events: list) -> None:
    """Each sentence once, the function call hidden from text but reported as activity."""
    assert _texts(events) == EDIT_TEXT
    assert [(e.name, e.args) for e in events if isinstance(e, ToolCall)] == [("set_duration", {"seconds": 30})]
    results = [e for e in events if isinstance(e, ToolResult)]
    assert len(results) == 1 and results[0].state_delta["draft"]["t"][0]["sg"][0]["d"] == 15000
    done = events[-1]
    assert isinstance(done, Done) and not done.silent and done.text == EDIT_TEXT
    assert done.draft is not None and done.draft.duration_ms == 30000


def check_silent(events: list) -> None:
    assert _texts(events) == ""
    done = events[-1]
    assert isinstance(done, Done) and done.silent
    assert "Length: 0s → 30s" in done.changes and "Length: 0s → 30s" in done.text


def check_slow(events: list, min_still: int) -> None:
    assert _texts(events) == "Thinking about it.\nHere it is."
    assert len([e for e in events if isinstance(e, StillWorking)]) >= min_still
    assert isinstance(events[-1], Done)


def check_fail(events: list, err: BaseException | None) -> None:
    assert _texts(events) == "Working on it. "
    assert isinstance(err, AgentStreamError)
    assert "scripted failure in the render planner" in str(err)


# --- replay of the recorded real stream ---------------------------------------------------------

def _streams() -> dict[tuple[str, bool], dict]:
    data = json.loads(CAPTURE.read_text(encoding="utf-8"))
    assert data["meta"]["adk_version"] == "2.13.0"
    return {(s["message"], s["streaming"]): s for s in data["streams"]}


def _replay(stream: dict, max_pause: float = 0.6) -> Sse:
    items: list = []
    last = 0.0
    for event in stream["events"]:
        gap = event["t"] - last
        last = event["t"]
        if gap > 0.05:
            items.append(Pause(min(gap, max_pause)))
        items.append(event["data"])
    return Sse(items)


@pytest.fixture(scope="module")
def replay_server() -> ScriptedServer:
    with ScriptedServer() as srv:
        yield srv


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "not-streaming"])
async def test_replay_edit(replay_server: ScriptedServer, streaming: bool) -> None:
    stream = _streams()[("edit it", streaming)]
    assert any(json.loads(e["data"]).get("partial") for e in stream["events"]) is streaming
    replay_server.reset()
    replay_server.on("POST", "/run_sse", _replay(stream))
    async with NemoClient(replay_server.url, token="adk-no-auth") as client:
        events, err = await _run(client, "s1", "edit it")
    assert err is None
    check_edit(events)


async def test_replay_silent_slow_fail(replay_server: ScriptedServer) -> None:
    streams = _streams()
    async with NemoClient(replay_server.url, token="adk-no-auth", still_working_after=0.25) as client:
        replay_server.reset()
        replay_server.on("POST", "/run_sse", _replay(streams[("silent edit", True)]))
        check_silent((await _run(client, "s1", "silent edit"))[0])
        replay_server.on("POST", "/run_sse", _replay(streams[("slow one", True)]))
        check_slow((await _run(client, "s1", "slow one"))[0], min_still=1)
        replay_server.on("POST", "/run_sse", _replay(streams[("fail now", True)]))
        check_fail(*(await _run(client, "s1", "fail now")))


# --- live ADK api_server ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def adk_server() -> str:
    python = os.environ.get("NEMO_NB_ADK_PYTHON")
    if not python:
        pytest.skip("live ADK test: set NEMO_NB_ADK_PYTHON to a python with google-adk==2.13.0 "
                    "(python3.11 -m venv /tmp/adk-venv && /tmp/adk-venv/bin/pip install google-adk==2.13.0)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [python, "-m", "google.adk.cli", "api_server", "--host", "127.0.0.1", "--port", str(port),
         "--no_use_local_storage", str(APP_DIR)],  # in-memory sessions: nothing written to the repo
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=APP_DIR,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"adk api_server exited: {proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{url}/list-apps", timeout=1).json() == ["nemo_agent"]:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("adk api_server did not start within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _adk_session(url: str) -> str:
    sid = f"t-{uuid.uuid4().hex[:10]}"
    httpx.post(f"{url}/apps/nemo_agent/users/me/sessions/{sid}", json={}, timeout=10).raise_for_status()
    return sid


async def test_live_adk_edit_silent_error(adk_server: str) -> None:
    async with NemoClient(adk_server, token="adk-no-auth") as client:
        check_edit((await _run(client, _adk_session(adk_server), "edit it"))[0])
        check_silent((await _run(client, _adk_session(adk_server), "silent edit"))[0])
        check_fail(*(await _run(client, _adk_session(adk_server), "fail now")))


async def test_live_adk_five_second_silence(adk_server: str) -> None:
    async with NemoClient(adk_server, token="adk-no-auth", still_working_after=2.0,
                          timeout=httpx.Timeout(3.0)) as client:
        events, err = await _run(client, _adk_session(adk_server), "slow one")
    assert err is None
    check_slow(events, min_still=2)


async def test_live_adk_unknown_session(adk_server: str) -> None:
    from nemo_nb.client import SessionNotFoundError

    async with NemoClient(adk_server, token="adk-no-auth") as client:
        with pytest.raises(SessionNotFoundError) as info:
            await _run(client, "no-such-session", "edit it")
    assert "timeline starts empty" in str(info.value)
