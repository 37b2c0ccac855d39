"""The one retry policy of every HTTP request ``NemoClient`` sends.

Modelled on the OpenAI / Anthropic Python SDKs (``_base_client.py``: ``_should_retry``,
``_parse_retry_after_header``, ``_calculate_retry_timeout``), with the seeds' rules on top. Per
request, what is retried and how often:

======================================  ========  ==============================================
failure                                 retries   wait / step before the next attempt
======================================  ========  ==============================================
HTTP 429 (rate limited)                 1         ``Retry-After`` (``-ms``, seconds or a date), capped
                                                  at ``max_retry_after``; without one the seeds' 30 s
                                                  (``rate_limit_wait``). Asked to wait longer than the
                                                  cap: no retry, the error says when to come back.
1001 (token refused)                    1         step ``refresh_token`` (anonymous tokens only: a
                                                  configured token is reported, never swapped)
HTTP 400 (missing client id)            1         step ``new_client_id``
never connected (refused, DNS, ...)     2         backoff: 0.5 s · 2ⁿ, ≤ 8 s, minus up to 25 % jitter
timeout, HTTP 408 / 500 / 502-504       2         backoff, for idempotent requests (GET) only
HTTP 409 on a request that asks for it  2         none (the next attempt's body has a new render id)
======================================  ========  ==============================================

Everything else is raised at once. Recovery above a request — a lost session, a stopped engine —
is the Studio's (``notebook/_session.py``), not a retry.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

import httpx

from .. import protocol
from . import errors as E

log = logging.getLogger("nemo_nb.client")
T = TypeVar("T")

TRANSIENT_STATUS = frozenset({408, 500, 502, 503, 504})


def parse_retry_after(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds the server asks us to wait (``retry-after-ms``, ``retry-after`` seconds or HTTP date)."""
    if not headers:
        return None
    try:
        return max(0.0, float(headers["retry-after-ms"]) / 1000)
    except (KeyError, TypeError, ValueError):
        pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(0.0, email.utils.mktime_tz(parsed) - (time.time() if now is None else now))


@dataclass(frozen=True)
class Retry:
    """The decision to try again: why (``kind``), after which recovery ``step``, after how long."""

    kind: str
    wait: float = 0.0
    step: str | None = None


@dataclass(frozen=True)
class RetryPolicy:
    """How the client retries (the table in the module docstring); every number can be changed."""

    rate_limit_wait: float = protocol.RATE_LIMIT_RETRY_SECONDS
    max_retry_after: float = 120.0
    rate_limit_retries: int = 1
    max_retries: int = 2
    backoff_initial: float = 0.5
    backoff_max: float = 8.0

    def backoff(self, retries_so_far: int) -> float:
        """Exponential backoff with jitter (never more than ``backoff_max``)."""
        delay = min(self.backoff_initial * 2.0 ** retries_so_far, self.backoff_max)
        return delay * (1 - 0.25 * random.random())

    def decide(self, err: E.NemoError, done: Counter[str], *, idempotent: bool, conflict: bool = False) -> Retry | None:
        """Whether to send the request again after ``err`` (``done``: retries so far, by kind)."""
        if isinstance(err, E.RateLimitedError):
            return self._rate_limited(err, done)
        if isinstance(err, E.TokenInvalidError):
            return Retry("token", step="refresh_token") if not done["token"] else None
        if isinstance(err, E.MissingClientIdError):
            return Retry("client_id", step="new_client_id") if not done["client_id"] else None
        if conflict and err.status == 409 and done["conflict"] < self.max_retries:
            return Retry("conflict")
        if _transient(err, idempotent) and done["transient"] < self.max_retries:
            return Retry("transient", wait=self.backoff(done["transient"]))
        return None

    def _rate_limited(self, err: E.RateLimitedError, done: Counter[str]) -> Retry | None:
        if done["rate_limit"] >= self.rate_limit_retries:
            return None
        asked = err.retry_after
        if asked is not None and asked > self.max_retry_after:
            return None  # the error already says when to come back
        return Retry("rate_limit", wait=self.rate_limit_wait if asked is None else asked)


def _transient(err: E.NemoError, idempotent: bool) -> bool:
    """A failure that may well pass: never connected (any request), or a flaky answer to a GET."""
    if isinstance(err, E.NemoConnectionError) and isinstance(err.__cause__, (httpx.ConnectError, httpx.ConnectTimeout)):
        return True
    if not idempotent:
        return False
    return isinstance(err, (E.NemoTimeoutError, E.NemoConnectionError)) or err.status in TRANSIENT_STATUS


async def send_with_retries(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    *,
    idempotent: bool,
    recover: Callable[[str], Awaitable[None]] | None = None,
    conflict: bool = False,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """``await attempt()`` until it succeeds or :meth:`RetryPolicy.decide` says stop (then raise).

    ``recover(step)`` performs a recovery step (``refresh_token``, ``new_client_id``) before the
    next attempt; it may raise to end the request with its own, clearer error.
    """
    done: Counter[str] = Counter()
    while True:
        try:
            return await attempt()
        except E.NemoError as err:
            # An error that already went through a loop of its own (the token request inside an
            # authenticated one) is final: a request is retried only by its own loop.
            decision = None if getattr(err, "retries_done", False) else policy.decide(
                err, done, idempotent=idempotent, conflict=conflict)
            if decision is None:
                err.retries_done = True  # type: ignore[attr-defined]
                raise
            done[decision.kind] += 1
            log.info("nemo_nb: %s (%s); retrying%s", type(err).__name__, decision.kind,
                     f" in {decision.wait:.1f} s" if decision.wait else "")
            if decision.step is not None and recover is not None:
                await recover(decision.step)
            if decision.wait > 0:
                await sleep(decision.wait)


__all__ = ["Retry", "RetryPolicy", "parse_retry_after", "send_with_retries"]
