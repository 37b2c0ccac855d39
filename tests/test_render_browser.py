"""The rendered MP4 plays in Chromium's <video> (served from 127.0.0.1, real decoding)."""

from __future__ import annotations

import asyncio
import functools
import http.server
import threading
from pathlib import Path

import pytest

from nemo_nb.render import render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = """<!doctype html><html><body>
<video id="v" src="video.mp4" muted preload="auto" playsinline></video>
</body></html>"""

PROBE = """async () => {
  const v = document.getElementById('v');
  if (v.readyState < 2) {
    await new Promise((res) => {
      v.addEventListener('loadeddata', res, {once: true});
      v.addEventListener('error', res, {once: true});
      setTimeout(res, 10000);
    });
  }
  const out = {readyState: v.readyState, duration: v.duration, width: v.videoWidth, height: v.videoHeight,
               error: v.error ? v.error.message || String(v.error.code) : null};
  try { await v.play(); await new Promise((r) => setTimeout(r, 600)); out.currentTime = v.currentTime; v.pause(); }
  catch (e) { out.play = String(e); }
  return out;
}"""


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def test_rendered_mp4_plays_in_chromium(samples: Path, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.async_api")
    media = {"a": str(samples / "photos" / "rocket_launch.jpg"), "b": str(samples / "photos" / "chelsea_cat.png")}
    draft = {"m": {"w": 640, "h": 360}, "t": [
        {"tt": 0, "sg": [{"d": 1500, "m": {"type": "photo", "src": "a"}}, {"d": 1500, "m": {"type": "photo", "src": "b"}}]},
        {"tt": 1, "sg": [{"d": 3000, "s": 0, "m": {"type": "music", "mood": "calm"}}]}]}
    render(draft, media, tmp_path / "video.mp4")
    (tmp_path / "index.html").write_text(PAGE)
    server, url = _serve(tmp_path)

    async def run() -> dict:
        async with playwright.async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=["--no-sandbox", "--disable-gpu", "--headless",
                                                    "--autoplay-policy=no-user-gesture-required"])
            try:
                page = await browser.new_page()
                await page.goto(url)
                return await page.evaluate(PROBE)
            finally:
                await browser.close()

    try:
        result = asyncio.run(run())
    finally:
        server.shutdown()
    assert result["error"] is None, result
    assert result["readyState"] >= 2 and abs(result["duration"] - 3.0) < 0.1, result
    assert (result["width"], result["height"]) == (640, 360)
    assert result.get("currentTime", 0) > 0.1, result  # it actually plays
