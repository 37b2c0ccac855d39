"""Auth: NEMO_TOKEN or the anonymous flow, the 0600 config file, and the token never leaking."""

from __future__ import annotations

import json
import logging
import stat
import uuid

import pytest

from nemo_nb import config
from nemo_nb.client import AgentStreamError, NemoClient, NemoError, TokenInvalidError
from tests._support.scripted import Json, ScriptedServer, Sse, adk_error, adk_text, fail, ok

pytestmark = pytest.mark.anyio

ANON = "/api/auth/anonymous-token"
CREDITS = "/api/credits/balance/simple"
SECRET = "nemo_secret_tok_9f8e7d6c5b4a3210"


@pytest.fixture
def srv(server: ScriptedServer) -> ScriptedServer:
    server.reset()
    server.on("GET", CREDITS, ok({"available": 90, "frozen": 10, "total": 100}))
    return server


def auth_file():
    return config.config_dir() / "auth.json"


async def test_anonymous_token_is_stored_0600_and_reused(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, ok({"token": "anon-first-0001"}))
    async with NemoClient(srv.url) as client:
        credits = await client.credits()
        first_cid = client.client_id
    assert (credits.available, credits.frozen, credits.total) == (90, 10, 100)
    anon = srv.seen("POST", ANON)
    assert len(anon) == 1
    assert anon[0].headers["x-client-id"] == first_cid and uuid.UUID(first_cid)
    assert "authorization" not in anon[0].headers
    assert srv.seen("GET", CREDITS)[0].headers["authorization"] == "Bearer anon-first-0001"

    path = auth_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    stored = json.loads(path.read_text())
    assert stored["client_id"] == first_cid and stored["tokens"][srv.url] == "anon-first-0001"

    # A second client (a new kernel) reuses both: no new anonymous token is requested.
    async with NemoClient(srv.url) as again:
        await again.credits()
        assert again.client_id == first_cid
    assert len(srv.seen("POST", ANON)) == 1


async def test_tokens_are_kept_per_server(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, ok({"token": "anon-A-0001"}), ok({"token": "anon-B-0002"}))
    async with NemoClient(srv.url) as a:
        await a.credits()
    # The same server under another name is another backend: it gets its own token.
    other = srv.url.replace("127.0.0.1", "localhost")
    async with NemoClient(other) as b:
        await b.credits()
    tokens = json.loads(auth_file().read_text())["tokens"]
    assert tokens == {srv.url: "anon-A-0001", other: "anon-B-0002"}


async def test_nemo_token_env_is_used_without_anonymous_flow(srv: ScriptedServer, monkeypatch) -> None:
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    monkeypatch.setenv("NEMO_BASE_URL", srv.url)
    async with NemoClient() as client:
        assert client.base_url == srv.url and client.backend_name == "local"
        await client.credits()
    assert not srv.seen("POST", ANON)
    assert srv.seen("GET", CREDITS)[0].headers["authorization"] == f"Bearer {SECRET}"
    assert not auth_file().exists() or SECRET not in auth_file().read_text()


async def test_1001_reauths_once_and_retries(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, ok({"token": "anon-old-0001"}), ok({"token": "anon-new-0002"}))
    srv.on("GET", CREDITS, fail(1001, "token expired"), ok({"available": 5, "frozen": 0, "total": 5}))
    async with NemoClient(srv.url) as client:
        credits = await client.credits()
    assert credits.available == 5
    calls = srv.seen("GET", CREDITS)
    assert [c.headers["authorization"] for c in calls] == ["Bearer anon-old-0001", "Bearer anon-new-0002"]
    assert json.loads(auth_file().read_text())["tokens"][srv.url] == "anon-new-0002"


async def test_1001_twice_gives_up_with_hint(srv: ScriptedServer) -> None:
    srv.on("POST", ANON, ok({"token": "anon-0001"}), ok({"token": "anon-0002"}))
    srv.on("GET", CREDITS, fail(1001, "token expired"))
    async with NemoClient(srv.url) as client:
        with pytest.raises(TokenInvalidError) as info:
            await client.credits()
    assert info.value.code == 1001
    assert "NEMO_TOKEN" in info.value.hint
    assert len(srv.seen("GET", CREDITS)) == 2 and len(srv.seen("POST", ANON)) == 2


