"""``Campaign``: one brief → a grid of variants, rendered concurrently, watched, picked, handed over.

The campaign talks to the backend only through the public client (sessions, the agent, render
jobs), so it never knows whether the embedded engine or the cloud answers. Its work runs on
nemo_nb's private event loop (``notebook/_runner.py``): ``await campaign.run()`` returns at once
and the gallery fills in while the notebook stays free.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .. import config
from ..backend import Backend, resolve
from ..client import NemoClient, RenderJob
from ..notebook import _runner
from . import executors, results
from .local import default_concurrency, render_on_engine
from .prepare import Base, base_drafts
from .spec import Variant, _named, apply_copy, expand, photo_sets
from .task import POSTER_AT

TERMINAL = ("done", "failed", "cancelled")


class Campaign:
    """Photos × directions × formats × copy rows. See docs/campaigns.md."""

    def __init__(self, photos: Any = None, directions: Any = None, formats: Any = ("16:9",),
                 copy: pd.DataFrame | None = None, *, title: str | None = "title", caption: str | None = "caption",
                 quality: str = "preview", backend: Backend | str | None = None, base_url: str | None = None,
                 token: str | None = None, out_dir: str | Path | None = None) -> None:
        if directions is None:
            raise TypeError("Campaign needs directions=: a request or a {name: request} dict")
        self.copy = copy
        self._sets = photo_sets(photos, copy)
        self.directions = _named(directions, "directions")
        self.formats = list(_named(formats, "formats"))
        self.variants: list[Variant] = expand(self.directions, self.formats, copy, title=title, caption=caption,
                                              per_row_photos=len(self._sets) > 1)
        self.copy_columns = [c for c in (copy.columns if copy is not None else []) if c != "photos"]
        self.quality = quality
        self.id = f"campaign_{time.strftime('%Y%m%d_%H%M%S')}_{uuid.uuid4().hex[:6]}"
        self.out_dir = Path(out_dir) if out_dir else config.data_dir() / "campaigns" / self.id
        self.rows = [self._row(v) for v in self.variants]
        self.picked: set[str] = set()
        self._backend_spec = (backend, base_url, token)
        self._bases: dict[tuple[int, str, str], Base] | None = None
        self._future: concurrent.futures.Future[Any] | None = None
        #: Set when a run has really ended (a cancelled future reads done while its task still unwinds).
        self._ended = threading.Event()
        self._ended.set()
        self._todo: list[int] = []
        self._listeners: list[Callable[[str, Any], None]] = []
        self._caller: asyncio.AbstractEventLoop | None = None
        self._last_run: dict[str, Any] = {}
        self._started: float | None = None
        self._gallery: Any = None

    def _row(self, v: Variant) -> dict[str, Any]:
        return {"variant": v.name, "direction": v.direction, "format": v.format, **v.copy, "title": v.title,
                "caption": v.caption, "status": "pending", "error": None, "fraction": 0.0, "attempts": 0}

    # --- state and listeners -----------------------------------------------------------------------
    def subscribe(self, listener: Callable[[str, Any], None]) -> Callable[[], None]:
        """``listener(kind, data)`` for ``row`` (index) and ``progress`` (summary) changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _notify(self, kind: str, data: Any) -> None:
        for listener in list(self._listeners):
            caller = self._caller
            if caller is not None and not caller.is_closed() and _runner.on_worker():
                caller.call_soon_threadsafe(listener, kind, data)
            else:
                listener(kind, data)

    def _update(self, i: int, **fields: Any) -> None:
        self.rows[i].update(fields)
        self._notify("row", i)
        if "status" in fields:
            self._notify("progress", self.progress())

    def progress(self) -> dict[str, Any]:
        """done / failed / total, and an ETA from the pace so far."""
        counts = {s: sum(r["status"] == s for r in self.rows) for s in ("done", "failed", "cancelled")}
        total = len(self.rows)
        ended = sum(counts.values())
        eta = None
        if self._started is not None and counts["done"] and ended < total and self.running:
            pace = (time.monotonic() - self._started) / counts["done"]
            eta = round(pace * (total - ended), 1)
        return {"total": total, **counts, "running": self.running, "eta_s": eta}

    @property
    def running(self) -> bool:
        return not self._ended.is_set()

    # --- results -------------------------------------------------------------------------------------
    def results(self) -> results.CampaignFrame:
        """One row per variant (displays as the gallery)."""
        out = results.CampaignFrame(results.frame(self.rows, self.copy_columns))
        out._campaign = self
        return out

    def pick(self, *variants: str | int, only: bool = False) -> set[str]:
        """Tick variants (names or row numbers); ``only=True`` clears the others first."""
        names = {self.rows[v]["variant"] if isinstance(v, int) else str(v) for v in variants}
        unknown = names - {r["variant"] for r in self.rows}
        if unknown:
            raise KeyError(f"No such variant(s): {', '.join(sorted(unknown))}")
        self.picked = names if only else self.picked | names
        self._notify("picked", sorted(self.picked))
        return set(self.picked)

    def unpick(self, *variants: str | int) -> set[str]:
        names = {self.rows[v]["variant"] if isinstance(v, int) else str(v) for v in variants}
        self.picked -= names
        self._notify("picked", sorted(self.picked))
        return set(self.picked)

    def _handover_rows(self, picked: bool | None) -> list[dict[str, Any]]:
        use_picked = bool(self.picked) if picked is None else picked
        if use_picked:
            return [r for r in self.rows if r["variant"] in self.picked]
        return [r for r in self.rows if r["status"] == "done"]

    def to_folder(self, path: str | Path, *, picked: bool | None = None) -> Path:
        """The picked variants (all finished ones when none is picked) as MP4s plus ``manifest.csv``."""
        return results.to_folder(self._handover_rows(picked), self.copy_columns, path)

    def to_zip(self, path: str | Path, *, picked: bool | None = None) -> Path:
        """Like :meth:`to_folder`, as one zip file."""
        return results.to_zip(self._handover_rows(picked), self.copy_columns, path)

    # --- running -------------------------------------------------------------------------------------
    async def run(self, executor: Any = None, *, out: str | None = None, concurrency: int | None = None,
                  retries: int = 2, only: list[int] | None = None) -> Campaign:
        """Start rendering and return at once (``await campaign.wait()`` for the results).

        ``executor``: None (the engine's job queue), a ``concurrent.futures.Executor``, a
        ``dask.distributed.Client`` or a scheduler address. ``out``: a folder or fsspec URL the
        executor's workers write to (default: files come back to this kernel). ``retries``: attempts
        after the first before a variant is marked failed.
        """
        return self.start(executor, out=out, concurrency=concurrency, retries=retries, only=only)

    def start(self, executor: Any = None, *, out: str | None = None, concurrency: int | None = None,
              retries: int = 2, only: list[int] | None = None) -> Campaign:
        """:meth:`run` for synchronous code (magics, scripts): starts the work and returns."""
        if self.running:
            raise RuntimeError("This campaign is already running: await campaign.wait() or campaign.cancel().")
        with contextlib.suppress(RuntimeError):
            self._caller = asyncio.get_running_loop()
        todo = list(range(len(self.rows))) if only is None else list(only)
        self._last_run = {"executor": executor, "out": out, "concurrency": concurrency, "retries": retries}
        for i in todo:
            self.rows[i].update(status="queued", error=None, fraction=0.0)
        self._started = time.monotonic()
        self._ended.clear()
        self._todo = todo
        self._future = _runner.submit(self._main(todo, executor, out, concurrency, retries))
        self._notify("progress", self.progress())
        return self

    async def wait(self) -> results.CampaignFrame:
        """Wait for the run to end; the results (failed variants carry their reason)."""
        if self._future is not None:
            with contextlib.suppress(concurrent.futures.CancelledError, asyncio.CancelledError):
                await asyncio.wrap_future(self._future)
        await asyncio.to_thread(self._ended.wait, 30)  # a cancelled run marks its rows on the way out
        self._close_run()
        return self.results()

    def _close_run(self) -> None:
        """End the run's bookkeeping (idempotent): rows it left unfinished read cancelled."""
        if self._ended.is_set() and all(self.rows[i]["status"] in TERMINAL for i in self._todo):
            return
        for i in self._todo:
            if self.rows[i]["status"] not in TERMINAL:
                self._update(i, status="cancelled", error="cancelled")
        self._ended.set()
        self._notify("progress", self.progress())

    def cancel(self) -> None:
        """Stop: queued and running variants are marked cancelled (finished ones stay)."""
        if self._future is not None and not self._future.done():
            self._future.cancel()

    async def retry_failed(self, **overrides: Any) -> Campaign:
        """Run the failed and cancelled variants again (same executor unless overridden)."""
        again = [i for i, r in enumerate(self.rows) if r["status"] in ("failed", "cancelled")]
        return await self.run(**{**self._last_run, **overrides, "only": again})

    # --- the work (on nemo_nb's loop) ------------------------------------------------------------------
    async def _main(self, todo: list[int], executor: Any, out: str | None, concurrency: int | None,
                    retries: int) -> None:
        backend, base_url, token = self._backend_spec
        if not isinstance(backend, Backend):
            backend = await asyncio.to_thread(resolve, backend, base_url, token)
        client = NemoClient(backend.base_url, backend.token, env_token=backend.name == "cloud",
                            token_key=backend.token_key)
        try:
            try:
                bases = await self._prepare(client, todo)
            except Exception as exc:
                for i in todo:
                    self._update(i, status="failed", error=f"planning failed: {exc}")
                return
            if executor is None:
                await self._run_engine(client, bases, todo, concurrency or default_concurrency(), retries)
            else:
                await self._run_executor(bases, todo, executor, out, retries)
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()
            self._close_run()

    async def _prepare(self, client: NemoClient, todo: list[int]) -> dict[tuple[int, str, str], Base]:
        needed = {self.variants[i].base for i in todo}
        have = self._bases or {}
        missing = needed - set(have)
        if missing:
            have.update(await base_drafts(client, self._sets, self.directions, self.formats, missing))
        self._bases = have
        return have

    def _draft(self, i: int, bases: dict[tuple[int, str, str], Base]) -> tuple[Base, dict[str, Any]]:
        v = self.variants[i]
        base = bases[v.base]
        return base, apply_copy(base.draft, v.title, v.caption).to_json()

    async def _run_engine(self, client: NemoClient, bases: dict, todo: list[int], limit: int, retries: int) -> None:
        gate = asyncio.Semaphore(max(1, limit))
        self.out_dir.mkdir(parents=True, exist_ok=True)

        async def one(i: int) -> None:
            base, draft = self._draft(i, bases)
            async with gate:
                for attempt in range(retries + 1):
                    job_ids: list[str] = []
                    self._update(i, status="rendering", attempts=attempt + 1)
                    started = time.perf_counter()
                    try:
                        path = await render_on_engine(client, base, draft, self.quality,
                                                      self.out_dir / f"{self.rows[i]['variant']}.mp4",
                                                      lambda job, ids=job_ids: self._on_job(i, job, ids))
                    except asyncio.CancelledError:
                        for job_id in job_ids[:1]:
                            with contextlib.suppress(Exception):
                                await asyncio.shield(client.cancel_export(job_id))
                        raise
                    except Exception as exc:
                        if attempt == retries:
                            self._update(i, status="failed", error=_reason(exc))
                        continue
                    await self._finish(i, path, time.perf_counter() - started)
                    return

        await asyncio.gather(*(one(i) for i in todo))

    def _on_job(self, i: int, job: RenderJob, job_ids: list[str]) -> None:
        if job.id and job.id not in job_ids:
            job_ids.append(job.id)
        fraction = float((job.progress or {}).get("fraction") or 0.0)
        if fraction and abs(fraction - self.rows[i]["fraction"]) >= 0.05:
            self._update(i, fraction=fraction)

    async def _finish(self, i: int, path: Path, render_s: float, info: dict[str, Any] | None = None) -> None:
        """Record a finished MP4: its numbers (probed from the file unless given) and a poster."""
        from .task import poster

        if info is None:
            info = await asyncio.to_thread(_probe_info, path)
        jpeg = info.get("poster") or await asyncio.to_thread(poster, path, info["duration_s"] * POSTER_AT)
        self._update(i, status="done", error=None, fraction=1.0, path=str(path), poster=jpeg,
                     duration_s=round(float(info["duration_s"]), 3), width=int(info["width"]),
                     height=int(info["height"]), size_mb=round(Path(path).stat().st_size / 1e6, 3)
                     if Path(path).is_file() else round(info.get("size_bytes", 0) / 1e6, 3),
                     render_s=round(float(info.get("render_s", render_s)), 2))

    async def _run_executor(self, bases: dict, todo: list[int], executor: Any, out: str | None,
                            retries: int) -> None:
        executor, owned = await asyncio.to_thread(executors.resolve_executor, executor)
        try:
            shared = await asyncio.to_thread(executors.share_blobs, executor, executors.media_blobs(bases))
            self.out_dir.mkdir(parents=True, exist_ok=True)
            await asyncio.gather(*(self._one_task(i, bases, executor, shared, out, retries) for i in todo))
        finally:
            if owned:
                await asyncio.to_thread(executor.close)

    async def _one_task(self, i: int, bases: dict, executor: Any, shared: dict, out: str | None,
                        retries: int) -> None:
        base, draft = self._draft(i, bases)
        name = self.rows[i]["variant"]
        dask = executors.is_dask(executor)
        attempts = 1 if dask else retries + 1  # Dask retries by itself (retries=)
        for attempt in range(attempts):
            self._update(i, status="rendering", attempts=attempt + 1)
            future = await asyncio.to_thread(executors.submit, executor, shared, base, draft, name, self.quality,
                                             out, retries, attempt)
            try:
                info = await executors.finished(future)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    future.cancel()
                raise
            except Exception as exc:
                if attempt == attempts - 1:
                    self._update(i, status="failed", error=_reason(exc))
                continue
            await self._finish(i, await asyncio.to_thread(_land, info, self.out_dir, name), info["render_s"], info)
            return

    # --- display -------------------------------------------------------------------------------------
    def gallery(self) -> Any:
        """The gallery widget (one per campaign)."""
        if self._gallery is None:
            from ..notebook.gallery import GalleryWidget

            self._gallery = GalleryWidget(self)
        return self._gallery

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        return self.gallery()._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        p = self.progress()
        return (f"Campaign({len(self.rows)} variants: {len(self.directions)} directions × {len(self.formats)} formats"
                f" × {len(self.rows) // max(1, len(self.directions) * len(self.formats))} copy rows; "
                f"{p['done']} done, {p['failed']} failed)")

    @property
    def sync(self) -> _Blocking:
        """Blocking twins for scripts and magics: ``campaign.sync.run()`` runs to the end."""
        return _Blocking(self)


class _Blocking:
    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def run(self, executor: Any = None, **kwargs: Any) -> results.CampaignFrame:
        """Run to the end (blocking) and return the results."""
        c = self.campaign
        c.start(executor, **kwargs)
        if c._future is not None:
            with contextlib.suppress(concurrent.futures.CancelledError):
                c._future.result()
        c._ended.wait(30)
        c._close_run()
        return c.results()


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if type(exc).__name__ == "KilledWorker":
        return f"the worker rendering it died on every try ({text})"
    return text


def _probe_info(path: Path) -> dict[str, Any]:
    from ..render import probe

    info = probe(path)
    return {"duration_s": info.duration_ms / 1000.0, "width": info.width, "height": info.height}


def _land(info: dict[str, Any], out_dir: Path, name: str) -> Path:
    """Where the task's MP4 is now: written from its bytes into the campaign folder, or its location."""
    if "data" in info:
        path = out_dir / f"{name}.mp4"
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(info.pop("data"))
        tmp.replace(path)
        return path
    return Path(info["location"]) if "://" not in info["location"] else info["location"]
