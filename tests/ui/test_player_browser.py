"""The studio's live player in a real JupyterLab and a real Notebook 7, in headless Chromium.

tests/ui/player.ipynb makes a 6-second video with music on the local engine; steps_player.py then
checks, like a user: the frame painted in the browser is ``frame_at`` of the draft at that time,
dragging over the whole ruler sends bounded requests with no backlog, arrows step, Play runs with the
music painting each frame within one frame of the audio clock, "make it vertical" shows in the player
by itself; and all of it with the engine's port unreachable from the browser (remote Jupyter).
Artifacts (screenshots, summary.json) go to test-artifacts/ui-player-<app>/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import ROOT, _stop_engine  # tests/ui is on sys.path (no __init__.py)

HERE = Path(__file__).resolve().parent


def run_player(app: str, timeout: int = 200) -> dict:
    artifacts = ROOT / "test-artifacts" / f"ui-player-{app}"
    artifacts.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(HERE / "nbbrowser.py"), str(HERE / "player.ipynb"), "--app", app,
           "--out", str(artifacts), "--python", sys.executable, "--script", str(HERE / "steps_player.py"),
           "--timeout", str(timeout), "--widget-timeout", "30"]
    try:
        proc = subprocess.run(cmd, env=dict(os.environ), capture_output=True, text=True, timeout=timeout * 2)
    finally:
        _stop_engine()
    summary_path = artifacts / "summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    detail = json.dumps({k: summary.get(k) for k in ("failures", "script", "js_exceptions", "widget_problems")},
                        indent=1, default=str)[:6000]
    assert proc.returncode == 0, f"nbbrowser exit {proc.returncode}\n{proc.stderr[-3000:]}\n{detail}"
    return summary["script"]["result"]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("app", ["lab", "notebook"])
def test_the_player_in_the_browser(app: str) -> None:
    result = run_player(app)
    assert result["app"] == {"lab": "JupyterLab", "notebook": "Jupyter Notebook"}[app]
    assert result["frame_psnr"] > 32 and result["drag"]["requests"] < result["drag"]["moves"]
    assert result["play"]["audio"] and result["edit"]["frame"]["h"] > result["edit"]["frame"]["w"]
    assert not result["loopback_requests"] and not result["loopback_links"]
