"""Variants on any ``concurrent.futures.Executor`` or a Dask cluster: one variant, one task.

Dask is optional and imported only when a ``distributed.Client`` (or a scheduler address) is given.
On Dask the photos are scattered once and each task gets references to them; the scheduler retries
a task whose worker died (``retries=``). Other executors get the bytes with each task and the
campaign resubmits a failed task itself. Completion is followed through the futures' callbacks.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path
from typing import Any

from .prepare import Base
from .task import render_variant


def is_dask(executor: Any) -> bool:
    return type(executor).__module__.split(".")[0] == "distributed" and hasattr(executor, "scatter")


def resolve_executor(executor: Any) -> tuple[Any, bool]:
    """``(executor, owned)``: a scheduler address becomes a Dask client the campaign closes."""
    if isinstance(executor, str):
        try:
            from distributed import Client
        except ImportError:
            raise RuntimeError("A scheduler address needs Dask: pip install 'nemo_nb[dask]'") from None
        return Client(executor), True
    if executor is None or is_dask(executor) or isinstance(executor, concurrent.futures.Executor):
        return executor, False
    raise TypeError(f"executor must be a concurrent.futures.Executor, a dask.distributed.Client or a scheduler "
                    f"address, not {type(executor).__name__}")


def media_blobs(bases: dict[Any, Base]) -> dict[str, tuple[str, bytes]]:
    """Every photo the bases use, read once: media id → (file name, bytes)."""
    out: dict[str, tuple[str, bytes]] = {}
    for base in bases.values():
        for media_id, path in base.media.items():
            if media_id not in out:
                out[media_id] = (Path(path).name, Path(path).read_bytes())
    return out


def share_blobs(executor: Any, blobs: dict[str, tuple[str, bytes]]) -> dict[str, Any]:
    """On Dask, one scattered future per photo (sent to the cluster once); elsewhere the bytes."""
    if not is_dask(executor):
        return blobs
    keys = list(blobs)
    futures = executor.scatter([blobs[k] for k in keys], hash=True)
    return dict(zip(keys, futures, strict=True))


def submit(executor: Any, shared: dict[str, Any], base: Base, draft: dict[str, Any], name: str, quality: str,
           out: str | None, retries: int, attempt: int = 0) -> Any:
    mine = {k: shared[k] for k in base.media}
    if is_dask(executor):
        return executor.submit(render_variant, draft, mine, name, quality, out, retries=retries, pure=False,
                               key=f"nemo-variant-{name}-{attempt}-{id(draft):x}")
    return executor.submit(render_variant, draft, mine, name, quality, out)


async def finished(future: Any) -> Any:
    """Await any future with ``add_done_callback`` (concurrent.futures or Dask) and return its result."""
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    future.add_done_callback(lambda _f: loop.call_soon_threadsafe(done.set))
    await done.wait()
    return await asyncio.to_thread(future.result)
