"""A built-in music library, generated procedurally: royalty-free by construction, deterministic.

Each mood is a small arrangement — tempo, key, chord progression, instruments, drum pattern — and a
seed picks the key, the progression and the melody (a pentatonic walk over the chords). Music is
synthesised bar by bar as it is read (``MusicStream.read``), so a 10-minute video never holds its
whole soundtrack in memory. It is fitted to the length on bar boundaries: full bars, then a final
tonic chord that rings out. Gain is normalised to a fixed RMS so the user's volume means the same
thing for every mood and seed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 48_000
MUSIC_MOODS: tuple[str, ...] = ("lofi", "upbeat", "cinematic", "calm")
#: Names other drafts use → our moods.
MOOD_ALIASES = {
    "lo-fi": "lofi", "lo_fi": "lofi", "chill": "lofi", "chillhop": "lofi", "jazzy": "lofi", "relaxed": "lofi",
    "happy": "upbeat", "energetic": "upbeat", "pop": "upbeat", "fun": "upbeat", "dance": "upbeat",
    "electronic": "upbeat", "party": "upbeat", "bright": "upbeat",
    "epic": "cinematic", "dramatic": "cinematic", "emotional": "cinematic", "inspiring": "cinematic",
    "ambient": "calm", "peaceful": "calm", "soft": "calm", "acoustic": "calm", "piano": "calm", "romantic": "calm",
}
#: RMS of every track at volume 1.0 (about -14 dBFS); the mixer scales by the user's volume.
TARGET_RMS = 0.2
#: Distinct notes kept per track (each well under 0.5 MB; a mood's chords and melody use ~40).
NOTE_CACHE = 64


@dataclass(frozen=True)
class Mood:
    bpm: float
    minor: bool
    progressions: tuple[tuple[int, ...], ...]  # scale degrees (0-based), one chord per bar
    drums: str  # none | lofi | four | cinematic
    lead: str  # keys | pluck | pad | bell
    swing: float = 0.0


MOODS: dict[str, Mood] = {
    "lofi": Mood(80, True, ((0, 5, 2, 6), (0, 3, 6, 4), (5, 3, 0, 4)), "lofi", "keys", swing=0.12),
    "upbeat": Mood(118, False, ((0, 4, 5, 3), (0, 5, 3, 4), (3, 4, 0, 5)), "four", "pluck"),
    "cinematic": Mood(72, True, ((0, 5, 2, 6), (0, 3, 5, 4), (5, 6, 0, 0)), "cinematic", "pad"),
    "calm": Mood(66, False, ((0, 3, 5, 4), (0, 4, 5, 3), (3, 0, 4, 0)), "none", "bell"),
}

_MAJOR = (0, 2, 4, 5, 7, 9, 11)
_MINOR = (0, 2, 3, 5, 7, 8, 10)


def resolve_mood(name: object) -> str:
    """A draft's mood → one of :data:`MUSIC_MOODS` (unknown names map to lo-fi)."""
    key = str(name or "lofi").strip().lower().replace(" ", "_")
    key = MOOD_ALIASES.get(key, key)
    return key if key in MOODS else "lofi"


def beat_period(mood: str) -> float:
    return 60.0 / MOODS[resolve_mood(mood)].bpm


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