async def test_token_never_leaks(srv: ScriptedServer, monkeypatch, caplog, capsys) -> None:
    """Logs (all loggers, DEBUG), printed output, reprs and exception texts never hold the token."""
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    monkeypatch.setenv("NEMO_BASE_URL", srv.url)  # the scripted server stands in for the cloud
    sid = "s1"
    # The server echoes the token back in its error texts; the client must redact them.
    srv.on("GET", CREDITS, Json({"detail": f"quota exceeded for Bearer {SECRET}"}, status=422))
    srv.on("POST", "/api/tasks/me/with-session/nemo_agent",
           Json({"code": 1002, "message": f"no session for {SECRET}"}))
    srv.on("GET", f"/api/state/nemo_agent/me/{sid}/latest", ok({"state": {"draft": {"t": []}}}))
    srv.on("POST", "/run_sse", Sse([adk_text("hello. "), adk_error(f"token {SECRET} rejected upstream")]))
    errors: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        async with NemoClient(srv.url) as client:
            print(client, repr(client))
            for call in (client.credits(), client.create_session()):
                try:
                    await call
                except NemoError as err:
                    errors.append(err)
            try:
                async for event in client.send(sid, "hi"):
                    print(event)
            except AgentStreamError as err:
                errors.append(err)
    assert len(errors) == 3
    out = capsys.readouterr()
    texts = [out.out, out.err, caplog.text, *(str(e) for e in errors), *(repr(e) for e in errors),
             *(str(a) for e in errors for a in e.args)]
    for text in texts:
        assert SECRET not in text
    assert "***" in str(errors[0]) and "***" in str(errors[2])
    assert "NemoClient(base_url=" in out.out and "token=env:set" in out.out


async def test_corrupt_auth_file_is_replaced_not_fatal(srv: ScriptedServer) -> None:
    path = auth_file()
    config.ensure_private_dir(path.parent)
    path.write_text("{not json")
    path.chmod(0o644)
    srv.on("POST", ANON, ok({"token": "anon-0001"}))
    async with NemoClient(srv.url) as client:
        await client.credits()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["tokens"][srv.url] == "anon-0001"


async def test_config_dir_and_client_id_options(srv: ScriptedServer, tmp_path) -> None:
    srv.on("POST", ANON, ok({"token": "anon-0001"}))
    fixed = "11111111-2222-3333-4444-555555555555"
    async with NemoClient(srv.url, config_dir=tmp_path / "cfg", client_id=fixed) as client:
        await client.credits()
    assert srv.seen("POST", ANON)[0].headers["x-client-id"] == fixed
    assert json.loads((tmp_path / "cfg" / "auth.json").read_text())["tokens"][srv.url] == "anon-0001"
    assert not auth_file().exists()


async def test_env_token_is_not_sent_when_the_caller_opts_out(srv: ScriptedServer, monkeypatch) -> None:
    """The local engine must never see a cloud credential from NEMO_TOKEN."""
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    srv.on("POST", ANON, ok({"token": "anon-local-0001"}))
    srv.on("GET", CREDITS, ok({"available": 100, "frozen": 0, "total": 100}))
    async with NemoClient(srv.url, env_token=False) as client:
        assert client.token_source == "anonymous"
        await client.credits()
    assert srv.seen("GET", CREDITS)[0].headers["authorization"] == "Bearer anon-local-0001"
    assert srv.seen("POST", ANON)


async def test_env_token_stays_off_a_loopback_server_nobody_named(srv: ScriptedServer, monkeypatch) -> None:
    """``NemoClient("http://127.0.0.1:8765")`` (the engine of ``nemo-nb serve``) with NEMO_TOKEN in
    the environment: the cloud secret must not be sent there unless NEMO_BASE_URL points there."""
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    srv.on("POST", ANON, ok({"token": "anon-local-0001"}))
    srv.on("GET", CREDITS, ok({"available": 100, "frozen": 0, "total": 100}))
    async with NemoClient(srv.url) as client:
        assert client.token_source == "anonymous"
        await client.credits()
    assert all(SECRET not in str(r.headers) for r in srv.seen("GET", CREDITS) + srv.seen("POST", ANON))
    async with NemoClient(srv.url, env_token=True) as client:  # an explicit yes still works
        await client.credits()
    assert srv.seen("GET", CREDITS)[-1].headers["authorization"] == f"Bearer {SECRET}"
