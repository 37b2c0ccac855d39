"""Render follow-up: start an export, follow it (ours, the agent's, one from before a restart),
fetch the MP4 to where it was asked, and keep the history right.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config, protocol
from ..client import NemoError, NotSupportedError, RenderFailed
from ..client.models import RenderJob, SessionState
from ._ops import Work
from ._session import Session
from ._upload import safe_name
from .display import RenderResult
from .events import Notice, RenderChanged
from .frames import renders_frame
from .history import RenderHistory, RenderRecord


def check_quality(quality: str) -> str:
    """``quality`` when it is a render quality (:func:`protocol.quality_problem`), else a clear error."""
    problem = protocol.quality_problem(quality)
    if problem:
        raise NemoError(problem)
    return quality


def output_path(out: str | os.PathLike[str] | None, render_id: str) -> Path:
    """Where the MP4 goes: ``out`` (a file, or a folder to put ``<id>.mp4`` in), else the data dir."""
    if out is None:
        return config.ensure_private_dir(config.data_dir() / "notebook" / "renders") / f"{safe_name(render_id)}.mp4"
    path = Path(out).expanduser()
    if path.is_dir() or str(out).endswith(("/", os.sep)):
        path = path / f"{safe_name(render_id)}.mp4"
    if path.suffix.lower() != ".mp4":
        raise NemoError(f"{out} is not an .mp4 file name", hint='Give a file such as out="promo.mp4", or a folder.')
    return path.resolve()


def ready_text(result: RenderResult) -> str:
    return f"Your video is ready: {result.path} ({result.duration_s:g} s, {result.width}×{result.height})."


def completed_state(result: RenderResult) -> dict[str, Any]:
    return {"state": "completed", "id": result.id, "fraction": 1.0, "eta_s": 0, "name": result.name,
            "path": str(result.path), "size_bytes": result.size_bytes, "width": result.width,
            "height": result.height, "duration_s": result.duration_s, "has_audio": result.has_audio,
            "seconds": result.seconds, "quality": result.quality}


@dataclass
class Renders:
    """Exports of one Studio: at most one followed at a time (``job_id``)."""

    session: Session
    history: RenderHistory
    job_id: str | None = None

    @property
    def backend(self) -> str:
        return self.session.backend.name

    def _record(self, job_id: str, status: str, started: float, quality: str, out: Path | None = None) -> RenderRecord:
        return self.history.add(RenderRecord(
            id=job_id, backend=self.backend, base_url=self.session.backend.base_url,
            session=self.session.session_id or "", status=status or protocol.RenderStatus.QUEUED,
            started=started, quality=quality, path=None if out is None else str(out)))

    async def export(self, work: Work, quality: str, out: str | os.PathLike[str] | None) -> RenderResult:
        """Export the session's draft (the local engine adds the brand kit: engine/branding.py)."""
        check_quality(quality)
        if self.job_id is not None:
            raise NemoError("An export is already running", hint="Wait for it, or cancel it first.")
        await self.session.refresh(work)
        if self.session.draft.is_empty:
            raise NemoError("The timeline is empty, so there is nothing to export",
                            hint="Upload photos and ask for a video first, e.g. "
                                 "\"turn these photos into a 30-second video\".")
        draft = self.session.draft
        with work.busy("rendering"):
            job = await self.session.request(work, lambda c, sid: c.start_export(sid, draft, quality=quality))
            record = self._record(job.id, job.status, time.time(), quality)
            return await self.follow(work, record, out)

    def started_by_agent(self, state: SessionState) -> RenderRecord | None:
        """A render the agent started by itself ("export 1080p MP4"), not yet in the history."""
        if self.job_id is not None:
            return None
        fresh = [g for g in state.generated_media
                 if g.get("id") and str(g.get("type") or "video") == "video" and self.history.get(str(g["id"])) is None
                 and str(g.get("status") or "") not in (protocol.RenderStatus.FAILED, protocol.RenderStatus.CANCELLED)]
        if not fresh:
            return None
        job = fresh[-1]
        return self._record(str(job["id"]), str(job.get("status") or ""), float(job.get("created_at") or time.time()),
                            str(job.get("quality") or "high"))

    async def follow(self, work: Work, record: RenderRecord, out: str | os.PathLike[str] | None = None) -> RenderResult:
        """Wait for a render (reporting progress), then download it and record the result."""
        dest = output_path(out if out is not None else record.path, record.id)
        self.job_id = record.id
        state: dict[str, Any] = {"state": protocol.RenderStatus.QUEUED, "id": record.id, "fraction": 0.0,
                                 "eta_s": None, "quality": record.quality}
        work.emit(RenderChanged(dict(state)))

        def progress(job: RenderJob) -> None:
            p = job.progress or {}
            running = job.status in (protocol.RenderStatus.QUEUED, protocol.RenderStatus.RUNNING)
            state.update(state=job.status if running else state["state"], fraction=float(p.get("fraction") or 0.0),
                         eta_s=p.get("eta_s"))
            if job.status != record.status and not job.done:
                self._update(record, job)
            work.emit(RenderChanged(dict(state)))

        try:
            job = await self.session.request(work, lambda c, _sid: c.wait_render(record.id, progress),
                                             needs_session=False)
        except RenderFailed as err:
            final = await self._final_status(record.id)
            self.history.update(record.id, status=final, finished=time.time(), error=err.message)
            work.emit(RenderChanged({**state, "state": final, "error": err.message, "hint": err.hint}))
            raise
        except asyncio.CancelledError:
            work.emit(RenderChanged({**state, "state": "detached"}))
            raise
        finally:
            self.job_id = None
        return await self._fetch(work, record, job, dest)

    async def _fetch(self, work: Work, record: RenderRecord, job: RenderJob, dest: Path) -> RenderResult:
        path = await self.session.client.save_render(job, dest)
        os.chmod(path, 0o600)
        result = await asyncio.to_thread(RenderResult.from_file, record.id, path, url=job.url, backend=record.backend,
                                         session=record.session, quality=record.quality)
        finished = time.time()
        result.seconds = round(finished - record.started, 2) if record.started else None
        self.history.update(record.id, status=protocol.RenderStatus.COMPLETED, finished=finished, path=str(path),
                            url=job.url, size_bytes=result.size_bytes, width=result.width, height=result.height,
                            duration_s=result.duration_s)
        work.emit(RenderChanged(completed_state(result)))
        return result

    async def _final_status(self, job_id: str) -> str:
        with contextlib.suppress(NemoError):
            job = await self.session.client.render_status(job_id)
            if job.done:
                return job.status
        return protocol.RenderStatus.FAILED

    def _update(self, record: RenderRecord, job: RenderJob) -> None:
        record.status = job.status
        self.history.update(record.id, status=job.status, url=job.url or record.url,
                            finished=time.time() if job.done else None, error=job.error)

    async def cancel(self, work: Work) -> None:
        job_id = self.job_id
        if job_id is None:
            raise NemoError("Nothing is being exported right now", hint="Start an export first.")
        try:
            await self.session.client.cancel_export(job_id)
        except NotSupportedError as err:
            raise NemoError("This backend cannot cancel a render",
                            hint=f"It keeps running; studio.attach({job_id!r}) fetches it later.") from err
        work.emit(Notice(f"Cancelled the export {job_id}."))

    def _pick(self, render_id: str | None) -> RenderRecord:
        record = self.history.get(render_id) if render_id else None
        if render_id and record is None:
            raise NemoError(f"No render {render_id!r} in the history", hint="studio.sync.renders() lists them.")
        if record is None:
            pending = self.history.unfinished(self.backend)
            done = [r for r in self.history.all() if r.status == protocol.RenderStatus.COMPLETED]
            record = pending[-1] if pending else (done[-1] if done else None)
        if record is None:
            raise NemoError("There is no render to attach to", hint="Export first: studio.export().")
        return record

    async def attach(self, work: Work, render_id: str | None) -> RenderResult:
        record = self._pick(render_id)
        if record.status == protocol.RenderStatus.COMPLETED and record.path and Path(record.path).is_file():
            result = await asyncio.to_thread(RenderResult.from_file, record.id, record.path, url=record.url,
                                             backend=record.backend, session=record.session, quality=record.quality)
            result.seconds = record.seconds
            work.emit(RenderChanged(completed_state(result)))
            return result
        if record.backend != self.backend:
            raise NemoError(f"Render {record.id} ran on the {record.backend} backend, this Studio uses "
                            f"{self.backend}", hint=f"nemo_nb.connect(backend={record.backend!r}) attaches to it.")
        with work.busy("rendering"):
            return await self.follow(work, record)

    async def table(self, work: Work) -> pd.DataFrame:
        """Every render in the history, unfinished ones asked about first."""
        for record in self.history.unfinished(self.backend):
            with contextlib.suppress(NemoError):
                job = await self.session.client.render_status(record.id)
                if job.status != record.status:
                    self._update(record, job)
        gone = self.history.forget_missing()
        if gone:
            work.emit(Notice(f"{len(gone)} render(s) no longer listed: their MP4 was deleted "
                             f"({', '.join(Path(r.path or '').name for r in gone)})."))
        return renders_frame(self.history.all())


__all__ = ["Renders", "check_quality", "completed_state", "output_path", "ready_text"]
