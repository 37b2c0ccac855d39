"""The render history outlives the kernel: a new process sees what an old one recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nemo_nb.notebook.history import RenderHistory, RenderRecord


def test_records_survive_a_new_history_object_in_another_process(tmp_path: Path) -> None:
    path = tmp_path / "renders.sqlite3"
    history = RenderHistory(path)
    history.add(RenderRecord(id="render_1", backend="local", base_url="http://127.0.0.1:1", session="s1"))
    history.update("render_1", status="running")
    code = (
        "import sys; from nemo_nb.notebook.history import RenderHistory\n"
        f"h = RenderHistory({str(path)!r})\n"
        "r = h.get('render_1'); print(r.status, r.session, len(h.unfinished('local')))\n"
        "h.update('render_1', status='completed', finished=r.started + 3, size_bytes=10)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["running", "s1", "1"]
    again = RenderHistory(path).get("render_1")
    assert again is not None and again.status == "completed" and again.seconds == pytest.approx(3.0)
    assert RenderHistory(path).unfinished() == []


def test_updates_are_checked(tmp_path: Path) -> None:
    history = RenderHistory(tmp_path / "h.sqlite3")
    with pytest.raises(KeyError):
        history.update("nope", status="failed")
    history.add(RenderRecord(id="a", backend="cloud", base_url="https://x", session="s"))
    with pytest.raises(TypeError, match="unknown render fields"):
        history.update("a", colour="blue")
    assert [r.id for r in history.all(session="s")] == ["a"]
    assert history.all(session="other") == []
