"""The campaign notebook in a real JupyterLab in headless Chromium: the gallery's cards appear with
posters, one variant plays inline, a tick picks it and "Save picked" hands the picks over
(tests/ui/steps_gallery.py). Screenshots and summary.json are kept under test-artifacts/ui-gallery/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.test_browser import ROOT, _stop_engine

HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts" / "ui-gallery"


@pytest.mark.browser
@pytest.mark.slow
def test_campaign_gallery_in_jupyterlab(photos: list[Path]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    notebooks = ROOT / "notebooks"
    before = set(notebooks.iterdir())
    cmd = [sys.executable, str(HERE / "nbbrowser.py"), str(notebooks / "campaign.ipynb"), "--out", str(ARTIFACTS),
           "--python", sys.executable, "--script", str(HERE / "steps_gallery.py"), "--timeout", "300",
           "--widget-timeout", "30"]
    try:
        env = {**os.environ, "NEMO_UI_PHOTO": str(photos[0])}  # read by the shared steps module
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    finally:
        _stop_engine()
        for made in set(notebooks.iterdir()) - before:  # the hand-over folders the notebook wrote
            shutil.rmtree(made, ignore_errors=True)
    summary_path = ARTIFACTS / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    detail = json.dumps({k: summary.get(k) for k in ("failures", "script", "js_exceptions", "widget_problems")},
                        indent=1, default=str)[:6000]
    assert proc.returncode == 0, f"nbbrowser exit {proc.returncode}\n{proc.stderr[-3000:]}\n{detail}"
    result = summary["script"]["result"]
    assert result["cards"] == 12 and "Saved 4 file(s)" in result["saved"]
    for name in ("0_done", "1_picked_and_saved", "2_dark_theme"):
        assert (ARTIFACTS / f"gallery_{name}.png").stat().st_size > 10_000
