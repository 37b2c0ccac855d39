"""``nemo-nb clean``: give back the disk the engine and the notebook use.

Removed: the engine's finished MP4s (its ``renders/``; a copy the notebook or ``nemo-nb make`` saved
is a second name for the same file and stays), temp files, and the prepared-photo cache. With
``everything``, also the notebook's own copies in the data dir (``notebook/renders``); files saved
anywhere else (``export(out=...)``, ``--out``) are never touched.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..render import prepared
from .store import DB_NAME, Store


@dataclass
class Cleaned:
    renders: int = 0
    render_bytes: int = 0
    copies: int = 0
    copy_bytes: int = 0
    cache_bytes: int = 0

    def summary(self) -> str:
        def mb(n: int) -> str:
            return f"{n / 1e6:.1f} MB"

        parts = [f"{self.renders} engine render(s) ({mb(self.render_bytes)})"]
        if self.copies:
            parts.append(f"{self.copies} notebook cop{'y' if self.copies == 1 else 'ies'} ({mb(self.copy_bytes)})")
        parts.append(f"the prepared-photo cache ({mb(self.cache_bytes)})")
        return "Removed " + ", ".join(parts) + ". Videos saved elsewhere were not touched."


def _tree_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def _remove_copies(folder: Path, older_than_s: float | None) -> tuple[int, int]:
    count = size = 0
    now = time.time()
    for path in sorted(folder.glob("*.mp4")) if folder.is_dir() else []:
        with contextlib.suppress(OSError):
            info = path.stat()
            if older_than_s is None or now - info.st_mtime > older_than_s:
                path.unlink()
                count, size = count + 1, size + info.st_size
    return count, size


def clean(data_dir: Path, *, older_than_s: float | None = None, everything: bool = False) -> Cleaned:
    """Clean ``data_dir`` (no engine may be using it: stop it first). ``older_than_s``: only
    renders finished that long ago."""
    report = Cleaned()
    if (data_dir / DB_NAME).is_file():
        store = Store(data_dir)
        try:
            pruned = store.prune_renders(max_bytes=0 if older_than_s is None else None, max_age_s=older_than_s)
            store.cleanup_files()
        finally:
            store.close()
        report.renders, report.render_bytes = len(pruned), sum(size for _, size in pruned)
    if everything:
        report.copies, report.copy_bytes = _remove_copies(data_dir / "notebook" / "renders", older_than_s)
    cache = prepared.store_dir()
    report.cache_bytes = _tree_bytes(cache)
    shutil.rmtree(cache, ignore_errors=True)
    return report


__all__ = ["Cleaned", "clean"]
