"""Playwright steps on notebooks/quickstart.ipynb after Run All: a user working in the studio widget.

Run by nbbrowser.py --script (see test_browser.py). Each step acts like a user and checks what the
user would see; any failed check raises, and nbbrowser exits 1. Screenshots of the studio go to
out_dir. Timings (the benchmarks read them) are returned in the result. The upload, request and
timeline helpers are shared with steps_notebook7.py (the same notebook in Jupyter Notebook 7).
"""

from __future__ import annotations

import os
import time

from steps_player import (
    before,  # noqa: F401 - nbbrowser runs it before the page opens: the engine is unreachable from the browser
    no_loopback,
)

PHOTO = os.environ.get("NEMO_UI_PHOTO", "")  # set by test_browser.py
REQUEST = os.environ.get("NEMO_UI_REQUEST", "turn these photos into a 4-second video with background music")
EXPECT_S = float(os.environ.get("NEMO_UI_EXPECT_S", "4"))

VIDEO_JS = r"""
async (el) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const t0 = performance.now();
  while (el.readyState < 2 && !el.error && performance.now() - t0 < 20000) await sleep(100);
  const r = { readyState: el.readyState, duration: el.duration, width: el.videoWidth, height: el.videoHeight,
              src: el.currentSrc.slice(0, 5), error: el.error ? el.error.message || String(el.error.code) : null };
  if (el.readyState >= 2) {
    el.muted = true;
    try { await el.play(); r.play = "ok"; } catch (e) { r.play = String(e); }
    await sleep(700);
    r.currentTime = el.currentTime;
    el.pause();
  }
  return r;
}
"""


async def shot(page, out_dir: str, name: str) -> None:
    """The whole studio widget (the viewport is grown so nothing is clipped)."""
    viewport = page.viewport_size
    studio = page.locator(".nemo-studio").first
    box = await studio.bounding_box()
    await page.set_viewport_size({"width": viewport["width"], "height": int(max(viewport["height"], box["height"] + 400))})
    try:
        await studio.scroll_into_view_if_needed()
        await studio.screenshot(path=os.path.join(out_dir, f"studio_{name}.png"))
    finally:
        await page.set_viewport_size(viewport)


async def upload_photo(page, res: dict, photo: str = PHOTO) -> None:
    """Upload a photo through the widget's file input; it shows as done and in the media grid."""
    had = await page.locator(".nemo-media").count()
    await page.locator(".nemo-file-input").first.set_input_files(photo)
    done = page.locator(".nemo-upload-item.nemo-is-done")
    await done.first.wait_for(timeout=30000)
    res["upload_state"] = await done.first.locator(".nemo-upload-state").inner_text()
    await page.wait_for_function(f"() => document.querySelectorAll('.nemo-media').length > {had}", timeout=20000)
    res["media_count"] = await page.locator(".nemo-media").count()
    await page.locator(".nemo-media img").last.wait_for(timeout=20000)  # its thumbnail, sent as bytes


async def send_request(page, res: dict, request: str = REQUEST) -> None:
    """Type a request into the prompt panel and press Enter; the agent's answer streams in."""
    box = page.locator(".nemo-input").first
    await box.click()
    await box.fill(request)
    agents_before = await page.locator(".nemo-msg-agent").count()
    t0 = time.monotonic()
    await box.press("Enter")
    await page.wait_for_function(
        f"""() => {{ const m = document.querySelectorAll('.nemo-msg-agent');
                     return m.length > {agents_before} && m[m.length - 1].querySelector('.nemo-msg-text').textContent.length > 0; }}""",
        timeout=30000, polling=20)
    res["first_text_s"] = round(time.monotonic() - t0, 3)
    await page.wait_for_function(
        "() => !document.querySelector('.nemo-msg.nemo-is-pending') && document.querySelector('.nemo-working').hidden",
        timeout=60000)
    res["answer_s"] = round(time.monotonic() - t0, 3)
    res["answer"] = await page.locator(".nemo-msg-agent .nemo-msg-text").last.inner_text()
    assert await box.input_value() == "", "the prompt box should be cleared after sending"


async def timeline_has_every_photo(page, res: dict) -> None:
    """One video segment per photo in the media grid (res["media_count"]), with thumbnails; a music lane."""
    segs = page.locator(".nemo-lane-video .nemo-seg")
    await page.wait_for_function(
        f"() => document.querySelectorAll('.nemo-lane-video .nemo-seg').length === {res['media_count']}", timeout=20000)
    res["segments"] = await segs.count()
    await page.wait_for_function(
        "() => document.querySelectorAll('.nemo-lane-video .nemo-seg.nemo-has-thumb').length > 0", timeout=20000)
    res["thumbs"] = await page.locator(".nemo-lane-video .nemo-seg.nemo-has-thumb").count()
    res["lanes"] = await page.locator(".nemo-lane-area").count()
    res["ruler_ticks"] = await page.locator(".nemo-tick").count()
    res["music_label"] = await page.locator(".nemo-seg-music .nemo-seg-label").first.inner_text()
    assert "%" in res["music_label"], res["music_label"]


