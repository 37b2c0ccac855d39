"""The campaign notebook in a real JupyterLab in headless Chromium: the gallery's cards appear with
posters, one variant plays inline, a tick picks it and "Save picked" hands the picks over
(tests/ui/steps_gallery.py). Screenshots and summary.json are kept under test-artifacts/ui-gallery/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_browser import ROOT, run_notebook  # tests/ui is on sys.path (no __init__.py)

ARTIFACTS = ROOT / "test-artifacts" / "ui-gallery"


@pytest.mark.browser
@pytest.mark.slow
def test_campaign_gallery_in_jupyterlab(photos: list[Path]) -> None:
    notebooks = ROOT / "notebooks"
    before = set(notebooks.iterdir())
    try:  # NEMO_UI_PHOTO: read by the shared steps module
        summary = run_notebook(notebooks / "campaign.ipynb", ARTIFACTS, "steps_gallery.py", timeout=300,
                               env={"NEMO_UI_PHOTO": str(photos[0])})
    finally:
        for made in set(notebooks.iterdir()) - before:  # the hand-over folders the notebook wrote
            shutil.rmtree(made, ignore_errors=True)
    result = summary["script"]["result"]
    assert result["cards"] == 12 and "Saved 4 file(s)" in result["saved"]
    for name in ("0_done", "1_picked_and_saved", "2_dark_theme"):
        assert (ARTIFACTS / f"gallery_{name}.png").stat().st_size > 10_000
