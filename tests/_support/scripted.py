"""A small scripted HTTP/SSE server on 127.0.0.1 for the client's fault paths.

Real uvicorn in a thread (not httpx.ASGITransport, which buffers SSE): tests script answers per
route and read back what the client sent. SSE replies are written event by event with real pauses,
so still-working notices, silences and dropped connections happen over a real socket.

    server = ScriptedServer().start()
    server.on("GET", "/api/credits/balance/simple", Json({"code": 0, "data": {...}}))
    server.on("POST", "/run_sse", Sse([event, Pause(0.5), event]))
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn

#: Keep at most this much of a request body (uploads are counted, not kept).
KEEP_BODY_BYTES = 256 * 1024


@dataclass
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes = b""
    body_size: int = 0

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Json:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


@dataclass
class Raw:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/octet-stream"


@dataclass
class Pause:
    seconds: float


class Drop:
    """In an Sse script: cut the connection here (the body ends without its final chunk)."""


@dataclass
class Sse:
    """``data: <json>`` lines, one per item; Pause sleeps, Drop cuts the connection, str is raw data."""

    items: list[Any]
    status: int = 200


Reply = Json | Raw | Sse
Handler = Callable[[Recorded], Reply]


class ScriptedServer:
    """Routes (method, path regex) → a list of replies used in order (the last one repeats)."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.keep_body_bytes = KEEP_BODY_BYTES
        self._routes: list[tuple[str, re.Pattern[str], list[Reply | Handler]]] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- scripting ---------------------------------------------------------------------------
    def on(self, method: str, path: str, *replies: Reply | Handler) -> ScriptedServer:
        """Script ``path`` (a regex, anchored) for ``method``; replaces an earlier script for it."""
        pattern = re.compile(path + r"\Z")
        self._routes = [r for r in self._routes if not (r[0] == method and r[1].pattern == pattern.pattern)]
        self._routes.append((method, pattern, list(replies)))
        return self

    def reset(self) -> None:
        self.requests.clear()
        self.keep_body_bytes = KEEP_BODY_BYTES
        self._routes.clear()

    def seen(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        return [r for r in self.requests
                if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _reply_for(self, rec: Recorded) -> Reply:
        for method, pattern, replies in self._routes:
            if method == rec.method and pattern.match(rec.path):
                item = replies.pop(0) if len(replies) > 1 else replies[0]
                return item(rec) if callable(item) else item
        return Json({"detail": "Not Found"}, status=404)

    # --- ASGI --------------------------------------------------------------------------------
    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        rec = Recorded(scope["method"], scope["path"], scope.get("query_string", b"").decode(), headers)
        kept = bytearray()
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            rec.body_size += len(chunk)
            if len(kept) < self.keep_body_bytes:
                kept.extend(chunk[: self.keep_body_bytes - len(kept)])
            if not message.get("more_body"):
                break
        rec.body = bytes(kept)
        self.requests.append(rec)
        reply = self._reply_for(rec)
        if isinstance(reply, Sse):
            await self._sse(reply, send)
            return
        if isinstance(reply, Json):
            await asyncio.sleep(reply.delay)
            body = json.dumps(reply.body, ensure_ascii=False).encode()
            ctype, extra, status = "application/json", reply.headers, reply.status
        else:
            body, ctype, extra, status = reply.body, reply.content_type, reply.headers, reply.status
        base = {"content-type": ctype, "content-length": str(len(body))}
        base.update({k.lower(): v for k, v in extra.items()})  # a script may lie about the length
        hdrs = [(k.encode(), v.encode()) for k, v in base.items()]
        await send({"type": "http.response.start", "status": status, "headers": hdrs})
        await send({"type": "http.response.body", "body": body})

    async def _sse(self, reply: Sse, send: Callable) -> None:
        await send({
            "type": "http.response.start",
            "status": reply.status,
            "headers": [(b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache")],
        })
        for item in reply.items:
            if isinstance(item, Pause):
                await asyncio.sleep(item.seconds)
                continue
            if isinstance(item, Drop):
                raise ConnectionAbortedError("scripted drop")  # uvicorn closes the socket mid-body
            data = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            await send({"type": "http.response.body", "body": f"data: {data}\n\n".encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    # --- lifecycle ---------------------------------------------------------------------------
    def start(self) -> ScriptedServer:
        config = uvicorn.Config(self, host="127.0.0.1", port=0, log_level="critical", lifespan="off",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="scripted-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("scripted server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._server.force_exit = True  # do not wait for scripted pauses still sleeping
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- protocol helpers for tests ---------------------------------------------------------------

def ok(data: Any = None, **top: Any) -> Json:
    """A success envelope, with ``top`` fields repeated at the top level like the seeds do."""
    body: dict[str, Any] = {"code": 0, "message": "ok", "data": data if data is not None else {}}
    body.update(top)
    return Json(body)


def fail(code: int, message: str = "error", status: int = 200) -> Json:
    return Json({"code": code, "message": message, "data": None}, status=status)


def adk_text(text: str, *, partial: bool | None = None, role: str = "model", thought: bool = False) -> dict:
    part: dict[str, Any] = {"text": text}
    if thought:
        part["thought"] = True
    event: dict[str, Any] = {"content": {"parts": [part], "role": role}, "author": "nemo_agent",
                             "actions": {"stateDelta": {}, "artifactDelta": {}}, "id": "e", "timestamp": 1.0}
    if partial is not None:
        event["partial"] = partial
    return event


def adk_call(call_id: str, name: str, args: dict, *, partial: bool | None = None, text: str | None = None) -> dict:
    parts: list[dict[str, Any]] = []
    if text is not None:
        parts.append({"text": text})
    parts.append({"functionCall": {"id": call_id, "name": name, "args": args}})
    event: dict[str, Any] = {"content": {"parts": parts, "role": "model"}, "author": "nemo_agent",
                             "actions": {"stateDelta": {}, "artifactDelta": {}}}
    if partial is not None:
        event["partial"] = partial
    return event


def adk_response(call_id: str, name: str, response: dict, state_delta: dict | None = None) -> dict:
    return {"content": {"parts": [{"functionResponse": {"id": call_id, "name": name, "response": response}}],
                        "role": "user"}, "author": "nemo_agent",
            "actions": {"stateDelta": state_delta or {}, "artifactDelta": {}}}


def adk_error(message: str) -> dict:
    return {"error": f"RuntimeError: {message}",
            "error_details": {"error_type": "RuntimeError", "error_message": message}}


# --- pytest fixtures (registered in tests/conftest.py) ---------------------------------------------

@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def server() -> ScriptedServer:
    """One scripted server per test module; tests reset and script it through ``srv``-style fixtures."""
    with ScriptedServer() as srv:
        yield srv
