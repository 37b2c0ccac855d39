"""Conformance of the embedded engine to shared/PROTOCOL.md, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import uuid

import httpx
import pytest

from nemo_nb import protocol
from nemo_nb.engine.store import MIGRATIONS, Store
from tests._support.engine import ATTRIBUTION, Api


def _anon(url: str, client_id: str | None) -> httpx.Response:
    headers = {protocol.HEADER_CLIENT_ID: client_id} if client_id is not None else {}
    return httpx.post(url + protocol.PATH_ANON_TOKEN, headers=headers, trust_env=False)


def test_health(api: Api) -> None:
    anonymous = httpx.get(api.url + protocol.PATH_HEALTH).json()
    assert anonymous["code"] == 0 and anonymous["status"] == "ok"
    assert "pid" not in anonymous["data"] and "data_dir" not in anonymous["data"]
    body = api.http.get(protocol.PATH_HEALTH).json()
    assert body["code"] == 0 and body["status"] == "ok" and body["data"]["pid"] == os.getpid()


def test_anonymous_token_flow(engine_url: str) -> None:
    missing = _anon(engine_url, None)
    assert missing.status_code == 400 and protocol.HEADER_CLIENT_ID in missing.json()["message"]
    client_id = str(uuid.uuid4())
    first = _anon(engine_url, client_id)
    assert first.status_code == 200 and first.json()["code"] == 0
    token = first.json()["data"]["token"]
    assert len(token) > 30 and first.json()["data"]["credits"] == protocol.ANON_TOKEN_CREDITS
    again = _anon(engine_url, client_id)
    assert again.status_code == 429 and "7 days" in again.json()["message"]
    assert int(again.headers["retry-after"]) > 0
    assert token not in again.text
    other = _anon(engine_url, str(uuid.uuid4()))
    assert other.status_code == 200 and other.json()["data"]["token"] != token
    credits = httpx.get(engine_url + protocol.PATH_CREDITS, headers={"Authorization": f"Bearer {token}"}).json()
    assert credits["code"] == 0
    for where in (credits, credits["data"]):
        assert (where["available"], where["frozen"], where["total"]) == (100, 0, 100)


@pytest.mark.parametrize("auth", [None, "Bearer nnb_not-a-real-token", "Basic abc", "Bearer"])
def test_bad_tokens_are_1001(engine_url: str, auth: str | None) -> None:
    headers = {"Authorization": auth} if auth else {}
    for method, path in [("GET", protocol.PATH_CREDITS), ("POST", protocol.PATH_CREATE_SESSION),
                         ("GET", protocol.PATH_STATE.format(session_id="x")),
                         ("POST", protocol.PATH_UPLOAD.format(session_id="x")),
                         ("GET", protocol.PATH_RENDER_STATUS.format(job_id="x"))]:
        resp = httpx.request(method, engine_url + path, headers=headers, json={})
        assert resp.status_code == 401, (path, resp.text)
        assert resp.json()["code"] == protocol.ErrorCode.TOKEN_INVALID
        assert "anonymous-token" in resp.json()["message"]


def test_expired_token_is_1001(make_engine) -> None:
    server = make_engine(token_ttl_s=0.3)
    with Api(server.url) as api:
        assert api.credits()["code"] == 0
        time.sleep(0.4)
        resp = api.http.get(protocol.PATH_CREDITS)
    assert resp.status_code == 401 and resp.json()["code"] == 1001 and "expired" in resp.json()["message"]


def test_create_session_fields_at_both_places(api: Api) -> None:
    resp = api.http.post(protocol.PATH_CREATE_SESSION, json={"taskName": "camel", "language": "zh"})
    body = resp.json()
    assert body["code"] == 0 and body["message"]
    assert body["session_id"] == body["data"]["session_id"] and body["task_id"] == body["data"]["task_id"]
    assert body["data"]["task_name"] == "camel" and body["data"]["language"] == "zh"
    assert body["session_id"] != api.session_id


def test_state_shape(api: Api) -> None:
    body = api.state()
    assert body["code"] == 0 and body["task_id"] == api.task_id and body["session_id"] == api.session_id
    state = body["data"]["state"]
    assert state["draft"] == {"t": []}
    assert state["video_infos"] == [] and state["generated_media"] == []
    assert (state["revision"], state["can_undo"], state["can_redo"]) == (0, False, False)


def test_unknown_session_is_1002_on_rest_and_404_on_run_sse(api: Api) -> None:
    sid = "no-such-session"
    for resp in (api.http.get(protocol.PATH_STATE.format(session_id=sid)),
                 api.http.post(protocol.PATH_UPLOAD.format(session_id=sid), files={"files": ("a.jpg", b"\xff\xd8\xff")}),
                 api.http.post(protocol.PATH_RENDER, json={"id": "r1", "sessionId": sid, "draft": {"t": []}})):
        assert resp.status_code == 404 and resp.json()["code"] == protocol.ErrorCode.SESSION_NOT_FOUND
        assert resp.json()["data"]["session_id"] == sid
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid, "new_message": {"parts": [{"text": "hi"}]}}
    resp = api.http.post(protocol.PATH_RUN_SSE, json=body)
    assert resp.status_code == 404 and resp.json() == {"detail": f"Session not found: {sid}"}


def test_sessions_are_private_to_their_client(engine_url: str) -> None:
    with Api(engine_url) as alice, Api(engine_url) as bob:
        resp = bob.http.get(protocol.PATH_STATE.format(session_id=alice.session_id))
    assert resp.json()["code"] == protocol.ErrorCode.SESSION_NOT_FOUND


@pytest.mark.parametrize("body", [
    {},
    {"app_name": "nemo_agent", "user_id": "me", "session_id": "s"},
    {"app_name": "nemo_agent", "user_id": "me", "session_id": 5, "new_message": {"parts": []}},
    {"app_name": "nemo_agent", "user_id": "me", "session_id": "s", "new_message": "hi"},
    [1, 2],
])
def test_run_sse_malformed_body_is_422(api: Api, body: object) -> None:
    resp = api.http.post(protocol.PATH_RUN_SSE, json=body)
    assert resp.status_code == 422 and isinstance(resp.json()["detail"], list)
    resp = api.http.post(protocol.PATH_RUN_SSE, content=b"{not json", headers={"content-type": "application/json"})
    assert resp.status_code == 422


def test_run_sse_accepts_camel_case(api: Api) -> None:
    body = {"appName": "nemo_agent", "userId": "me", "sessionId": api.session_id,
            "newMessage": {"parts": [{"text": ""}]}}
    resp = api.http.post(protocol.PATH_RUN_SSE, json=body)
    assert resp.status_code == 200 and resp.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert resp.text.startswith("data: {")


def test_export_without_attribution_headers_is_402(api: Api) -> None:
    body = {"id": "render_1", "sessionId": api.session_id, "draft": {"t": []}, "output": {"format": "mp4"}}
    with httpx.Client(base_url=api.url, headers={"Authorization": f"Bearer {api.token}"}) as bare:
        resp = bare.post(protocol.PATH_RENDER, json=body)
        assert resp.status_code == 402 and "Register or upgrade" in resp.json()["message"]
        for name in protocol.ATTRIBUTION_HEADERS:
            partial = {k: v for k, v in ATTRIBUTION.items() if k != name}
            resp = bare.post(protocol.PATH_RENDER, json=body, headers=partial)
            assert resp.status_code == 402 and name in resp.json()["message"]


def test_render_request_validation(api: Api) -> None:
    base = {"id": "render_v", "sessionId": api.session_id, "output": {"format": "mp4", "quality": "high"}}
    empty = api.http.post(protocol.PATH_RENDER, json={**base, "draft": {"t": []}})
    assert empty.status_code == 400 and "empty" in empty.json()["message"]
    bad_q = api.http.post(protocol.PATH_RENDER, json={**base, "output": {"quality": "ultra"}, "draft": {"t": []}})
    assert bad_q.status_code == 400 and "quality" in bad_q.json()["message"]
    ghost = {"t": [{"tt": 0, "sg": [{"d": 1000, "m": {"type": "photo", "src": "med_missing"}}]}]}
    resp = api.http.post(protocol.PATH_RENDER, json={**base, "draft": ghost})
    assert resp.status_code == 400 and "med_missing" in resp.json()["message"]
    unknown = api.http.get(protocol.PATH_RENDER_STATUS.format(job_id="render_nope"))
    assert unknown.status_code == 404 and "not found" in unknown.json()["message"]
    assert api.state()["data"]["state"]["generated_media"] == []


def test_store_is_private_and_holds_no_plain_token(api: Api, engine) -> None:
    data_dir = engine.settings.data_dir
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    for name in ("engine.sqlite3", "engine.sqlite3-wal", "engine.sqlite3-shm"):
        path = data_dir / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name
    for sub in ("media", "renders", "tmp"):
        assert stat.S_IMODE((data_dir / sub).stat().st_mode) == 0o700
    blob = b"".join(p.read_bytes() for p in data_dir.glob("engine.sqlite3*"))
    assert api.token.encode() not in blob
    assert api.token not in repr(engine.engine.store.authenticate(api.token))


def test_schema_is_versioned(tmp_path) -> None:
    store = Store(tmp_path / "s")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    again = Store(tmp_path / "s")  # reopening does not re-run migrations
    assert again.schema_version == len(MIGRATIONS)
    again.close()
    db = sqlite3.connect(tmp_path / "s" / "engine.sqlite3")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    db.commit()
    db.close()
    with pytest.raises(RuntimeError, match="newer nemo_nb"):
        Store(tmp_path / "s")
