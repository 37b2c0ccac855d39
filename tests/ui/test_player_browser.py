"""The studio's live player in a real JupyterLab and a real Notebook 7, in headless Chromium.

tests/ui/player.ipynb makes a 6-second video with music on the local engine; steps_player.py then
checks, like a user: the frame painted in the browser is ``frame_at`` of the draft at that time,
dragging over the whole ruler sends bounded requests with no backlog, arrows step, Play runs with the
music painting each frame within one frame of the audio clock, "make it vertical" shows in the player
by itself; and all of it with the engine's port unreachable from the browser (remote Jupyter).
Artifacts (screenshots, summary.json) go to test-artifacts/ui-player-<app>/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ROOT, run_notebook  # tests/ui is on sys.path (no __init__.py)

HERE = Path(__file__).resolve().parent


def run_player(app: str, timeout: int = 200) -> dict:
    # The Jupyter config an installed nemo_nb adds (nemo_nb.serverext), as users get it.
    summary = run_notebook(HERE / "player.ipynb", ROOT / "test-artifacts" / f"ui-player-{app}", "steps_player.py",
                           app=app, timeout=timeout, env={"JUPYTER_CONFIG_PATH": str(ROOT / "jupyter-config")})
    # ... and the server loaded it (kernel websockets without Nagle's delay: the frames' trip).
    log = (ROOT / "test-artifacts" / f"ui-player-{app}" / "jupyterlab.log").read_text(errors="replace")
    assert "nemo_nb.serverext | extension was successfully loaded" in log
    return summary["script"]["result"]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_the_player_in_the_browser(app: str) -> None:
    result = run_player(app)
    assert result["app"] == {"lab": "JupyterLab", "notebook": "Jupyter Notebook"}[app]
    # one request per pointer move at most, plus the sharp frame when the playhead rests
    assert result["frame_psnr"] > 32 and result["drag"]["requests"] <= result["drag"]["moves"] + 1
    assert result["play"]["audio"] and result["edit"]["frame"]["h"] > result["edit"]["frame"]["w"]
    assert not result["loopback_requests"] and not result["loopback_links"]
