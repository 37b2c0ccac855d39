"""Checking and preparing uploaded photos without the engine's memory growing with their pixels.

A JPEG decodes reduced (1/8 scale, see render/media.py), but a 100-megapixel PNG, WebP or TIFF
decodes whole: 300-400 MB each, and six parallel uploads drove the engine to 2.4 GB and left it at
1.2 GB. So a big photo that cannot decode reduced is verified (and prepared for previews) in a
short-lived child process (probe, thumbnail and preview preparation alike), at most
:data:`CHILDREN` at a time: its memory goes back to the system when the child exits, and the
engine itself only reads the headers. Smaller photos are decoded in the engine as before, at most
:data:`CHILDREN` at a time too, and freed memory is handed back to the system afterwards.

``python -m nemo_nb.engine.photos probe|thumbnail PATH`` / ``prepare PATH WIDTH HEIGHT`` is that child.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import os
import subprocess
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

from .. import formats

#: Above this many pixels a photo that does not decode reduced is handled in a child process.
BIG_PIXELS = 24_000_000
#: Formats the decoder can scale while decoding (so they never need a child).
REDUCED_DECODE = frozenset({"jpg"})
#: At most this many photo children at once (each holds one decoded photo).
CHILDREN = 2
CHILD_TIMEOUT_S = 120.0

_slots = threading.BoundedSemaphore(CHILDREN)
#: Whole decodes of smaller photos in the engine, also bounded (six parallel 20 MP PNGs are 400 MB).
_decodes = threading.BoundedSemaphore(CHILDREN)


def is_big(fmt: str | None, width: int | None, height: int | None) -> bool:
    """Whether decoding this photo whole would cost the engine hundreds of megabytes."""
    return fmt not in REDUCED_DECODE and (width or 0) * (height or 0) > BIG_PIXELS


def big_photo(path: Path) -> bool:
    """Whether ``path`` is a big photo that does not decode reduced (read from its headers only)."""
    fmt = formats.sniff_file(path)
    if formats.media_kind(fmt) != "photo" or fmt in REDUCED_DECODE:
        return False
    try:
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as img:
                return is_big(fmt, *img.size)
    except Exception:  # not readable, or a declared bomb: the renderer's probe says why
        return False


def probe_upload(path: Path) -> Any:
    """The renderer's probe of an upload (MediaError, code 4001, when unusable), bounded in memory."""
    from ..render import MediaInfo, probe
    from ..render.errors import MediaError

    if big_photo(path):
        done = _child("probe", str(path))
        if done.returncode != 0:
            raise MediaError(_complaint(done), str(path))
        return MediaInfo(**json.loads(done.stdout))
    with _decodes:
        try:
            return probe(path)
        finally:
            give_back_memory()


def prepare(path: Path, width: int, height: int) -> None:
    """Prepare a photo for previews of a ``width`` x ``height`` video (render/prepared.py), in a child when big."""
    if big_photo(path):
        _child("prepare", str(path), str(width), str(height))
        return
    from ..render import prepare_photo

    with _decodes:
        try:
            prepare_photo(path, width, height)
        finally:
            give_back_memory()


def thumbnail(path: Path) -> bytes:
    """A JPEG thumbnail of a media file (render.thumbnail), made in a child when the photo is big."""
    if big_photo(path):
        done = _child("thumbnail", str(path))
        if done.returncode != 0:
            raise ValueError(_complaint(done))
        return done.stdout
    from ..render import thumbnail as make

    with _decodes:
        try:
            return make(path)
        finally:
            give_back_memory()


def give_back_memory() -> None:
    """Return freed heap to the system (glibc keeps it otherwise); a no-op elsewhere."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _child(*args: str) -> subprocess.CompletedProcess:
    """Run this module as a child with ``args`` (at most CHILDREN at once); stdout holds its answer."""
    with _slots:
        try:
            return subprocess.run([sys.executable, "-m", "nemo_nb.engine.photos", *args], capture_output=True,
                                  timeout=CHILD_TIMEOUT_S, close_fds=True, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            why = f"{Path(args[1]).name}: the image took longer than {CHILD_TIMEOUT_S:g} s to decode."
            return subprocess.CompletedProcess(args, 1, b"", why.encode())


def _complaint(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"the image could not be decoded (exit {done.returncode})"


# --- the child ------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    """The child: ``probe PATH`` (MediaInfo JSON), ``thumbnail PATH`` (JPEG) or ``prepare PATH W H``;
    a failure exits 1 with its message as the last line of stderr."""
    from .render_worker import die_with_parent

    die_with_parent()
    from ..render import prepare_photo, probe, thumbnail

    try:
        if argv[:1] == ["probe"] and len(argv) == 2:
            sys.stdout.write(json.dumps(dataclasses.asdict(probe(argv[1]))))
        elif argv[:1] == ["thumbnail"] and len(argv) == 2:
            sys.stdout.buffer.write(thumbnail(argv[1]))
        elif argv[:1] == ["prepare"] and len(argv) == 4:
            with contextlib.suppress(OSError):
                os.nice(10)  # background work: requests and renders come first
            return 0 if prepare_photo(argv[1], int(argv[2]), int(argv[3])) else 1
        else:
            raise ValueError("usage: python -m nemo_nb.engine.photos probe|thumbnail PATH | prepare PATH W H")
    except Exception as exc:
        print(str(exc).replace("\n", " ") or type(exc).__name__, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
