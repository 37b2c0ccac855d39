"""The one retry policy (client/_retry.py): what is retried, how long it waits, how often."""

from __future__ import annotations

import email.utils
import socket
import time
from collections import Counter

import httpx
import pytest

from nemo_nb.client import (
    NemoClient,
    NemoConnectionError,
    NemoError,
    NemoTimeoutError,
    RateLimitedError,
    TokenInvalidError,
    ValidationError,
)
from nemo_nb.client._retry import RetryPolicy, parse_retry_after, send_with_retries
from tests._support.scripted import Json, ScriptedServer, ok

CREDITS = "/api/credits/balance/simple"


def refused() -> NemoConnectionError:
    err = NemoConnectionError("Could not reach http://127.0.0.1:9")
    err.__cause__ = httpx.ConnectError("refused")
    return err


def test_retry_after_in_every_spelling() -> None:
    now = time.time()
    assert parse_retry_after({"retry-after-ms": "1500"}) == 1.5
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after": "0.5"}) == 0.5
    date = email.utils.formatdate(now + 120, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=now) == pytest.approx(120, abs=1)
    assert parse_retry_after({"retry-after": "soon"}) is None and parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "-3"}) == 0.0


def test_what_is_retried_and_how_often() -> None:
    policy = RetryPolicy()
    done: Counter[str] = Counter()
    said = policy.decide(RateLimitedError(retry_after=12), done, idempotent=False)
    assert said is not None and said.wait == 12 and said.kind == "rate_limit"
    assert policy.decide(RateLimitedError(), done, idempotent=False).wait == 30.0  # type: ignore[union-attr]
    assert policy.decide(RateLimitedError(retry_after=121), done, idempotent=True) is None  # over the cap
    done["rate_limit"] = 1
    assert policy.decide(RateLimitedError(), done, idempotent=True) is None  # once, as the seeds say
    assert policy.decide(TokenInvalidError(), Counter(), idempotent=False).step == "refresh_token"  # type: ignore[union-attr]
    assert policy.decide(TokenInvalidError(), Counter(token=1), idempotent=False) is None
    assert policy.decide(refused(), Counter(), idempotent=False) is not None  # never sent: safe for a POST
    assert policy.decide(NemoTimeoutError(), Counter(), idempotent=False) is None  # a POST may have landed
    assert policy.decide(NemoTimeoutError(), Counter(), idempotent=True) is not None
    assert policy.decide(NemoError(status=503), Counter(), idempotent=True) is not None
    assert policy.decide(NemoError(status=503), Counter(transient=2), idempotent=True) is None
    assert policy.decide(ValidationError(status=409), Counter(), idempotent=False) is None
    assert policy.decide(ValidationError(status=409), Counter(), idempotent=False, conflict=True) is not None
    assert policy.decide(ValidationError(status=400), Counter(), idempotent=True) is None


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy()
    for n, base in ((0, 0.5), (1, 1.0), (2, 2.0), (10, 8.0)):
        waits = [policy.backoff(n) for _ in range(200)]
        assert all(0.75 * base <= w <= base for w in waits) and len(set(waits)) > 1


@pytest.mark.anyio
async def test_the_loop_waits_recovers_and_gives_up() -> None:
    slept: list[float] = []
    steps: list[str] = []
    answers: list[Exception | str] = [refused(), refused(), refused(), "never"]

    async def attempt() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def recover(step: str) -> None:
        steps.append(step)

    with pytest.raises(NemoConnectionError) as info:
        await send_with_retries(attempt, RetryPolicy(), idempotent=True, recover=recover, sleep=sleep)
    assert len(slept) == 2 and slept[0] < slept[1] and not steps
    assert getattr(info.value, "retries_done", False)  # an outer loop will not retry it again


@pytest.mark.anyio
async def test_a_refused_connection_is_retried_with_backoff(server: ScriptedServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = RetryPolicy(backoff_initial=0.1)
    async with NemoClient(f"http://127.0.0.1:{port}", token="t-0000", retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(NemoConnectionError):
            await client.credits()
    assert time.monotonic() - started >= 0.2  # two waits: ~0.1 s and ~0.2 s, less jitter


@pytest.mark.anyio
async def test_a_flaky_get_is_retried_but_a_post_is_not(server: ScriptedServer) -> None:
    server.reset()
    server.on("GET", CREDITS, Json({"detail": "bad gateway"}, status=502), ok({"available": 3, "frozen": 0, "total": 3}))
    server.on("POST", "/api/tasks/me/with-session/nemo_agent", Json({"detail": "bad gateway"}, status=502))
    async with NemoClient(server.url, token="t-0000", retry=RetryPolicy(backoff_initial=0.01)) as client:
        assert (await client.credits()).available == 3
        with pytest.raises(NemoError):
            await client.create_session()
    assert len(server.seen("GET", CREDITS)) == 2
    assert len(server.seen("POST", "/api/tasks/me/with-session/nemo_agent")) == 1
