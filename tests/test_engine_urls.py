"""URL uploads: only http(s), never to loopback/private/link-local targets (also after redirects or
through DNS), with size and time caps. A local file server stands in for the internet; a patched
resolver stands in for DNS."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nemo_nb import protocol
from nemo_nb.engine import urlfetch
from tests._support.engine import Api
from tests.test_engine_uploads import snapshot


class FileServer:
    def __init__(self, photo: bytes) -> None:
        self.photo = photo
        self.hits: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.hits.append(self.path)
                if self.path == "/photo.jpg":
                    self._send(outer.photo)
                elif self.path.startswith("/redirect"):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("?to=", 1)[1])
                    self.end_headers()
                elif self.path == "/endless":
                    self.send_response(200)
                    self.end_headers()
                    try:
                        self.wfile.write(outer.photo)
                        for _ in range(200):
                            self.wfile.write(b"\0" * 65536)
                    except OSError:
                        pass
                elif self.path == "/slow":
                    time.sleep(3)
                    self._send(outer.photo)
                else:
                    self.send_response(404)
                    self.end_headers()

            def _send(self, data: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def files(photos: list[Path]) -> Iterator[FileServer]:
    jpg = next(p for p in photos if p.suffix == ".jpg" and 100_000 < p.stat().st_size < 600_000)
    server = FileServer(jpg.read_bytes())
    yield server
    server.close()


FAKE_DNS = {"files.test": ["127.0.0.1"], "intranet.test": ["10.0.0.1"], "metadata.test": ["169.254.169.254"],
            "mixed.test": ["93.184.216.34", "192.168.1.10"], "v6.test": ["::ffff:127.0.0.1"]}


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    real = urlfetch.resolve_host

    def resolve(host: str, port: int) -> list[str]:
        return FAKE_DNS.get(host) or real(host, port)

    monkeypatch.setattr(urlfetch, "resolve_host", resolve)


def _upload_urls(api: Api, urls: list[str]):
    return api.http.post(protocol.PATH_UPLOAD.format(session_id=api.session_id),
                         json={"urls": urls, "source_type": "url"})


def test_private_targets_are_refused(make_engine, files: FileServer, fake_dns: None) -> None:
    server = make_engine()
    p = files.port
    with Api(server.url) as api:
        before = snapshot(server.settings.data_dir)
        for url in [f"http://127.0.0.1:{p}/photo.jpg", "http://10.0.0.1/photo.jpg",
                    "http://169.254.169.254/latest/meta-data/", f"http://localhost:{p}/photo.jpg",
                    f"http://[::1]:{p}/photo.jpg", f"http://0.0.0.0:{p}/photo.jpg", f"http://files.test:{p}/photo.jpg",
                    "http://intranet.test/a.jpg", "http://metadata.test/", "https://mixed.test/a.jpg",
                    f"http://v6.test:{p}/photo.jpg", "http://[fe80::1]/a.jpg", "http://224.0.0.1/a.jpg",
                    "file:///etc/passwd", "ftp://example.com/a.jpg", "gopher://x/", "not a url"]:
            resp = _upload_urls(api, [url])
            assert resp.status_code == 400, (url, resp.text)
            assert resp.json()["code"] == protocol.ErrorCode.UNSUPPORTED_FILE and "Cannot fetch" in resp.json()["message"]
        assert files.hits == []
        assert snapshot(server.settings.data_dir) == before


def test_allowed_host_is_fetched_and_redirects_rechecked(make_engine, files: FileServer, fake_dns: None) -> None:
    server = make_engine(url_allow_hosts=frozenset({"files.test"}))
    p = files.port
    with Api(server.url) as api:
        ok = _upload_urls(api, [f"http://files.test:{p}/photo.jpg"])
        assert ok.status_code == 200, ok.text
        info = ok.json()["data"]["video_infos"][0]
        assert info["name"] == "photo.jpg" and info["size_bytes"] == len(files.photo) and info["type"] == "photo"
        before = snapshot(server.settings.data_dir)
        files.hits.clear()
        hop = _upload_urls(api, [f"http://files.test:{p}/redirect?to=http://127.0.0.1:{p}/photo.jpg"])
        assert hop.status_code == 400 and "127.0.0.1" in hop.json()["message"]
        assert files.hits == [f"/redirect?to=http://127.0.0.1:{p}/photo.jpg"]  # never followed
        same = _upload_urls(api, [f"http://files.test:{p}/redirect?to=/photo.jpg"])  # relative, same allowed host
        assert same.status_code == 200
        assert len(api.state()["data"]["state"]["video_infos"]) == 2
        assert snapshot(server.settings.data_dir) != before


def test_url_size_and_time_caps(make_engine, files: FileServer, fake_dns: None) -> None:
    server = make_engine(url_allow_hosts=frozenset({"files.test"}), max_upload_bytes=60_000, url_fetch_timeout=1.0)
    p = files.port
    with Api(server.url) as api:
        before = snapshot(server.settings.data_dir)
        declared = _upload_urls(api, [f"http://files.test:{p}/photo.jpg"])
        assert declared.status_code == 413 and declared.json()["code"] == protocol.ErrorCode.FILE_TOO_LARGE
        streamed = _upload_urls(api, [f"http://files.test:{p}/endless"])
        assert streamed.status_code == 413 and streamed.json()["code"] == protocol.ErrorCode.FILE_TOO_LARGE
        slow = _upload_urls(api, [f"http://files.test:{p}/slow"])
        assert slow.status_code == 400 and "longer than" in slow.json()["message"]
        assert snapshot(server.settings.data_dir) == before


def test_is_public() -> None:
    for address in ("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                    "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "224.0.0.1", "255.255.255.255", "240.0.0.1"):
        assert not urlfetch.is_public(address), address
    for address in ("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"):
        assert urlfetch.is_public(address), address
