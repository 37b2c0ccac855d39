"""The studio's brand kit panel in a real JupyterLab in headless Chromium, checked on the exported MP4.

tests/ui/brand.ipynb makes a 3-second video with a title on the local engine; steps_brand.py sets the
kit in the widget's panel (logo from tests/data/brand, a brand colour, top left at 20 %), checks a
broken logo is refused with nothing stored and that a second view shows the same kit, exports with
the export panel's button, then says "make the title red at the bottom" and reads the timeline's
swatch. Here the exported MP4 is decoded: the logo is found top left by template match and the title
is drawn in the brand colour. One notebook session for all of it. Artifacts: test-artifacts/ui-brand/.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_browser import ROOT, run_notebook  # tests/ui is on sys.path (no __init__.py)

from nemo_nb.style import color_rgb
from tests.test_render_brand import decoded_frames
from tests.test_render_brand_kit import _find, _template

HERE = Path(__file__).resolve().parent
COLOR = "#16a34a"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_brand_panel_sets_the_kit_that_every_export_carries(samples: Path) -> None:
    logo = samples / "brand" / "logo.png"
    summary = run_notebook(HERE / "brand.ipynb", ROOT / "test-artifacts" / "ui-brand", "steps_brand.py", timeout=200,
                           env={"NEMO_UI_LOGO": str(logo), "NEMO_UI_BAD_LOGO": str(samples / "bad" / "text_file_named.png"),
                                "NEMO_UI_COLOR": COLOR})
    result = summary["script"]["result"]
    assert "top left" in result["kit"] and COLOR in result["kit"] and "unchanged" in result["bad_logo"]
    assert result["kit_title"]["swatch"] == "rgb({}, {}, {})".format(*color_rgb(COLOR))  # before the edit
    assert result["swatch"] == "rgb({}, {}, {})".format(*color_rgb("red")) and result["position"] == "bottom"
    assert not result["loopback_requests"] and not result["loopback_links"]

    (frame,) = decoded_frames(Path(result["mp4"]), [1.0])  # the export made from the button, decoded
    h, w = frame.shape[:2]
    score, (cx, cy) = _find(frame, _template(logo, round(min(w, h) * 0.2)))
    assert score > 0.8 and cx < w / 2 and cy < h / 2, (score, cx, cy)  # the logo, top left, at 20 %
    brand = (np.abs(frame.astype(int) - np.array(color_rgb(COLOR))).max(axis=2) < 50)
    _, xs = np.nonzero(brand)
    assert brand.sum() > 200 * (w * h) / (640 * 360) and abs(xs.mean() - w / 2) < w / 8, brand.sum()  # the title
