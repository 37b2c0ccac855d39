"""QA: the background engine stops (idle timeout, crash, SIGKILL) under an open Studio.

A notebook stays open for hours while the engine idles out after one; the next call must start
the engine again and carry on in the same session — not fail with a connection error, and not
fail with HTTP 429 because the restarted engine listens on a new port.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import nemo_nb
from nemo_nb import config
from nemo_nb.backend import resolve, revive
from nemo_nb.notebook.studio import Studio


def _engine_pid() -> int:
    return int(json.loads((config.data_dir() / "engine.json").read_text())["pid"])


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


@pytest.fixture
def managed() -> Iterator[Studio]:
    """A Studio on the package-managed background engine (as ``nemo_nb.connect()`` makes)."""
    studio = nemo_nb.connect(echo=False)
    pids: set[int] = {_engine_pid()}
    yield studio
    pids.add(_engine_pid())
    studio.sync.close()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def test_the_studio_restarts_a_killed_engine_and_keeps_its_session(managed: Studio, photos: list[Path]) -> None:
    assert managed.backend.managed
    managed.sync.upload(photos[0])
    session, old_url = managed.session_id, managed.backend.base_url
    _kill(_engine_pid())

    frame = managed.sync.credits()  # the next call recovers by itself

    assert frame.loc[0, "available"] > 0
    assert managed.session_id == session
    assert managed.backend.base_url != old_url
    assert [m.name for m in managed.media] == [photos[0].name]  # the store kept the upload
    tokens = json.loads((config.config_dir() / "auth.json").read_text())["tokens"]
    assert list(tokens) == [managed.backend.token_key]  # one token, filed under the engine, not its port


def test_a_new_studio_after_an_engine_restart_reuses_the_token(managed: Studio) -> None:
    _kill(_engine_pid())
    again = nemo_nb.connect(echo=False)  # was: HTTP 429, one anonymous token per client per 7 days
    try:
        assert again.session_id and again.backend.base_url != managed.backend.base_url
    finally:
        again.sync.close()


def test_only_the_managed_engine_is_revived(engine_url: str) -> None:
    assert revive(resolve(base_url=engine_url)) is None  # somebody else's server: not ours to start
    assert revive(resolve("cloud")) is None


@pytest.mark.slow
def test_every_file_in_the_data_and_config_dirs_is_owner_only(managed: Studio, photos: list[Path]) -> None:
    """Tokens, the user's photos, the finished videos (engine copy and kernel copy), the history."""
    managed.sync.upload(photos[0])
    managed.sync.ask("make a 1 second video")
    result = managed.sync.export("preview")
    assert result.path and Path(result.path).is_file()
    loose = [f"{oct(p.stat().st_mode & 0o777)} {p}" for root in (config.data_dir(), config.config_dir())
             for p in root.rglob("*") if p.stat().st_mode & 0o077]
    assert loose == []
