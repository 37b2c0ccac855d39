"""Playwright steps for tests/ui/player_cloud.ipynb: the player on a cloud draft (a scripted stand-in).

Frames cannot be made here for the cloud (its renderer is not ours), so the player says so and
shows the thumbnail of the photo at the playhead — the right photo, compared by pixels with the
kernel's thumbnail of each photo — and never paints a frame or asks the kernel for one.
"""

from __future__ import annotations

import base64
import io
import os

import numpy as np
from PIL import Image
from steps_player import PLAYER, player_stats, ruler_box

THUMB = f"{PLAYER} img.nemo-frame-thumb"
#: The thumbnail's pixels as the page shows them (drawn on a canvas of its natural size).
PIXELS_JS = """img => { const c = document.createElement('canvas'); c.width = img.naturalWidth;
  c.height = img.naturalHeight; c.getContext('2d').drawImage(img, 0, 0); return c.toDataURL('image/png'); }"""


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return 0.0
    return float(10 * np.log10(255.0 ** 2 / max(1e-9, np.mean((a - b) ** 2))))


async def shown_thumb(page, src_before: str | None = None) -> np.ndarray:
    """The thumbnail the player shows (a new one when ``src_before`` is given), as RGB pixels."""
    await page.wait_for_function(
        """([sel, before]) => { const i = document.querySelector(sel);
             return i && !i.hidden && i.src.startsWith('blob:') && i.complete && i.naturalWidth > 0
                    && i.src !== before; }""", arg=[THUMB, src_before or ""], timeout=30000)
    png = await page.locator(THUMB).first.evaluate(PIXELS_JS)
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("RGB"), np.float64)


async def steps(page, out_dir, nb):
    res: dict = {}
    await page.locator(".nemo-studio").first.wait_for(state="visible", timeout=30000)
    await page.locator(PLAYER).first.wait_for(state="visible", timeout=30000)
    res["note"] = await page.locator(f"{PLAYER} .nemo-player-note").first.inner_text()
    assert "Live frames need the local engine" in res["note"], res  # it says so
    first = await shown_thumb(page)
    first_src = await page.locator(THUMB).first.get_attribute("src")
    box = await ruler_box(page)
    await page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2)  # the second photo
    second = await shown_thumb(page, first_src)

    # The kernel's thumbnails of both photos, to say which one each shown picture is.
    path = os.path.join(os.path.abspath(out_dir), "thumb")
    code = ("for _k, _m in enumerate(('m1', 'm2')):\n"
            f"    open({path!r} + f'{{_k}}.jpg', 'wb').write(await studio.thumbnail(_m))\n"
            "print('THUMBS')")
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    cell = await nb.add_and_run_cell(code, timeout=60)
    assert cell and "THUMBS" in cell["rendered_text"], cell
    truth = [np.asarray(Image.open(f"{path}{k}.jpg").convert("RGB"), np.float64) for k in (0, 1)]
    res["psnr"] = {"first": [round(psnr(first, t), 1) for t in truth],
                   "second": [round(psnr(second, t), 1) for t in truth]}
    assert res["psnr"]["first"][0] > 35 and res["psnr"]["first"][1] < res["psnr"]["first"][0] - 10, res
    assert res["psnr"]["second"][1] > 35 and res["psnr"]["second"][0] < res["psnr"]["second"][1] - 10, res

    stats = await player_stats(page)
    canvas = await page.locator(f"{PLAYER} canvas.nemo-frame").first.evaluate(
        "c => ({hidden: c.hidden, t: c.dataset.t || null})")
    res["frame_requests"], res["canvas"] = stats["stats"]["requests"], canvas
    assert res["frame_requests"] == 0 and canvas == {"hidden": True, "t": None}, res  # never a made frame
    return res
