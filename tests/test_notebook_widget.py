"""The widget's kernel side, driven by the messages the browser sends (real engine behind it)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nemo_nb.backend import resolve
from nemo_nb.notebook.history import RenderRecord
from nemo_nb.notebook.studio import Studio
from nemo_nb.notebook.widget import STATIC, StudioWidget


class Browser:
    """Plays the JS side: sends envelopes, collects what the kernel sends back."""

    def __init__(self, widget: StudioWidget) -> None:
        self.widget = widget
        self.sent: list[tuple[dict[str, Any], list[bytes]]] = []
        widget.send = lambda content, buffers=None: self.sent.append((content, list(buffers or [])))  # type: ignore[method-assign]
        self.n = 0

    def request(self, kind: str, buffers: list[bytes] | None = None, **payload: Any) -> dict[str, Any]:
        self.n += 1
        msg_id = f"m{self.n}"
        self.widget._on_custom(self.widget, {"id": msg_id, "kind": kind, **payload},
                               [memoryview(b) for b in buffers or []])
        return self.reply(msg_id)

    def reply(self, msg_id: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for content, _ in self.sent:
                if content.get("kind") == "reply" and content.get("id") == msg_id:
                    return content
            time.sleep(0.02)
        raise AssertionError(f"no reply to {msg_id}; sent: {[c for c, _ in self.sent]}")

    def of_kind(self, kind: str) -> list[tuple[dict[str, Any], list[bytes]]]:
        return [(c, b) for c, b in self.sent if c.get("kind") == kind]


@pytest.fixture
def studio(engine_url: str) -> Iterator[Studio]:
    s = Studio(resolve(base_url=engine_url), echo=False)
    s.sync.open()
    yield s
    s.sync.close()


@pytest.fixture
def browser(studio: Studio) -> Iterator[Browser]:
    widget = studio.widget()
    yield Browser(widget)
    widget.close()


def test_the_widget_ships_its_bundle_and_starts_from_the_studios_state(studio: Studio) -> None:
    w = studio.widget()
    assert w is studio.widget()  # one widget per Studio; each display is another view of it
    assert STATIC.joinpath("widget.js").read_text().count("export default") == 1
    assert "--jp-layout-color1" in STATIC.joinpath("widget.css").read_text()
    assert w.session_id == studio.session_id and w.backend_label.startswith("embedded engine at http://")
    assert "jpg" in w.accept and w.chunk_bytes == 4 * 1024 * 1024 and w.max_bytes == 200 * 1024 * 1024
    assert any("30-second" in s for s in w.suggestions)
    with pytest.raises(TypeError, match=r"studio\.widget\(\)"):
        StudioWidget(studio, colour="red")


def test_a_file_dropped_in_the_browser_arrives_in_chunks_and_joins_the_session(
        browser: Browser, studio: Studio, photos: list[Path]) -> None:
    data = photos[2].read_bytes()
    chunk = 16 * 1024
    browser.widget._receiver.chunk_bytes = chunk
    assert browser.request("upload_begin", upload_id="u1", name=photos[2].name, size=len(data))["ok"]
    for offset in range(0, len(data), chunk):
        part = data[offset:offset + chunk]
        sha = hashlib.sha256(part).hexdigest()
        if offset == chunk:  # the second chunk is corrupted on the way once: refused, then resent
            bad = browser.request("upload_chunk", [bytes(reversed(part))], upload_id="u1", offset=offset, sha256=sha)
            assert bad["data"]["kind"] == "upload_nack" and bad["data"]["reason"] == "checksum mismatch"
        ack = browser.request("upload_chunk", [part], upload_id="u1", offset=offset, sha256=sha)
        assert ack["ok"] and ack["data"]["kind"] == "upload_ack" and ack["data"]["received"] == offset + len(part)
    done = browser.request("upload_end", upload_id="u1", sha256=hashlib.sha256(data).hexdigest())
    assert done["ok"], done
    assert done["data"]["media"]["name"] == photos[2].name
    assert Path(done["data"]["path"]).read_bytes() == data
    assert [m["name"] for m in browser.widget.media] == [photos[2].name]
    # the thumbnail of the new photo follows as binary (queued until a view is ready)
    browser.widget._ready = True
    deadline = time.monotonic() + 20
    while not browser.of_kind("thumb") and time.monotonic() < deadline:
        time.sleep(0.05)
    (thumb, buffers), = browser.of_kind("thumb")
    assert thumb["media_id"] == done["data"]["media"]["id"] and buffers[0][:3] == b"\xff\xd8\xff"


def test_refusals_come_back_as_error_replies_with_a_hint(browser: Browser, samples: Path) -> None:
    r = browser.request("upload_begin", upload_id="x", name="notes.txt", size=10)
    assert not r["ok"] and "not supported" in r["error"]["message"] and "jpg" in r["error"]["hint"]
    data = (samples / "bad" / "elf_binary_named.jpg").read_bytes()[:2048]
    assert browser.request("upload_begin", upload_id="e", name="x.jpg", size=len(data))["ok"]
    r = browser.request("upload_chunk", [data], upload_id="e", offset=0, sha256=hashlib.sha256(data).hexdigest())
    assert not r["ok"] and "not a photo" in r["error"]["message"]
    r = browser.request("launch_rockets")
    assert not r["ok"] and "Unknown widget message" in r["error"]["message"]
    r = browser.request("ask", text="   ")
    assert not r["ok"] and r["error"]["hint"]
    r = browser.request("export", quality="high")  # accepted; the failure shows in the chat
    assert r["ok"]
    deadline = time.monotonic() + 20
    while not any(m["role"] == "error" for m in browser.widget.chat) and time.monotonic() < deadline:
        time.sleep(0.05)
    error = [m for m in browser.widget.chat if m["role"] == "error"][-1]
    assert "timeline is empty" in error["text"] and error["hint"]


def test_messages_sent_before_a_view_exists_wait_for_it(browser: Browser) -> None:
    w = browser.widget
    w.send_when_ready({"kind": "thumb", "media_id": "a"}, [b"1"])
    w.send_when_ready({"kind": "thumb", "media_id": "b"}, [b"2"])
    assert browser.sent == []
    w._ready = True  # the browser rendered a view
    assert [c["media_id"] for c, _ in browser.sent] == ["a", "b"]
    w.send_when_ready({"kind": "thumb", "media_id": "c"}, [b"3"])
    assert browser.sent[-1][0]["media_id"] == "c"


def test_the_exported_video_goes_to_the_browser_in_chunks(browser: Browser, studio: Studio, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nemo_nb.notebook.media_channel.CHUNK_BYTES", 1000)
    video = tmp_path / "render_9.mp4"
    payload = bytes(range(256)) * 10
    video.write_bytes(payload)
    studio.history.add(RenderRecord(id="render_9", backend="local", base_url="x", session="s",
                                    status="completed", path=str(video)))
    browser.widget._ready = True
    browser.widget._on_custom(browser.widget, {"kind": "need_video", "render_id": "render_9"}, [])
    chunks = browser.of_kind("video_chunk")
    assert [c["offset"] for c, _ in chunks] == [0, 1000, 2000]
    assert all(c["total"] == len(payload) and c["mime"] == "video/mp4" for c, _ in chunks)
    assert b"".join(b[0] for _, b in chunks) == payload
    browser.widget._on_custom(browser.widget, {"kind": "need_video", "render_id": "missing"}, [])
    assert browser.of_kind("video_error")[0][0]["render_id"] == "missing"


def test_dragging_a_photo_becomes_an_edit_message(browser: Browser, studio: Studio,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    async def fake_ask(text: str, **_kw: Any) -> None:
        asked.append(text)

    monkeypatch.setattr(studio, "ask", fake_ask)
    assert browser.request("reorder", **{"from": 2, "to": 0})["ok"]
    deadline = time.monotonic() + 10
    while not asked and time.monotonic() < deadline:
        time.sleep(0.02)
    assert asked == ["put photo 3 in position 1"]
    assert not browser.request("reorder", **{"from": 1, "to": 1})["ok"]


def _send_file(browser: Browser, upload_id: str, name: str, data: bytes, **extra: Any) -> dict[str, Any]:
    """The browser's sendFile: begin, one chunk, end (the reply to the last step that answered)."""
    begun = browser.request("upload_begin", upload_id=upload_id, name=name, size=len(data), **extra)
    if not begun["ok"]:
        return begun
    chunk = browser.request("upload_chunk", [data], upload_id=upload_id, offset=0,
                            sha256=hashlib.sha256(data).hexdigest())
    if not chunk["ok"]:
        return chunk
    return browser.request("upload_end", upload_id=upload_id, sha256=hashlib.sha256(data).hexdigest(), **extra)