class MusicStream:
    """Sequential reader of one generated track: ``read(n)`` → (n, 2) float32 at 48 kHz."""

    TAIL_S = 4.0

    def __init__(self, mood: str, seed: int, duration_s: float, sample_rate: int = SAMPLE_RATE) -> None:
        self.mood_name = resolve_mood(mood)
        self.mood = MOODS[self.mood_name]
        self.seed = int(seed) & 0x7FFFFFFF
        self.sr = sample_rate
        self.duration_s = max(0.0, duration_s)
        rng = np.random.default_rng([self.seed, MUSIC_MOODS.index(self.mood_name)])
        self.root = 45 + int(rng.integers(0, 12))  # A2..G#3
        self.prog = self.mood.progressions[int(rng.integers(0, len(self.mood.progressions)))]
        self.beat = 60.0 / self.mood.bpm
        self.bar = 4 * self.beat
        self.bar_n = round(self.bar * self.sr)
        self.total = round(self.duration_s * self.sr)
        full = int(self.duration_s // self.bar)
        rest = self.duration_s - full * self.bar
        self.last_bar = max(0, full - 1 if rest < 0.5 * self.bar else full)
        self._buf = np.zeros((0, 2), np.float32)
        self._made = 0  # samples of finished output available before _buf starts
        self._next_bar = 0
        self._pos = 0
        self._ready: dict[int, np.ndarray] = {}
        self._notes: dict[tuple[str, float, float, float], np.ndarray] = {}
        self.gain = self._measure_gain()

    # --- arrangement --------------------------------------------------------------------------
    def _scale(self) -> tuple[int, ...]:
        return _MINOR if self.mood.minor else _MAJOR

    def _chord(self, degree: int) -> list[int]:
        sc = self._scale()
        notes = []
        for step in (0, 2, 4, 6):
            idx = degree + step
            notes.append(self.root + 12 + sc[idx % 7] + 12 * (idx // 7))
        return notes

    def _bar(self, k: int, ending: bool) -> np.ndarray:
        """Samples of bar ``k`` plus its ringing tail."""
        sr, mood = self.sr, self.mood
        n = self.bar_n + round(self.TAIL_S * sr)
        out = np.zeros((n, 2), np.float32)
        rng = np.random.default_rng([self.seed, MUSIC_MOODS.index(self.mood_name), k])
        degree = 0 if ending else self.prog[k % len(self.prog)]
        chord = self._chord(degree)
        intro = k < 2
        beat = self.beat
        # Harmony.
        if mood.lead == "pad" or mood.lead == "bell" or ending:
            for i, m in enumerate(chord[:3] if ending else chord):
                self._pad(out, 0.0, self.bar * (1.6 if ending else 1.05), _hz(m), 0.10, pan=(i - 1.5) * 0.3)
        if mood.lead == "keys" and not ending:
            for hit in (0.0, 1.5 + mood.swing, 2.5 + mood.swing):
                for i, m in enumerate(chord):
                    self._keys(out, hit * beat, 1.4 * beat, _hz(m), 0.085, pan=(i - 1.5) * 0.25)
        if mood.lead == "pluck" and not ending:
            for e in range(8):
                m = chord[(e * 3) % 4]
                self._pluck(out, e * beat / 2, beat * 0.9, _hz(m), 0.11, pan=0.35 if e % 2 else -0.35)
        # Bass.
        bass = self.root + self._scale()[degree % 7] - 12 + (12 if self.root < 40 else 0)
        if ending:
            self._bass(out, 0.0, self.bar * 1.2, _hz(bass), 0.32)
        elif mood.drums == "four":
            for e in range(8):
                self._bass(out, e * beat / 2, beat * 0.45, _hz(bass + (12 if e % 4 == 3 else 0)), 0.26)
        else:
            for hit in ((0.0, 2.5) if mood.drums == "lofi" else (0.0,)):
                self._bass(out, hit * beat, beat * (2.2 if hit == 0 else 1.2), _hz(bass), 0.3)
        # Melody: a pentatonic walk over the chord, with rests; none in the intro and the ending.
        if not intro and not ending:
            penta = (0, 2, 4, 7, 9) if not mood.minor else (0, 3, 5, 7, 10)
            base = self.root + 24
            steps = 8 if mood.bpm < 100 else 16
            pos = int(rng.integers(0, 5))
            for s in range(steps):
                if rng.random() < (0.45 if mood.lead != "pluck" else 0.35):
                    continue
                pos = int(np.clip(pos + rng.integers(-2, 3), 0, 9))
                m = base + penta[pos % 5] + 12 * (pos // 5)
                length = self.bar / steps * (1.8 if rng.random() < 0.3 else 1.0)
                start = s * self.bar / steps + (mood.swing * beat / 2 if s % 2 else 0.0)
                if mood.lead == "pad":
                    self._keys(out, start, length * 2, _hz(m), 0.08, pan=0.1)
                elif mood.lead == "bell":
                    self._bell(out, start, length * 3, _hz(m), 0.09, pan=0.15)
                else:
                    self._keys(out, start, length, _hz(m), 0.09 if mood.lead == "keys" else 0.07, pan=0.15)
        # Drums.
        if not ending and not (intro and mood.drums != "four"):
            self._drums(out, k, rng)
        if ending:
            self._kick(out, 0.0, 0.9)
        return out

    def _drums(self, out: np.ndarray, k: int, rng: np.random.Generator) -> None:
        beat, mood = self.beat, self.mood
        if mood.drums == "four":
            for b in range(4):
                self._kick(out, b * beat, 0.75)
                self._hat(out, (b + 0.5) * beat, 0.12, rng)
                self._hat(out, b * beat, 0.05, rng)
            for b in (1, 3):
                self._snare(out, b * beat, 0.32, rng)
        elif mood.drums == "lofi":
            for t in (0.0, 2.5 + mood.swing):
                self._kick(out, t * beat, 0.6)
            for b in (1, 3):
                self._snare(out, b * beat, 0.22, rng)
            for e in range(8):
                self._hat(out, (e / 2 + (mood.swing if e % 2 else 0)) * beat, 0.06 if e % 2 else 0.09, rng)
            self._crackle(out, rng)
        elif mood.drums == "cinematic" and k % 2 == 0:
            self._kick(out, 0.0, 0.8, low=True)
            self._kick(out, 2.5 * beat, 0.4, low=True)

    # --- instruments (all additive synthesis; deterministic) ------------------------------------
    def _place(self, out: np.ndarray, start_s: float, sig: np.ndarray, pan: float) -> None:
        i = round(start_s * self.sr)
        if i >= len(out):
            return
        sig = sig[: len(out) - i]
        left, right = math.cos((pan + 1) * math.pi / 4), math.sin((pan + 1) * math.pi / 4)
        out[i: i + len(sig), 0] += sig * left * 1.414
        out[i: i + len(sig), 1] += sig * right * 1.414

    def _t(self, dur: float) -> np.ndarray:
        return np.arange(round(dur * self.sr), dtype=np.float32) / self.sr

    def _env(self, t: np.ndarray, attack: float, dur: float, decay: float) -> np.ndarray:
        env = np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-t / decay)
        rel = np.clip((dur - t) / 0.08, 0.0, 1.0)
        return (env * rel).astype(np.float32)

    def _note(self, make: Callable[[float, float, float], np.ndarray], dur: float, f: float,
              amp: float) -> np.ndarray:
        """A tonal note's samples, synthesised once per (instrument, length, pitch, level): chords and
        melodies repeat their notes bar after bar (a third of a track's synthesis time otherwise)."""
        key = (make.__name__, dur, f, amp)
        sig = self._notes.get(key)
        if sig is None:
            if len(self._notes) >= NOTE_CACHE:
                self._notes.pop(next(iter(self._notes)))
            sig = self._notes[key] = make(dur, f, amp)
        return sig

    def _keys(self, out: np.ndarray, start: float, dur: float, f: float, amp: float, pan: float = 0.0) -> None:
        self._place(out, start, self._note(self._keys_sig, dur, f, amp), pan)

    def _keys_sig(self, dur: float, f: float, amp: float) -> np.ndarray:
        t = self._t(dur + 0.1)
        w = 2 * np.pi * f * t
        sig = np.sin(w) + 0.35 * np.sin(2 * w) * np.exp(-t * 3) + 0.12 * np.sin(3 * w) * np.exp(-t * 6)
        trem = 1 + 0.08 * np.sin(2 * np.pi * 4.5 * t)
        return (amp * sig * trem * self._env(t, 0.008, dur, 1.2)).astype(np.float32)

    def _pluck(self, out: np.ndarray, start: float, dur: float, f: float, amp: float, pan: float = 0.0) -> None:
        self._place(out, start, self._note(self._pluck_sig, dur, f, amp), pan)

    def _pluck_sig(self, dur: float, f: float, amp: float) -> np.ndarray:
        t = self._t(dur)
        w = 2 * np.pi * f * t
        sig = sum(np.sin(k * w) * np.exp(-t * (4 + 5 * k)) / k for k in range(1, 6))
        return (amp * sig * self._env(t, 0.003, dur, 0.5)).astype(np.float32)

    def _bell(self, out: np.ndarray, start: float, dur: float, f: float, amp: float, pan: float = 0.0) -> None:
        self._place(out, start, self._note(self._bell_sig, dur, f, amp), pan)

    def _bell_sig(self, dur: float, f: float, amp: float) -> np.ndarray:
        t = self._t(dur)
        w = 2 * np.pi * f * t
        sig = np.sin(w + 0.8 * np.sin(2.0 * w) * np.exp(-t * 2)) + 0.2 * np.sin(4 * w) * np.exp(-t * 5)
        return (amp * sig * self._env(t, 0.004, dur, 1.0)).astype(np.float32)

    def _pad(self, out: np.ndarray, start: float, dur: float, f: float, amp: float, pan: float = 0.0) -> None:
        self._place(out, start, self._note(self._pad_sig, dur, f, amp), pan)

    def _pad_sig(self, dur: float, f: float, amp: float) -> np.ndarray:
        t = self._t(dur + 0.6)
        sig = np.zeros_like(t)
        for det in (-0.12, 0.0, 0.11):
            w = 2 * np.pi * f * (1 + det / 100) * t
            sig += np.sin(w) + 0.3 * np.sin(2 * w) + 0.12 * np.sin(3 * w)
        env = np.minimum(1.0, t / 0.6) * np.clip((dur + 0.6 - t) / 0.6, 0.0, 1.0)
        return (amp / 3 * sig * env).astype(np.float32)

    def _bass(self, out: np.ndarray, start: float, dur: float, f: float, amp: float) -> None:
        self._place(out, start, self._note(self._bass_sig, dur, f, amp), 0.0)

    def _bass_sig(self, dur: float, f: float, amp: float) -> np.ndarray:
        t = self._t(dur)
        w = 2 * np.pi * f * t
        sig = np.sin(w) + 0.25 * np.sin(2 * w)
        return (amp * sig * self._env(t, 0.01, dur, 0.9)).astype(np.float32)

    def _kick(self, out: np.ndarray, start: float, amp: float, low: bool = False) -> None:
        t = self._t(0.6 if low else 0.35)
        f0, f1 = (80.0, 35.0) if low else (130.0, 48.0)
        freq = f1 + (f0 - f1) * np.exp(-t * 30)
        phase = 2 * np.pi * np.cumsum(freq) / self.sr
        sig = np.sin(phase) * np.exp(-t * (5 if low else 9))
        self._place(out, start, (amp * sig).astype(np.float32), 0.0)

    def _snare(self, out: np.ndarray, start: float, amp: float, rng: np.random.Generator) -> None:
        t = self._t(0.25)
        noise = rng.standard_normal(len(t)).astype(np.float32)
        noise = np.diff(noise, prepend=0.0) * 0.5
        sig = noise * np.exp(-t * 18) + 0.5 * np.sin(2 * np.pi * 185 * t) * np.exp(-t * 25)
        self._place(out, start, (amp * sig).astype(np.float32), 0.05)

    def _hat(self, out: np.ndarray, start: float, amp: float, rng: np.random.Generator) -> None:
        t = self._t(0.06)
        noise = rng.standard_normal(len(t)).astype(np.float32)
        noise = np.diff(np.diff(noise, prepend=0.0), prepend=0.0) * 0.3
        self._place(out, start, (amp * noise * np.exp(-t * 60)).astype(np.float32), -0.2)

    def _crackle(self, out: np.ndarray, rng: np.random.Generator) -> None:
        n = self.bar_n
        hiss = rng.standard_normal(n).astype(np.float32) * 0.003
        clicks = np.zeros(n, np.float32)
        pos = rng.integers(0, n, size=12)
        clicks[pos] = rng.uniform(-0.05, 0.05, size=12).astype(np.float32)
        out[:n, 0] += hiss + clicks
        out[:n, 1] += hiss + clicks

    # --- streaming ------------------------------------------------------------------------------
    def _measure_gain(self) -> float:
        """Gain that brings a typical stretch of this track (bars 2-5) to :data:`TARGET_RMS`."""
        for k in range(2, 6):
            if k < self.last_bar:  # synthesised once: the stream takes these bars when it gets there
                self._ready[k] = self._bar(k, False)
        sample = np.concatenate([(self._ready.get(k) if k in self._ready else self._bar(k, False))[: self.bar_n]
                                 for k in range(2, 6)])
        rms = float(np.sqrt(np.mean(sample.astype(np.float64) ** 2)))
        return TARGET_RMS / max(rms, 1e-6)

    def _extend(self) -> None:
        k = self._next_bar
        if k > self.last_bar:
            self._buf = np.concatenate([self._buf, np.zeros((self.bar_n, 2), np.float32)])
        else:
            bar = self._ready.pop(k, None)
            if bar is None:
                bar = self._bar(k, k == self.last_bar and k > 0)
            if len(self._buf) < len(bar):  # the previous bars' tails are already in _buf
                self._buf = np.concatenate([self._buf, np.zeros((len(bar) - len(self._buf), 2), np.float32)])
            self._buf[: len(bar)] += bar
        self._next_bar += 1

    def read(self, n: int) -> np.ndarray:
        """The next ``n`` stereo samples (silence past the end)."""
        out = np.zeros((n, 2), np.float32)
        filled = 0
        while filled < n:
            if self._pos >= self.total:
                break
            if self._made <= 0:
                self._extend()
                self._made = self.bar_n
            take = min(n - filled, self._made, self.total - self._pos)
            out[filled: filled + take] = self._buf[:take] * self.gain
            self._buf = self._buf[take:]
            self._made -= take
            self._pos += take
            filled += take
        return out


def generate(mood: str, seed: int, duration_s: float) -> np.ndarray:
    """A whole track at once, (n, 2) float32 at 48 kHz (for tests and previews; renders stream)."""
    stream = MusicStream(mood, seed, duration_s)
    return stream.read(stream.total)
