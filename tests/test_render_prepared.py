"""Prepared photos: a preview stores each photo once, later previews read it back, bad entries are redone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from nemo_nb.render import build_plan, compose, encode, frame_at, prepared, render


def _draft(n: int, **seg: object) -> dict:
    meta = {"type": "photo", "motion": "auto", **seg}
    return {"m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30},
            "t": [{"tt": 0, "sg": [{"d": 1000, "m": {**meta, "src": f"p{i}"}} for i in range(n)]}]}


@pytest.fixture
def media(samples: Path, tmp_path: Path) -> dict[str, str]:
    names = ["rocket_big_6000x4000.jpg", "navy_t45a_goshawk_in_flight.jpg"]
    out = {}
    for i, name in enumerate(names):
        dst = tmp_path / f"photo{i}.jpg"
        shutil.copy(samples / "photos" / name, dst)
        out[f"p{i}"] = str(dst)
    return out


def _entries() -> list[Path]:
    folder = prepared.store_dir()
    return sorted(folder.glob("*.i420")) if folder.is_dir() else []


def _frames(draft: dict, media: dict[str, str], quality: str = "preview") -> list[np.ndarray]:
    plan = build_plan(draft, media, quality)
    return [frame_at(plan, t) for t in (0.2, 0.7, 1.5)]


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the photo was decoded again")

    monkeypatch.setattr(compose, "decode_photo", refuse)
    monkeypatch.setattr(compose, "find_subject", refuse)


def test_a_second_preview_reads_the_prepared_photos(media: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    first = _frames(_draft(2), media)
    assert len(_entries()) == 2
    assert prepared.store_dir().stat().st_mode & 0o077 == 0  # private, like the photos themselves
    _no_decoding(monkeypatch)
    again = _frames(_draft(2), media)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    changed = _draft(2, transition={"type": "slide_left", "d": 400})
    changed["t"].append({"tt": 7, "sg": [{"d": 1500, "s": 0, "m": {"type": "text", "text": "Summer Sale"}}]})
    result = render(changed, media, tmp_path / "again.mp4", quality="preview")
    assert result.frames == 60 and result.width == 960


def test_exports_decode_the_original(media: dict[str, str]) -> None:
    _frames(_draft(2), media, quality="high")
    assert _entries() == []


def test_a_damaged_entry_is_ignored_and_rewritten(media: dict[str, str]) -> None:
    reference = _frames(_draft(1), media)
    (entry,) = _entries()
    good = entry.read_bytes()
    flipped = bytearray(good)
    flipped[-5000] ^= 0xFF  # one pixel of the planes: caught by the checksum
    for damage in (good[: len(good) // 2], b"garbage", good[:8] + b"{not json\n" + good[40:], b"", bytes(flipped)):
        entry.write_bytes(damage)
        assert all(np.array_equal(a, b) for a, b in zip(reference, _frames(_draft(1), media), strict=True))
        assert entry.read_bytes() == good


def test_a_changed_file_is_prepared_again(media: dict[str, str], samples: Path) -> None:
    before = _frames(_draft(1), media)
    shutil.copy(samples / "photos" / "coffee_cup_dark_1800.jpg", media["p0"])  # same path, new photo
    after = _frames(_draft(1), media)
    assert not np.array_equal(before[0], after[0])
    assert len(_entries()) == 2
    prepared_dir = prepared.store_dir()
    shutil.rmtree(prepared_dir)
    assert all(np.array_equal(a, b) for a, b in zip(after, _frames(_draft(1), media), strict=True))


def test_another_size_or_fit_is_another_entry(media: dict[str, str]) -> None:
    _frames(_draft(1), media)
    _frames(_draft(1, fit="blur"), media)
    vertical = _draft(1)
    vertical["m"].update(aspect="9:16", w=1080, h=1920)
    _frames(vertical, media)
    assert len(_entries()) == 3


def test_an_unwritable_store_only_costs_speed(media: dict[str, str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("NEMO_NB_CACHE_DIR", str(blocker))
    frames = _frames(_draft(1), media)
    assert frames[0].shape == (540, 960, 3)
    assert blocker.read_text().startswith("a file")


def test_the_store_keeps_the_most_recently_used_within_its_budget(tmp_path: Path) -> None:
    planes = (np.zeros((4, 4), np.uint8), np.zeros((2, 2), np.uint8), np.zeros((2, 2), np.uint8))
    for i in range(5):
        prepared.save(f"k{i}", planes, (0.5, 0.5, "center"))
        os.utime(prepared.store_dir() / f"k{i}.i420", (1000 + i, 1000 + i))
    assert prepared.load("k0") is not None  # used now: the newest
    size = (prepared.store_dir() / "k0.i420").stat().st_size
    prepared._evict(prepared.store_dir(), budget=3 * size)
    left = sorted(p.stem for p in _entries())
    assert left == ["k0", "k3", "k4"]
    loaded = prepared.load("k4")
    assert loaded is not None and loaded[1] == (0.5, 0.5, "center")
    assert prepared.load("k1") is None


# --- soundtracks --------------------------------------------------------------------------------------

def _with_sound(draft: dict, **music: object) -> dict:
    seg = {"type": "music", "mood": "upbeat", "volume": 0.4, "seed": 3, **music}
    draft["t"].append({"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": 2000, "s": 0, "m": seg}]})
    return draft


def _sound(path: Path) -> np.ndarray:
    import av

    with av.open(str(path)) as container:
        return np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)


def _sounds() -> list[Path]:
    folder = prepared.store_dir()
    return sorted(folder.glob("*.aac")) if folder.is_dir() else []


def _no_mixing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the soundtrack was made again")

    monkeypatch.setattr(encode, "AudioMix", refuse)


def test_a_second_preview_reuses_the_soundtrack(media: dict[str, str], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first = render(_with_sound(_draft(2)), media, tmp_path / "a.mp4", quality="preview")
    assert first.has_audio and len(_sounds()) == 1
    _no_mixing(monkeypatch)
    changed = _with_sound(_draft(2, transition={"type": "wipe_left", "d": 300}))  # the picture changed
    render(changed, media, tmp_path / "b.mp4", quality="preview")
    a, b = _sound(tmp_path / "a.mp4"), _sound(tmp_path / "b.mp4")
    assert a.shape == b.shape and np.array_equal(a, b) and np.abs(a).max() > 0.05


def test_a_changed_soundtrack_is_made_again(media: dict[str, str], tmp_path: Path, samples: Path) -> None:
    render(_with_sound(_draft(2)), media, tmp_path / "a.mp4", quality="preview")
    render(_with_sound(_draft(2), volume=0.8), media, tmp_path / "b.mp4", quality="preview")
    assert len(_sounds()) == 2
    louder, quieter = _sound(tmp_path / "b.mp4"), _sound(tmp_path / "a.mp4")
    assert np.sqrt((louder**2).mean()) > 1.5 * np.sqrt((quieter**2).mean())
    # A user's track: the same path with other contents is another soundtrack.
    track = tmp_path / "track.wav"
    shutil.copy(sorted((samples / "audio").glob("*.wav"))[0], track)
    draft = _draft(2)
    draft["t"].append({"tt": 1, "sg": [{"d": 2000, "s": 0, "m": {"type": "audio", "src": "song"}}]})
    render(draft, {**media, "song": str(track)}, tmp_path / "c.mp4", quality="preview")
    shutil.copy(sorted((samples / "audio").glob("*.mp3"))[0], track.with_suffix(".mp3"))
    track.unlink()
    track.with_suffix(".mp3").rename(track)  # the same name, another song
    render(draft, {**media, "song": str(track)}, tmp_path / "d.mp4", quality="preview")
    assert len(_sounds()) == 4
    assert not np.array_equal(_sound(tmp_path / "c.mp4")[:, :48000], _sound(tmp_path / "d.mp4")[:, :48000])


def test_a_damaged_soundtrack_is_ignored_and_rewritten(media: dict[str, str], tmp_path: Path) -> None:
    render(_with_sound(_draft(2)), media, tmp_path / "a.mp4", quality="preview")
    (entry,) = _sounds()
    good = entry.read_bytes()
    flipped = bytearray(good)
    flipped[-300] ^= 0x55  # inside an AAC packet: caught by the checksum
    for k, damage in enumerate((good[:-100], good[:20], b"NEMOSND1{}\n", good[:60] + b"\x00" * 40 + good[100:],
                                bytes(flipped))):
        entry.write_bytes(damage)
        out = tmp_path / f"again{k}.mp4"
        render(_with_sound(_draft(2)), media, out, quality="preview")
        assert np.array_equal(_sound(tmp_path / "a.mp4"), _sound(out))
        assert entry.read_bytes() == good


def test_exports_encode_their_own_soundtrack(media: dict[str, str], tmp_path: Path) -> None:
    draft = _with_sound(_draft(1))
    draft["m"].update(w=640, h=360)
    render(draft, media, tmp_path / "a.mp4")
    assert _sounds() == []
