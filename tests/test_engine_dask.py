"""``nemo-nb serve --dask ADDRESS``: the engine's own render jobs run as tasks on a real Dask cluster
(a LocalCluster with one worker process), through the public protocol, and the MP4 comes back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nemo_nb.cli import build_parser
from nemo_nb.client import NemoClient
from nemo_nb.engine.dask_jobs import render_job
from tests._support.video import frame_count
from tests.test_engine_render import photo_draft

distributed = pytest.importorskip("distributed")


def test_serve_takes_a_dask_address() -> None:
    args = build_parser().parse_args(["serve", "--dask", "tcp://10.0.0.5:8786"])
    assert args.dask == "tcp://10.0.0.5:8786"


@pytest.mark.slow
def test_engine_hands_its_render_jobs_to_the_cluster(photos: list[Path], make_engine: Callable[..., Any],
                                                     tmp_path: Path) -> None:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        engine = make_engine(dask_address=cluster.scheduler_address)

        async def go() -> Path:
            async with NemoClient(engine.url, env_token=False) as api:
                sid = (await api.create_session()).session_id
                await api.upload(sid, *photos[:2])
                await api.reply(sid, "a 2-second slideshow with calm music")
                job = await api.export(sid, quality="preview")
                return await api.download(job.url or "", tmp_path / "out.mp4")

        out = asyncio.run(go())
        assert frame_count(out) == 60
        prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        assert "render_job" in prefixes  # the render ran on the cluster, not in a local worker process

        # A worker checks the media again: a path in the spec is refused there, never opened.
        draft = photo_draft([{"id": str(photos[0]), "name": "x.jpg"}], 1.0)
        answer = client.submit(render_job, draft, {}, "preview", pure=False).result(timeout=60)
        assert "data" not in answer and "never a path" in answer["error"] and str(photos[0]) in answer["error"]
