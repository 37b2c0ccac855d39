"""The cloud path against a stand-in that speaks the seeds' protocol (shared/PROTOCOL.md), through
the public API only: ``nemo_nb.connect(backend="cloud", base_url=...)`` and ``NemoClient``.

The stand-in answers exactly what the seeds document (envelopes with ``code``/``data``, fields at
the top level and under ``data``, ADK events on ``/run_sse``) and nothing of our engine's extras.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

import nemo_nb
from nemo_nb import config
from nemo_nb.client import (
    NemoClient,
    NemoTimeoutError,
    NoCreditsError,
    RateLimitedError,
    RetryPolicy,
    TokenInvalidError,
)
from nemo_nb.notebook.studio import Studio
from tests._support.scripted import Json, ScriptedServer, Sse, adk_call, adk_response, adk_text, fail, ok

#: A connection left open (a failed connect() that did not close its client) fails the test.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")

ANON = "/api/auth/anonymous-token"
CREATE = "/api/tasks/me/with-session/nemo_agent"
CREDITS = "/api/credits/balance/simple"
SID = "sess-cloud-1"
STATE = f"/api/state/nemo_agent/me/{SID}/latest"
RENDER = "/api/render/proxy/lambda"
DRAFT = {"t": [{"tt": 0, "sg": [{"d": 3000, "m": {"src": "m1", "name": "a.jpg"}}]}]}


def state(draft: dict[str, Any] | None = None, **extra: Any) -> Json:
    return ok({"state": {"draft": draft if draft is not None else DRAFT, "video_infos": [], "generated_media": []},
               **extra})


@pytest.fixture
def cloud(server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> ScriptedServer:
    """The stand-in at a loopback address (as through an SSH tunnel): still the cloud."""
    for name in ("NEMO_TOKEN", "NEMO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    server.reset()
    server.on("POST", ANON, ok({"token": "anon-cloud-0001"}))
    server.on("POST", CREATE, ok({"task_id": "task-1", "session_id": SID}, task_id="task-1", session_id=SID))
    server.on("GET", STATE, state())
    server.on("GET", CREDITS, ok({"available": 100, "frozen": 0, "total": 100}, available=100, frozen=0, total=100))
    return server


@pytest.fixture
def studio(cloud: ScriptedServer) -> Iterator[Studio]:
    s = nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False, rate_limit_wait=0.2)
    yield s
    s.sync.close()


# --- 1. the 2001 registration link binds to the bind_id --------------------------------------------
def test_2001_link_uses_the_bind_id_create_session_returns(cloud: ScriptedServer) -> None:
    cloud.on("POST", CREATE, ok({"task_id": "task-1", "session_id": SID, "bind_id": "bind-from-create"},
                                task_id="task-1", session_id=SID))
    cloud.on("POST", "/run_sse", fail(2001, "insufficient credits"))
    with nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False) as studio:
        with pytest.raises(NoCreditsError) as info:
            studio.sync.ask("make a 10 second video")
        assert info.value.register_url == "https://nemovideo.ai/register?bind=bind-from-create"
        assert studio.chat[-1]["link"] == info.value.register_url
        assert "Register at https://nemovideo.ai/register?bind=bind-from-create" in str(info.value)


def test_2001_link_uses_the_bind_id_of_the_state_when_create_session_gave_none(cloud: ScriptedServer) -> None:
    cloud.on("GET", STATE, state(bind_id="bind-from-state"))
    cloud.on("POST", "/run_sse", fail(2001))
    with nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False) as studio, \
            pytest.raises(NoCreditsError) as info:
        studio.sync.ask("make a 10 second video")
    assert info.value.register_url.endswith("?bind=bind-from-state")


def test_2001_link_falls_back_only_when_the_server_gives_no_bind_id(cloud: ScriptedServer) -> None:
    cloud.on("POST", "/run_sse", fail(2001))
    with nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False) as studio, \
            pytest.raises(NoCreditsError) as info:
        studio.sync.ask("make a 10 second video")
    assert info.value.register_url.endswith("?bind=task-1")


# --- 2. a refused NEMO_TOKEN is said plainly; the anonymous token is reused ---------------------------
def test_a_refused_nemo_token_is_reported_never_swapped(cloud: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "registered-user-token-7f3a9c"
    monkeypatch.setenv("NEMO_TOKEN", secret)
    cloud.on("POST", CREATE, Json({"code": 1001, "message": "token expired", "data": None}, status=401))
    with pytest.raises(TokenInvalidError) as info:
        nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False)
    text = str(info.value)
    assert "refused the token in NEMO_TOKEN" in text and "unset it" in text and secret not in text
    assert not cloud.seen("POST", ANON), "a configured token must never be swapped for an anonymous one"
    assert secret not in (config.config_dir() / "auth.json").read_text() if (config.config_dir() / "auth.json").exists() \
        else True


def test_the_stored_anonymous_token_is_reused_by_the_next_kernel(cloud: ScriptedServer) -> None:
    for _ in range(3):  # three kernels, one after the other
        with nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False) as studio:
            studio.sync.credits()
    assert len(cloud.seen("POST", ANON)) == 1
    assert {r.headers["authorization"] for r in cloud.seen("GET", CREDITS)} == {"Bearer anon-cloud-0001"}


def test_a_token_stored_for_another_client_id_is_not_used(cloud: ScriptedServer) -> None:
    path = config.config_dir() / "auth.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"client_id": "cid-now", "tokens": {cloud.url: "anon-of-old-cid"},
                                "token_clients": {cloud.url: "cid-before"}}))
    with nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False) as studio:
        studio.sync.credits()
    anon = cloud.seen("POST", ANON)
    assert len(anon) == 1 and anon[0].headers["x-client-id"] == "cid-now"


# --- 3. a frame size only when the draft states it; silent edits by the keys that changed ------------
def test_a_draft_without_a_stated_size_says_unknown(studio: Studio, cloud: ScriptedServer) -> None:
    cloud.on("GET", STATE, state({**DRAFT, "canvas": {"ratio": "4:3"}}))
    timeline = studio.sync.timeline()
    html = timeline._repr_html_()
    assert "size unknown" in html and "1920" not in html and "16:9" not in html
    view = studio.widget().timeline
    assert view["format"] == "size unknown" and view["w"] is None
    cloud.on("GET", STATE, state({**DRAFT, "m": {"w": 1080, "h": 1920}}))
    assert "9:16 · 1080×1920" in studio.sync.timeline()._repr_html_()


def test_a_silent_edit_of_keys_we_do_not_model_is_described_by_those_keys(studio: Studio,
                                                                        cloud: ScriptedServer) -> None:
    before = {**DRAFT, "canvas": {"ratio": "16:9", "bg": "#000"}}
    after = {**DRAFT, "canvas": {"ratio": "9:16", "bg": "#000"}}
    cloud.on("GET", STATE, state(before), state(after))  # before the request, after it
    cloud.on("POST", "/run_sse", Sse([adk_call("c1", "set_canvas", {"ratio": "9:16"}),
                                      adk_response("c1", "set_canvas", {"ok": True})]))
    reply = studio.sync.ask("make it vertical")
    assert reply.text.startswith("Updated the timeline: Changed in the draft: canvas.ratio")
    assert "Timeline updated" not in reply.text and "1920" not in reply.text


# --- 4. 429: Retry-After honoured (capped), else the seeds' 30 s; once; the wait set in connect() -----
def test_429_waits_as_long_as_retry_after_says(studio: Studio, cloud: ScriptedServer) -> None:
    cloud.on("GET", CREDITS, Json({"code": 429, "message": "slow down"}, status=429, headers={"Retry-After": "1"}),
             ok({"available": 7, "frozen": 0, "total": 7}))
    started = time.monotonic()
    frame = studio.sync.credits()
    assert time.monotonic() - started >= 1.0 and frame.loc[0, "available"] == 7
    assert len(cloud.seen("GET", CREDITS)) == 2


def test_429_without_retry_after_waits_what_connect_was_told_and_retries_once(studio: Studio,
                                                                            cloud: ScriptedServer) -> None:
    cloud.on("GET", CREDITS, Json({"code": 429, "message": "slow down"}, status=429))
    started = time.monotonic()
    with pytest.raises(RateLimitedError):
        studio.sync.credits()
    waited = time.monotonic() - started
    assert 0.2 <= waited < 5 and len(cloud.seen("GET", CREDITS)) == 2


def test_429_asking_for_longer_than_the_cap_is_not_waited_out(cloud: ScriptedServer) -> None:
    cloud.on("POST", ANON, Json({"detail": "one token per client per 7 days"}, status=429,
                                headers={"Retry-After": str(6 * 24 * 3600)}))
    started = time.monotonic()
    with pytest.raises(RateLimitedError) as info:
        nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False)
    assert time.monotonic() - started < 5 and len(cloud.seen("POST", ANON)) == 1
    assert "wait 6 days" in str(info.value)


def test_connect_takes_a_retry_policy_for_the_longest_retry_after(cloud: ScriptedServer) -> None:
    cloud.on("GET", CREDITS, Json({"code": 429, "message": "slow down"}, status=429, headers={"Retry-After": "1"}),
             ok({"available": 7, "frozen": 0, "total": 7}, available=7, frozen=0, total=7))
    strict = nemo_nb.connect(backend="cloud", base_url=cloud.url, echo=False,
                             retry=RetryPolicy(max_retry_after=0.5))
    try:
        with pytest.raises(RateLimitedError):  # 1 s is more than this notebook agreed to wait
            strict.sync.credits()
    finally:
        strict.sync.close()
    assert len(cloud.seen("GET", CREDITS)) == 1


@pytest.mark.anyio
async def test_the_default_429_wait_is_the_seeds_30_seconds(cloud: ScriptedServer) -> None:
    async with NemoClient(cloud.url) as client:
        assert client.retry.rate_limit_wait == 30.0 and client.retry.rate_limit_retries == 1


# --- 5. polling by what the server says, else 30 s, whatever the host -----------------------------
@pytest.mark.anyio
async def test_a_cloud_on_a_loopback_address_is_polled_as_the_server_says(cloud: ScriptedServer) -> None:
    cloud.on("GET", f"{RENDER}/render_a", ok({"status": "running", "poll_interval_s": 0.3}, status="running"),
             ok({"status": "completed", "output": {"url": "https://cdn.example/v.mp4"}}, status="completed"))
    async with NemoClient(cloud.url) as client:
        started = time.monotonic()
        job = await client.wait_render("render_a")
    assert job.url == "https://cdn.example/v.mp4" and 0.3 <= time.monotonic() - started < 5


@pytest.mark.anyio
async def test_without_a_poll_interval_the_cloud_is_polled_every_30_seconds(cloud: ScriptedServer) -> None:
    cloud.on("GET", f"{RENDER}/render_b", ok({"status": "running"}, status="running"))
    async with NemoClient(cloud.url) as client:
        with pytest.raises(NemoTimeoutError):
            await client.wait_render("render_b", timeout=20)  # the next poll would be 30 s away
    assert len(cloud.seen("GET", f"{RENDER}/render_b")) == 1


# --- 6. the seeds' GUI phrases, rewritten as whole sentences in both languages ----------------------
GUI_SENTENCES = [
    ("Click the Export button to download your MP4.", 'Say "export" to download your MP4.'),
    ("Your video is ready. Click Export when you are happy with it.",
     'Your video is ready. Say "export" when you are happy with it.'),
    ("Preview in timeline to check the transitions.", 'Say "status" to check the transitions.'),
    ("You can preview it in the timeline.", 'You can say "status" to see the track summary.'),
    ("Open the timeline panel to see the result.", 'Say "status" to see the result.'),
    ("Open the music panel to change the volume.", "Ask me to change the volume."),
    ("Drag and drop photo 3 before photo 1.", "Ask me to move photo 3 before photo 1."),
    ("Click the Add Text button.", 'Ask me to "Add Text".'),
    ("点击导出按钮下载视频。", "输入“导出”下载视频。"),
    ("点击「导出」即可下载成片。", "输入“导出”即可下载成片。"),
    ("您可以在时间线中预览效果。", "您可以输入“状态”查看轨道摘要。"),
    ("打开时间线面板查看效果。", "输入“状态”查看效果。"),
    ("请打开时间线面板。", "请输入“状态”查看时间线。"),
    ("打开音乐面板调整音量。", "告诉我要怎样调整音量。"),
    ("拖拽照片即可调整顺序。", "告诉我照片的新顺序。"),
    ("把第三张照片拖到最前面。", "告诉我把第三张照片移到最前面。"),
    ("点击应用按钮确认。", "输入“应用”确认。"),
]


@pytest.mark.anyio
@pytest.mark.parametrize("said,shown", GUI_SENTENCES)
async def test_gui_phrases_become_what_a_notebook_user_can_do(cloud: ScriptedServer, said: str, shown: str) -> None:
    cloud.on("POST", "/run_sse", Sse([adk_text(said)]))
    async with NemoClient(cloud.url) as client:
        session = await client.create_session()
        assert await client.reply(session.session_id, "what next?") == shown
