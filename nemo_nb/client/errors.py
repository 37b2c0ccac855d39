"""Typed failures of the NemoVideo protocol, each with a hint a notebook user can act on.

Every error is a :class:`NemoError` with ``.code`` (the envelope code, or None), ``.status`` (the
HTTP status, or None) and ``.hint`` (what to do). ``str(err)`` is one line: message, then hint.
Messages are built by the client from server text that has already had secrets redacted.
"""

from __future__ import annotations

import re

from .. import protocol


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


class NemoError(Exception):
    """Base of every client error."""

    default_message = "The NemoVideo service reported an error."
    default_hint = ""
    default_code: int | None = None

    def __init__(
        self,
        message: str | None = None,
        *,
        hint: str | None = None,
        code: int | None = None,
        status: int | None = None,
    ) -> None:
        self.message = _one_line(message or self.default_message)
        self.hint = _one_line(hint if hint is not None else self.default_hint)
        self.code = code if code is not None else self.default_code
        self.status = status
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.hint and self.hint not in self.message:
            return f"{self.message.rstrip('.')}. {self.hint}"
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status!r}, message={str(self)!r})"


class TokenInvalidError(NemoError):
    default_code = int(protocol.ErrorCode.TOKEN_INVALID)
    default_message = "Your NemoVideo token is invalid or has expired"
    default_hint = (
        "Set a valid NEMO_TOKEN, or unset it so the client can get a new anonymous token."
    )


class SessionNotFoundError(NemoError):
    default_code = int(protocol.ErrorCode.SESSION_NOT_FOUND)
    default_message = "This editing session no longer exists"
    default_hint = "Create a new session; the timeline starts empty."


class NoCreditsError(NemoError):
    """2001. ``register_url`` is set for anonymous users (with ``?bind=<id>``)."""

    default_code = int(protocol.ErrorCode.NO_CREDITS)
    default_message = "You have no credits left"
    default_hint = "Top up credits in your account."

    def __init__(self, message: str | None = None, *, register_url: str | None = None, **kw) -> None:
        self.register_url = register_url
        if register_url and "hint" not in kw:
            kw["hint"] = f"Register at {register_url} to get more credits (your work carries over)."
        super().__init__(message, **kw)


class UnsupportedFileError(NemoError):
    default_code = int(protocol.ErrorCode.UNSUPPORTED_FILE)
    default_message = "This file type is not supported"
    default_hint = f"Supported formats: {protocol.supported_formats_text()}."


class FileTooLargeError(NemoError):
    default_code = int(protocol.ErrorCode.FILE_TOO_LARGE)
    default_message = "This file is too large"
    default_hint = (
        f"The limit is {protocol.MAX_UPLOAD_BYTES // (1024 * 1024)} MB per file: "
        "compress it or trim it and upload again."
    )


class MissingClientIdError(NemoError):
    default_message = "The server needs a client id for an anonymous token (HTTP 400)"
    default_hint = "A new client id was generated and the request retried; if this persists, set NEMO_TOKEN."


class PlanRequiredError(NemoError):
    default_message = "Export is not included in your current plan (HTTP 402)"
    default_hint = "Register or upgrade your plan to unlock export."


class RateLimitedError(NemoError):
    """HTTP 429. ``retry_after``: the seconds the server asked us to wait, when it said."""

    default_message = "The service is rate limiting this client (HTTP 429)"
    default_hint = "Wait a little and try again; anonymous tokens are limited to one per client per 7 days."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kw) -> None:
        self.retry_after = retry_after
        if retry_after is not None and "hint" not in kw:
            kw["hint"] = f"The service asks to wait {_duration(retry_after)} before trying again."
        super().__init__(message, **kw)


def _duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h``, ``6 days``: how long, as a person says it."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


class AgentStreamError(NemoError):
    default_message = "The agent failed while answering"
    default_hint = "Try the request again, or rephrase it."


class RenderFailed(NemoError):
    default_message = "The export failed"
    default_hint = "Check the timeline (say \"status\") and export again."


class NemoConnectionError(NemoError):
    default_message = "Could not reach the NemoVideo server"
    default_hint = "Check that the server is running and the base URL is right, then try again."


class NemoTimeoutError(NemoError):
    default_message = "The NemoVideo server did not answer in time"
    default_hint = "Try again; if it keeps happening the server may be overloaded."


class NotSupportedError(NemoError):
    default_message = "This server does not support that operation"
    default_hint = "It is a local-engine feature; the cloud does not offer it."


class ValidationError(NemoError):
    default_message = "The server rejected the request"
    default_hint = "Check the input and try again."


def redact(text: str, secrets: list[str] | tuple[str, ...]) -> str:
    """``text`` with every secret replaced by ``***`` (tokens must never reach the user)."""
    out = str(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            out = out.replace(secret, "***")
    return out


__all__ = [
    "AgentStreamError",
    "FileTooLargeError",
    "MissingClientIdError",
    "NemoConnectionError",
    "NemoError",
    "NemoTimeoutError",
    "NoCreditsError",
    "NotSupportedError",
    "PlanRequiredError",
    "RateLimitedError",
    "RenderFailed",
    "SessionNotFoundError",
    "TokenInvalidError",
    "UnsupportedFileError",
    "ValidationError",
    "redact",
]
