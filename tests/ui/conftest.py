"""Browser tests: one Jupyter server per app and one Chromium for the whole session.

Starting JupyterLab and Chromium cost several seconds per test, so every browser test shares them:

- ``run_notebook(notebook, artifacts, steps, app=..., timeout=..., env=...)`` (``tests/ui/test_browser.py``)
  runs a notebook like a person would (Run All, then the ``steps`` script) on the shared server and
  browser, in a fresh browser context (own cookies and storage) with a kernel of its own, and returns
  summary.json. ``app`` is "lab" (JupyterLab) or "notebook" (Notebook 7, its own server, started by
  the first Notebook 7 test); both are rooted at the repo, so any notebook in it can be opened.
  ``env`` reaches the notebook's kernel and the steps script. The kernel also gets this test's
  private ``NEMO_NB_*`` dirs, so ``nemo_nb.connect()`` starts an engine of the test's own, stopped after.
- ``jupyter_browser`` (session fixture): the shared :class:`nbbrowser.SharedBrowser` itself (``.server(app)``:
  that app's Jupyter server, ``.browser``: the Playwright Browser, ``.run(...)``: what ``run_notebook`` calls).
  It is started by the first browser test (``run_notebook`` starts it on demand too) and stopped at the
  end of the session, with every kernel and the browser.

A new browser test needs nothing more than ``run_notebook``; see tests/ui/README.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import nbbrowser  # tests/ui is on sys.path (no __init__.py)
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def _close_the_shared_browser() -> Iterator[None]:
    """Whoever started the shared server and browser, they stop when the session ends."""
    yield
    nbbrowser.close_shared()


@pytest.fixture(scope="session")
def jupyter_browser() -> nbbrowser.SharedBrowser:
    """The session's Jupyter server and Chromium (started on first use)."""
    return nbbrowser.shared(ROOT, sys.executable)
