"""The live player on the cloud in a real JupyterLab (headless Chromium): issue 16, item 3.

tests/ui/player_cloud.ipynb connects to a scripted cloud stand-in (the seeds' protocol, as in
tests/test_cloud_seeds.py) with a two-photo draft. Frames made here could differ from what the
cloud renders, so the player says it has no live frames and shows the thumbnail of the photo at the
playhead — the right one, by pixels — and never a frame (steps_player_cloud.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ROOT, run_notebook  # tests/ui is on sys.path (no __init__.py)

HERE = Path(__file__).resolve().parent


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_player_falls_back_to_thumbnails_on_the_cloud() -> None:
    summary = run_notebook(HERE / "player_cloud.ipynb", ROOT / "test-artifacts" / "ui-player-cloud",
                           "steps_player_cloud.py", timeout=90, env={"NEMO_UI_ROOT": str(ROOT)})
    result = summary["script"]["result"]
    assert "local engine" in result["note"] and result["frame_requests"] == 0
