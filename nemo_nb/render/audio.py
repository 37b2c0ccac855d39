"""The soundtrack: user tracks, generated music and clip sound, mixed as a stream at 48 kHz stereo.

Every source is read sequentially in small chunks, so memory does not depend on the length. User
tracks are loudness-normalised (RMS measured in a first pass) and THEN scaled by the user's volume,
so "music at 20%" really is 0.2/0.35 of "music at 35%". Fades are gain ramps; clips that carry
sound cross-fade with the picture's transitions. A soft limiter only touches peaks above -1 dBFS.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import av
import numpy as np

from . import music, prepared
from .music import SAMPLE_RATE, TARGET_RMS, MusicStream
from .plan import AudioLayer, Clip, Plan


class FileAudio:
    """Sequential 48 kHz stereo float32 reader of a file's first audio stream (optionally looping)."""

    def __init__(self, path: str, start_s: float = 0.0, loop: bool = False) -> None:
        self.path, self.start_s, self.loop = path, max(0.0, start_s), loop
        self._pending = np.zeros((0, 2), np.float32)
        self._gen: Iterator[np.ndarray] | None = None
        self._ended = False
        self._container: av.container.InputContainer | None = None

    def _chunks(self) -> Iterator[np.ndarray]:
        while True:
            container = av.open(self.path)
            self._container = container
            try:
                stream = container.streams.audio[0]
                resampler = av.AudioResampler(format="flt", layout="stereo", rate=SAMPLE_RATE)
                skip = round(self.start_s * SAMPLE_RATE)
                if self.start_s > 0:
                    container.seek(int(self.start_s * av.time_base), backward=True)
                    first = True
                for frame in container.decode(stream):
                    if self.start_s > 0 and first:
                        first = False
                        skip = max(0, round((self.start_s - float(frame.time or 0.0)) * SAMPLE_RATE))
                    for out in resampler.resample(frame):
                        arr = out.to_ndarray().reshape(-1, 2)
                        if skip:
                            cut = min(skip, len(arr))
                            arr, skip = arr[cut:], skip - cut
                        if len(arr):
                            yield arr
                for out in resampler.resample(None):
                    yield out.to_ndarray().reshape(-1, 2)
            finally:
                container.close()
            if not self.loop:
                return
            self.start_s = 0.0

    def read(self, n: int) -> np.ndarray:
        if self._gen is None:
            self._gen = self._chunks()
        parts = [self._pending]
        have = len(self._pending)
        while have < n and not self._ended:
            try:
                chunk = next(self._gen)
            except StopIteration:
                self._ended = True
                break
            parts.append(chunk)
            have += len(chunk)
        buf = np.concatenate(parts) if len(parts) > 1 else self._pending
        out = np.zeros((n, 2), np.float32)
        take = min(n, len(buf))
        out[:take] = buf[:take]
        self._pending = buf[take:]
        return out

    def close(self) -> None:
        if self._gen is not None:
            self._gen.close()


def measure_rms(path: str, max_seconds: float = 600.0) -> float:
    """RMS of a file's sound (first pass of loudness normalisation; streamed, bounded)."""
    reader = FileAudio(path)
    total, count = 0.0, 0
    limit = int(max_seconds * SAMPLE_RATE)
    while count < limit:
        chunk = reader.read(SAMPLE_RATE)
        if reader._ended and not np.any(chunk):
            break
        total += float(np.sum(chunk.astype(np.float64) ** 2))
        count += len(chunk)
        if reader._ended and len(reader._pending) == 0:
            break
    reader.close()
    return float(np.sqrt(total / max(1, count * 2)))


