"""Campaigns end to end on a real embedded engine: 2 directions × 3 formats × 2 copy rows = 12 variants
through the public API, rendered at preview quality, decoded, picked and handed over with a manifest."""

from __future__ import annotations

import asyncio
import csv
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import pandas as pd
import pytest

from nemo_nb import Campaign
from nemo_nb.campaign import CampaignError
from nemo_nb.campaign.spec import apply_copy, expand
from nemo_nb.draft import Draft

DIRECTIONS = {
    "calm": "a 3-second slideshow with calm music",
    "upbeat": "a 3-second slideshow with upbeat music and no transitions",
}
FORMATS = ["16:9", "9:16", "1:1"]
COPY = pd.DataFrame({"product": ["Cold brew", "Espresso"], "price": ["$4", "$3"]})
SIZES = {"16:9": (960, 540), "9:16": (540, 960), "1:1": (540, 540)}


def _frames(path: str | Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


def make_campaign(photos: list[Path], engine_url: str, **kw: Any) -> Campaign:
    return Campaign(photos[:3], DIRECTIONS, FORMATS, COPY, title="product", caption="{price} today",
                    base_url=engine_url, **kw)


@pytest.fixture
def engine_url2(make_engine: Callable[..., Any]) -> str:
    return make_engine(render_workers=2).url


@pytest.mark.slow
def test_twelve_variants_render_pick_three_and_hand_over(photos: list[Path], engine_url2: str,
                                                         tmp_path: Path) -> None:
    campaign = make_campaign(photos, engine_url2, out_dir=tmp_path / "renders")
    seen: list[str] = []
    campaign.subscribe(lambda kind, data: seen.append(campaign.rows[data]["status"]) if kind == "row" else None)

    async def go() -> pd.DataFrame:
        started = await campaign.run()
        assert started is campaign and campaign.running  # returned before the renders finished
        return await campaign.wait()

    table = asyncio.run(go())
    assert len(table) == 12 and list(table["status"]) == ["done"] * 12, table[["variant", "error"]]
    assert seen.count("done") == 12 and "rendering" in seen  # cards filled in one by one
    for row in table.itertuples():
        assert (row.width, row.height) == SIZES[row.format]
        assert row.duration_s == pytest.approx(3.0, abs=0.05)
        assert _frames(row.path) == 90 and row.size_mb > 0 and row.poster[:2] == b"\xff\xd8"
    assert set(table["title"]) == {"Cold brew", "Espresso"} and set(table["caption"]) == {"$4 today", "$3 today"}
    # Different copy, different pictures: the two rows' posters of one direction × format differ.
    first = table[(table.direction == "calm") & (table.format == "1:1")]
    assert first.iloc[0]["poster"] != first.iloc[1]["poster"]

    campaign.pick("calm-16x9-r1", "upbeat-9x16-r2", 4)
    out = campaign.to_folder(tmp_path / "handover")
    files = sorted(p.name for p in out.iterdir())
    assert files == sorted(["calm-16x9-r1.mp4", "upbeat-9x16-r2.mp4", "calm-1x1-r1.mp4", "manifest.csv"])
    with open(out / "manifest.csv", newline="") as fh:
        manifest = list(csv.DictReader(fh))
    assert {m["file"] for m in manifest} == set(files) - {"manifest.csv"}
    by_file = {m["file"]: m for m in manifest}
    assert by_file["upbeat-9x16-r2.mp4"]["product"] == "Espresso"
    assert by_file["upbeat-9x16-r2.mp4"]["width"] == "540" and by_file["calm-16x9-r1.mp4"]["format"] == "16:9"
    zipped = campaign.to_zip(tmp_path / "handover.zip")
    assert sorted(zipfile.ZipFile(zipped).namelist()) == files

    gallery = campaign.gallery()
    assert [c["status"] for c in gallery.cards] == ["done"] * 12 and all(c["has_poster"] for c in gallery.cards)
    assert gallery.summary["done"] == 12 and sorted(gallery.picked) == sorted(campaign.picked)
    gallery.picked = ["calm-1x1-r2"]  # a tick in the browser is a pick in the kernel
    assert campaign.picked == {"calm-1x1-r2"}


def test_copy_templates_and_bad_briefs_say_what_to_change(photos: list[Path], tmp_path: Path) -> None:
    variants = expand(DIRECTIONS, FORMATS, COPY, title="product", caption="{product} for {price}")
    assert len(variants) == 12 and variants[0].title == "Cold brew" and variants[1].caption == "Espresso for $3"
    with pytest.raises(CampaignError, match="lacks"):
        expand(DIRECTIONS, FORMATS, COPY, caption="{cta}")
    with pytest.raises(CampaignError, match="no rows"):
        expand(DIRECTIONS, FORMATS, COPY.iloc[0:0])
    with pytest.raises(CampaignError, match="no such file"):
        Campaign([tmp_path / "missing.jpg"], DIRECTIONS, FORMATS)
    base = {"m": {"aspect": "1:1"}, "t": [{"tt": 0, "sg": [{"d": 4000, "m": {"type": "photo", "src": "a"}}]},
                                          {"tt": 7, "m": {"role": "title"}, "sg": [{"d": 1000, "s": 0,
                                           "m": {"type": "text", "role": "title", "text": "Old"}}]}]}
    out = apply_copy(base, "New", "Only $3")
    texts = [(t.role, t.segments[0].text, t.segments[0].start_ms, t.segments[0].duration_ms) for t in out.tracks[1:]]
    assert texts == [("title", "New", 0, 2000), ("caption", "Only $3", 2000, 2000)]
    assert Draft.from_json(base).tracks[1].segments[0].text == "Old"  # the base draft is left as it was


def test_a_failing_variant_is_failed_with_its_reason_after_its_retries(
        photos: list[Path], engine_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nemo_nb.campaign import campaign as module

    # A draft naming media the session does not have: the engine fails the job, every time.
    bad = {"t": [{"tt": 0, "sg": [{"d": 1000, "m": {"type": "photo", "src": "no-such-media"}}]}]}
    monkeypatch.setattr(module, "apply_copy", lambda draft, title, caption: Draft.from_json(bad))
    campaign = Campaign(photos[:1], {"x": "a 2-second slideshow"}, ["1:1"], base_url=engine_url, out_dir=tmp_path)

    async def go() -> pd.DataFrame:
        await campaign.run(retries=1)
        return await campaign.wait()

    row = asyncio.run(go()).iloc[0]
    assert row["status"] == "failed" and "no-such-media" in row["error"], row["error"]
    assert campaign.rows[0]["attempts"] == 2


def test_the_campaign_magic_runs_a_small_spec_and_explains_bad_ones(photos: list[Path], engine_url: str,
                                                                     tmp_path: Path) -> None:
    from IPython.core.error import UsageError
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryAccessor.enabled = False
    ip = InteractiveShell.instance(config=config)
    try:
        ip.run_cell("%load_ext nemo_nb", store_history=False)
        ip.run_cell(f"%config NemoMagics.base_url = {engine_url!r}", store_history=False)
        ip.user_ns["copy"] = COPY.iloc[:1]
        result = ip.run_cell(f'%nemo campaign --photos "{photos[0]}" --direction "calm=a 2-second slideshow" '
                             '--format 1:1 --copy copy --title product --wait --out camp', store_history=False)
        assert result.error_in_exec is None, result.error_in_exec
        table = result.result
        assert list(table["status"]) == ["done"] and table.iloc[0]["product"] == "Cold brew"
        assert ip.user_ns["camp"].rows[0]["status"] == "done"
        bad = ip.run_cell('%nemo campaign --photos "nothing/*.jpg" --direction x', store_history=False)
        assert isinstance(bad.error_in_exec, UsageError) and "No file matches" in str(bad.error_in_exec)
    finally:
        InteractiveShell.clear_instance()


def test_cancel_then_retry_and_files_written_to_an_fsspec_url(photos: list[Path], make_engine: Callable[..., Any],
                                                               tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    engine = make_engine(render_workers=1)
    campaign = Campaign(photos[:1], {"calm": "a 2-second slideshow"}, ["16:9", "9:16", "1:1"],
                        base_url=engine.url, out_dir=tmp_path / "renders")
    campaign.subscribe(lambda kind, data: campaign.cancel()
                       if kind == "row" and campaign.rows[data]["status"] == "done" else None)

    async def first() -> pd.DataFrame:
        await campaign.run(concurrency=1)
        return await campaign.wait()

    table = asyncio.run(first())
    assert list(table["status"]) == ["done", "cancelled", "cancelled"], table[["variant", "status"]]
    campaign._listeners.clear()

    async def again() -> pd.DataFrame:  # the cancelled ones, now on an executor writing to an fsspec URL
        with ThreadPoolExecutor(2) as pool:
            await campaign.retry_failed(executor=pool, out="memory://nemo-test/campaign")
            return await campaign.wait()

    table = asyncio.run(again())
    assert list(table["status"]) == ["done"] * 3, table[["variant", "error"]]
    assert table.iloc[1]["path"] == "memory://nemo-test/campaign/calm-9x16.mp4"
    out = campaign.to_folder(tmp_path / "all")  # nothing picked: every finished variant
    assert sorted(p.name for p in out.iterdir()) == ["calm-16x9.mp4", "calm-1x1.mp4", "calm-9x16.mp4",
                                                      "manifest.csv"]
    assert _frames(out / "calm-9x16.mp4") == 60


def test_nothing_in_the_default_path_imports_dask() -> None:
    import subprocess
    import sys

    code = ("import sys, nemo_nb; from nemo_nb import Campaign; import nemo_nb.notebook.gallery, nemo_nb.engine.jobs, "
            "nemo_nb.render.chunked, nemo_nb.cli; print(sorted(m for m in ('dask', 'distributed', 'fsspec') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