async def in_dark_theme(page, element, snapshot) -> str:
    """Switch JupyterLab to its dark theme, check ``element`` follows it, ``await snapshot()``, switch back."""
    await page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    await page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=20000)
    await page.wait_for_timeout(500)
    background = await element.evaluate("el => getComputedStyle(el).backgroundColor")
    await snapshot()
    await page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Light'})")
    rgb = [int(x) for x in background.split("(")[1].split(")")[0].split(",")[:3]]
    assert sum(rgb) < 200, f"the widget stayed light in the dark theme: {background}"
    return background


async def steps(page, out_dir, nb):
    res: dict = {}
    studio = page.locator(".nemo-studio").first
    await studio.wait_for(state="visible", timeout=30000)
    res["backend"] = await page.locator(".nemo-backend").first.inner_text()
    assert "embedded engine at http://127.0.0.1:" in res["backend"], res["backend"]
    # The notebook's own cells already built and exported a video: the widget shows it all.
    await page.locator(".nemo-lane-video .nemo-seg").first.wait_for(timeout=20000)
    await shot(page, out_dir, "0_after_run_all")

    # 1. upload a photo through the widget's file input
    await upload_photo(page, res)
    await shot(page, out_dir, "1_uploaded")

    # 2. a request through the prompt panel (Enter sends); watch the answer stream in
    await send_request(page, res)

    # 3. the timeline shows the new segments: one per photo, sized by duration, with thumbnails
    await timeline_has_every_photo(page, res)
    segs = page.locator(".nemo-lane-video .nemo-seg")
    await segs.nth(1).click()
    details = page.locator(".nemo-seg-details")
    await details.wait_for(state="visible")
    res["details"] = await details.inner_text()
    assert "Time" in res["details"] and "photo" in res["details"]
    await shot(page, out_dir, "2_timeline")

    # 4. drag photo 3 onto photo 1: the agent reorders the photos
    third = await segs.nth(2).get_attribute("data-src")
    assert third and third != await segs.nth(0).get_attribute("data-src")
    await segs.nth(2).drag_to(segs.nth(0))
    await page.wait_for_function(
        f"() => document.querySelector('.nemo-lane-video .nemo-seg').dataset.src === {third!r}", timeout=30000)
    res["reordered_first"] = await segs.nth(0).get_attribute("title")

    # 5. export: progress, then the MP4 plays in the widget from a Blob URL, with a download button
    previous = await page.locator(".nemo-facts").first.inner_text()  # the notebook's own export
    await page.locator(".nemo-select").first.select_option("preview")
    await page.locator(".nemo-export-btn").first.click()
    await page.locator(".nemo-render-progress:not([hidden])").first.wait_for(timeout=30000)
    await page.wait_for_function(
        f"""() => {{ const f = document.querySelector('.nemo-facts'), v = document.querySelector('.nemo-video');
                     return f && v && v.src && f.textContent !== {previous!r}; }}""", timeout=90000)
    video = await page.locator(".nemo-video").first.evaluate(VIDEO_JS)
    res["video"] = video
    assert video["readyState"] >= 2, video
    assert video["src"] == "blob:", video
    assert abs(video["duration"] - EXPECT_S) < 0.2, f"duration {video['duration']} != {EXPECT_S}"
    assert video.get("currentTime", 0) > 0.2, video
    res["facts"] = await page.locator(".nemo-facts").first.inner_text()
    href = await page.locator(".nemo-download").first.get_attribute("href")
    assert href and href.startswith("blob:"), href
    await shot(page, out_dir, "3_exported")

    # 5b. an edit after the export: the export panel says that video is out of date
    assert await page.locator(".nemo-stale").first.is_hidden()
    await send_request(page, res, "make it square")
    await page.locator(".nemo-stale").first.wait_for(state="visible", timeout=20000)
    res["stale"] = await page.locator(".nemo-stale").first.inner_text()
    assert "Out of date" in res["stale"], res["stale"]

    # 6. JupyterLab's dark theme: the studio follows it (colours come from the theme's CSS variables)
    res["dark_background"] = await in_dark_theme(page, studio, lambda: shot(page, out_dir, "4_dark_theme"))

    # 6b. remote Jupyter: the engine was unreachable from the browser all along, and nothing needed it
    await no_loopback(page, res)

    # 7. the kernel agrees: the notebook's render and this one are in the history
    cell = await nb.add_and_run_cell("print('RENDERS', len((await studio.renders()).query('status == \"completed\"')))")
    res["kernel_check"] = cell and cell["rendered_text"]
    assert cell and "RENDERS 2" in cell["rendered_text"], cell
    return res
