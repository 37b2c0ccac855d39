"""Uploads: multipart streamed from disk, URL uploads, checks before sending, and flat memory."""

from __future__ import annotations

import email.parser
import email.policy
import threading
from pathlib import Path

import psutil
import pytest

from nemo_nb import protocol
from nemo_nb.client import FileTooLargeError, NemoClient, UnsupportedFileError, ValidationError
from tests._support.scripted import Json, Recorded, ScriptedServer, fail, ok

pytestmark = pytest.mark.anyio

SID = "up-1"
UPLOAD = f"/api/upload-video/nemo_agent/me/{SID}"
MB = 1024 * 1024
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"


def stored(rec: Recorded) -> Json:
    """Answer like a backend: one media item per uploaded file (parsed from the multipart body)."""
    if rec.headers.get("content-type", "").startswith("application/json"):
        return ok({"media": [{"id": f"u{i}", "name": u.rsplit("/", 1)[-1], "kind": "photo", "url": u}
                             for i, u in enumerate(rec.json["urls"])]})
    parts = parse_multipart(rec)
    return ok({"media": [{"id": f"m-{p['filename']}", "name": p["filename"], "kind": "photo",
                          "url": f"/media/m-{p['filename']}", "size": len(p["data"])} for p in parts]})


def parse_multipart(rec: Recorded) -> list[dict]:
    head = f"Content-Type: {rec.headers['content-type']}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + rec.body)
    return [{"field": part.get_param("name", header="content-disposition"),
             "filename": part.get_filename(), "type": part.get_content_type(),
             "data": part.get_payload(decode=True)} for part in msg.iter_parts()]


@pytest.fixture
def srv(server: ScriptedServer) -> ScriptedServer:
    server.reset()
    server.keep_body_bytes = 8 * MB
    server.on("POST", "/api/auth/anonymous-token", ok({"token": "anon-up-0001"}))
    server.on("POST", UPLOAD, stored)
    return server


async def test_files_stream_as_multipart_with_progress(srv: ScriptedServer, samples: Path) -> None:
    photo = samples / "photos" / "navy_t45a_goshawk_in_flight.jpg"  # 2 MB: several chunks
    audio = samples / "audio" / "sfx_sound_cc0.wav"
    seen: list[tuple[str, int, int]] = []
    async with NemoClient(srv.url) as client:
        media = await client.upload(SID, photo, str(audio), progress=lambda *a: seen.append(a))
    assert [(m.id, m.name, m.url) for m in media] == [
        ("m-navy_t45a_goshawk_in_flight.jpg", photo.name, "/media/m-navy_t45a_goshawk_in_flight.jpg"),
        ("m-sfx_sound_cc0.wav", audio.name, "/media/m-sfx_sound_cc0.wav"),
    ]
    requests = srv.seen("POST", UPLOAD)
    assert len(requests) == 2
    for rec, path, mime in zip(requests, (photo, audio), ("image/jpeg", "audio/wav"), strict=True):
        assert int(rec.headers["content-length"]) == rec.body_size  # exact length, no chunking
        assert rec.headers["authorization"] == "Bearer anon-up-0001"
        assert rec.headers["x-skill-source"] == "nemo-nb"
        (part,) = parse_multipart(rec)
        assert (part["field"], part["filename"], part["type"]) == ("files", path.name, mime)
        assert part["data"] == path.read_bytes()
    size = photo.stat().st_size
    photo_progress = [s for s in seen if s[0] == photo.name]
    assert photo_progress[0] == (photo.name, 0, size) and photo_progress[-1] == (photo.name, size, size)
    assert len(photo_progress) >= 3  # several chunks, reported as they went


async def test_url_upload(srv: ScriptedServer) -> None:
    urls = ["https://example.com/a.jpg", "https://example.com/b.mp4"]
    async with NemoClient(srv.url) as client:
        media = await client.upload(SID, *urls)
    assert [m.url for m in media] == urls
    (rec,) = srv.seen("POST", UPLOAD)
    assert rec.json == {"urls": urls, "source_type": "url"}


@pytest.mark.parametrize("name", ["elf_binary_named.jpg", "text_file_named.png", "windows_exe_named.mp4",
                                  "zero_bytes.jpg"])
async def test_content_is_checked_before_sending(srv: ScriptedServer, samples: Path, name: str) -> None:
    good = samples / "photos" / "chelsea_cat.png"
    async with NemoClient(srv.url) as client:
        with pytest.raises(UnsupportedFileError) as info:
            await client.upload(SID, good, samples / "bad" / name)  # the good one is not sent either
    assert name in str(info.value) and protocol.supported_formats_text() in str(info.value)
    assert info.value.code == 4001
    assert not srv.seen("POST", UPLOAD)


async def test_size_is_checked_before_sending(srv: ScriptedServer, tmp_path: Path) -> None:
    big = tmp_path / "huge.mp4"
    with open(big, "wb") as fh:
        fh.write(MP4_HEAD)
        fh.truncate(protocol.MAX_UPLOAD_BYTES + 1)  # sparse: instant, no disk used
    async with NemoClient(srv.url) as client:
        with pytest.raises(FileTooLargeError) as info:
            await client.upload(SID, big)
    assert "huge.mp4" in str(info.value) and "200 MB" in str(info.value)
    assert not srv.requests  # not even the token request


async def test_missing_file(srv: ScriptedServer, tmp_path: Path) -> None:
    async with NemoClient(srv.url) as client:
        with pytest.raises(ValidationError, match="No such file"):
            await client.upload(SID, tmp_path / "nope.jpg")
        with pytest.raises(ValidationError, match="Nothing to upload"):
            await client.upload(SID)


async def test_retry_after_1001_resends_the_whole_file(srv: ScriptedServer, samples: Path) -> None:
    photo = samples / "photos" / "chelsea_cat.png"
    srv.on("POST", "/api/auth/anonymous-token", ok({"token": "anon-a-0001"}), ok({"token": "anon-b-0002"}))
    srv.on("POST", UPLOAD, fail(1001, "expired"), stored)
    async with NemoClient(srv.url) as client:
        media = await client.upload(SID, photo)
    assert media[0].name == photo.name
    first, second = srv.seen("POST", UPLOAD)
    assert first.body_size == second.body_size > photo.stat().st_size
    assert parse_multipart(second)[0]["data"] == photo.read_bytes()


async def test_200mb_upload_keeps_memory_flat(srv: ScriptedServer, tmp_path: Path) -> None:
    """RSS of this process (client AND the in-process scripted server) grows < 50 MB."""
    srv.keep_body_bytes = 0  # the server counts and discards
    srv.on("POST", UPLOAD, ok({"media": [{"id": "big", "name": "big.mp4"}]}))
    big = tmp_path / "big.mp4"
    with open(big, "wb") as fh:
        fh.write(MP4_HEAD)
        fh.truncate(protocol.MAX_UPLOAD_BYTES)  # exactly at the limit: allowed
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    lock = threading.Lock()

    def sample(name: str, sent: int, total: int) -> None:
        with lock:
            peak[0] = max(peak[0], proc.memory_info().rss)

    async with NemoClient(srv.url) as client:
        await client.upload(SID, big, progress=sample)
    peak[0] = max(peak[0], proc.memory_info().rss)
    (rec,) = srv.seen("POST", UPLOAD)
    assert rec.body_size == int(rec.headers["content-length"]) > protocol.MAX_UPLOAD_BYTES
    growth = (peak[0] - base) / MB
    assert growth < 50, f"RSS grew {growth:.1f} MB during a 200 MB upload"
