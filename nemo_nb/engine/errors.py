"""Failures the engine answers with an envelope: one exception type carrying code, status and data."""

from __future__ import annotations

from typing import Any

from .. import protocol
from ..protocol import ErrorCode


class EngineError(Exception):
    """An error the client sees as ``{"code", "message", "data"}`` with an HTTP status.

    ``message`` says what went wrong and what to do; it never contains a token.
    """

    def __init__(self, code: int, message: str, *, status: int = 400, data: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code = int(code)
        self.message = message
        self.status = status
        self.data = data or {}
        self.headers = headers or {}


def token_invalid(expired: bool = False) -> EngineError:
    why = "has expired" if expired else "is not valid on this engine"
    return EngineError(ErrorCode.TOKEN_INVALID,
                       f"The token {why}: request a new one at POST {protocol.PATH_ANON_TOKEN}.", status=401)


def session_not_found(session_id: str) -> EngineError:
    return EngineError(ErrorCode.SESSION_NOT_FOUND,
                       f"Session not found: {session_id}. Create a new session; the timeline starts empty.",
                       status=404, data={"session_id": session_id})


def unsupported(name: str, why: str) -> EngineError:
    return EngineError(ErrorCode.UNSUPPORTED_FILE,
                       f"{name}: {why}. Supported formats: {protocol.supported_formats_text()}.",
                       status=415, data={"name": name})


def too_large(name: str, limit: int) -> EngineError:
    mb = limit // (1024 * 1024)
    return EngineError(ErrorCode.FILE_TOO_LARGE,
                       f"{name} is larger than the {mb} MB limit: compress or trim it and upload again.",
                       status=413, data={"name": name, "limit_bytes": limit})


def bad_request(message: str, status: int = 400, code: int = 400) -> EngineError:
    """Plain HTTP-level errors (400, 402, 404, 409, 429) keep their status as the envelope code."""
    return EngineError(code, message, status=status)
