"""The quickstart notebook in a real Jupyter Notebook 7 (not JupyterLab) in headless Chromium.

Same harness as test_browser.py (tests/ui/nbbrowser.py, here with ``--app notebook``): opens
/notebooks/quickstart.ipynb, Run > Run All Cells, then steps_notebook7.py checks the studio's four
panels, the timeline and player the notebook's cells filled, an upload, a request through the
prompt panel with the answer streaming in, and the kernel's view of the result.
Screenshots and summary.json are kept under test-artifacts/ui-notebook7/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_browser import ROOT, run_quickstart  # tests/ui is on sys.path (no __init__.py)

ARTIFACTS = ROOT / "test-artifacts" / "ui-notebook7"


@pytest.mark.browser
@pytest.mark.slow
def test_quickstart_in_notebook7(photos: list[Path]) -> None:
    try:  # pinned in the test extra, like jupyterlab: missing means a broken test environment
        from notebook import __version__ as notebook_version
    except ImportError:
        notebook_version = "none"
    if not notebook_version.startswith("7."):
        pytest.fail(f"needs Jupyter Notebook 7 (found {notebook_version}): pip install -e '.[test]'", pytrace=False)
    summary = run_quickstart(photos, ARTIFACTS, "steps_notebook7.py", app="notebook", timeout=120)
    # Notebook 7's own route, /notebooks/<path from the repo> (JupyterLab's would be /lab/tree/<path>)
    assert summary["app"] == "notebook" and summary["url"].endswith("/notebooks/notebooks/quickstart.ipynb")
    assert summary["run_all_via"] == "menu", summary["run_all_via"]  # Notebook 7's own Run menu
    result = summary["script"]["result"]
    assert result["app"]["name"] == "Jupyter Notebook"
    assert [p["title"] for p in result["panels"]] == ["Media", "Chat", "Timeline", "Brand kit", "Export"]
    assert result["answer"] and result["segments"] == result["media_count"] and result["thumbs"] > 0
    for name in ("nb7_0_after_run_all", "nb7_1_after_request"):
        assert (ARTIFACTS / f"studio_{name}.png").stat().st_size > 10_000
    assert (ARTIFACTS / "screenshot.png").stat().st_size > 10_000
