"""The Host header check: the engine answers only requests addressed to itself (DNS rebinding).

A web page on any site can point its own name at 127.0.0.1 ("DNS rebinding") and then talk to the
engine as a same-origin client. What gives it away is the Host header: the browser sends the
page's name (``evil.example``), never a loopback name. So before any route runs, a request is
refused with 421 unless its Host is

- a loopback name or address (``localhost``, ``127.0.0.1``, ``[::1]``, any spelling
  :func:`nemo_nb.netloc.is_loopback_host` accepts) **with the port the engine is bound to**, or
- when the engine is bound to another address: that address, any IP literal (an address cannot be
  rebound) or a name the user configured (``EngineSettings.allowed_hosts``, ``NEMO_NB_ALLOWED_HOSTS``).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .. import protocol
from ..netloc import is_loopback_host, parse_ip
from .settings import EngineSettings


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header (port None when absent), or None when it is malformed."""
    value = value.strip().lower()
    if not value or any(c in value for c in "/@?#\\ "):
        return None
    if value.startswith("["):
        name, sep, rest = value[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, sep, port_text = value.rpartition(":") if ":" in value else (value, "", None)
        if ":" in name:
            return None
    if port_text is None:
        return name, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return name, int(port_text)


def host_allowed(host_header: str | None, bound_port: int | None, settings: EngineSettings) -> bool:
    """Whether a request with this Host header is addressed to this engine (see the module doc)."""
    parsed = split_host(host_header or "")
    if parsed is None:
        return False
    name, port = parsed
    port = 80 if port is None else port
    if is_loopback_host(name):
        return bound_port is None or port == bound_port
    if settings.is_loopback:
        return False
    if name.rstrip(".") in settings.allowed_hosts:
        return True
    bound = settings.host.lower().strip("[]")
    return port == bound_port and (name == bound or parse_ip(name) is not None)


class HostGuard:
    """ASGI middleware: 421 with an envelope for a request whose Host is not this engine."""

    def __init__(self, app: ASGIApp, settings: EngineSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        server = scope.get("server")
        bound_port = server[1] if server and server[1] else (self.settings.port or None)
        if host_allowed(host, bound_port, self.settings):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await _refuse(send, host)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


async def _refuse(send: Send, host: str | None) -> None:
    shown = (host or "")[:100]
    message = (f"This engine does not answer requests for host {shown!r}: connect to it as 127.0.0.1 or "
               "localhost with its port (or add the name to NEMO_NB_ALLOWED_HOSTS when serving it elsewhere).")
    body: dict[str, Any] = protocol.envelope({"host": shown}, code=421, message=message)
    payload = json.dumps(body).encode("utf-8")
    await send({"type": "http.response.start", "status": 421,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})
