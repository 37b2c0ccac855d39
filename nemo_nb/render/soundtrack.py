"""A preview's soundtrack on its own, as an M4A (AAC in MP4) a browser's ``<audio>`` plays.

The live player plays the timeline's music while it paints frames. It uses the very packets a
preview export muxes: taken from the preview store (:mod:`.prepared`) when a preview already encoded
them, otherwise encoded now and stored there, so the next preview export skips that work.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import av

from . import prepared
from .encode import _audio_stream, _AudioEncoder, _soundtrack_key, _StoredAudio
from .errors import RenderError
from .music import SAMPLE_RATE
from .plan import Plan


def write_soundtrack(plan: Plan, out: str | Path) -> bool:
    """Write a preview plan's sound to ``out`` as M4A; False (nothing written) when it is silent."""
    if plan.quality != "preview":
        raise RenderError("The soundtrack is made for preview plans only.")
    if not plan.has_audio:
        return False
    key = _soundtrack_key(plan)
    stored = prepared.load_soundtrack(key) if key is not None else None
    out = Path(out)
    tmp = out.with_name(f".{out.name}.part")
    try:
        recorded = _mux(plan, tmp, stored)
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    if key is not None and recorded:
        prepared.save_soundtrack(key, recorded)
    return True


def _mux(plan: Plan, out: Path, stored: list[prepared.Packet] | None) -> list[prepared.Packet] | None:
    """Write the soundtrack to ``out``; returns the packets encoded now (to store) or None."""
    with av.open(str(out), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = _audio_stream(container, plan)
        if stored is not None:
            source: _AudioEncoder | _StoredAudio = _StoredAudio(stream, stored)
        else:
            source = _AudioEncoder(plan, stream, round(plan.frames_total / plan.fps * SAMPLE_RATE), record=True)
        source.start()
        try:
            container.mux(source.rest())
        finally:
            source.close()
    return source.recorded


__all__ = ["write_soundtrack"]
