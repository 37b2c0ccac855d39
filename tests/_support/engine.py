"""Fixtures for a real embedded engine on 127.0.0.1.

``engine`` is a started EngineServer (uvicorn in a thread, ~0.1 s to start) over a fresh data dir,
``engine_url`` its base URL, ``make_engine(**settings)`` starts one with custom EngineSettings, and
``api`` is a small synchronous helper (token + session already made) for tests of the engine itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from nemo_nb import protocol
from nemo_nb.engine.server import EngineServer

ATTRIBUTION = {protocol.HEADER_SOURCE: protocol.SKILL_SOURCE, protocol.HEADER_VERSION: "test",
               protocol.HEADER_PLATFORM: protocol.SKILL_PLATFORM}


class Api:
    """Raw HTTP against an engine: every call returns the httpx.Response (tests check codes)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: EngineServer | None = None  # set by the ``api`` fixture (in-process engine)
        self.http = httpx.Client(base_url=url, timeout=120.0, headers=ATTRIBUTION, trust_env=False)
        self.client_id = str(uuid.uuid4())
        resp = self.http.post(protocol.PATH_ANON_TOKEN, headers={protocol.HEADER_CLIENT_ID: self.client_id})
        resp.raise_for_status()
        self.token = resp.json()["data"]["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        self.session_id, self.task_id = self.new_session()

    def new_session(self) -> tuple[str, str]:
        body = self.http.post(protocol.PATH_CREATE_SESSION, json={"task_name": "project", "language": "en"}).json()
        return body["session_id"], body["task_id"]

    def state(self, sid: str | None = None) -> dict[str, Any]:
        return self.http.get(protocol.PATH_STATE.format(session_id=sid or self.session_id)).json()

    def upload(self, paths: list[Path], sid: str | None = None) -> httpx.Response:
        files = [("files", (p.name, p.read_bytes())) for p in paths]
        return self.http.post(protocol.PATH_UPLOAD.format(session_id=sid or self.session_id), files=files)

    def say(self, text: str, *, streaming: bool = False, sid: str | None = None) -> list[dict[str, Any]]:
        """Send a message to /run_sse; the parsed events (asserts the exact framing)."""
        body = {"app_name": protocol.APP_NAME, "user_id": protocol.USER_ID, "session_id": sid or self.session_id,
                "new_message": {"role": "user", "parts": [{"text": text}]}, "streaming": streaming}
        resp = self.http.post(protocol.PATH_RUN_SSE, json=body, headers={"Accept": "text/event-stream"})
        assert resp.status_code == 200, resp.text
        return parse_sse(resp)

    def credits(self) -> dict[str, Any]:
        return self.http.get(protocol.PATH_CREDITS).json()

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_sse(resp: httpx.Response) -> list[dict[str, Any]]:
    """Events of an ADK stream, checking the framing: only ``data: <json>`` lines and blank lines."""
    import json

    assert resp.headers["content-type"] == "text/event-stream; charset=utf-8"
    text = resp.content.decode("utf-8")
    assert text.endswith("\n\n") or text == ""
    events = []
    for block in text.split("\n\n")[:-1]:
        assert block.startswith("data: ") and "\n" not in block, block
        payload = block[len("data: "):]
        assert payload == json.dumps(json.loads(payload), ensure_ascii=False, separators=(",", ":"))
        events.append(json.loads(payload))
    return events


@pytest.fixture
def make_engine(tmp_path: Path) -> Iterator[Callable[..., EngineServer]]:
    """Start engines with custom settings (``make_engine(max_upload_bytes=...)``); all stopped after."""
    started: list[EngineServer] = []

    def make(data_dir: Path | None = None, **settings: Any) -> EngineServer:
        server = EngineServer(data_dir or tmp_path / f"engine-data-{len(started)}", port=0, **settings).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def engine(make_engine: Callable[..., EngineServer]) -> EngineServer:
    """A started engine (uvicorn in a thread) with its own data dir under ``tmp_path``."""
    return make_engine()


@pytest.fixture
def engine_url(engine: EngineServer) -> str:
    return engine.url


@pytest.fixture
def api(engine: EngineServer) -> Iterator[Api]:
    client = Api(engine.url)
    client.engine = engine
    yield client
    client.close()