def test_the_brand_panel_sets_the_kit_through_studio_brand(browser: Browser, studio: Studio, samples: Path,
                                                            tmp_path: Path) -> None:
    """Logo (the upload path, purpose "logo"), colours, font and placement land in the per-user kit that
    studio.brand keeps; bad input says what to do and stores nothing; Clear forgets it."""
    from nemo_nb.brand import kit_path, load_brand

    w = browser.widget
    assert w.brand["empty"] and w.brand["fonts"] == ["sans", "inter", "serif"] and len(w.brand["corners"]) == 4
    assert w.brand["drawn"]  # the local engine draws the kit (the panel says when the cloud does not)
    logo = (samples / "photos" / "chelsea_cat.png").read_bytes()
    done = _send_file(browser, "L1", "our logo.png", logo, purpose="logo")
    assert done["ok"] and done["data"]["kit"]["logo"]["name"].startswith("brand_logo")
    assert w.brand["logo"]["preview"].startswith("data:image/png;base64,")  # shown without any URL to fetch
    assert load_brand().logo and not list(Path(studio.uploads_dir()).glob("our logo*"))  # kept once, by the kit
    assert not any(m.name == "our logo.png" for m in studio.media)  # a logo, not a medium of the timeline
    assert browser.request("brand", colors=["#e11d2a", "navy"], font="serif", corner="top_left", size=0.2,
                           opacity=0.5)["ok"]
    kit = load_brand()
    assert (kit.colors, kit.font, kit.logo_corner, kit.logo_size, kit.logo_opacity) == (
        ["#e11d2a", "#1e3a8a"], "serif", "top_left", 0.2, 0.5)
    assert w.brand["colors"] == kit.colors and "top left" in w.brand["summary"]
    before = kit_path().read_text()
    bad = [browser.request("brand", colors=["ultraviolet"]), browser.request("brand", size=3),
           _send_file(browser, "L2", "logo.gif", b"GIF89a" + bytes(64), purpose="logo"),
           _send_file(browser, "L3", "broken.png", (samples / "photos" / "chelsea_cat.png").read_bytes()[:400],
                      purpose="logo"),
           _send_file(browser, "L4", "huge.png", (samples / "bad" / "png_bomb_30000x30000.png").read_bytes(),
                      purpose="logo"),
           _send_file(browser, "L5", "notes.png", (samples / "bad" / "text_file_named.png").read_bytes(),
                      purpose="logo")]
    for reply in bad:
        assert not reply["ok"] and reply["error"]["message"], reply
    assert "ultraviolet" in bad[0]["error"]["message"] and "PNG" in bad[2]["error"]["hint"]
    assert "export it again as PNG" in bad[3]["error"]["message"]
    assert "notes.png is not an image" in bad[5]["error"]["message"] and "PNG" in bad[5]["error"]["hint"]
    assert kit_path().read_text() == before and w.brand["colors"] == kit.colors  # nothing stored
    other = Studio(studio.backend, echo=False)
    assert other.state.brand == kit  # the next notebook (or kernel) starts with it
    other.sync.close()
    assert browser.request("brand", font="")["ok"]  # the font select's "Default": that part alone
    assert load_brand().font is None and load_brand().colors == kit.colors and w.brand["font"] is None
    assert browser.request("brand", clear=True)["ok"]
    assert load_brand().is_empty and w.brand["empty"] and w.brand["logo"] is None


def test_the_timeline_shows_the_title_as_the_export_draws_it(browser: Browser, studio: Studio, photos: list[Path],
                                                             samples: Path) -> None:
    """With a kit, a title without its own colour shows the brand colour in the timeline and the live player
    draws the logo (the draft as the engine will export it); the title's own colour still wins."""
    studio.sync.upload(next(p for p in photos if p.name.startswith("rocket")))
    studio.sync.ask("make a 2 second video with a title 'Sale'")
    w = browser.widget

    def title_style() -> dict[str, Any]:
        lane = next(t for t in w.timeline["tracks"] if t["type"] == "text")
        return lane["segments"][0]["style"]

    assert title_style()["color"] is None
    rev = w.timeline["rev"]
    studio.sync.brand(logo=samples / "brand" / "logo.png", colors=["#16a34a"], corner="top_left")
    assert title_style()["color"] == "#16a34a" and w.timeline["rev"] > rev  # an earlier export is now out of date
    assert w.player._draft.meta["logo"]["corner"] == "top_left"
    assert studio.draft.meta.get("logo") is None  # the session's draft itself is untouched
    studio.sync.ask("make the title red")
    assert title_style()["color"] == "#e11d2a"
