"""After an edit the engine gets the next preview ready: the soundtrack and the photos at the new size."""

from __future__ import annotations

import os
import time
from pathlib import Path

from nemo_nb import protocol
from nemo_nb.render import prepared
from tests._support.engine import Api
from tests.test_engine_render import start, wait


def _entries(suffix: str, at_least: int, what: str) -> list[Path]:
    deadline = time.monotonic() + 60
    while len(found := sorted(prepared.store_dir().glob(f"*{suffix}"))) < at_least:  # in the background
        assert time.monotonic() < deadline, f"the engine did not prepare {what}"
        time.sleep(0.1)
    return found


def test_an_edit_prepares_the_soundtrack_and_the_new_size_for_the_first_preview(api: Api, photos: list[Path]) -> None:
    api.upload(photos[:2])
    _entries(".i420", 2, "the uploaded photos")
    api.say("turn these photos into a 4-second video with background music")
    sound = _entries(".aac", 1, "the soundtrack")
    api.say("make it vertical")
    _entries(".i420", 4, "the photos at the vertical size")  # 16:9 and 9:16 of each
    assert len(sound) == 1
    time.sleep(1.0)  # let the background work finish writing
    entries = sorted(prepared.store_dir().glob("*.i420")) + sorted(prepared.store_dir().glob("*.aac"))
    for entry in entries:
        os.utime(entry, (1000, 1000))
    draft = api.state()["data"]["state"]["draft"]
    assert draft["m"]["aspect"] == "9:16"
    assert start(api, "render_after_edit", draft).json()["code"] == 0
    done = wait(api, "render_after_edit", lambda b: b["status"] in protocol.RenderStatus.TERMINAL)
    assert done["status"] == "completed", done
    used = [e for e in entries if e.stat().st_mtime > 1000]
    assert any(e.suffix == ".aac" for e in used), "the first preview encoded its soundtrack again"
    assert sum(e.suffix == ".i420" for e in used) == 2  # the two photos, prepared at the vertical size
    assert sorted(prepared.store_dir().glob("*.i420")) + sorted(prepared.store_dir().glob("*.aac")) == entries
