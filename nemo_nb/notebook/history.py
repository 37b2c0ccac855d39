"""The kernel-side render history: every export, persisted in SQLite under the data dir.

Render jobs outlive the kernel (the engine is its own process; the cloud keeps going), so the
history is written when a job starts, not when it ends: a new kernel lists it as still running,
re-attaches with ``studio.attach()`` and fetches the MP4. SQLite because several kernels may
export at the same time.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .. import config
from ..protocol import RenderStatus


@dataclass
class RenderRecord:
    """One render: where it ran, how it went, where its MP4 is."""

    id: str
    backend: str
    base_url: str
    session: str
    status: str = RenderStatus.QUEUED
    started: float = 0.0
    finished: float | None = None
    quality: str = "high"
    path: str | None = None
    url: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.status in RenderStatus.TERMINAL

    @property
    def seconds(self) -> float | None:
        """Wall time of the render (None while it runs)."""
        if self.finished is None or not self.started:
            return None
        return max(0.0, self.finished - self.started)


_COLUMNS = [f.name for f in fields(RenderRecord)]
_SCHEMA = """
CREATE TABLE IF NOT EXISTS renders (
    id TEXT PRIMARY KEY, backend TEXT NOT NULL, base_url TEXT NOT NULL, session TEXT NOT NULL,
    status TEXT NOT NULL, started REAL NOT NULL, finished REAL, quality TEXT NOT NULL,
    path TEXT, url TEXT, size_bytes INTEGER, width INTEGER, height INTEGER, duration_s REAL,
    error TEXT
)
"""


def default_path() -> Path:
    return config.data_dir() / "notebook" / "renders.sqlite3"


class RenderHistory:
    """A small SQLite table of :class:`RenderRecord` (safe across threads and processes)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        config.ensure_private_dir(self.path.parent)
        # Create it owner-only before SQLite does (its -wal/-shm files copy the mode).
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        os.chmod(self.path, 0o600)  # and tighten one an older version left readable
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = sqlite3.connect(self.path, timeout=10.0)
            try:
                with db:
                    yield db
            finally:
                db.close()

    def add(self, record: RenderRecord) -> RenderRecord:
        if not record.started:
            record.started = time.time()
        row = asdict(record)
        marks = ", ".join("?" for _ in _COLUMNS)
        with self._connect() as db:
            db.execute(f"INSERT OR REPLACE INTO renders ({', '.join(_COLUMNS)}) VALUES ({marks})",
                       [row[c] for c in _COLUMNS])
        return record

    def update(self, render_id: str, **changes: Any) -> RenderRecord:
        unknown = set(changes) - set(_COLUMNS) - {"id"}
        if unknown:
            raise TypeError(f"unknown render fields: {', '.join(sorted(unknown))}")
        if changes:
            sets = ", ".join(f"{k} = ?" for k in changes)
            with self._connect() as db:
                cur = db.execute(f"UPDATE renders SET {sets} WHERE id = ?", [*changes.values(), render_id])
                if cur.rowcount == 0:
                    raise KeyError(render_id)
        record = self.get(render_id)
        if record is None:
            raise KeyError(render_id)
        return record

    def get(self, render_id: str) -> RenderRecord | None:
        with self._connect() as db:
            row = db.execute(f"SELECT {', '.join(_COLUMNS)} FROM renders WHERE id = ?", [render_id]).fetchone()
        return None if row is None else RenderRecord(**dict(zip(_COLUMNS, row, strict=True)))

    def all(self, *, session: str | None = None) -> list[RenderRecord]:
        """Oldest first."""
        query = f"SELECT {', '.join(_COLUMNS)} FROM renders"
        args: list[Any] = []
        if session is not None:
            query += " WHERE session = ?"
            args.append(session)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY started, id", args).fetchall()
        return [RenderRecord(**dict(zip(_COLUMNS, row, strict=True))) for row in rows]

    def forget_missing(self) -> list[RenderRecord]:
        """Drop finished renders whose MP4 is gone (deleted by the user or ``nemo-nb clean``); them."""
        gone = [r for r in self.all() if r.status == RenderStatus.COMPLETED and r.path and not Path(r.path).is_file()]
        if gone:
            with self._connect() as db:
                db.executemany("DELETE FROM renders WHERE id = ?", [(r.id,) for r in gone])
        return gone

    def unfinished(self, backend: str | None = None) -> list[RenderRecord]:
        """Jobs not known to have ended (started before a restart, maybe still running)."""
        return [r for r in self.all() if not r.done and (backend is None or r.backend == backend)]


__all__ = ["RenderHistory", "RenderRecord", "default_path"]
