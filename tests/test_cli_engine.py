"""No hidden engine left behind: ``nemo-nb status`` / ``stop``, and one-shot commands (``make``,
``demo``) stop the background engine they started, checked with real processes and psutil."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import av
import psutil
import pytest

from nemo_nb import config
from nemo_nb.cli import main, run_one_shot
from nemo_nb.engine.launcher import DEFAULT_IDLE_TIMEOUT, engine_status, ensure_engine, stop_engine

ROOT = Path(__file__).resolve().parents[1]


def engines_for(data_dir: Path) -> list[psutil.Process]:
    """Live processes of ours serving ``data_dir``: engines and their render workers."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        cmd = proc.info["cmdline"] or []
        if proc.info["status"] == psutil.STATUS_ZOMBIE or not any("nemo_nb.engine" in c for c in cmd):
            continue
        if str(data_dir) in cmd or any(str(data_dir) in c for c in cmd) or _cwd(proc) == data_dir:
            found.append(proc)
    return found


def _cwd(proc: psutil.Process) -> Path | None:
    try:
        return Path(proc.cwd()).resolve()
    except psutil.Error:
        return None


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("NEMO_NB_ENGINE_IDLE_TIMEOUT", raising=False)  # the default is what is tested
    path = config.ensure_private_dir(config.data_dir()).resolve()
    yield path
    stop_engine(path, timeout=5)  # never leave one behind, even when a test fails


def test_make_returns_with_no_engine_of_ours_running(data_dir: Path, photos: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "nemo_nb.cli", "make", str(min(photos, key=lambda p: p.stat().st_size)),
         "--say", "turn these photos into a 2 second video", "--quality", "preview", "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert (data_dir / "engine.log").is_file()  # it did start a background engine ...
    assert engines_for(data_dir) == [] and engine_status(data_dir) is None  # ... and stopped it
    assert not (data_dir / "engine.json").exists()
    with av.open(str(out)) as box:
        assert 1.5 < float(box.duration or 0) / 1e6 < 2.5


def test_status_and_stop(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status"]) == 0
    assert "No nemo_nb engine is running" in capsys.readouterr().out
    url = ensure_engine(data_dir)
    st = engine_status(data_dir)
    assert st is not None and st.url == url and st.idle_timeout_s == DEFAULT_IDLE_TIMEOUT == 300
    time.sleep(1.2)
    assert main(["status"]) == 0
    shown = capsys.readouterr().out
    for words in (f"pid       {st.pid}", url, str(data_dir), "stops itself after 300 s idle", "nemo-nb stop"):
        assert words in shown
    again = engine_status(data_dir)
    assert again is not None and again.idle_s is not None and again.idle_s >= 1.0  # status checks keep no one awake
    assert main(["stop", "--data-dir", str(data_dir)]) == 0
    assert f"Stopped the nemo_nb engine (pid {st.pid})" in capsys.readouterr().out
    assert not psutil.pid_exists(st.pid) or psutil.Process(st.pid).status() == psutil.STATUS_ZOMBIE
    assert engines_for(data_dir) == []
    assert main(["stop"]) == 0 and "No nemo_nb engine is running" in capsys.readouterr().out


def test_a_one_shot_command_leaves_an_engine_it_did_not_start(data_dir: Path) -> None:
    """A notebook's engine, already running, is still there after ``nemo-nb make`` used it."""
    url = ensure_engine(data_dir)
    before = engine_status(data_dir)
    assert run_one_shot(lambda _args: 0 if ensure_engine(data_dir) == url else 1, None) == 0  # type: ignore[arg-type]
    after = engine_status(data_dir)
    assert before is not None and after is not None and after.pid == before.pid


def test_the_idle_timeout_can_be_set_and_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    from nemo_nb.engine.launcher import idle_timeout_setting

    monkeypatch.delenv("NEMO_NB_ENGINE_IDLE_TIMEOUT", raising=False)
    assert idle_timeout_setting() == 300
    monkeypatch.setenv("NEMO_NB_ENGINE_IDLE_TIMEOUT", "90")
    assert idle_timeout_setting() == 90
    monkeypatch.setenv("NEMO_NB_ENGINE_IDLE_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="NEMO_NB_ENGINE_IDLE_TIMEOUT='soon' is not a number"):
        idle_timeout_setting()
