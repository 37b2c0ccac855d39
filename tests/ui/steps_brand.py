"""Playwright steps for the studio's brand kit panel, on tests/ui/brand.ipynb after Run All.

Run by nbbrowser.py --script (see test_browser_brand.py), all in one notebook session, like a user:
choose the logo in the panel (it shows, from a data URL), pick a brand colour with the native colour
input, put the logo top left at 20 %; a broken logo dropped on the tile says what to do and changes
nothing; a second
view of the studio shows the same kit; the timeline's title swatch shows the brand colour (the
draft as it will be exported); Export (the export panel's button) — the test decodes that MP4;
"make the title red at the bottom" in the chat — the timeline's swatch and position show it (computed
style); the panel in JupyterLab's dark theme; nothing fetched from the engine's port (remote Jupyter);
Clear kit forgets it (so a later test on a shared server starts without a kit).
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from steps_player import (
    before,  # noqa: F401 - nbbrowser runs it before the page opens: the engine is unreachable from the browser
    no_loopback,
)
from steps_quickstart import in_dark_theme, send_request, shot

from nemo_nb.style import color_rgb

LOGO = os.environ.get("NEMO_UI_LOGO", "")  # set by test_browser_brand.py
BAD_LOGO = os.environ.get("NEMO_UI_BAD_LOGO", "")
COLOR = os.environ.get("NEMO_UI_COLOR", "#16a34a")
PANEL = ".nemo-brand"


async def summary_says(page, text: str, timeout: int = 20000) -> str:
    """Wait until the first panel's kit line contains ``text``; the line."""
    await page.wait_for_function(
        f"() => (document.querySelector('{PANEL} .nemo-brand-summary') || {{}}).textContent?.includes({text!r})",
        timeout=timeout, polling=50)
    return await page.locator(f"{PANEL} .nemo-brand-summary").first.inner_text()


async def set_kit(page, res: dict) -> None:
    """Logo through the panel's file input, a colour through the native colour input, corner and size."""
    panel = page.locator(PANEL).first
    res["empty"] = await panel.locator(".nemo-brand-summary").inner_text()
    assert "No brand kit yet" in res["empty"], res["empty"]
    await panel.locator(".nemo-brand-file").set_input_files(LOGO)
    img = panel.locator(".nemo-brand-logo-img")
    await img.wait_for(state="visible", timeout=30000)
    assert (await img.get_attribute("src")).startswith("data:image/png;base64,")  # nothing fetched
    await summary_says(page, "logo brand_logo.png")
    await panel.locator(".nemo-brand-color").first.fill(COLOR)  # the native colour input's value + change
    await summary_says(page, COLOR)
    await panel.locator(".nemo-brand-corner").select_option("top_left")
    await summary_says(page, "top left")
    await panel.locator(".nemo-brand-size").fill("20")  # the range input, released at 20 %
    res["kit"] = await summary_says(page, "20%")


DROP_JS = r"""
([tile, name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: "image/png" }));
  for (const kind of ["dragover", "drop"]) tile.dispatchEvent(new DragEvent(kind, { dataTransfer: dt, bubbles: true, cancelable: true }));
}
"""


async def bad_logo_changes_nothing(page, res: dict) -> None:
    """A text file named .png dropped on the logo tile: refused, saying what to use; the kit unchanged."""
    panel = page.locator(PANEL).first
    tile = await panel.locator(".nemo-brand-logo").element_handle()
    data = base64.b64encode(Path(BAD_LOGO).read_bytes()).decode("ascii")
    await page.evaluate(DROP_JS, [tile, os.path.basename(BAD_LOGO), data])
    status = panel.locator(".nemo-brand-status.nemo-error-text")
    await status.wait_for(state="visible", timeout=20000)
    res["bad_logo"] = await status.inner_text()
    assert "unchanged" in res["bad_logo"] and re.search(r"PNG|photo", res["bad_logo"]), res["bad_logo"]
    assert await panel.locator(".nemo-brand-summary").inner_text() == res["kit"]


async def second_view_shows_the_kit(page, nb, res: dict) -> None:
    """Display the studio again: the new view draws the same kit (synced trait, logo as a data URL)."""
    await nb.add_and_run_cell("studio")
    await page.wait_for_function(f"() => document.querySelectorAll('{PANEL}').length === 2", timeout=30000)
    second = page.locator(PANEL).nth(1)
    res["second_view"] = {
        "summary": await second.locator(".nemo-brand-summary").inner_text(),
        "color": await second.locator(".nemo-brand-color").first.input_value(),
        "corner": await second.locator(".nemo-brand-corner").input_value(),
        "logo": (await second.locator(".nemo-brand-logo-img").get_attribute("src") or "")[:22],
    }
    assert res["second_view"] == {"summary": res["kit"], "color": COLOR, "corner": "top_left",
                                  "logo": "data:image/png;base64,"}, res["second_view"]


async def export_with_the_button(page, nb, res: dict) -> None:
    """Export (preview) from the export panel; the kernel says where the MP4 is (the test decodes it)."""
    exporter = page.locator(".nemo-export").first
    await exporter.locator(".nemo-select").select_option("preview")
    await exporter.locator(".nemo-export-btn").click()
    await page.wait_for_function("() => (document.querySelector('.nemo-render-status') || {}).textContent"
                                 "?.startsWith('Done')", timeout=120000)
    cell = await nb.add_and_run_cell("print('MP4', studio.render_state.get('path'))")
    found = re.search(r"MP4 (\S+\.mp4)", (cell or {}).get("rendered_text", ""))
    assert found, cell
    res["mp4"] = found.group(1)


async def title_swatch(page, res: dict, colour: str, position: str) -> None:
    """The timeline's title shows ``colour`` (computed background of its swatch) and ``position``."""
    want = "rgb({}, {}, {})".format(*color_rgb(colour))
    await page.wait_for_function(
        f"""() => {{ const s = document.querySelector('.nemo-seg-text .nemo-swatch');
                     return s && getComputedStyle(s).backgroundColor === {want!r}; }}""", timeout=30000)
    seg = page.locator(".nemo-seg-text").first
    res["swatch"] = await seg.locator(".nemo-swatch").evaluate("s => getComputedStyle(s).backgroundColor")
    res["position"] = await seg.locator(".nemo-seg-pos").inner_text()
    assert res["swatch"] == want and res["position"] == position, (res["swatch"], res["position"])


async def steps(page, out_dir, nb):
    res: dict = {}
    await page.locator(PANEL).first.wait_for(state="visible", timeout=30000)
    await page.locator(".nemo-seg-text").first.wait_for(timeout=20000)  # the notebook's video has a title
    await set_kit(page, res)
    res["kit_title"] = {}
    await title_swatch(page, res["kit_title"], COLOR, "center")  # the timeline shows the title as exported
    await bad_logo_changes_nothing(page, res)
    await shot(page, out_dir, "brand_1_kit")
    await second_view_shows_the_kit(page, nb, res)
    await export_with_the_button(page, nb, res)
    await send_request(page, res, "make the title red at the bottom")
    await title_swatch(page, res, "red", "bottom")
    panel = page.locator(PANEL).first
    res["dark_background"] = await in_dark_theme(page, panel, lambda: shot(page, out_dir, "brand_2_dark"))
    await no_loopback(page, res)
    await panel.locator(".nemo-brand-clear").click()  # Clear kit: forgotten, in every view
    res["cleared"] = await summary_says(page, "No brand kit yet")
    await page.wait_for_function(f"() => document.querySelectorAll('{PANEL} .nemo-brand-logo-img[hidden]').length === 2",
                                 timeout=20000)
    return res
