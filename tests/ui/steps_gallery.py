"""Playwright steps on notebooks/campaign.ipynb after Run All: a campaign manager in the gallery.

Run by nbbrowser.py --script (see test_browser_gallery.py): the 12 variant cards are there with their
posters (sent as bytes through the widget channel), one plays inline from a Blob URL, a tick picks a
variant, "Save picked" writes the picked MP4s and manifest.csv, the kernel sees the same picks, and
the gallery follows JupyterLab's dark theme.
"""

from __future__ import annotations

import os

from steps_quickstart import VIDEO_JS, in_dark_theme


async def gallery_shot(page, out_dir: str, name: str) -> None:
    gallery = page.locator(".nemo-gallery").first
    box = await gallery.bounding_box()
    viewport = page.viewport_size
    await page.set_viewport_size({"width": viewport["width"], "height": int(max(viewport["height"], box["height"] + 400))})
    try:
        await gallery.scroll_into_view_if_needed()
        await gallery.screenshot(path=os.path.join(out_dir, f"gallery_{name}.png"))
    finally:
        await page.set_viewport_size(viewport)


async def steps(page, out_dir, nb):
    res: dict = {}
    gallery = page.locator(".nemo-gallery").first
    await gallery.wait_for(state="visible", timeout=30000)
    cards = page.locator(".nemo-g-card")
    await page.wait_for_function("() => document.querySelectorAll('.nemo-g-card.nemo-g-done .nemo-g-poster img').length === 12",
                                 timeout=60000)
    res["cards"] = await cards.count()
    res["status"] = await page.locator(".nemo-g-status").first.inner_text()
    assert res["cards"] == 12 and "12 / 12 done" in res["status"], res
    poster_src = await page.locator(".nemo-g-poster img").first.get_attribute("src")
    assert poster_src and poster_src.startswith("blob:"), poster_src
    await gallery_shot(page, out_dir, "0_done")

    # Click a poster: the variant plays in its card (a Blob URL made from the MP4's bytes).
    card = page.locator('.nemo-g-card[data-variant="upbeat-1x1-r2"]')
    await card.locator(".nemo-g-poster").click()
    video = card.locator("video.nemo-g-video")
    await video.wait_for(timeout=30000)
    res["video"] = await video.evaluate(VIDEO_JS)
    assert res["video"]["readyState"] >= 2 and res["video"]["src"] == "blob:", res["video"]
    assert abs(res["video"]["duration"] - 3.0) < 0.2 and res["video"].get("currentTime", 0) > 0.2, res["video"]

    # Tick it: with the notebook's three picks that makes four; save them from the gallery.
    await card.locator(".nemo-g-tick").check()
    save = page.locator(".nemo-g-save").first
    await page.wait_for_function("() => document.querySelector('.nemo-g-save').textContent.includes('4')", timeout=10000)
    await save.click()
    note = page.locator(".nemo-g-note").first
    await page.wait_for_function("() => document.querySelector('.nemo-g-note').textContent.startsWith('Saved')",
                                 timeout=30000)
    res["saved"] = await note.inner_text()
    assert "Saved 4 file(s)" in res["saved"], res["saved"]
    await gallery_shot(page, out_dir, "1_picked_and_saved")

    cell = await nb.add_and_run_cell(
        "import os; d = campaign.gallery().save_dir or f'{campaign.id}_picked'; "
        "print('PICKED', sorted(campaign.picked)); print('FILES', sorted(os.listdir(d)))")
    res["kernel_check"] = cell and cell["rendered_text"]
    assert cell and "upbeat-1x1-r2" in cell["rendered_text"] and "manifest.csv" in cell["rendered_text"], cell
    assert "upbeat-1x1-r2.mp4" in cell["rendered_text"], cell

    # Dark theme: the gallery takes its colours from JupyterLab's variables.
    res["dark_background"] = await in_dark_theme(page, gallery, lambda: gallery_shot(page, out_dir, "2_dark_theme"))
    return res
