"""A render on this machine: link the engine's MP4 instead of copying it over HTTP.

A loopback engine names its finished file in ``output.path``. Linking it (a second name for the
same bytes) keeps one copy on disk however many places show it; the engine may later drop its own
name (age/size limit, ``nemo-nb clean``) and the user's file stays. Anything doubtful — another
host, a path that is not a regular MP4 of the announced size, another file system — returns None
and the caller downloads as usual.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

from .. import protocol
from ..formats import sniff_file
from ..netloc import is_loopback_url
from .models import RenderJob


def _local_source(job: RenderJob, base_url: str) -> Path | None:
    output = protocol.pick(job.raw, "output", default={})
    src = output.get("path") if isinstance(output, dict) else None
    if not src or not is_loopback_url(base_url) or not job.url:
        return None
    path = Path(str(src))
    try:
        info = path.stat()
    except OSError:
        return None
    size = output.get("size_bytes")
    if not stat.S_ISREG(info.st_mode) or (isinstance(size, int) and info.st_size != size):
        return None
    return path if sniff_file(path) == "mp4" else None


def link_local_output(job: RenderJob, base_url: str, dest: str | os.PathLike[str]) -> Path | None:
    """``dest`` (a file, or a folder to put it in) as a hard link to the engine's MP4, or None."""
    src = _local_source(job, base_url)
    if src is None:
        return None
    target = Path(dest).expanduser()
    if target.is_dir():
        target = target / (Path(urlsplit(job.url or "").path).name or src.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.link")
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.link(src, tmp)
        os.replace(tmp, target)
    except OSError:  # another file system, no hard links there, no permission: download instead
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    return target


__all__ = ["link_local_output"]