@dataclass
class _Voice:
    start: int  # sample on the timeline
    end: int
    source: MusicStream | FileAudio
    gain: float
    fade_in: int
    fade_out: int


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """The soundtrack's own code (this module and the music generator): a change to either is a change
    of every soundtrack, so stored soundtracks never outlive the code that made them."""
    h = hashlib.blake2b(digest_size=16)
    for module in (__file__, music.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


def fingerprint(plan: Plan) -> str:
    """A digest of everything :class:`AudioMix` reads for ``plan`` (layers, sound-carrying clips and the
    contents of their files, the length, the code): equal fingerprints mean equal soundtracks."""
    parts: list[object] = [_code_hash(), round(plan.duration_s * SAMPLE_RATE)]
    for layer in plan.audio:
        parts.append((repr(layer), prepared.file_digest(str(layer.path)) if layer.kind != "music" else None))
    for clip in plan.clips:
        if clip.kind == "video" and clip.info.has_audio and clip.volume > 0:
            nxt = [c.trans_in_s for c in plan.clips if c.index == clip.index + 1]
            parts.append((clip.vis_in, clip.vis_out, clip.cut_in, clip.src_in, clip.trans_in_s, clip.volume, nxt,
                          prepared.file_digest(clip.path)))
    return prepared.digest(*parts)


class AudioMix:
    """``read(n)`` → the next ``n`` samples (n, 2) float32 of the whole soundtrack."""

    def __init__(self, plan: Plan) -> None:
        self.pos = 0
        self.total = round(plan.duration_s * SAMPLE_RATE)
        self.voices: list[_Voice] = []
        for layer in plan.audio:
            self.voices.append(self._layer_voice(layer))
        for clip in plan.clips:
            if clip.kind == "video" and clip.info.has_audio and clip.volume > 0:
                self.voices.append(self._clip_voice(plan, clip))

    @staticmethod
    def _layer_voice(layer: AudioLayer) -> _Voice:
        sr = SAMPLE_RATE
        length = layer.end - layer.start
        source: MusicStream | FileAudio
        if layer.kind == "music":
            source = MusicStream(layer.mood, layer.seed, length)
            gain = layer.volume
        else:
            rms = measure_rms(str(layer.path))
            source = FileAudio(str(layer.path), layer.src_in, loop=layer.loop)
            gain = layer.volume * (TARGET_RMS / rms if rms > 1e-5 else 1.0)
        return _Voice(round(layer.start * sr), round(layer.end * sr), source, gain,
                      round(min(layer.fade_in, length / 2) * sr), round(min(layer.fade_out, length / 2) * sr))

    @staticmethod
    def _clip_voice(plan: Plan, clip: Clip) -> _Voice:
        sr = SAMPLE_RATE
        lead = clip.cut_in - clip.vis_in
        nxt = [c for c in plan.clips if c.index == clip.index + 1]
        tout = nxt[0].trans_in_s if nxt else 0.0
        source = FileAudio(clip.path, max(0.0, clip.src_in - lead))
        return _Voice(round(clip.vis_in * sr), round(clip.vis_out * sr), source, clip.volume,
                      round(clip.trans_in_s * sr), round(tout * sr))

    def read(self, n: int) -> np.ndarray:
        mix = np.zeros((n, 2), np.float32)
        a, b = self.pos, self.pos + n
        for v in self.voices:
            lo, hi = max(a, v.start), min(b, v.end)
            if hi <= lo:
                continue
            chunk = v.source.read(hi - lo)
            idx = np.arange(lo, hi, dtype=np.float64)
            env = np.full(hi - lo, v.gain, np.float64)
            if v.fade_in > 0:
                env *= np.clip((idx - v.start) / v.fade_in, 0.0, 1.0)
            if v.fade_out > 0:
                env *= np.clip((v.end - idx) / v.fade_out, 0.0, 1.0)
            mix[lo - a: hi - a] += chunk * env[:, None].astype(np.float32)
        self.pos = b
        return limit(mix)

    def close(self) -> None:
        for v in self.voices:
            if isinstance(v.source, FileAudio):
                v.source.close()


def limit(x: np.ndarray, threshold: float = 0.89) -> np.ndarray:
    """Soft knee above ``threshold``: never clips, leaves everything quieter untouched."""
    mag = np.abs(x)
    over = mag > threshold
    if not over.any():
        return x
    room = 0.999 - threshold
    y = x.copy()
    y[over] = np.sign(x[over]) * (threshold + room * np.tanh((mag[over] - threshold) / room))
    return y
