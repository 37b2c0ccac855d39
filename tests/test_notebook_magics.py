"""``%nemo`` / ``%%nemo`` on a real IPython InteractiveShell (history off), against a real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from nemo_nb.client import NemoError
from nemo_nb.notebook import studio as studio_mod
from nemo_nb.notebook.replies import Timeline


@pytest.fixture
def shell(engine_url: str) -> Iterator[InteractiveShell]:
    config = Config()
    config.HistoryAccessor.enabled = False
    ip = InteractiveShell.instance(config=config)
    ip.run_cell("%load_ext nemo_nb", store_history=False)
    ip.run_cell(f"%nemo connect --base-url {engine_url}", store_history=False)
    yield ip
    current = studio_mod.current()
    if current is not None:
        current.sync.close()
    studio_mod.set_current(None)
    ip.run_cell("%config NemoMagics.debug = False", store_history=False)
    InteractiveShell.clear_instance()


def run(ip: InteractiveShell, code: str) -> Any:
    result = ip.run_cell(code, store_history=False)
    if result.error_in_exec is not None:
        raise result.error_in_exec
    return result.result


def test_help_documents_every_subcommand(shell: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    run(shell, "%nemo help")
    out = capsys.readouterr().out
    for sub in ("connect", "upload", "ask", "%%nemo", "status", "tracks", "credits", "export", "renders", "ui",
                "undo", "help", "--out", "NemoMagics.debug"):
        assert sub in out


def test_connect_says_which_backend(engine_url: str, shell: InteractiveShell,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    run(shell, f"%nemo connect --base-url {engine_url} --out s")
    out = capsys.readouterr().out
    assert f"Connected: embedded engine at {engine_url} ·" in out
    assert shell.user_ns["s"] is studio_mod.current()


def test_upload_with_a_glob_then_tables_into_variables(shell: InteractiveShell, photos: list[Path]) -> None:
    folder = photos[0].parent
    run(shell, f"%nemo upload {folder}/*cat*.png {photos[0]} --out media")
    names = [m.name for m in shell.user_ns["media"]]
    assert photos[0].name in names and any("cat" in n for n in names)
    credits = run(shell, "%nemo credits --out c")
    assert isinstance(credits, pd.DataFrame) and shell.user_ns["c"] is credits
    tracks = run(shell, "%nemo tracks")
    assert isinstance(tracks, pd.DataFrame) and list(tracks.columns)[:3] == ["track", "type", "start_s"]
    timeline = run(shell, "%nemo status")
    assert isinstance(timeline, Timeline)
    renders = run(shell, "%nemo renders")
    assert isinstance(renders, pd.DataFrame) and "size_mb" in renders.columns


def test_requests_are_sent_exactly_as_typed(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    current = studio_mod.current()
    assert current is not None
    monkeypatch.setattr(current.sync, "ask", lambda text, **_: sent.append(text) or text)
    shell.user_ns["price"] = 99
    run(shell, "%%nemo --out r\nadd a title '{price} off' at the start\nand a caption $price too")
    run(shell, "%nemo ask --out r2 make the title say {x} and $y")
    assert sent == ["add a title '{price} off' at the start\nand a caption $price too",
                    "make the title say {x} and $y"]
    assert shell.user_ns["r"] == sent[0] and shell.user_ns["r2"] == sent[1]


def test_errors_are_one_line_with_the_hint_and_tracebacks_only_in_debug(
        shell: InteractiveShell, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(UsageError, match="Unknown subcommand 'explode'"):
        run(shell, "%nemo explode")
    with pytest.raises(UsageError, match="No file matches"):
        run(shell, "%nemo upload /nowhere/*.jpg")
    with pytest.raises(UsageError) as err:
        run(shell, f"%nemo upload {samples / 'bad' / 'text_file_named.png'}")
    message = str(err.value)
    assert "\n" not in message and "text_file_named.png" in message and "cannot be uploaded" in message
    with pytest.raises(UsageError, match="invalid choice"):
        run(shell, "%nemo export --quality ultra")
    with pytest.raises(UsageError, match="empty"):
        run(shell, "%%nemo\n   \n")
    capsys.readouterr()
    shell.run_cell("%nemo export", store_history=False)  # how a user sees it: one line, no traceback
    err_out = capsys.readouterr()
    text = err_out.out + err_out.err
    assert "UsageError: The timeline is empty" in text and "Traceback" not in text
    run(shell, "%config NemoMagics.debug = True")
    with pytest.raises(NemoError, match="timeline is empty"):
        run(shell, "%nemo export")


def test_ui_gives_the_widget(shell: InteractiveShell) -> None:
    widget = run(shell, "%nemo ui")
    current = studio_mod.current()
    assert current is not None and widget is current.widget()


@pytest.mark.slow
def test_export_out_is_a_file_as_in_the_cli(shell: InteractiveShell, photos: list[Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="give the MP4 file to write"):
        run(shell, "%nemo export --out result")
    run(shell, f"%nemo upload {photos[0]} {photos[1]}")
    run(shell, "%nemo ask turn these photos into a 2-second video")
    result = run(shell, "%nemo export --quality preview --out promo.mp4")
    assert result.path == tmp_path / "promo.mp4" and result.path.stat().st_size > 0
    assert "result" not in shell.user_ns
