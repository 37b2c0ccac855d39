"""The render result in a notebook output: light by default, a real player when small or asked."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from nemo_nb.notebook import display
from nemo_nb.notebook.display import RenderResult


def make_mp4(path: Path, seconds: float = 1.0, size: tuple[int, int] = (64, 48), fps: int = 10) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i in range(int(seconds * fps)):
            img = np.full((size[1], size[0], 3), (200, 30 + i, 30), dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture
def result(tmp_path: Path) -> RenderResult:
    path = make_mp4(tmp_path / "render_1.mp4")
    return RenderResult.from_file("render_1", path, url="http://127.0.0.1:9/files/render_1.mp4", backend="local")


def test_facts_come_from_the_file(result: RenderResult) -> None:
    assert (result.width, result.height) == (64, 48)
    assert result.duration_s == pytest.approx(1.0, abs=0.15)
    assert result.size_bytes == result.path.stat().st_size
    assert "64x48" in repr(result) and "render_1" in repr(result)


def test_a_small_video_is_embedded_as_a_player(result: RenderResult) -> None:
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert '<video controls' in bundle["text/html"] and "data:video/mp4;base64," in bundle["text/html"]
    assert " muted" in bundle["text/html"]  # no audio track: muted so it may autoplay


def test_a_big_video_shows_a_poster_and_a_link_not_the_bytes(result: RenderResult,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display, "EMBED_LIMIT_BYTES", 100)
    html = result._repr_html_()
    assert "data:video/mp4" not in html
    assert "data:image/jpeg;base64," in html
    # The local engine's loopback URL means nothing to a browser on another machine (remote Jupyter):
    # no link to it; a backend URL any browser can open (the cloud's) is linked.
    assert "127.0.0.1" not in html and "href=" not in html
    cloud = RenderResult(**{**result.__dict__, "url": "https://cdn.example.com/render_1.mp4"})._repr_html_()
    assert cloud.count('href="https://cdn.example.com/render_1.mp4"') == 2
    assert "show(embed=True)" in html
    assert len(html) < 100_000
    forced = result.show(embed=True)._repr_html_()
    assert "data:video/mp4;base64," in forced
    small = result.show(embed=False)._repr_html_()
    assert "data:video/mp4" not in small


def test_the_poster_is_a_decodable_jpeg_frame(result: RenderResult, tmp_path: Path) -> None:
    poster = result.poster()
    assert poster[:3] == b"\xff\xd8\xff"
    from io import BytesIO

    from PIL import Image

    img = Image.open(BytesIO(poster))
    assert img.width == display.POSTER_WIDTH
    r, _g, b = img.convert("RGB").getpixel((10, 10))
    assert r > 150 and b < 90


def test_save_copies_the_mp4(result: RenderResult, tmp_path: Path) -> None:
    dest = result.save(tmp_path / "out")
    assert dest == tmp_path / "out"
    (tmp_path / "folder").mkdir()
    dest2 = result.save(tmp_path / "folder")
    assert dest2.name == "render_1.mp4" and dest2.read_bytes() == result.path.read_bytes()
