"""Uploads: content sniffing, probing, size caps while streaming, and an untouched store on failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest

from nemo_nb import protocol
from tests._support.engine import Api

BAD = sorted((Path(__file__).resolve().parent / "data" / "bad").glob("*"))


def snapshot(data_dir: Path) -> tuple:
    """Every row of every table plus the files in media/, renders/ and tmp/."""
    db = sqlite3.connect(f"file:{data_dir / 'engine.sqlite3'}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {t: sorted(map(repr, db.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}
    finally:
        db.close()
    files = {sub: sorted(p.name for p in (data_dir / sub).iterdir()) for sub in ("media", "renders", "tmp")}
    return rows, files


@pytest.mark.parametrize("bad", BAD, ids=[p.name for p in BAD])
def test_bad_samples_refused_store_unchanged(bad: Path, samples: Path, api: Api, engine) -> None:
    before = snapshot(engine.settings.data_dir)
    resp = api.upload([bad])
    assert resp.status_code in (413, 415), resp.text
    body = resp.json()
    assert body["code"] in (protocol.ErrorCode.UNSUPPORTED_FILE, protocol.ErrorCode.FILE_TOO_LARGE)
    assert bad.name in body["message"] and ("Supported formats" in body["message"] or "MB" in body["message"])
    assert snapshot(engine.settings.data_dir) == before
    assert api.state()["data"]["state"]["video_infos"] == []


def test_upload_photos_and_formats(api: Api, photos: list[Path], samples: Path) -> None:
    paths = [photos[0], samples / "formats" / "astronaut_vertical_1600.heic", samples / "audio" / "country_cc0_10s_pcm16.wav"]
    resp = api.upload(paths)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    infos = body["data"]["video_infos"]
    assert body["video_infos"] == infos and [i["name"] for i in infos] == [p.name for p in paths]
    photo, heic, wav = infos
    assert photo["type"] == "photo" and photo["width"] > 0 and photo["size_bytes"] == paths[0].stat().st_size
    assert heic["format"] == "heic" and heic["type"] == "photo"
    assert wav["type"] == "audio" and wav["format"] == "wav" and 9000 < wav["duration_ms"] < 11000
    assert httpx.get(wav["thumbnail_url"]).headers["content-type"] == "image/jpeg"
    got = httpx.get(photo["url"])
    assert got.status_code == 200 and got.content == paths[0].read_bytes()
    assert got.headers["content-type"].startswith(("image/jpeg", "image/png"))
    state = api.state()["data"]["state"]
    assert [v["id"] for v in state["video_infos"]] == [i["id"] for i in infos]
    assert set(state["video_infos"][0]) >= {"id", "name", "type", "format", "width", "height", "duration_ms",
                                            "size_bytes", "url", "thumbnail_url"}


def test_thumbnail_is_a_jpeg(api: Api, photos: list[Path]) -> None:
    info = api.upload([photos[1]]).json()["data"]["video_infos"][0]
    thumb = httpx.get(info["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert thumb.content[:3] == b"\xff\xd8\xff"


def test_content_decides_not_the_name(api: Api, photos: list[Path]) -> None:
    jpg = next(p for p in photos if p.suffix == ".jpg")
    resp = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id),
                         files={"files": ("holiday.mp4", jpg.read_bytes())})
    assert resp.status_code == 200 and resp.json()["data"]["video_infos"][0]["format"] == "jpg"


def test_one_bad_file_refuses_the_whole_upload(api: Api, engine, photos: list[Path], samples: Path) -> None:
    before = snapshot(engine.settings.data_dir)
    resp = api.upload([photos[0], samples / "bad" / "truncated_60pct.jpg", photos[1]])
    assert resp.json()["code"] == protocol.ErrorCode.UNSUPPORTED_FILE and "truncated_60pct.jpg" in resp.json()["message"]
    assert snapshot(engine.settings.data_dir) == before


def test_too_large_while_streaming(make_engine, photos: list[Path]) -> None:
    server = make_engine(max_upload_bytes=200_000)
    api = Api(server.url)
    before = snapshot(server.settings.data_dir)
    big = next(p for p in photos if p.stat().st_size > 300_000)

    def body():  # chunked: the engine cannot know the size in advance
        yield b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.jpg\"\r\n\r\n"
        data = big.read_bytes()
        for i in range(0, len(data), 16384):
            yield data[i:i + 16384]
        yield b"\r\n--B--\r\n"

    resp = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id), content=body(),
                         headers={"content-type": "multipart/form-data; boundary=B"})
    assert resp.status_code == 413 and resp.json()["code"] == protocol.ErrorCode.FILE_TOO_LARGE
    assert "big.jpg" in resp.json()["message"] and "MB" in resp.json()["message"]
    assert snapshot(server.settings.data_dir) == before
    small = next(p for p in photos if p.stat().st_size < 150_000)
    assert api.upload([small]).status_code == 200  # the same connection pool still works
    api.close()


@pytest.mark.parametrize("content_type, body", [
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--B--\r\n"),
    ("multipart/form-data; boundary=B", b"--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\n\xff\xd8\xff"),
    ("multipart/form-data", b"whatever"),
    ("text/plain", b"hello"),
    ("application/json", b'{"urls": []}'),
    ("application/json", b'{"urls": "ftp://example.com/a.jpg"}'),
])
def test_malformed_uploads_are_clear_4xx(api: Api, engine, content_type: str, body: bytes) -> None:
    before = snapshot(engine.settings.data_dir)
    resp = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id), content=body,
                         headers={"content-type": content_type})
    assert 400 <= resp.status_code < 500 and resp.json()["message"], resp.text
    assert snapshot(engine.settings.data_dir) == before


def test_multipart_boundary_split_across_chunks(api: Api, photos: list[Path]) -> None:
    """The parser finds boundaries and headers wherever the network cuts the stream."""
    data = [p.read_bytes() for p in photos[:2]]
    raw = b"".join(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"p%d.jpg\"\r\n"
        b"Content-Type: image/jpeg\r\n\r\n" % i + d + b"\r\n" for i, d in enumerate(data)) + b"--XyZ--\r\n"

    def body():
        for i in range(0, len(raw), 997):
            yield raw[i:i + 997]

    resp = api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id), content=body(),
                         headers={"content-type": "multipart/form-data; boundary=XyZ"})
    assert resp.status_code == 200, resp.text
    infos = resp.json()["data"]["video_infos"]
    assert [i["size_bytes"] for i in infos] == [len(d) for d in data]
    for info, d in zip(infos, data, strict=True):
        assert httpx.get(info["url"]).content == d


def test_parser_handles_any_split(tmp_path: Path) -> None:
    """Boundaries, near-boundaries and headers cut at every position still parse to the exact bytes."""
    import asyncio
    import os

    from nemo_nb.engine.settings import EngineSettings
    from nemo_nb.engine.store import Store
    from nemo_nb.engine.uploads import discard_all, receive_multipart

    store = Store(tmp_path / "s")
    settings = EngineSettings(data_dir=tmp_path / "s")
    data = [b"\xff\xd8\xff\xe0" + os.urandom(100) + b"\r\n--XyY\r\n--Xy\r\n-" + os.urandom(50) + b"\r\n",
            b"\x89PNG\r\n\x1a\n" + os.urandom(70) + b"\r\n--"]
    raw = b"preamble\r\n" + b"".join(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"f%d\"\r\n\r\n" % i + d + b"\r\n"
        for i, d in enumerate(data)) + b"--XyZ--\r\nepilogue"

    async def chunks(size: int):
        for i in range(0, len(raw), size):
            yield raw[i:i + size]

    for size in (1, 2, 3, 5, 8, 13, 64, 4096):
        staged = asyncio.run(receive_multipart(chunks(size), "multipart/form-data; boundary=XyZ", store, settings))
        assert [s.path.read_bytes() for s in staged] == data, size
        assert [s.name for s in staged] == ["f0", "f1"] and [s.fmt for s in staged] == ["jpg", "png"]
        discard_all(staged)
    assert list(store.tmp_dir.iterdir()) == []
    store.close()


def test_client_disconnect_mid_upload_leaves_nothing(api: Api, engine) -> None:
    import socket
    import time

    before = snapshot(engine.settings.data_dir)
    host, port = engine.url.removeprefix("http://").split(":")
    path = protocol.PATH_UPLOAD.format(session_id=api.session_id)
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {api.token}\r\n"
            "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: 10000000\r\n\r\n").encode()
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(head + b'--B\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\n'
                     + b"\xff\xd8\xff\xe0" + b"\0" * 300_000)
        time.sleep(0.3)
    deadline = time.monotonic() + 5
    while snapshot(engine.settings.data_dir) != before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert snapshot(engine.settings.data_dir) == before
    assert api.state()["code"] == 0
