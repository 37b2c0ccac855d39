"""The NemoVideo wire contract, in one place (see shared/PROTOCOL.md and docs/protocol.md).

Both sides import from here: the client speaks exactly this, the embedded engine answers exactly
this. Nothing in this module does I/O.
"""

from __future__ import annotations

import threading
import time
from enum import IntEnum
from typing import Any

APP_NAME = "nemo_agent"
USER_ID = "me"
CLOUD_BASE_URL = "https://mega-api-prod.nemovideo.ai"
#: Where anonymous users register; the 2001 hint appends ``?bind=<id>``.
REGISTER_URL = "https://nemovideo.ai/register"

# --- attribution headers (missing ones make export fail with HTTP 402) -------------------------
HEADER_SOURCE = "X-Skill-Source"
HEADER_VERSION = "X-Skill-Version"
HEADER_PLATFORM = "X-Skill-Platform"
HEADER_CLIENT_ID = "X-Client-Id"
ATTRIBUTION_HEADERS = (HEADER_SOURCE, HEADER_VERSION, HEADER_PLATFORM)
SKILL_SOURCE = "nemo-nb"
SKILL_PLATFORM = "jupyter"

# --- endpoints -----------------------------------------------------------------------------------
PATH_ANON_TOKEN = "/api/auth/anonymous-token"
PATH_CREATE_SESSION = f"/api/tasks/{USER_ID}/with-session/{APP_NAME}"
PATH_RUN_SSE = "/run_sse"
PATH_UPLOAD = f"/api/upload-video/{APP_NAME}/{USER_ID}/{{session_id}}"
PATH_CREDITS = "/api/credits/balance/simple"
PATH_STATE = f"/api/state/{APP_NAME}/{USER_ID}/{{session_id}}/latest"
PATH_RENDER = "/api/render/proxy/lambda"
PATH_RENDER_STATUS = "/api/render/proxy/lambda/{job_id}"
# Local-engine extensions (the cloud does not have them; clients must not require them).
PATH_RENDER_CANCEL = "/api/render/proxy/lambda/{job_id}/cancel"
PATH_HEALTH = "/api/health"

# --- limits --------------------------------------------------------------------------------------
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
SSE_MAX_SECONDS = 15 * 60
STILL_WORKING_SECONDS = 120
CLOUD_POLL_SECONDS = 30.0
ANON_TOKEN_CREDITS = 100
ANON_TOKEN_TTL_SECONDS = 7 * 24 * 3600
RATE_LIMIT_RETRY_SECONDS = 30.0

#: Formats the service accepts (PROTOCOL.md) plus HEIC photos and Ogg/Opus audio, which our engine
#: also renders. Keys are canonical names; values are the media kind.
SUPPORTED_FORMATS: dict[str, str] = {
    "jpg": "photo", "png": "photo", "gif": "photo", "webp": "photo", "heic": "photo",
    "mp4": "video", "mov": "video", "avi": "video", "webm": "video", "mkv": "video",
    "mp3": "audio", "wav": "audio", "m4a": "audio", "aac": "audio", "ogg": "audio", "opus": "audio",
}


class ErrorCode(IntEnum):
    """Envelope ``code`` values of the seeds."""

    OK = 0
    TOKEN_INVALID = 1001
    SESSION_NOT_FOUND = 1002
    NO_CREDITS = 2001
    UNSUPPORTED_FILE = 4001
    FILE_TOO_LARGE = 4002


class RenderStatus:
    """Values of a render job's ``status``; ``completed`` is the seeds' terminal success."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TERMINAL = frozenset({COMPLETED, FAILED, CANCELLED})


#: ``output.quality`` of a render job. The seeds use "high"; the local engine also offers "fast" (full
#: output size, fastest encoder settings) and "preview" (540p short side, fastest).
RENDER_QUALITIES: dict[str, str] = {
    "high": "High quality (1080p)",
    "fast": "Fast (full size, quickest encoder)",
    "preview": "Quick preview (540p)",
}


def quality_problem(quality: object) -> str | None:
    """Why ``quality`` is not a render quality (a sentence naming the allowed ones), or None.
    The one check: the client, the engine and the renderer each raise it as their own error."""
    if quality in RENDER_QUALITIES:
        return None
    allowed = ", ".join(f'"{q}"' for q in RENDER_QUALITIES)
    return f"Unknown quality {quality!r}: use one of {allowed}."


_render_id_lock = threading.Lock()
_last_render_ms = 0


def new_render_id() -> str:
    """``render_<ms timestamp>`` as the seeds say, strictly increasing within this process (the
    one generator: the client names its renders with it, the engine the ones its agent starts)."""
    global _last_render_ms
    with _render_id_lock:
        _last_render_ms = max(int(time.time() * 1000), _last_render_ms + 1)
        return f"render_{_last_render_ms}"


def supported_formats_text() -> str:
    """The list the 4001 hint shows."""
    return ", ".join(SUPPORTED_FORMATS)


def envelope(data: Any = None, *, code: int = 0, message: str = "ok", top: dict[str, Any] | None = None) -> dict:
    """A response envelope. ``top`` repeats fields the seeds name at the top level."""
    body: dict[str, Any] = {"code": int(code), "message": message, "data": data if data is not None else {}}
    if top:
        for key, value in top.items():
            body.setdefault(key, value)
    return body


def pick(body: Any, *names: str, default: Any = None) -> Any:
    """Read a field from an envelope at the top level or under ``data`` (the seeds use both)."""
    if not isinstance(body, dict):
        return default
    data = body.get("data") if isinstance(body.get("data"), dict) else {}
    for name in names:
        if name in body and body[name] is not None:
            return body[name]
        if name in data and data[name] is not None:
            return data[name]
    return default
