"""Playwright steps on notebooks/quickstart.ipynb after Run All in Jupyter Notebook 7 (not JupyterLab).

Run by nbbrowser.py --app notebook --script (see test_browser_notebook7.py). The upload, request and
timeline steps are the JupyterLab ones from steps_quickstart.py; what is checked here in addition is
that the page really is Notebook 7, that the studio renders its four panels in it, that the timeline
and the player show what the notebook's own cells made, and that the kernel sees the widget's work.
Screenshots of the studio go to out_dir (studio_nb7_*.png).
"""

from __future__ import annotations

from steps_quickstart import VIDEO_JS, send_request, shot, timeline_has_every_photo, upload_photo

PANELS = {"nemo-upload": "Media", "nemo-prompt": "Chat", "nemo-timeline": "Timeline", "nemo-brand": "Brand kit", "nemo-export": "Export"}

PANELS_JS = r"""
(root) => [...root.querySelectorAll(':scope .nemo-grid > .nemo-panel')].map(p => {
  const r = p.getBoundingClientRect();
  return { cls: [...p.classList].filter(c => c !== 'nemo-panel'), title: p.querySelector('.nemo-panel-title')?.textContent,
           width: Math.round(r.width), height: Math.round(r.height), visible: !!p.offsetParent };
})
"""


async def steps(page, out_dir, nb):
    res: dict = {}
    # Notebook 7, not JupyterLab: the app's own name, its single-document URL and no Lab shell.
    res["app"] = await page.evaluate("() => ({ name: window.jupyterapp.name, version: window.jupyterapp.version })")
    res["url_path"] = await page.evaluate("() => location.pathname")
    assert res["app"]["name"] == "Jupyter Notebook", res["app"]
    assert res["app"]["version"].startswith("7."), res["app"]
    assert res["url_path"].endswith("/notebooks/quickstart.ipynb"), res["url_path"]
    assert await page.locator("#jp-main-dock-panel").count() == 0, "JupyterLab's dock panel is on the page"

    studio = page.locator(".nemo-studio").first
    await studio.wait_for(state="visible", timeout=30000)
    res["backend"] = await page.locator(".nemo-backend").first.inner_text()
    assert "embedded engine at http://127.0.0.1:" in res["backend"], res["backend"]

    # The four panels, in order, each visible with a real size and its title.
    panels = await studio.evaluate(PANELS_JS)
    res["panels"] = panels
    assert [p["cls"][0] for p in panels] == list(PANELS), panels
    for p in panels:
        assert p["visible"] and p["width"] > 150 and p["height"] > 40, p
        assert p["title"] == PANELS[p["cls"][0]], p

    # What the notebook's cells did shows in the widget: media, chat, timeline lanes, the exported MP4.
    await page.locator(".nemo-lane-video .nemo-seg").first.wait_for(timeout=20000)
    res["media_after_run_all"] = await page.locator(".nemo-media").count()
    res["chat_after_run_all"] = await page.locator(".nemo-msg-agent").count()
    res["segments_after_run_all"] = await page.locator(".nemo-lane-video .nemo-seg").count()
    res["lanes_after_run_all"] = await page.locator(".nemo-lane-area").count()
    assert res["media_after_run_all"] > 0 and res["chat_after_run_all"] >= 2, res
    assert res["segments_after_run_all"] > 0 and res["lanes_after_run_all"] >= 2, res
    res["notebook_video"] = await page.locator(".nemo-video").first.evaluate(VIDEO_JS)
    assert res["notebook_video"]["readyState"] >= 2 and res["notebook_video"]["src"] == "blob:", res["notebook_video"]
    assert res["notebook_video"].get("currentTime", 0) > 0.2, res["notebook_video"]
    await shot(page, out_dir, "nb7_0_after_run_all")

    # A user at work: upload a photo, send a request (the answer streams in), the timeline follows.
    await upload_photo(page, res)
    await send_request(page, res)
    await timeline_has_every_photo(page, res)
    await shot(page, out_dir, "nb7_1_after_request")

    # The kernel agrees: the studio object in the notebook has every photo, the uploaded one too, on its timeline.
    cell = await nb.add_and_run_cell(
        "print('PHOTOS', len((await studio.tracks()).query('type == \"photo\"')))")
    res["kernel_check"] = cell and cell["rendered_text"]
    assert cell and f"PHOTOS {res['media_count']}" in cell["rendered_text"], (cell, res["media_count"])
    return res
