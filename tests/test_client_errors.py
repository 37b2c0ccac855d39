"""Every error of PROTOCOL.md: what the client does about it, and the hint the user reads."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from nemo_nb import config, protocol
from nemo_nb.client import (
    FileTooLargeError,
    NemoClient,
    NemoConnectionError,
    NemoError,
    NemoTimeoutError,
    NoCreditsError,
    NotSupportedError,
    PlanRequiredError,
    RateLimitedError,
    SessionNotFoundError,
    UnsupportedFileError,
    ValidationError,
)
from tests._support.scripted import Json, ScriptedServer, fail, ok

pytestmark = pytest.mark.anyio

ANON = "/api/auth/anonymous-token"
CREDITS = "/api/credits/balance/simple"
CREATE = "/api/tasks/me/with-session/nemo_agent"
SID = "sess-9"
STATE = f"/api/state/nemo_agent/me/{SID}/latest"
UPLOAD = f"/api/upload-video/nemo_agent/me/{SID}"
RENDER = "/api/render/proxy/lambda"
CREDITS_OK = ok({"available": 1, "frozen": 0, "total": 1})


@pytest.fixture
def srv(server: ScriptedServer) -> ScriptedServer:
    server.reset()
    server.on("POST", ANON, ok({"token": "anon-tok-0001"}))
    server.on("POST", CREATE, ok({"task_id": "task-42", "session_id": SID}))
    return server


def single_line(err: NemoError) -> str:
    text = str(err)
    assert "\n" not in text and err.hint in text
    return text


async def test_1002_session_not_found(srv: ScriptedServer) -> None:
    srv.on("GET", STATE, fail(1002, "session not found"))
    async with NemoClient(srv.url) as client:
        with pytest.raises(SessionNotFoundError) as info:
            await client.state(SID)
    assert info.value.code == 1002
    assert single_line(info.value).endswith("Create a new session; the timeline starts empty.")


async def test_2001_anonymous_gets_register_link_bound_to_task(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", fail(2001, "insufficient credits"))
    srv.on("GET", STATE, ok({"state": {"draft": {"t": []}}}))
    async with NemoClient(srv.url) as client:
        session = await client.create_session(language="zh")
        assert (session.session_id, session.task_id) == (SID, "task-42")
        with pytest.raises(NoCreditsError) as info:
            await client.reply(SID, "make a video")
    err = info.value
    assert err.code == 2001
    assert err.register_url == f"{protocol.REGISTER_URL}?bind=task-42"
    assert err.register_url in single_line(err)
    assert srv.seen("POST", CREATE)[0].json == {"task_name": "project", "language": "zh"}


async def test_2001_bind_id_from_state_when_session_is_not_ours(srv: ScriptedServer) -> None:
    srv.on("GET", STATE, ok({"state": {"draft": {"t": []}}, "task_id": "task-from-state"}))
    srv.on("POST", UPLOAD, fail(2001))
    srv.on("POST", RENDER, fail(2001))
    async with NemoClient(srv.url) as client:
        with pytest.raises(NoCreditsError) as info:
            await client.upload(SID, "https://example.com/a.jpg")
    assert info.value.register_url.endswith("?bind=task-from-state")


async def test_2001_registered_user_tops_up(srv: ScriptedServer, monkeypatch) -> None:
    monkeypatch.setenv("NEMO_TOKEN", "registered-user-token")
    monkeypatch.setenv("NEMO_BASE_URL", srv.url)  # the scripted server stands in for the cloud
    srv.on("GET", CREDITS, fail(2001))
    async with NemoClient(srv.url) as client:
        with pytest.raises(NoCreditsError) as info:
            await client.credits()
    assert info.value.register_url is None
    assert single_line(info.value).endswith("Top up credits in your account.")


async def test_4001_from_server_lists_formats(srv: ScriptedServer) -> None:
    srv.on("POST", UPLOAD, fail(4001, "unsupported file"))
    async with NemoClient(srv.url) as client:
        with pytest.raises(UnsupportedFileError) as info:
            await client.upload(SID, "https://example.com/a.exe")
    assert info.value.code == 4001
    assert "Supported formats: jpg, png, gif, webp, heic, mp4, mov" in single_line(info.value)


async def test_4002_from_server_suggests_compress_or_trim(srv: ScriptedServer) -> None:
    srv.on("POST", UPLOAD, fail(4002, "file too large"))
    async with NemoClient(srv.url) as client:
        with pytest.raises(FileTooLargeError) as info:
            await client.upload(SID, "https://example.com/huge.mp4")
    assert info.value.code == 4002
    text = single_line(info.value)
    assert "200 MB" in text and "compress" in text and "trim" in text


async def test_http_400_generates_client_id_and_retries(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, Json({"detail": "Missing X-Client-Id"}, status=400), ok({"token": "anon-tok-0002"}))
    srv.on("GET", CREDITS, CREDITS_OK)
    async with NemoClient(srv.url) as client:
        first = client.client_id
        await client.credits()
        second = client.client_id
    sent = [r.headers["x-client-id"] for r in srv.seen("POST", ANON)]
    assert sent == [first, second] and first != second
    assert json.loads((config.config_dir() / "auth.json").read_text())["client_id"] == second


async def test_http_402_is_the_plan_not_credits(srv: ScriptedServer) -> None:
    srv.on("GET", STATE, ok({"state": {"draft": {"t": []}}}))
    srv.on("POST", RENDER, Json({"detail": "Payment Required"}, status=402))
    async with NemoClient(srv.url) as client:
        with pytest.raises(PlanRequiredError) as info:
            await client.start_export(SID)
    assert not isinstance(info.value, NoCreditsError)
    assert info.value.status == 402
    assert single_line(info.value).endswith("Register or upgrade your plan to unlock export.")
    assert "credit" not in str(info.value).lower()
    # Attribution headers were on the request (their absence is what causes 402 on the cloud).
    assert {"x-skill-source", "x-skill-version", "x-skill-platform"} <= set(srv.seen("POST", RENDER)[0].headers)


async def test_http_429_waits_and_retries_once(srv: ScriptedServer) -> None:
    import time

    srv.on("GET", CREDITS, Json({"detail": "Too Many Requests"}, status=429), CREDITS_OK)
    async with NemoClient(srv.url, rate_limit_wait=0.3) as client:
        started = time.monotonic()
        credits = await client.credits()
        waited = time.monotonic() - started
    assert credits.available == 1 and waited >= 0.3
    assert len(srv.seen("GET", CREDITS)) == 2


async def test_http_429_twice_raises(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, Json({"detail": "Too Many Requests"}, status=429))
    async with NemoClient(srv.url, rate_limit_wait=0.05) as client:
        with pytest.raises(RateLimitedError) as info:
            await client.credits()
    assert info.value.status == 429 and "7 days" in single_line(info.value)
    assert len(srv.seen("POST", ANON)) == 2


async def test_422_and_500_are_typed(srv: ScriptedServer) -> None:
    srv.on("POST", "/run_sse", Json({"detail": [{"loc": ["body", "new_message"], "msg": "Field required"}]},
                                    status=422))
    srv.on("GET", STATE, ok({"state": {"draft": {"t": []}}}))
    srv.on("GET", CREDITS, Json({"detail": "database is locked"}, status=500))
    async with NemoClient(srv.url) as client:
        with pytest.raises(ValidationError) as info:
            await client.reply(SID, "x")
        assert "new_message: Field required" in single_line(info.value)
        with pytest.raises(NemoError) as info500:
            await client.credits()
    assert info500.value.status == 500 and "database is locked" in single_line(info500.value)


async def test_missing_route_is_not_supported(srv: ScriptedServer) -> None:
    async with NemoClient(srv.url) as client:
        with pytest.raises(NotSupportedError) as info:
            await client.cancel_export("render_1")
    assert "local-engine feature" in single_line(info.value)


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with NemoClient(f"http://127.0.0.1:{port}", token="t-0000") as client:
        with pytest.raises(NemoConnectionError) as info:
            await client.credits()
    assert f"127.0.0.1:{port}" in single_line(info.value) and "running" in info.value.hint


async def test_timeout(srv: ScriptedServer) -> None:
    srv.on("GET", CREDITS, Json(CREDITS_OK.body, delay=1.0))
    async with NemoClient(srv.url, timeout=httpx.Timeout(0.3)) as client:
        with pytest.raises(NemoTimeoutError) as info:
            await client.credits()
    assert "in time" in single_line(info.value)
