"""Export: render job body and id, polling with progress, failures, streamed atomic downloads."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from nemo_nb.client import NemoClient, NemoConnectionError, RenderFailed, RenderJob
from nemo_nb.draft import Draft
from tests._support.scripted import Json, Raw, ScriptedServer, ok

pytestmark = pytest.mark.anyio

SID = "exp-1"
STATE = f"/api/state/nemo_agent/me/{SID}/latest"
RENDER = "/api/render/proxy/lambda"
STATUS = r"/api/render/proxy/lambda/render_\d+"
DRAFT = {"t": [{"tt": 0, "sg": [{"d": 3000, "m": {"type": "photo", "src": "m1"}}]}], "m": {"w": 1080, "h": 1920},
         "cloud_only": [1, 2]}
VIDEO = b"\x00\x00\x00\x18ftypisom" + bytes(range(256)) * 4000


@pytest.fixture(scope="module")
def servers() -> tuple[ScriptedServer, ScriptedServer]:
    with ScriptedServer() as api, ScriptedServer() as cdn:
        yield api, cdn


@pytest.fixture
def srv(servers) -> ScriptedServer:
    api, cdn = servers
    api.reset()
    cdn.reset()
    api.on("POST", "/api/auth/anonymous-token", ok({"token": "anon-exp-0001"}))
    api.on("GET", STATE, ok({"state": {"draft": DRAFT}}))
    return api


@pytest.fixture
def cdn(servers, srv) -> ScriptedServer:
    return servers[1]


async def test_start_export_posts_the_draft(srv: ScriptedServer) -> None:
    srv.on("POST", RENDER, ok({"status": "queued"}))
    async with NemoClient(srv.url) as client:
        before = int(time.time() * 1000)
        started = await client.start_export(SID)
    (rec,) = srv.seen("POST", RENDER)
    body = rec.json
    assert re.fullmatch(r"render_\d{13}", body["id"]) and int(body["id"][7:]) >= before
    assert body == {"id": body["id"], "sessionId": SID, "draft": DRAFT,
                    "output": {"format": "mp4", "quality": "high"}}  # unknown draft keys passed back
    assert started.id == body["id"] and started.status == "queued"


async def test_render_ids_stay_unique_when_exports_start_in_the_same_millisecond(srv: ScriptedServer) -> None:
    """Concurrent exports (a campaign) must not collide on ``render_<ms>``; a 409 gets a new id."""
    taken = Json({"detail": "Render id is already used: send a new id."}, status=409)
    srv.on("POST", RENDER, taken, ok({"status": "queued"}), ok({"status": "queued"}), ok({"status": "queued"}))
    async with NemoClient(srv.url) as client:
        jobs = [await client.start_export(SID, DRAFT) for _ in range(3)]
    ids = [rec.json["id"] for rec in srv.seen("POST", RENDER)]
    assert len(ids) == 4 and len(set(ids)) == 4  # the refused id was not reused
    assert [job.id for job in jobs] == ids[1:]


async def test_export_with_explicit_draft_polls_until_done(srv: ScriptedServer) -> None:
    srv.on("POST", RENDER, ok({"status": "queued"}))
    srv.on("GET", STATUS,
           ok({"status": "running", "progress": {"fraction": 0.25, "frames_done": 15, "frames_total": 60,
                                                 "eta_s": 1.0}, "poll_interval_s": 0.05}),
           ok({"status": "running", "progress": {"fraction": 0.75}, "poll_interval_s": 0.05}),
           ok({"status": "completed", "output": {"url": "/media/out.mp4"}}))
    draft = Draft.from_json(DRAFT)
    draft.set_aspect("1:1")
    seen: list[RenderJob] = []
    async with NemoClient(srv.url) as client:
        done = await client.export(SID, draft, quality="preview", progress=seen.append)
    assert done.ok and done.url == "/media/out.mp4"
    body = srv.seen("POST", RENDER)[0].json
    assert body["draft"]["m"]["aspect"] == "1:1" and body["output"]["quality"] == "preview"
    assert not srv.seen("GET", STATE)  # the given draft was used
    assert [j.status for j in seen] == ["queued", "running", "running", "completed"]
    assert seen[1].progress == {"fraction": 0.25, "frames_done": 15, "frames_total": 60, "eta_s": 1.0}
    assert all(r.path == f"{RENDER}/{body['id']}" for r in srv.seen("GET", STATUS))


async def test_poll_interval_default_and_override(srv: ScriptedServer) -> None:
    async with NemoClient(srv.url) as local, NemoClient("https://mega-api-prod.nemovideo.ai") as cloud, \
            NemoClient(srv.url, poll_interval=2.5) as fixed:
        plain = RenderJob(id="r", status="running")
        told = RenderJob(id="r", status="running", poll_interval_s=0.2)
        assert cloud._poll_seconds(plain) == 30.0
        assert cloud._poll_seconds(told) == 0.2
        assert local._poll_seconds(plain) == 30.0  # by what the server says, never by its host
        assert fixed._poll_seconds(told) == 2.5


@pytest.mark.parametrize("status,words", [("failed", "failed: encoder crashed"), ("cancelled", "was cancelled")])
async def test_failed_render_raises(srv: ScriptedServer, status: str, words: str) -> None:
    srv.on("GET", STATUS, ok({"status": status, "error": "encoder crashed" if status == "failed" else None}))
    async with NemoClient(srv.url) as client:
        with pytest.raises(RenderFailed) as info:
            await client.wait_render("render_1")
    assert words in str(info.value) and info.value.hint


async def test_cancel_export(srv: ScriptedServer) -> None:
    srv.on("POST", r"/api/render/proxy/lambda/render_\d+/cancel", ok({"status": "cancelled"}))
    async with NemoClient(srv.url) as client:
        cancelled = await client.cancel_export("render_5")
    assert (cancelled.id, cancelled.status) == ("render_5", "cancelled")


async def test_download_streams_to_disk_atomically(srv: ScriptedServer, tmp_path: Path) -> None:
    srv.on("GET", "/media/out.mp4", Raw(VIDEO, content_type="video/mp4"))
    got: list[tuple[int, int | None]] = []
    async with NemoClient(srv.url) as client:
        path = await client.download("/media/out.mp4", tmp_path / "videos" / "final.mp4",
                                     progress=lambda n, t: got.append((n, t)))
        into_dir = await client.download("/media/out.mp4", tmp_path)
    assert path.read_bytes() == VIDEO and into_dir == tmp_path / "out.mp4"
    assert got[-1] == (len(VIDEO), len(VIDEO))
    assert srv.seen("GET", "/media/out.mp4")[0].headers["authorization"] == "Bearer anon-exp-0001"
    assert sorted(p.name for p in (tmp_path / "videos").iterdir()) == ["final.mp4"]


async def test_interrupted_download_leaves_nothing(srv: ScriptedServer, tmp_path: Path) -> None:
    dest = tmp_path / "final.mp4"
    dest.write_bytes(b"previous good file")
    # Claims more bytes than it sends, then the connection ends.
    srv.on("GET", "/media/cut.mp4", _short_body())
    async with NemoClient(srv.url) as client:
        with pytest.raises(NemoConnectionError):
            await client.download("/media/cut.mp4", dest)
    assert dest.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["final.mp4"]


def _short_body() -> Raw:
    raw = Raw(VIDEO[:1000], content_type="video/mp4")
    raw.headers["content-length"] = str(len(VIDEO))  # overrides the real length: the body ends early
    return raw


async def test_foreign_urls_get_no_token(srv: ScriptedServer, cdn: ScriptedServer, tmp_path: Path) -> None:
    cdn.on("GET", "/v/out.mp4", Raw(VIDEO, content_type="video/mp4"))
    cdn.on("GET", "/thumb.jpg", Raw(b"\xff\xd8\xff thumb", content_type="image/jpeg"))
    srv.on("GET", "/api/media/m1/thumbnail", Raw(b"\xff\xd8\xff local", content_type="image/jpeg"))
    async with NemoClient(srv.url) as client:
        path = await client.download(f"{cdn.url}/v/out.mp4", tmp_path / "a.mp4")
        thumb = await client.fetch_bytes(f"{cdn.url}/thumb.jpg")
        local = await client.fetch_bytes("/api/media/m1/thumbnail")
    assert path.read_bytes() == VIDEO and thumb.endswith(b"thumb") and local.endswith(b"local")
    assert all("authorization" not in r.headers for r in cdn.requests)
    assert cdn.requests[0].headers["x-skill-source"] == "nemo-nb"
    assert srv.seen("GET", "/api/media/m1/thumbnail")[0].headers["authorization"] == "Bearer anon-exp-0001"
