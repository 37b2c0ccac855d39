"""Variants through the engine's job queue (the default): post each variant's draft as a render job
in the session holding its photos, follow it, download the MP4. The engine bounds how many render
at once (its render workers); the campaign bounds how many it keeps queued (cores and memory)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..client import NemoClient, RenderJob
from .prepare import Base

#: Peak memory one concurrent preview render may take (measured ~250 MB at 1080p export, less at 540p).
RENDER_BYTES = 400 << 20


def default_concurrency() -> int:
    """Variants in flight: one per core, fewer when memory is short (at least one)."""
    cores = os.cpu_count() or 1
    try:
        avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return cores
    return max(1, min(cores, avail // RENDER_BYTES))


async def render_on_engine(client: NemoClient, base: Base, draft: dict[str, Any], quality: str, dest: Path,
                           on_job: Callable[[RenderJob], None]) -> Path:
    """Render ``draft`` as a job of ``base``'s session and download it to ``dest``."""
    job = await client.start_export(base.session_id, draft, quality=quality)
    on_job(job)
    done = await client.wait_render(job.id, on_job)
    return await client.save_render(done, dest)
