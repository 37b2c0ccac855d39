"""HTTP details shared by the client: attribution headers, body decoding, status/code → error.

``error_for`` is the one place that turns an HTTP answer into a typed :class:`NemoError`; the
client decides what to retry. Server text is redacted before it reaches an exception.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from .. import __version__, protocol
from . import errors as E
from ._retry import parse_retry_after


def attribution_headers() -> dict[str, str]:
    """``X-Skill-*`` headers every request carries (missing ones make export fail with 402)."""
    return {
        protocol.HEADER_SOURCE: protocol.SKILL_SOURCE,
        protocol.HEADER_VERSION: __version__,
        protocol.HEADER_PLATFORM: protocol.SKILL_PLATFORM,
    }


def decode(response: httpx.Response) -> Any:
    """The JSON body, or None when there is none or it is not JSON."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return None
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return None


def server_detail(body: Any, response: httpx.Response | None = None) -> str:
    """The server's own words about a failure (``message`` / ``detail`` / ``error``), if any."""
    if isinstance(body, dict):
        for key in ("detail", "message", "error", "msg"):
            value = body.get(key)
            if isinstance(value, str) and value and value.lower() not in ("ok", "error", "success"):
                return value[:600]
            if isinstance(value, list) and value:  # FastAPI 422 detail list
                first = value[0]
                if isinstance(first, dict):
                    loc = ".".join(str(p) for p in first.get("loc", []) if p != "body")
                    return f"{loc}: {first.get('msg', '')}".strip(": ")[:300]
    if response is not None and body is None:
        try:
            text = response.text.strip()
        except (httpx.ResponseNotRead, UnicodeDecodeError):
            text = ""
        if text and len(text) < 300 and "<" not in text:
            return text
    return ""


def envelope_code(body: Any) -> int | None:
    if isinstance(body, dict) and "code" in body:
        try:
            return int(body["code"])
        except (TypeError, ValueError):
            return None
    return None


def _with_detail(message: str, detail: str) -> str:
    if detail and detail.lower() not in message.lower():
        return f"{message.rstrip('.')}: {detail}"
    return message


def _code_message(cls: type[E.NemoError], detail: str) -> str:
    """The error's message from the server's own words, which name the file and why.

    A copy of the hint in them (the engine ends a 4001 with "Supported formats: ...") is cut, so
    the hint is shown once, whole, and not truncated after a long reason.
    """
    head = cls.default_hint.split(":", 1)[0] if ":" in cls.default_hint else ""
    if head and head in detail:
        detail = detail[: detail.index(head)].rstrip(" .")
    if detail[:1].isupper() and len(detail) > 40:  # a whole sentence ("Cannot fetch <url>: ..."): as said
        return detail
    return _with_detail(cls.default_message, detail)


_CODE_ERRORS: dict[int, type[E.NemoError]] = {
    protocol.ErrorCode.TOKEN_INVALID: E.TokenInvalidError,
    protocol.ErrorCode.SESSION_NOT_FOUND: E.SessionNotFoundError,
    protocol.ErrorCode.NO_CREDITS: E.NoCreditsError,
    protocol.ErrorCode.UNSUPPORTED_FILE: E.UnsupportedFileError,
    protocol.ErrorCode.FILE_TOO_LARGE: E.FileTooLargeError,
}


def error_for(response: httpx.Response, body: Any, secrets: tuple[str, ...] = ()) -> E.NemoError | None:
    """The typed error an answer stands for, or None when it is a success."""
    status = response.status_code
    code = envelope_code(body)
    detail = E.redact(server_detail(body, response), secrets)
    if code in _CODE_ERRORS:
        cls = _CODE_ERRORS[code]  # type: ignore[index]
        return cls(_code_message(cls, detail), status=status)
    if status < 400 and (code is None or code == 0):
        return None
    low = detail.lower()
    if status == 404 and "session not found" in low:
        return E.SessionNotFoundError(status=status)
    if status in (401, 403) and code is None:
        return E.TokenInvalidError(_with_detail(E.TokenInvalidError.default_message, detail), status=status)
    if status == 402:
        return E.PlanRequiredError(status=status)
    if status == 429:
        return E.RateLimitedError(status=status, retry_after=parse_retry_after(response.headers))
    if status == 413:
        return E.FileTooLargeError(status=status)
    if status == 415:
        return E.UnsupportedFileError(_with_detail(E.UnsupportedFileError.default_message, detail), status=status)
    if status == 400 and ("client" in low or "x-client-id" in low or not detail):
        return E.MissingClientIdError(status=status)
    if status in (404, 405) and (low in ("not found", "method not allowed", "")):
        return E.NotSupportedError(
            f"The server has no {response.request.method} {response.request.url.path} endpoint",
            status=status,
        )
    if 400 <= status < 500:
        return E.ValidationError(_with_detail(f"The server rejected the request (HTTP {status})", detail),
                                 status=status, code=code)
    if status >= 500:
        return E.NemoError(
            _with_detail(f"The server failed (HTTP {status})", detail),
            hint="Try again in a moment; if it keeps failing, restart the engine or check the service status.",
            status=status, code=code,
        )
    return E.NemoError(_with_detail(f"The server answered with error code {code}", detail),
                       hint="Try again; if it persists, report the code.", status=status, code=code)
