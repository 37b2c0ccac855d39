"""The quickstart notebook in a real JupyterLab in headless Chromium, used like a person would.

Drives tests/ui/nbbrowser.py (the shared harness) with steps_quickstart.py: Run All, then upload a
photo through the widget, send a request, see the timeline, reorder, export and play the MP4.
Screenshots and summary.json are kept under test-artifacts/ui/.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import nbbrowser  # tests/ui is on sys.path (no __init__.py); one shared server and browser
import pytest

from nemo_nb import config
from nemo_nb.engine.server import read_runtime

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ARTIFACTS = ROOT / "test-artifacts" / "ui"


def _stop_engine() -> None:
    info = read_runtime(config.data_dir())
    if info and isinstance(info.get("pid"), int):
        try:
            os.kill(info["pid"], signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(100):
            try:
                os.kill(info["pid"], 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def run_notebook(notebook: Path, artifacts: Path, steps: str, *, app: str = "lab", timeout: int = 150,
                 env: dict[str, str] | None = None) -> dict:
    """Run ``notebook`` (under the repo) in ``app`` ("lab" or "notebook") with the ``steps`` script (in
    tests/ui) on the session's shared Jupyter server and Chromium (see tests/ui/README.md), and return
    its summary.json; fails with the harness's own account of what went wrong. ``env`` is set for the
    notebook's kernel and for the steps script."""
    artifacts.mkdir(parents=True, exist_ok=True)
    try:
        code, summary = nbbrowser.shared(ROOT, sys.executable).run(
            notebook, artifacts, script=HERE / steps, app=app, timeout=timeout, widget_timeout=30, env=env)
    finally:
        _stop_engine()
    detail = json.dumps({k: summary.get(k) for k in ("failures", "script", "js_exceptions", "widget_problems")},
                        indent=1, default=str)[:6000]
    assert code == 0, f"nbbrowser exit {code}\n{detail}"
    return summary


def run_quickstart(photos: list[Path], artifacts: Path, steps: str, *, app: str = "lab",
                   timeout: int = 150) -> dict:
    """notebooks/quickstart.ipynb through :func:`run_notebook`, with a photo for the upload step."""
    photo = next(p for p in photos if p.suffix == ".jpg")
    return run_notebook(ROOT / "notebooks" / "quickstart.ipynb", artifacts, steps, app=app, timeout=timeout,
                        env={"NEMO_UI_PHOTO": str(photo)})


@pytest.mark.browser
@pytest.mark.slow
def test_quickstart_in_jupyterlab(photos: list[Path]) -> None:
    summary = run_quickstart(photos, ARTIFACTS, "steps_quickstart.py")
    result = summary["script"]["result"]
    assert result["video"]["readyState"] >= 2 and abs(result["video"]["duration"] - 4.0) < 0.2
    assert result["segments"] == result["media_count"] and result["thumbs"] > 0
    for name in ("0_after_run_all", "1_uploaded", "2_timeline", "3_exported", "4_dark_theme"):
        assert (ARTIFACTS / f"studio_{name}.png").stat().st_size > 10_000
