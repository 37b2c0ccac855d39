"""Issue 14's small things, each on the real engine: where the video goes, labels, the real
signature of ``nemo_nb.connect``, ``with`` / ``async with``, one progress bar, a quiet CLI."""

from __future__ import annotations

import asyncio
import inspect
import io
from pathlib import Path

import av
import pytest

import nemo_nb
from nemo_nb import demo
from nemo_nb.backend import resolve
from nemo_nb.notebook import events as ev
from nemo_nb.notebook.echo import Echo
from nemo_nb.notebook.studio import Studio


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(container.streams.video[0]))


@pytest.mark.slow
def test_export_writes_where_asked_and_says_the_full_path(engine_url: str, photos: list[Path], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    with nemo_nb.connect(base_url=engine_url, echo=False) as studio:
        studio.sync.upload(*photos[:2])
        studio.sync.ask("turn these photos into a 2-second video")
        result = studio.sync.export("preview", out="promo.mp4", echo=True)  # relative to the cwd, as a user means it
        assert result.path == tmp_path / "promo.mp4" and result.path.is_absolute() and _frames(result.path) > 24
        assert str(result.path) in repr(result) and str(result.path) in result._repr_html_()
        assert f"Exported {result.path}:" in capsys.readouterr().out
        folder = tmp_path / "videos"
        folder.mkdir()
        again = asyncio.run(studio.export("preview", out=folder))
        assert again.path.parent == folder and again.path.name == f"{again.id}.mp4" and again.path.is_file()
        copy = again.save(tmp_path / "copy.mp4")
        assert copy.read_bytes() == again.path.read_bytes()
        with pytest.raises(nemo_nb.client.NemoError, match=r"not an \.mp4 file name"):
            studio.sync.export("preview", out="promo.mov")


def test_connect_shows_its_real_signature() -> None:
    params = inspect.signature(nemo_nb.connect).parameters
    assert list(params)[:4] == ["backend", "base_url", "token", "language"]
    assert "echo" in params and "rate_limit_wait" in params
    assert "NEMO_TOKEN" in (nemo_nb.connect.__doc__ or "")


def test_a_studio_works_with_with_and_async_with(engine_url: str) -> None:
    with nemo_nb.connect(base_url=engine_url, echo=False) as studio:
        assert studio.sync.credits().loc[0, "available"] > 0
    with pytest.raises(RuntimeError, match="closed"):
        studio.sync.credits()

    async def cell() -> Studio:
        async with Studio(resolve(base_url=engine_url), echo=False) as s:
            await s.open()
            assert not (await s.credits()).empty
        return s

    closed = asyncio.run(cell())
    with pytest.raises(RuntimeError, match="closed"):
        closed.sync.timeline()


def test_backend_labels_have_one_level_of_brackets() -> None:
    local = resolve(base_url="http://127.0.0.1:9")
    cloud = resolve("cloud", base_url="https://mega-api-prod.nemovideo.ai")
    assert local.label == "embedded engine at http://127.0.0.1:9"
    assert cloud.label == "NemoVideo cloud at https://mega-api-prod.nemovideo.ai"
    assert "((" not in f"({local.label})" and "))" not in f"({local.label})"


def test_render_progress_is_one_updating_bar() -> None:
    out = io.StringIO()
    echo = Echo(out)
    bars = set()
    for fraction in (0.0, 0.25, 0.5, 0.75, 0.9):
        echo(ev.RenderChanged({"state": "running", "id": "render_1", "fraction": fraction, "eta_s": 3}))
        bars.add(id(echo.bar._bar))
    assert len(bars) == 1, "one bar, updated in place"
    echo(ev.RenderChanged({"state": "completed", "id": "render_1", "path": "/tmp/render_1.mp4", "duration_s": 2.0,
                           "width": 960, "height": 540, "size_bytes": 1_000_000}))
    text = out.getvalue()
    assert "\r" in text and text.count("Rendering") >= 2  # redrawn on one line
    lines = [line.split("\r")[-1] for line in text.split("\n") if line.strip()]  # what a terminal shows
    assert [line for line in lines if line.startswith("Exported")] == ["Exported /tmp/render_1.mp4: 2 s, 960×540, 1.0 MB"]
    assert echo.bar._bar is None


@pytest.mark.slow
def test_the_cli_prints_no_tool_names_nor_blank_lines(engine_url: str, photos: list[Path], tmp_path: Path) -> None:
    out = io.StringIO()
    path = asyncio.run(demo.make_video(photos[:2], "turn these photos into a 2-second video with music",
                                       tmp_path / "v.mp4", quality="preview", base_url=engine_url, stream=out))
    text = out.getvalue()
    assert path.is_file() and "Saved" in text
    assert "[" not in text.replace("[#", "").replace("rendering [", ""), text
    assert "\n\n" not in text and not text.startswith("\n"), text
    assert f"Setting things up... (embedded engine at {engine_url})" in text
