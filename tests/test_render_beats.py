"""Cuts on the beat: photo changes land on beats of the track — the built-in music's grid, or onsets
found in an uploaded file — checked on decoded frames of exported MP4s (within one frame), with the
length unchanged."""

from __future__ import annotations

import itertools
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from nemo_nb.render import build_plan, render
from nemo_nb.render.beats import RATE, beats_of, file_beats
from nemo_nb.render.music import beat_period

FPS = 30
NAMES = ["rocket_launch.jpg", "chelsea_cat.png", "coffee_cup_food.png", "navy_t45a_goshawk_in_flight.jpg"]


@pytest.fixture
def media(samples: Path) -> dict[str, str]:
    return {f"p{i}": str(samples / "photos" / n) for i, n in enumerate(NAMES)}


def _draft(music: dict | None, d: int = 1900, **meta: object) -> dict:
    tracks: list[dict] = [{"tt": 0, "sg": [
        {"d": d, "m": {"type": "photo", "src": f"p{i}", "transition": {"type": "none"}}} for i in range(4)]}]
    if music is not None:
        tracks.append({"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": 4 * d, "s": 0, "m": music}]})
    return {"m": {"w": 320, "h": 180, "fps": FPS, **meta}, "t": tracks}


def _cut_frames(path: Path) -> tuple[list[int], int]:
    """Indices of the first frame of each new photo (a jump in the picture), and the frame count."""
    frames = []
    with av.open(str(path)) as c:
        for f in c.decode(video=0):
            frames.append(f.to_ndarray(format="gray").astype(np.float32))
    diffs = np.array([np.abs(a - b).mean() for a, b in itertools.pairwise(frames)])
    cuts = [i + 1 for i, d in enumerate(diffs) if d > max(12.0, 6 * float(np.median(diffs)))]
    return cuts, len(frames)


def _assert_on_beats(cuts: list[int], beats: list[float] | np.ndarray) -> None:
    assert len(cuts) == 3, cuts
    for k in cuts:
        nearest = min(beats, key=lambda b: abs(b - k / FPS))
        assert abs(nearest - k / FPS) <= 1 / FPS + 1e-6, (k, nearest)


def test_upbeat_music_cuts_on_its_beats_by_default(media: dict[str, str], tmp_path: Path) -> None:
    draft = _draft({"type": "music", "mood": "upbeat"})
    out = tmp_path / "upbeat.mp4"
    render(draft, media, out, quality="preview")
    cuts, total = _cut_frames(out)
    period = beat_period("upbeat")
    _assert_on_beats(cuts, [k * period for k in range(40)])
    assert total == 4 * 1900 * FPS // 1000  # the length asked for
    assert [k for k in cuts if k % round(1.9 * FPS)] == cuts  # moved: not where the draft's cuts were


def test_the_flag_turns_it_on_and_off(media: dict[str, str]) -> None:
    def inner(draft: dict) -> list[float]:
        return [c.cut_in for c in build_plan(draft, media, quality="preview").clips[1:]]

    period = beat_period("lofi")
    assert inner(_draft({"type": "music", "mood": "lofi"})) == pytest.approx([1.9, 3.8, 5.7])
    snapped = inner(_draft({"type": "music", "mood": "lofi"}, beat_sync=True))
    assert all(abs(c / period - round(c / period)) < 1e-6 for c in snapped) and snapped != [1.9, 3.8, 5.7]
    assert inner(_draft({"type": "music", "mood": "upbeat"}, beat_sync=False)) == pytest.approx([1.9, 3.8, 5.7])
    assert inner(_draft(None, beat_sync=True)) == pytest.approx([1.9, 3.8, 5.7])  # no music: nothing to follow


def _click_track(path: Path, bpm: float, offset: float, seconds: float) -> list[float]:
    """A WAV of kicks on a steady beat under a quiet tone and noise; returns the beat times."""
    rng = np.random.default_rng(7)
    rate = 22050
    x = 0.05 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * rate)) / rate) + 0.02 * rng.standard_normal(
        int(seconds * rate))
    t = np.arange(int(0.09 * rate)) / rate
    kick = np.sin(2 * np.pi * 60 * t) * np.exp(-t * 30) + 0.3 * rng.standard_normal(len(t)) * np.exp(-t * 80)
    beats = list(np.arange(offset, seconds - 0.1, 60 / bpm))
    for b in beats:
        i = int(b * rate)
        x[i: i + len(kick)] += kick[: len(x) - i]
    pcm = (np.clip(x, -1, 1) * 32000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return beats


@pytest.mark.parametrize(("bpm", "offset"), [(96, 0.41), (128, 0.137), (150, 0.05)])
def test_onsets_of_a_steady_beat_are_found(tmp_path: Path, bpm: float, offset: float) -> None:
    true = _click_track(tmp_path / "clicks.wav", bpm, offset, 12)
    found = file_beats(str(tmp_path / "clicks.wav"))
    assert len(found) >= len(true) - 2
    assert max(min(abs(found - b)) for b in true[1:-1]) < 0.012  # within 12 ms of every beat


def test_real_music_has_a_plausible_steady_beat(samples: Path) -> None:
    found = file_beats(str(samples / "audio" / "country_cc0_45s.mp3"))
    gaps = np.diff(found)
    assert 60 <= 60 / np.median(gaps) <= 180
    assert np.percentile(np.abs(gaps - np.median(gaps)), 80) < 0.1 * np.median(gaps)
    assert len(beats_of(np.zeros(RATE * 5, np.float32))) == 0  # silence has no beat


def test_uploaded_music_cuts_on_its_detected_beats(media: dict[str, str], tmp_path: Path) -> None:
    song = tmp_path / "song.wav"
    true = _click_track(song, 128, 0.137, 9)
    media = {**media, "song": str(song)}
    draft = _draft({"type": "audio", "src": "song"}, beat_sync=True)
    out = tmp_path / "song.mp4"
    render(draft, media, out, quality="preview")
    cuts, total = _cut_frames(out)
    _assert_on_beats(cuts, true)
    assert total == 4 * 1900 * FPS // 1000
