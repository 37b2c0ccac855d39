"""The 12-variant campaign on a real dask.distributed LocalCluster (2 worker processes), one worker
killed mid-campaign: every variant still completes, with the sizes and lengths of the local engine's
renders and the same pictures (SSIM ≥ 0.99 against a render of the same draft in this process)."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from nemo_nb import Campaign
from nemo_nb.campaign.spec import apply_copy
from nemo_nb.render import render
from tests._support.video import frame_count, luma_frames, ssim
from tests.test_campaign import COPY, DIRECTIONS, FORMATS, SIZES

distributed = pytest.importorskip("distributed")


@pytest.fixture
def dask_client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=40)
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _kill_one_worker_when_rendering(client: Any, campaign: Campaign) -> list[int]:
    """SIGKILL one worker process as soon as the first variant finishes (others are mid-render)."""
    killed: list[int] = []
    fired = threading.Event()

    def listener(kind: str, data: Any) -> None:
        if kind == "row" and campaign.rows[data]["status"] == "done" and not fired.is_set():
            fired.set()
            pids = client.run(os.getpid)
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    campaign.subscribe(lambda kind, data: threading.Thread(target=listener, args=(kind, data)).start())
    return killed


@pytest.mark.slow
def test_campaign_on_a_local_cluster_survives_a_killed_worker(photos: list[Path], make_engine: Callable[..., Any],
                                                              dask_client: Any, tmp_path: Path) -> None:
    engine = make_engine()
    campaign = Campaign(photos[:3], DIRECTIONS, FORMATS, COPY, title="product", caption="{price} today",
                        base_url=engine.url, out_dir=tmp_path / "renders")
    killed = _kill_one_worker_when_rendering(dask_client, campaign)

    async def go() -> pd.DataFrame:
        await campaign.run(executor=dask_client, retries=3)
        return await campaign.wait()

    table = asyncio.run(go())
    assert killed, "no worker was killed: the test did not test anything"
    assert list(table["status"]) == ["done"] * 12, table[["variant", "status", "error"]]
    for row in table.itertuples():
        assert (row.width, row.height) == SIZES[row.format]
        assert row.duration_s == pytest.approx(3.0, abs=0.05) and frame_count(row.path) == 90
    # The same draft rendered here (the local path's renderer) gives the same pictures.
    for i in (0, 3, 10):  # one variant per format
        base = campaign._bases[campaign.variants[i].base]  # type: ignore[index]
        v = campaign.variants[i]
        here = render(apply_copy(base.draft, v.title, v.caption), {k: str(p) for k, p in base.media.items()},
                      tmp_path / f"local{i}.mp4", quality="preview")
        a, b = luma_frames(here.path, range(0, 90, 15)), luma_frames(table.iloc[i]["path"], range(0, 90, 15))
        assert min(ssim(a[k], b[k]) for k in a) >= 0.99
