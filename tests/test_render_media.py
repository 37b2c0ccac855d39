"""Probing and decoding every test sample (tests/data): photos and formats decode right, bad files are refused."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from nemo_nb.render import MediaError, probe, thumbnail
from nemo_nb.render.media import decode_photo, gif_frames


def _files(samples: Path, sub: str) -> list[Path]:
    return sorted(p for p in (samples / sub).iterdir() if p.is_file())


def test_every_photo_and_format_probes_and_decodes(samples: Path) -> None:
    for path in _files(samples, "photos") + _files(samples, "formats"):
        info = probe(path)
        assert info.kind == "photo", path.name
        assert info.width > 0 and info.height > 0
        rgb = decode_photo(path, 320, 180)
        assert rgb.dtype == np.uint8 and rgb.ndim == 3 and rgb.shape[2] == 3, path.name
        # Upright and in proportion: the decoded aspect matches the probed (display) aspect.
        assert abs(rgb.shape[1] / rgb.shape[0] - info.width / info.height) < 0.02, path.name
        # Scaled down to what is needed, never up, and not a flat image.
        assert min(rgb.shape[:2]) <= max(320, 180) * 1.2 or min(info.width, info.height) <= 400
        assert float(rgb.std()) > 10, path.name


def test_header_probe_matches_the_verifying_probe(samples: Path, tmp_path: Path) -> None:
    """``verify=False`` (the renderer's probe) reports the same facts, and still refuses a JPEG cut
    short, by its missing end marker, without decoding it."""
    for path in _files(samples, "photos") + _files(samples, "formats"):
        assert probe(path, verify=False) == probe(path), path.name
    with pytest.raises(MediaError, match=r"truncated_60pct\.jpg.*truncated"):
        probe(samples / "bad" / "truncated_60pct.jpg", verify=False)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes((samples / "photos" / "rocket_big_6000x4000.jpg").read_bytes()[:-5000])
    with pytest.raises(MediaError, match=r"cut\.jpg"):
        probe(cut, verify=False)


def test_jpeg_draft_decodes_at_needed_size(samples: Path) -> None:
    path = samples / "photos" / "rocket_big_6000x4000.jpg"
    rgb = decode_photo(path, 1920, 1080)
    assert rgb.shape[:2] == (1280, 1920)


def test_exif_orientation_6_is_upright(samples: Path) -> None:
    path = samples / "formats" / "exif_orientation_6_rotate90.jpg"  # stored 2016x1512, shows 1512x2016
    info = probe(path)
    assert (info.width, info.height) == (1512, 2016)
    rgb = decode_photo(path, 300, 400)
    assert rgb.shape[0] > rgb.shape[1]
    upright = decode_photo(samples / "photos" / "astronaut_vertical.jpg", 300, 400)
    small = np.asarray(__import__("cv2").resize(rgb, (upright.shape[1], upright.shape[0])), np.float32)
    assert float(np.abs(small - upright.astype(np.float32)).mean()) < 20  # same picture, same way up


def test_alpha_cmyk_16bit_heic_gif(samples: Path) -> None:
    fmt = samples / "formats"
    rgba = decode_photo(fmt / "coffee_rgba_transparent.png", 600, 400)
    assert rgba[0, 0].tolist() == [0, 0, 0]  # transparent corner flattened onto black
    pal = decode_photo(fmt / "coffee_palette_trns.png", 300, 200)
    assert pal.shape == (200, 300, 3)
    cmyk = decode_photo(fmt / "rocket_big_cmyk.jpg", 400, 267).astype(np.float32)
    ref = decode_photo(samples / "photos" / "rocket_big_6000x4000.jpg", 400, 267).astype(np.float32)
    ref = np.asarray(__import__("cv2").resize(ref, (cmyk.shape[1], cmyk.shape[0])))
    assert float(np.abs(cmyk.mean(axis=(0, 1)) - ref.mean(axis=(0, 1))).max()) < 25  # not inverted
    gray16 = decode_photo(fmt / "rocket_gray16.png", 640, 427)
    assert int(gray16.min()) > 0 or int(gray16.max()) < 255  # scaled to 8 bits, not clipped to white
    assert float(gray16.std()) > 20
    heic = decode_photo(fmt / "navy_t45a_goshawk_1200.heic", 640, 480)
    assert heic.shape[1] >= 640
    frames, durations = gif_frames(fmt / "animated_3_frames.gif", 400, 300)
    assert len(frames) == 3 and durations == [0.7, 0.7, 0.7]
    assert float(np.abs(frames[0].astype(int) - frames[1].astype(int)).mean()) > 10
    assert probe(fmt / "animated_3_frames.gif").frames == 3


def test_every_bad_file_is_refused_quickly_naming_it(samples: Path) -> None:
    proc = psutil.Process()
    for path in _files(samples, "bad"):
        before = proc.memory_info().rss
        start = time.perf_counter()
        with pytest.raises(MediaError) as err:
            probe(path)
        assert time.perf_counter() - start < 1.0, path.name
        assert proc.memory_info().rss - before < 100 * 2**20, path.name  # no giant buffer
        assert path.name in str(err.value) and err.value.code == 4001
        assert err.value.path == str(path)
        assert "." in str(err.value).split(":", 1)[1]  # says what is wrong and what to do
        with pytest.raises(MediaError):
            decode_photo(path, 320, 180)


def test_audio_files_probe(samples: Path) -> None:
    for path in _files(samples, "audio"):
        info = probe(path)
        assert info.kind == "audio" and info.has_audio and info.duration_ms > 400, path.name


def test_thumbnail_is_jpeg_within_bounds(samples: Path) -> None:
    from io import BytesIO

    from PIL import Image

    for path in (samples / "photos" / "coffee_cup_dark_1800.jpg", samples / "audio" / "sfx_target_cc0.ogg"):
        data = thumbnail(path, (320, 180))
        assert data[:3] == b"\xff\xd8\xff"
        img = Image.open(BytesIO(data))
        assert img.width <= 320 and img.height <= 180
