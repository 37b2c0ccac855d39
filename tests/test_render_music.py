"""The built-in music library: every mood deterministic, musical enough, never clipping."""

from __future__ import annotations

import numpy as np
import pytest

from nemo_nb.render import MUSIC_MOODS
from nemo_nb.render.audio import limit
from nemo_nb.render.music import SAMPLE_RATE, TARGET_RMS, MusicStream, beat_period, generate, resolve_mood


@pytest.mark.parametrize("mood", MUSIC_MOODS)
def test_mood_is_deterministic_and_seeded(mood: str) -> None:
    a = generate(mood, 7, 6.0)
    assert a.shape == (6 * SAMPLE_RATE, 2) and a.dtype == np.float32
    assert np.array_equal(a, generate(mood, 7, 6.0))
    assert not np.array_equal(a, generate(mood, 8, 6.0))


@pytest.mark.parametrize("mood", MUSIC_MOODS)
def test_mood_level_and_no_clipping(mood: str) -> None:
    x = generate(mood, 3, 12.0)
    body = x[2 * SAMPLE_RATE: 10 * SAMPLE_RATE]
    rms = float(np.sqrt(np.mean(body.astype(np.float64) ** 2)))
    assert 0.5 * TARGET_RMS < rms < 1.6 * TARGET_RMS
    # At the default 35 % nothing comes near full scale; at 100 % the limiter keeps it below 1.
    assert float(np.abs(x * 0.35).max()) < 0.9
    assert float(np.abs(limit(x)).max()) < 1.0
    # Stereo, not silence, and ends quietly (ringing out, no chopped note at the last sample).
    assert float(np.abs(x[:, 0] - x[:, 1]).mean()) > 1e-4
    assert float(np.abs(x[-480:]).max()) < float(np.abs(body).max())


def test_streaming_equals_whole_and_stops_at_length() -> None:
    whole = generate("upbeat", 5, 5.0)
    stream = MusicStream("upbeat", 5, 5.0)
    parts = [stream.read(n) for n in (1000, 1024, 77_000, 300_000)]
    joined = np.concatenate(parts)
    assert np.array_equal(joined[: len(whole)], whole)
    assert not joined[len(whole):].any()


def test_moods_differ_in_tempo_and_names_resolve() -> None:
    assert len(MUSIC_MOODS) >= 4
    assert len({beat_period(m) for m in MUSIC_MOODS}) == len(MUSIC_MOODS)
    assert resolve_mood("Lo-Fi") == "lofi" and resolve_mood("epic") == "cinematic"
    assert resolve_mood("no such mood") == "lofi"


def test_music_has_a_beat() -> None:
    """The drum moods have energy peaks at the beat period (the autocorrelation of the envelope)."""
    x = generate("upbeat", 1, 8.0)[:, 0].astype(np.float64)
    hop = 480
    env = np.sqrt(np.add.reduceat(x**2, np.arange(0, len(x), hop)))
    env = env - env.mean()
    ac = np.correlate(env, env, "full")[len(env) - 1:]
    lag = round(beat_period("upbeat") * SAMPLE_RATE / hop)
    assert ac[lag] > 0.3 * ac[0]
