"""Render jobs off the request path: a small pool of runner threads, each driving one worker process.

The store holds the durable job (status, frozen credits, output); this module holds what only
lives while the engine runs: live progress, the cancel flag and the worker process. Every exit
path closes the job in the store, so a job never stays ``running``; a job a crashed engine left
behind is failed at the next start (:meth:`Store.recover_jobs`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..protocol import RenderStatus
from .settings import EngineSettings
from .store import Store

if TYPE_CHECKING:
    from .dask_jobs import DaskJobs

log = logging.getLogger("nemo_nb.engine.jobs")

STOPPED_REASON = "the engine stopped during the render: export again"
#: How long a worker may take to stop after ``cancel`` before it is killed: a cancel (or the
#: engine's shutdown) takes effect within a second whatever the worker is doing, even stuck.
CANCEL_GRACE_S = 0.7


@dataclass
class LiveJob:
    id: str
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: dict[str, Any] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class JobManager:
    """Queues renders on ``settings.render_workers`` runner threads."""

    def __init__(self, store: Store, settings: EngineSettings) -> None:
        self.store = store
        self.settings = settings
        self._pool = ThreadPoolExecutor(max_workers=max(1, settings.render_workers), thread_name_prefix="render")
        self._live: dict[str, LiveJob] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._dask: DaskJobs | None = None
        if settings.dask_address:
            from .dask_jobs import DaskJobs

            self._dask = DaskJobs(settings.dask_address)

    # --- API used by the routes --------------------------------------------------------------------
    def submit(self, job_id: str) -> None:
        live = LiveJob(job_id)
        with self._lock:
            self._live[job_id] = live
        self._pool.submit(self._run_safely, live)

    def progress(self, job_id: str) -> dict[str, Any] | None:
        live = self._live.get(job_id)
        return None if live is None else dict(live.progress)

    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop; the status reads ``cancelled`` once it has."""
        live = self._live.get(job_id)
        if live is None:
            return False
        live.cancel.set()
        with live.lock:
            proc = live.process
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                proc.stdin.write("cancel\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            _kill_later(proc)
        else:  # still queued: close it now rather than when a runner picks it up
            if self._closed:
                self.store.finish_job(job_id, RenderStatus.FAILED, error=STOPPED_REASON)
            else:
                self.store.finish_job(job_id, RenderStatus.CANCELLED, error="cancelled before it started")
        return True

    @property
    def active(self) -> int:
        with self._lock:
            return len(self._live)

    def shutdown(self) -> None:
        """Cancel everything and wait for the runners (each closes its job)."""
        self._closed = True
        with self._lock:
            ids = list(self._live)
        for job_id in ids:
            self.cancel(job_id)
        self._pool.shutdown(wait=True, cancel_futures=False)
        if self._dask is not None:
            self._dask.close()

    # --- runner --------------------------------------------------------------------------------------
    def _run_safely(self, live: LiveJob) -> None:
        try:
            self._run(live)
        except Exception as exc:  # never leave a job running, whatever happened
            log.exception("render %s failed", live.id)
            self.store.finish_job(live.id, RenderStatus.FAILED, error=f"internal error: {type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._live.pop(live.id, None)

    def _run(self, live: LiveJob) -> None:
        job = self.store.get_job(live.id)
        if job is None or job["status"] != RenderStatus.QUEUED:
            return
        if self._closed:
            self.store.finish_job(live.id, RenderStatus.FAILED, error=STOPPED_REASON)
            return
        if live.cancel.is_set():
            self.store.finish_job(live.id, RenderStatus.CANCELLED, error="cancelled before it started")
            return
        if not self.store.start_job(live.id):
            return
        media = {m["id"]: str(self.store.media_dir / m["file"]) for m in self.store.list_media(job["session_id"])}
        out_name = f"{os.urandom(12).hex()}.mp4"
        out_path = self.store.renders_dir / out_name
        spec = {"draft": json.loads(job["draft"]), "media": media, "out": str(out_path), "quality": job["quality"]}
        started = time.monotonic()
        if self._dask is not None:  # serve --dask: the cluster renders, the job closes the same way
            final = self._dask.run(spec, live.cancel, live.progress)
            self._close(live, final, 0, out_path, time.monotonic() - started)
            return
        proc = subprocess.Popen(
            [sys.executable, "-m", "nemo_nb.engine.render_worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, text=True, encoding="utf-8",
            bufsize=1, close_fds=True)
        with live.lock:
            live.process = proc
        final: dict[str, Any] | None = None
        try:
            proc.stdin.write(json.dumps(spec) + "\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
            if live.cancel.is_set():
                proc.stdin.write("cancel\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
                _kill_later(proc)
            for line in proc.stdout:  # type: ignore[union-attr]
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if event.get("event") == "progress":
                    live.progress = {k: event.get(k) for k in ("fraction", "frames_done", "frames_total", "eta_s")}
                else:
                    final = event
        except (BrokenPipeError, OSError):
            pass
        finally:
            self._reap(proc, live)
        self._close(live, final, proc.returncode, out_path, time.monotonic() - started)

    def _reap(self, proc: subprocess.Popen, live: LiveJob) -> None:
        with contextlib.suppress(OSError, ValueError):
            proc.stdin.close()  # type: ignore[union-attr]
        try:
            proc.wait(timeout=CANCEL_GRACE_S if live.cancel.is_set() else 10.0)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        with contextlib.suppress(OSError, ValueError):
            proc.stdout.close()  # type: ignore[union-attr]

    def _close(self, live: LiveJob, final: dict[str, Any] | None, rc: int | None, out: Path, took: float) -> None:
        kind = (final or {}).get("event")
        if kind != "done":  # a worker killed mid-encode leaves its temp file (encode.py names it .<out>.*.part)
            for part in out.parent.glob(f".{out.name}.*.part"):
                part.unlink(missing_ok=True)
        if kind == "done" and out.is_file():
            info = dict(final.get("info") or {})  # type: ignore[union-attr]
            info.setdefault("size_bytes", out.stat().st_size)
            total = live.progress.get("frames_total") or info.get("frames")
            info.update(frames_done=total, frames_total=total)
            if not self.store.finish_job(live.id, RenderStatus.COMPLETED, file=out.name, info=info):
                out.unlink(missing_ok=True)
            log.info("render %s completed in %.1f s", live.id, took)
            return
        out.unlink(missing_ok=True)
        if self._closed and kind != "error":
            self.store.finish_job(live.id, RenderStatus.FAILED, error=STOPPED_REASON)
        elif kind == "cancelled" or live.cancel.is_set():
            self.store.finish_job(live.id, RenderStatus.CANCELLED, error="cancelled")
        elif kind == "error":
            self.store.finish_job(live.id, RenderStatus.FAILED, error=str(final.get("message")))  # type: ignore[union-attr]
        else:
            self.store.finish_job(live.id, RenderStatus.FAILED,
                                  error=f"the render worker stopped unexpectedly (exit code {rc}); export again")


def _kill_later(proc: subprocess.Popen, grace: float = CANCEL_GRACE_S) -> None:
    """Kill ``proc`` unless it has stopped ``grace`` seconds from now (a stuck worker never blocks)."""

    def kill() -> None:
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()

    timer = threading.Timer(grace, kill)
    timer.daemon = True
    timer.start()
