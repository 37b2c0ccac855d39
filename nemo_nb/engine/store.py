"""The engine's persistent state: SQLite (WAL) plus media files, under one private data directory.

Everything that must survive a restart or a SIGKILL lives here: tokens (only their SHA-256; the
database is 0600 anyway), the credits ledger, sessions, every draft revision (with an undo/redo
pointer), uploaded media and render jobs. One connection guarded by a lock serialises writers;
every multi-row change is one transaction, so a crash leaves either the old or the new state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config
from ..protocol import RenderStatus
from . import errors

DB_NAME = "engine.sqlite3"

#: Migrations, applied in order; ``PRAGMA user_version`` records how many ran.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE tokens (
        id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL,
        kind TEXT NOT NULL, created_at REAL NOT NULL, expires_at REAL NOT NULL);
    CREATE INDEX tokens_by_client ON tokens(client_id, created_at);
    CREATE TABLE ledger (
        id INTEGER PRIMARY KEY AUTOINCREMENT, token_id TEXT NOT NULL REFERENCES tokens(id),
        delta INTEGER NOT NULL, kind TEXT NOT NULL, ref TEXT, created_at REAL NOT NULL);
    CREATE INDEX ledger_by_token ON ledger(token_id);
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY, task_id TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, name TEXT,
        language TEXT, head INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL);
    CREATE TABLE revisions (
        session_id TEXT NOT NULL REFERENCES sessions(id), rev INTEGER NOT NULL, parent INTEGER,
        draft TEXT NOT NULL, source TEXT NOT NULL, created_at REAL NOT NULL,
        PRIMARY KEY (session_id, rev));
    CREATE TABLE media (
        id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id), name TEXT NOT NULL,
        format TEXT NOT NULL, kind TEXT NOT NULL, width INTEGER, height INTEGER, duration_ms INTEGER,
        size_bytes INTEGER NOT NULL, file TEXT NOT NULL, file_key TEXT NOT NULL UNIQUE, source TEXT,
        created_at REAL NOT NULL);
    CREATE INDEX media_by_session ON media(session_id, created_at);
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id), owner TEXT NOT NULL,
        token_id TEXT, status TEXT NOT NULL, quality TEXT NOT NULL, format TEXT NOT NULL,
        draft TEXT NOT NULL, frozen INTEGER NOT NULL DEFAULT 0, file TEXT, file_key TEXT UNIQUE,
        error TEXT, frames_done INTEGER, frames_total INTEGER, width INTEGER, height INTEGER,
        duration_ms INTEGER, size_bytes INTEGER, created_at REAL NOT NULL, started_at REAL,
        finished_at REAL);
    CREATE INDEX jobs_by_session ON jobs(session_id, created_at);
    CREATE INDEX jobs_by_status ON jobs(status);
    """,
]

#: Undo depth kept per session. Older revisions are dropped when a new one is stored, so a chatty
#: notebook cannot grow the database without bound (each revision is at most 1 MB).
MAX_REVISIONS = 200

RESTART_REASON = "engine restarted during render: export again"
PRUNED_REASON = "the engine's copy was removed (renders age/size limit or nemo-nb clean): export again"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class TokenRow:
    id: str
    client_id: str
    created_at: float
    expires_at: float

    def __repr__(self) -> str:  # never the token itself (we do not even have it)
        return f"TokenRow(id={self.id!r}, client_id={self.client_id!r})"


@dataclass(frozen=True)
class SessionRow:
    id: str
    task_id: str
    owner: str
    name: str | None
    language: str | None
    head: int


@dataclass(frozen=True)
class Head:
    """The current revision of a session's draft and whether undo/redo can move from it."""

    rev: int
    draft: dict[str, Any]
    can_undo: bool
    can_redo: bool


class HeadMoved(Exception):
    """The draft changed under a writer (a concurrent request on the same session): retry."""


