"""Both shipped notebooks, executed top to bottom with nbclient on the embedded engine.

The kernel inherits this test's private NEMO_NB_* dirs, so ``nemo_nb.connect()`` starts a
background engine there exactly as it would for a user; the test stops it afterwards.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from nemo_nb import config
from nemo_nb.engine.server import read_runtime

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture
def engine_cleanup() -> Iterator[None]:
    yield
    info = read_runtime(config.data_dir())
    if info and isinstance(info.get("pid"), int):
        try:
            os.kill(info["pid"], signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(info["pid"], 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def _execute(name: str) -> nbformat.NotebookNode:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text", ""))
        data = o.get("data", {})
        out.append(data.get("text/plain", ""))
        out.append(data.get("text/html", ""))
    return "\n".join(out)


@pytest.mark.slow
def test_quickstart_runs_top_to_bottom(engine_cleanup: None) -> None:
    nb = _execute("quickstart.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    widget_out = code[0]["outputs"][0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in widget_out
    assert "on the embedded engine at http://127.0.0.1:" in widget_out["text/plain"]
    assert "Added 6 file(s)" in _text(code[1])
    assert "Timeline (2 tracks)" in _text(code[2])
    assert "Hello nemo_nb" in _text(code[4])
    export = _text(code[5])
    assert re.search(r"Exported /\S+/render_\d+\.mp4", export) and "RenderResult(" in export  # the full path
    assert "data:video/mp4" in export or "data:image/jpeg" in export
    assert "completed" in _text(code[6])
    assert "available" in _text(code[7])
    assert "1080x1920" in _text(code[9]) or "9:16" in _text(code[9]) or "vertical" in _text(code[8])


@pytest.mark.slow
def test_campaign_runs_top_to_bottom(engine_cleanup: None) -> None:
    nb = _execute("campaign.ipynb")
    code = [c for c in nb.cells if c.cell_type == "code"]
    gallery = code[1]["outputs"][-1]["data"]
    assert "application/vnd.jupyter.widget-view+json" in gallery  # the campaign displays as its gallery
    table = _text(code[2])
    assert "done" in table and "failed" not in table  # code[3] asserts every variant is done
    for size in ("960x540", "540x960", "540x540"):
        assert size in _text(code[3])
    manifest = _text(code[4])
    assert "calm-16x9-r1.mp4" in manifest and "upbeat-9x16-r2.mp4" in manifest and "Espresso" in manifest
