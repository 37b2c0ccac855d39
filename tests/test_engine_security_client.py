"""Issue 17, item 7: the cloud's NEMO_TOKEN never goes to any spelling of this machine (the client side
of the one loopback predicate, nemo_nb/netloc.py), checked on the wire against a scripted server."""

from __future__ import annotations

import pytest

from nemo_nb.client import NemoClient
from tests._support.scripted import ScriptedServer, ok

pytestmark = pytest.mark.anyio

ANON = "/api/auth/anonymous-token"
CREDITS = "/api/credits/balance/simple"
SECRET = "nemo_secret_tok_5e6f7a8b9c0d1e2f"
#: Every spelling of 127.0.0.1 the issue names; those that reach a socket bound to 127.0.0.1 are
#: checked on the wire, all of them in the client's decision.
SPELLINGS = ["127.0.0.2", "[::ffff:127.0.0.1]", "localhost.", "2130706433", "0x7f000001", "0", "127.1"]
REACHABLE = ["2130706433", "0x7f000001", "0", "127.1"]


@pytest.fixture
def srv(server: ScriptedServer) -> ScriptedServer:
    server.reset()
    server.on("POST", ANON, ok({"token": "anon-local-0001"}))
    server.on("GET", CREDITS, ok({"available": 100, "frozen": 0, "total": 100}))
    return server


@pytest.mark.parametrize("host", SPELLINGS)
async def test_env_token_is_not_chosen_for_loopback_spellings(srv: ScriptedServer, monkeypatch, host: str) -> None:
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    client = NemoClient(f"http://{host}:{srv.port}")
    try:
        assert client.token_source == "anonymous" and client.backend_name == "local"
        assert SECRET not in repr(client)
    finally:
        await client.aclose()


@pytest.mark.parametrize("host", REACHABLE)
async def test_env_token_is_never_sent_to_loopback_spellings(srv: ScriptedServer, monkeypatch, host: str) -> None:
    monkeypatch.setenv("NEMO_TOKEN", SECRET)
    async with NemoClient(f"http://{host}:{srv.port}") as client:
        await client.credits()
    sent = srv.seen("GET", CREDITS) + srv.seen("POST", ANON)
    assert sent and all(SECRET not in str(r.headers) for r in sent)
    assert srv.seen("GET", CREDITS)[0].headers["authorization"] == "Bearer anon-local-0001"