class Store:
    """All engine state under ``data_dir``; safe to share between threads."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = config.ensure_private_dir(Path(data_dir))
        os.chmod(self.dir, 0o700)
        self.media_dir = config.ensure_private_dir(self.dir / "media")
        self.renders_dir = config.ensure_private_dir(self.dir / "renders")
        self.tmp_dir = config.ensure_private_dir(self.dir / "tmp")
        self.db_path = self.dir / DB_NAME
        if not self.db_path.exists():
            os.close(os.open(self.db_path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(self.db_path, 0o600)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.db_path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        for suffix in ("-wal", "-shm"):
            side = self.db_path.with_name(DB_NAME + suffix)
            if side.exists():
                os.chmod(side, 0o600)
        self._migrate()

    # --- plumbing ---------------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: writers never interleave)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, args: tuple = ()) -> sqlite3.Row | None:
        with self._lock:
            return self._db.execute(sql, args).fetchone()

    def _all(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    @property
    def schema_version(self) -> int:
        return int(self._one("PRAGMA user_version")[0])

    def _migrate(self) -> None:
        with self._tx() as db:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"{self.db_path} was written by a newer nemo_nb (schema {version}); upgrade nemo_nb.")
            for index in range(version, len(MIGRATIONS)):
                for statement in MIGRATIONS[index].split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {index + 1}")

    # --- tokens and credits --------------------------------------------------------------------
    def issue_token(self, client_id: str, *, ttl_s: float, window_s: float, per_window: int,
                    credits: int, now: float | None = None) -> str:
        """A new anonymous token with ``credits`` granted; HTTP 429 past ``per_window`` per client."""
        now = time.time() if now is None else now
        token = "nnb_" + secrets.token_urlsafe(32)
        with self._tx() as db:
            recent = db.execute(
                "SELECT COUNT(*), MIN(created_at) FROM tokens WHERE client_id = ? AND created_at > ?",
                (client_id, now - window_s)).fetchone()
            if recent[0] >= per_window:
                wait = max(1, int(recent[1] + window_s - now))
                raise errors.EngineError(
                    429, f"This client id already received an anonymous token in the last "
                    f"{window_s / 86400:g} days: reuse it (or wait {wait} s).",
                    status=429, headers={"Retry-After": str(wait)})
            token_id = "tok_" + secrets.token_hex(8)
            db.execute("INSERT INTO tokens VALUES (?, ?, ?, 'anonymous', ?, ?)",
                       (token_id, hash_token(token), client_id, now, now + ttl_s))
            db.execute("INSERT INTO ledger (token_id, delta, kind, ref, created_at) VALUES (?, ?, 'grant', NULL, ?)",
                       (token_id, int(credits), now))
        return token

    def authenticate(self, token: str, now: float | None = None) -> TokenRow:
        """The token's row, or 1001 when it is unknown or expired."""
        now = time.time() if now is None else now
        row = self._one("SELECT id, client_id, created_at, expires_at FROM tokens WHERE token_hash = ?",
                        (hash_token(token),))
        if row is None:
            raise errors.token_invalid()
        if row["expires_at"] <= now:
            raise errors.token_invalid(expired=True)
        return TokenRow(row["id"], row["client_id"], row["created_at"], row["expires_at"])

    def _balance(self, db: sqlite3.Connection, token_id: str) -> tuple[int, int]:
        total = db.execute("SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE token_id = ?", (token_id,)).fetchone()[0]
        frozen = db.execute(
            "SELECT COALESCE(SUM(frozen), 0) FROM jobs WHERE token_id = ? AND status IN ('queued', 'running')",
            (token_id,)).fetchone()[0]
        return int(total), int(frozen)

    def credits(self, token_id: str) -> dict[str, int]:
        """``available``, ``frozen`` (held by running jobs), ``total`` (their sum) and ``charged``:
        what the cloud would have charged so far. Nothing refuses on them locally."""
        with self._lock:
            total, frozen = self._balance(self._db, token_id)
            charged = self._db.execute("SELECT COALESCE(-SUM(delta), 0) FROM ledger WHERE token_id = ? AND kind != 'grant'",
                                       (token_id,)).fetchone()[0]
        return {"available": total - frozen, "frozen": frozen, "total": total, "charged": int(charged)}

    # --- sessions and revisions ------------------------------------------------------------------
    def create_session(self, owner: str, name: str | None, language: str | None,
                       draft: dict[str, Any]) -> SessionRow:
        now = time.time()
        sid = str(uuid.uuid4())
        task_id = "task_" + secrets.token_hex(8)
        with self._tx() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                       (sid, task_id, owner, name, language, now, now))
            db.execute("INSERT INTO revisions VALUES (?, 0, NULL, ?, 'create', ?)", (sid, _dump(draft), now))
        return SessionRow(sid, task_id, owner, name, language, 0)

    def get_session(self, session_id: str, owner: str) -> SessionRow:
        """The session, or 1002 when it does not exist or belongs to another client."""
        row = self._one("SELECT * FROM sessions WHERE id = ?", (str(session_id),))
        if row is None or row["owner"] != owner:
            raise errors.session_not_found(str(session_id))
        return SessionRow(row["id"], row["task_id"], row["owner"], row["name"], row["language"], row["head"])

    def language(self, session_id: str) -> str | None:
        """The conversation's language so far (set at creation, then by each turn that has one)."""
        row = self._one("SELECT language FROM sessions WHERE id = ?", (str(session_id),))
        return None if row is None else row["language"]

    def set_language(self, session_id: str, language: str | None) -> None:
        with self._tx() as db:
            db.execute("UPDATE sessions SET language = ? WHERE id = ?", (language, str(session_id)))

    def head(self, session_id: str) -> Head:
        with self._lock:
            return self._head(self._db, session_id)

    def _head(self, db: sqlite3.Connection, session_id: str) -> Head:
        rev = db.execute("SELECT head FROM sessions WHERE id = ?", (session_id,)).fetchone()["head"]
        row = db.execute("SELECT draft, parent FROM revisions WHERE session_id = ? AND rev = ?",
                         (session_id, rev)).fetchone()
        child = db.execute("SELECT 1 FROM revisions WHERE session_id = ? AND parent = ? LIMIT 1",
                           (session_id, rev)).fetchone()
        return Head(rev, json.loads(row["draft"]), row["parent"] is not None, child is not None)

    def commit_draft(self, session_id: str, draft: dict[str, Any], *, expected_head: int | None,
                     source: str, charge: tuple[str, int, str | None] | None = None) -> Head:
        """Record ``draft`` as a new revision after the head, charging ``(token_id, cost, bind_id)``.

        The charge is what the cloud would take; locally it is only counted, never refused (a
        balance may go below zero). Raises :class:`HeadMoved` when ``expected_head`` is stale,
        and then nothing is written.
        """
        now = time.time()
        with self._tx() as db:
            head = db.execute("SELECT head FROM sessions WHERE id = ?", (session_id,)).fetchone()["head"]
            if expected_head is not None and head != expected_head:
                raise HeadMoved(session_id)
            if charge is not None and charge[1] > 0:
                token_id, cost, _bind_id = charge
                db.execute("INSERT INTO ledger (token_id, delta, kind, ref, created_at) VALUES (?, ?, 'edit', ?, ?)",
                           (token_id, -cost, session_id, now))
            rev = db.execute("SELECT MAX(rev) FROM revisions WHERE session_id = ?", (session_id,)).fetchone()[0] + 1
            db.execute("INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?)",
                       (session_id, rev, head, _dump(draft), source, now))
            db.execute("UPDATE sessions SET head = ?, updated_at = ? WHERE id = ?", (rev, now, session_id))
            _drop_old_revisions(db, session_id, newest=rev)
            return self._head(db, session_id)

    def move_head(self, session_id: str, direction: str) -> Head | None:
        """Undo (to the parent) or redo (to the newest child); None when there is nowhere to go."""
        with self._tx() as db:
            head = db.execute("SELECT head FROM sessions WHERE id = ?", (session_id,)).fetchone()["head"]
            if direction == "undo":
                row = db.execute("SELECT parent AS target FROM revisions WHERE session_id = ? AND rev = ?",
                                 (session_id, head)).fetchone()
            else:
                row = db.execute("SELECT MAX(rev) AS target FROM revisions WHERE session_id = ? AND parent = ?",
                                 (session_id, head)).fetchone()
            if row is None or row["target"] is None:
                return None
            db.execute("UPDATE sessions SET head = ?, updated_at = ? WHERE id = ?",
                       (row["target"], time.time(), session_id))
            return self._head(db, session_id)

    def peek(self, session_id: str, direction: str) -> dict[str, Any] | None:
        """The draft undo/redo would go to, without moving (the agent's context)."""
        with self._lock:
            head = self._db.execute("SELECT head FROM sessions WHERE id = ?", (session_id,)).fetchone()["head"]
            if direction == "undo":
                sql = ("SELECT r.draft FROM revisions r JOIN revisions c ON c.parent = r.rev AND c.session_id = r.session_id"
                       " WHERE c.session_id = ? AND c.rev = ?")
            else:
                sql = "SELECT draft FROM revisions WHERE session_id = ? AND parent = ? ORDER BY rev DESC LIMIT 1"
            row = self._db.execute(sql, (session_id, head)).fetchone()
        return None if row is None else json.loads(row[0])

    def revision_count(self, session_id: str) -> int:
        return int(self._one("SELECT COUNT(*) FROM revisions WHERE session_id = ?", (session_id,))[0])

    # --- media -----------------------------------------------------------------------------------
    def new_media_id(self) -> str:
        return "med_" + secrets.token_hex(8)

    def add_media(self, session_id: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Insert media rows (files already in ``media_dir``) in one transaction."""
        now = time.time()
        rows = []
        with self._tx() as db:
            for item in items:
                row = {**item, "session_id": session_id, "file_key": secrets.token_urlsafe(24), "created_at": now}
                db.execute(
                    "INSERT INTO media (id, session_id, name, format, kind, width, height, duration_ms, size_bytes,"
                    " file, file_key, source, created_at) VALUES (:id, :session_id, :name, :format, :kind, :width,"
                    " :height, :duration_ms, :size_bytes, :file, :file_key, :source, :created_at)", row)
                rows.append(row)
        return rows

    def list_media(self, session_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self._all("SELECT * FROM media WHERE session_id = ? ORDER BY created_at, rowid",
                                           (session_id,))]

    def media_by_key(self, file_key: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM media WHERE file_key = ?", (file_key,))
        return None if row is None else dict(row)

    # --- render jobs -----------------------------------------------------------------------------
    def create_job(self, job_id: str, session: SessionRow, token_id: str, draft: dict[str, Any], *,
                   quality: str, fmt: str, cost: int) -> tuple[dict[str, Any], bool]:
        """A queued job with ``cost`` credits frozen (counted, never refused); ``(row, created)``.
        A retried id returns the job."""
        now = time.time()
        with self._tx() as db:
            old = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if old is not None:
                if old["owner"] != session.owner or old["session_id"] != session.id:
                    raise errors.bad_request(f"Render id {job_id!r} is already used: send a new id.", 409, 409)
                return dict(old), False
            db.execute(
                "INSERT INTO jobs (id, session_id, owner, token_id, status, quality, format, draft, frozen, created_at)"
                " VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)",
                (job_id, session.id, session.owner, token_id, quality, fmt, _dump(draft), cost, now))
            return dict(db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()), True

    def get_job(self, job_id: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return None if row is None else dict(row)

    def job_by_key(self, file_key: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM jobs WHERE file_key = ? AND status = 'completed'", (file_key,))
        return None if row is None else dict(row)

    def session_jobs(self, session_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self._all("SELECT * FROM jobs WHERE session_id = ? ORDER BY created_at, rowid",
                                           (session_id,))]

    def start_job(self, job_id: str, frames_total: int | None = None) -> bool:
        """queued → running; False if the job is no longer queued (cancelled meanwhile)."""
        with self._tx() as db:
            cur = db.execute("UPDATE jobs SET status = 'running', started_at = ?, frames_total = ?"
                             " WHERE id = ? AND status = 'queued'", (time.time(), frames_total, job_id))
            return cur.rowcount == 1

    def finish_job(self, job_id: str, status: str, *, file: str | None = None, error: str | None = None,
                   info: dict[str, Any] | None = None) -> bool:
        """Close a job: charge its frozen credits if completed, release them otherwise.

        Only a queued or running job moves; returns False when it had already ended.
        """
        assert status in RenderStatus.TERMINAL
        info = info or {}
        now = time.time()
        with self._tx() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if row is None or row["status"] in RenderStatus.TERMINAL:
                return False
            if status == RenderStatus.COMPLETED and row["frozen"] > 0 and row["token_id"]:
                db.execute("INSERT INTO ledger (token_id, delta, kind, ref, created_at) VALUES (?, ?, 'render', ?, ?)",
                           (row["token_id"], -row["frozen"], job_id, now))
            db.execute(
                "UPDATE jobs SET status = ?, frozen = 0, file = ?, file_key = ?, error = ?, finished_at = ?,"
                " frames_done = COALESCE(?, frames_done), frames_total = COALESCE(?, frames_total), width = ?,"
                " height = ?, duration_ms = ?, size_bytes = ? WHERE id = ?",
                (status, file, secrets.token_urlsafe(24) if file else None, error, now,
                 info.get("frames_done"), info.get("frames_total"), info.get("width"), info.get("height"),
                 info.get("duration_ms"), info.get("size_bytes"), job_id))
            return True

    def recover_jobs(self) -> list[str]:
        """At startup: jobs a previous process left queued/running fail with a reason (never stuck)."""
        with self._tx() as db:
            ids = [r[0] for r in db.execute("SELECT id FROM jobs WHERE status IN ('queued', 'running')")]
            db.execute("UPDATE jobs SET status = 'failed', error = ?, frozen = 0, finished_at = ?"
                       " WHERE status IN ('queued', 'running')", (RESTART_REASON, time.time()))
        return ids

    def prune_renders(self, *, max_bytes: int | None = None, max_age_s: float | None = None,
                      now: float | None = None) -> list[tuple[str, int]]:
        """Delete finished renders' MP4s past ``max_age_s``, then the oldest until the rest fit in
        ``max_bytes``; ``(job id, bytes)`` of each. The job stays completed, with no file and an error
        saying why (its URL answers 404). A copy a client linked or downloaded is not touched."""
        now = time.time() if now is None else now
        rows = self._all("SELECT id, file, finished_at FROM jobs WHERE file IS NOT NULL ORDER BY finished_at, rowid")
        sizes = []
        for row in rows:
            with contextlib.suppress(OSError):
                sizes.append((row, (self.renders_dir / row["file"]).stat().st_size))
        total = sum(size for _, size in sizes)
        dropped: list[tuple[dict[str, Any], int]] = []
        for row, size in sizes:
            old = max_age_s is not None and now - (row["finished_at"] or now) > max_age_s
            if old or (max_bytes is not None and total > max_bytes):
                dropped.append((dict(row), size))
                total -= size
        with self._tx() as db:
            for row, _size in dropped:
                db.execute("UPDATE jobs SET file = NULL, file_key = NULL, error = ? WHERE id = ?", (PRUNED_REASON, row["id"]))
        for row, _size in dropped:
            with contextlib.suppress(OSError):
                (self.renders_dir / row["file"]).unlink()
        return [(row["id"], size) for row, size in dropped]

    def cleanup_files(self) -> None:
        """Remove what a crash can leave: temp uploads, partial renders, media files with no row."""
        for path in self.tmp_dir.iterdir():
            with contextlib.suppress(OSError):
                path.unlink()
        known = {r[0] for r in self._all("SELECT file FROM media")}
        for path in self.media_dir.iterdir():
            if path.name not in known and not path.name.endswith(".thumb.jpg"):
                with contextlib.suppress(OSError):
                    path.unlink()
        done = {r[0] for r in self._all("SELECT file FROM jobs WHERE file IS NOT NULL")}
        for path in self.renders_dir.iterdir():
            if path.name not in done:
                with contextlib.suppress(OSError):
                    path.unlink()


def _drop_old_revisions(db: sqlite3.Connection, session_id: str, *, newest: int) -> None:
    """Keep the newest :data:`MAX_REVISIONS`; undo stops where the kept history begins."""
    oldest_kept = newest - MAX_REVISIONS + 1
    if oldest_kept <= 0:
        return
    db.execute("DELETE FROM revisions WHERE session_id = ? AND rev < ?", (session_id, oldest_kept))
    db.execute("UPDATE revisions SET parent = NULL WHERE session_id = ? AND parent < ?", (session_id, oldest_kept))


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
