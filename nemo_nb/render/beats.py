"""Beats of a track, for cutting on the beat: the built-in music knows its grid; an uploaded file gets
onset detection (numpy only).

Detection: the file's first minutes, mono at 11025 Hz; a spectral-flux onset envelope (log magnitude
rise per bin, summed; hop 128 samples ≈ 11.6 ms); the tempo from the envelope's autocorrelation
between 60 and 180 BPM (weighted towards ~120, parabolic peak); the phase that puts the most onset
energy on the grid; then each grid beat moves to the strongest onset within a tenth of a beat, which
absorbs small tempo errors and drift. Results are cached per file (path, size, mtime).
"""

from __future__ import annotations

import os
from functools import lru_cache

import av
import numpy as np

RATE = 11025
HOP = 128
WINDOW = 1024
MAX_SECONDS = 180.0
ONSET_DELAY = 0.72


def decode_mono(path: str, max_seconds: float = MAX_SECONDS) -> np.ndarray:
    """The file's first audio stream, mono float32 at :data:`RATE`, at most ``max_seconds``."""
    limit = int(max_seconds * RATE)
    parts: list[np.ndarray] = []
    have = 0
    with av.open(path) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        for frame in container.decode(container.streams.audio[0]):
            for out in resampler.resample(frame):
                arr = out.to_ndarray().reshape(-1)
                parts.append(arr)
                have += len(arr)
            if have >= limit:
                break
    return np.concatenate(parts)[:limit] if parts else np.zeros(0, np.float32)


def onset_envelope(samples: np.ndarray) -> np.ndarray:
    """Spectral flux per hop: how much louder each frequency got, summed (normalised to max 1)."""
    if len(samples) < WINDOW * 2:
        return np.zeros(0, np.float32)
    n = 1 + (len(samples) - WINDOW) // HOP
    idx = np.arange(WINDOW)[None, :] + HOP * np.arange(n)[:, None]
    spec = np.abs(np.fft.rfft(samples[idx] * np.hanning(WINDOW).astype(np.float32), axis=1))
    logmag = np.log1p(100.0 * spec)
    flux = np.maximum(0.0, np.diff(logmag, axis=0)).sum(axis=1)
    flux = np.concatenate([[0.0], flux])
    flux -= np.convolve(flux, np.ones(16) / 16, mode="same")  # remove the slow loudness trend
    flux = np.maximum(flux, 0.0)
    top = float(flux.max())
    return (flux / top).astype(np.float32) if top > 0 else flux.astype(np.float32)


def tempo_period(env: np.ndarray, fps: float) -> float | None:
    """Seconds per beat from the envelope's autocorrelation (60–180 BPM, leaning to ~120)."""
    lo, hi = int(fps * 60 / 180), int(fps * 60 / 60) + 1
    if len(env) < hi * 4:
        return None
    x = env - env.mean()
    ac = np.correlate(x, x, mode="full")[len(x) - 1:]
    lags = np.arange(lo, hi)
    bpm = 60 * fps / lags
    weight = np.exp(-0.5 * (np.log2(bpm / 120) / 0.9) ** 2)
    scores = ac[lo:hi] * weight
    k = int(np.argmax(scores))
    if scores[k] <= 0:
        return None
    lag = float(lags[k])
    if 0 < k < len(scores) - 1:  # parabolic refinement between lags
        a, b, c = ac[lags[k] - 1], ac[lags[k]], ac[lags[k] + 1]
        denom = a - 2 * b + c
        if denom < 0:
            lag += 0.5 * (a - c) / denom
    return lag / fps


def beats_of(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    """Beat times (s) of ``samples``; empty when no steady beat is found."""
    env = onset_envelope(samples)
    fps = rate / HOP
    period = tempo_period(env, fps)
    if period is None:
        return np.zeros(0)
    step = period * fps
    phases = np.arange(0.0, step, 0.5)
    grid = np.arange(0.0, len(env) - 1, step)
    energy = [env[np.minimum(len(env) - 1, np.round(grid + p).astype(int))].sum() for p in phases]
    first = phases[int(np.argmax(energy))]
    beats = []
    reach = max(1, int(step * 0.1))
    for pos in np.arange(first, len(env) - 1, step):
        i = int(np.round(pos))
        lo, hi = max(0, i - reach), min(len(env), i + reach + 1)
        best = lo + int(np.argmax(env[lo:hi]))
        beats.append(best if env[best] > 0.05 else i)
    # A frame's time is its window's start; the flux of a sound peaks once it is ~0.72 of a window in
    # (measured on click tracks at 96-150 BPM).
    return np.array(beats, np.float64) / fps + ONSET_DELAY * WINDOW / rate


def file_beats(path: str) -> np.ndarray:
    """Beat times (s) from the start of the file (cached per path, size and modification time)."""
    st = os.stat(path)
    return _file_beats(path, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=16)
def _file_beats(path: str, _size: int, _mtime: int) -> np.ndarray:
    return beats_of(decode_mono(path))
