"""Plan → MP4: H.264 High yuv420p + AAC 48 kHz stereo, moov first, written atomically.

A compositor thread renders I420 frames ahead of the encoder into a small pool of buffers (numpy and
OpenCV release the GIL, so it runs beside x264's own threads); the main thread wraps each in an
``av.VideoFrame``, encodes, and interleaves the streamed soundtrack. Memory is a handful of frames
whatever the length. The file is written under a temporary name and renamed on success, so a failure
or a cancellation never leaves a partial MP4.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from . import prepared
from .audio import AudioMix, fingerprint
from .compose import cache_of, compose_into, new_frame, prefetch_around, yield_to_encoder
from .errors import RenderCancelled, RenderError
from .music import SAMPLE_RATE
from .plan import Plan
from .yuv import split_planes

#: Seconds between keyframes (closed GOPs); a chunked render cuts only at multiples of this.
KEYINT_SECONDS = 2
AAC_FRAME = 1024
AUDIO_CHUNK = 8 * AAC_FRAME
#: A stored soundtrack is muxed at most this far ahead of the picture (like the encoder's queue).
AUDIO_LEAD_S = 2.0
#: libx264 settings per quality. High: the export; fast: full size, fastest; preview: small, fastest, no
#: bitrate cap (``maxrate_kbps`` 0: it plays from this machine, and uncapped frame threads are repeatable).
#: High is CRF 19, not 20: measured against the uncompressed composite, 20 gave a luma SSIM of 0.979-0.980
#: on photo slideshows (crossfades are the hardest frames) and 19 gives 0.983 at ~6.7 Mbit/s.
#: ``aac_coder``: FFmpeg's "fast" AAC coder takes half the CPU of the default "twoloop" search, which
#: the export keeps for its quality.
X264 = {
    "high": {"preset": "veryfast", "crf": "19", "maxrate_kbps": 10000, "audio_kbps": 160, "aac_coder": "twoloop"},
    "fast": {"preset": "ultrafast", "crf": "25", "maxrate_kbps": 10000, "audio_kbps": 128, "aac_coder": "fast"},
    "preview": {"preset": "ultrafast", "crf": "27", "maxrate_kbps": 0, "audio_kbps": 96, "aac_coder": "fast"},
}


@dataclass(frozen=True)
class RenderProgress:
    frames_done: int
    frames_total: int
    fraction: float
    eta_s: float | None
    elapsed_s: float


@dataclass(frozen=True)
class EncodedVideo:
    """What the encoder wrote (the MP4 and its facts). Not the notebook's RenderResult, which is a
    downloaded export with a player."""

    path: Path
    width: int
    height: int
    fps: int
    frames: int
    duration_s: float
    size_bytes: int
    has_audio: bool
    seconds: float


_STOP = object()
_M_MMAP_THRESHOLD = -3


def _bound_heap() -> None:
    """Serve big blocks (frames, decoded photos) by mmap so they go back to the OS when freed.

    glibc otherwise raises its mmap threshold after the first big free and keeps later frame-sized
    blocks in per-thread heaps, where they fragment: measured +80 MB peak RSS on a 30-s 1080p render.
    """
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


def _put_until(q: queue.Queue, item: object, stop: threading.Event) -> None:
    """``q.put(item)``, giving up once ``stop`` is set (the consumer went away)."""
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
            return
        except queue.Full:
            continue


class _Stopped(Exception):
    """The encoder went away (cancel or error): the compositor just ends."""


class _Compositor(threading.Thread):
    """Renders ``frames`` (default 0..N-1) in order straight into encoder frames (no copy), ahead of
    the encoder. A chunked render (:mod:`.chunked`) gives each worker its own range."""

    def __init__(self, plan: Plan, ahead: int = 4, frames: range | None = None) -> None:
        super().__init__(name="nemo-compositor", daemon=True)
        self.plan = plan
        self.frames = range(plan.frames_total) if frames is None else frames
        self.ready: queue.Queue = queue.Queue(maxsize=ahead)
        # Encoder frames are recycled (x264 copies each picture when it is sent), so steady state
        # allocates nothing: ``ahead`` frames queued, one being encoded, one being composited.
        self.free: queue.Queue = queue.Queue()
        for _ in range(ahead + 2):
            self.free.put(self._new())
        self.scratch = split_planes(new_frame(plan), plan.width, plan.height)
        self.stop_event = threading.Event()

    def _new(self) -> tuple[av.VideoFrame, list[np.ndarray]]:
        w, h = self.plan.width, self.plan.height
        frame = av.VideoFrame(w, h, "yuv420p")
        views = []
        for plane, (pw, ph) in zip(frame.planes, ((w, h), (w // 2, h // 2), (w // 2, h // 2)), strict=True):
            views.append(np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)[:ph, :pw])
        return frame, views

    def _frame(self) -> tuple[av.VideoFrame, list[np.ndarray]]:
        while not self.stop_event.is_set():
            try:
                return self.free.get(timeout=0.1)
            except queue.Empty:
                continue
        raise _Stopped()

    def recycle(self, item: tuple[av.VideoFrame, list[np.ndarray]]) -> None:
        self.free.put(item)

    def run(self) -> None:
        yield_to_encoder()
        try:
            plan = self.plan
            for i in self.frames:
                if self.stop_event.is_set():
                    return
                t = i / plan.fps
                if i % plan.fps == 0 or i == self.frames.start:
                    prefetch_around(plan, t)
                item = self._frame()
                compose_into(plan, t, item[1], self.scratch)
                self._put((i, item))
            self._put((-1, _STOP))
        except _Stopped:
            return
        except BaseException as exc:  # handed to the encoder thread, which raises it
            self._put((-1, exc))

    def _put(self, item: tuple) -> None:
        _put_until(self.ready, item, self.stop_event)

    def stop(self) -> None:
        self.stop_event.set()


class _AudioEncoder(threading.Thread):
    """Mixes and AAC-encodes the whole soundtrack in its own thread (FFmpeg's encoder releases the GIL),
    so the soundtrack costs the encoder thread nothing; the packets wait in a queue for the muxer."""

    def __init__(self, plan: Plan, stream: av.AudioStream, total_samples: int, record: bool = False) -> None:
        super().__init__(name="nemo-audio", daemon=True)
        self.plan, self.stream, self.total = plan, stream, total_samples
        #: With ``record``, every packet's bytes and times, to be stored for the next preview.
        self.recorded: list[prepared.Packet] | None = [] if record else None
        # Bounded (~2 s of sound): the soundtrack never runs far ahead of the picture in memory.
        self.packets: queue.Queue = queue.Queue(maxsize=96)
        self.stop_event = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        yield_to_encoder()
        mix = None
        try:
            mix = AudioMix(self.plan)
            done = 0
            while done < self.total and not self.stop_event.is_set():
                # PyAV cuts a longer frame into the encoder's 1024-sample frames; mixing 8 at a time
                # spends an eighth of the per-call numpy overhead.
                n = min(AUDIO_CHUNK, self.total - done)
                for packet in self.stream.encode(_audio_frame(mix.read(n), done)):
                    self._put(packet)
                done += n
            if not self.stop_event.is_set():
                for packet in self.stream.encode(None):
                    self._put(packet)
        except BaseException as exc:  # raised by the muxing thread
            self.error = exc
        finally:
            if mix is not None:
                mix.close()
            self._put(_STOP)

    def _put(self, item: object) -> None:
        if self.recorded is not None and isinstance(item, av.Packet):
            self.recorded.append((bytes(item), int(item.pts), int(item.dts), int(item.duration or 0),
                                  bool(item.is_keyframe)))
        _put_until(self.packets, item, self.stop_event)

    def ready(self, _upto_s: float = 0.0) -> list[av.Packet]:
        """The packets encoded so far (never blocks)."""
        out = []
        while True:
            try:
                packet = self.packets.get_nowait()
            except queue.Empty:
                return out
            if packet is _STOP:
                self.packets.put(_STOP)
                return out
            out.append(packet)

    def rest(self) -> list[av.Packet]:
        """Every packet not yet taken, up to the end of the soundtrack. Raises the thread's error."""
        out = []
        while True:
            packet = self.packets.get()
            if packet is _STOP:
                break
            out.append(packet)
        self.join()
        if self.error is not None:
            raise self.error
        return out

    def close(self) -> None:
        self.stop_event.set()
        self.join(timeout=10)


class _StoredAudio:
    """A soundtrack an earlier preview encoded, muxed again: the same packets into the same kind of
    stream, handed out in step with the picture (never more than :data:`AUDIO_LEAD_S` ahead)."""

    recorded = None

    def __init__(self, stream: av.AudioStream, packets: list[prepared.Packet]) -> None:
        self.stream, self.packets, self.next = stream, packets, 0

    def start(self) -> None:
        pass

    def _packet(self, item: prepared.Packet) -> av.Packet:
        data, pts, dts, duration, keyframe = item
        packet = av.Packet(data)
        packet.pts, packet.dts, packet.duration = pts, dts, duration
        packet.time_base = Fraction(1, SAMPLE_RATE)
        packet.is_keyframe = keyframe
        packet.stream = self.stream
        return packet

    def ready(self, upto_s: float = 0.0) -> list[av.Packet]:
        limit = (upto_s + AUDIO_LEAD_S) * SAMPLE_RATE
        out = []
        while self.next < len(self.packets) and self.packets[self.next][1] <= limit:
            out.append(self._packet(self.packets[self.next]))
            self.next += 1
        return out

    def rest(self) -> list[av.Packet]:
        out = [self._packet(item) for item in self.packets[self.next:]]
        self.next = len(self.packets)
        return out

    def close(self) -> None:
        pass


def _video_stream(container: av.container.OutputContainer, plan: Plan) -> av.VideoStream:
    cfg = X264[plan.quality]
    stream = container.add_stream("libx264", rate=plan.fps)
    stream.width, stream.height, stream.pix_fmt = plan.width, plan.height, "yuv420p"
    stream.time_base = Fraction(1, plan.fps)
    rate = cfg["maxrate_kbps"]
    params = [f"keyint={plan.fps * KEYINT_SECONDS}", "colorprim=smpte170m", "transfer=smpte170m", "colormatrix=smpte170m",
              "range=tv"]
    if rate:
        # A VBV cap makes frame-threaded x264 output vary slightly from run to run (its rate control
        # reads the other threads' progress); only exports need the cap, so previews stay repeatable.
        params[:0] = [f"vbv-maxrate={rate}", f"vbv-bufsize={rate * 2}"]
    stream.options = {"preset": cfg["preset"], "crf": cfg["crf"], "x264-params": ":".join(params)}
    # Frame threads, not PyAV's default slice threads: x264 keeps both cores busier and the export
    # encodes ~10% faster (measured on 2 cores, 1080p veryfast), for ~2% more bytes. One per core, not
    # x264's 1.5 per core: each frame thread holds its own frames (+20 MB at 1080p) for no speed here.
    stream.thread_type = "FRAME"
    stream.thread_count = max(1, os.cpu_count() or 1)
    if plan.quality == "high":
        stream.options["profile"] = "high"
    return stream


def _soundtrack_key(plan: Plan) -> str | None:
    """Previews with sound keep their encoded soundtrack (see :mod:`.prepared`); exports do not."""
    if plan.quality != "preview" or not plan.has_audio:
        return None
    try:
        return prepared.digest("soundtrack", fingerprint(plan), X264[plan.quality], av.__version__, SAMPLE_RATE)
    except OSError:  # a track's file went missing: the mixer reports it
        return None


def _audio_stream(container: av.container.OutputContainer, plan: Plan) -> av.AudioStream:
    stream = container.add_stream("aac", rate=SAMPLE_RATE)
    stream.layout = "stereo"
    stream.bit_rate = X264[plan.quality]["audio_kbps"] * 1000
    cfg = X264[plan.quality]
    stream.options = {"aac_coder": str(cfg["aac_coder"])}
    if cfg["aac_coder"] == "fast":
        # Previews: no TNS, PNS, intensity or mid/side stereo search (a quarter less CPU).
        stream.options.update(aac_tns="0", aac_pns="0", aac_is="0", aac_ms="0")
    return stream


def encode_plan(plan: Plan, out: str | Path, *, progress: Callable[[RenderProgress], None] | None = None,
                cancel: threading.Event | None = None, started: float | None = None) -> EncodedVideo:
    """Encode ``plan`` to ``out`` (MP4). Raises RenderCancelled / RenderError; never leaves a partial file."""
    started = time.perf_counter() if started is None else started
    _bound_heap()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.part")
    total = plan.frames_total
    compositor = _Compositor(plan)
    audio: _AudioEncoder | _StoredAudio | None = None
    sound_key = _soundtrack_key(plan)
    container = None
    ok = False
    try:
        container = av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"})
        vstream = _video_stream(container, plan)
        if plan.has_audio:
            astream = _audio_stream(container, plan)
            stored = prepared.load_soundtrack(sound_key) if sound_key is not None else None
            if stored is not None:
                audio = _StoredAudio(astream, stored)
            else:
                audio = _AudioEncoder(plan, astream, round(total / plan.fps * SAMPLE_RATE), record=sound_key is not None)
            audio.start()
        compositor.start()
        last_report = 0.0
        for done in range(1, total + 1):
            if cancel is not None and cancel.is_set():
                raise RenderCancelled("The render was cancelled; no file was written.")
            i, item = compositor.ready.get()
            if item is _STOP:
                break
            if isinstance(item, BaseException):
                raise item
            frame = item[0]
            frame.pts = i
            container.mux(vstream.encode(frame))
            compositor.recycle(item)
            if audio is not None:
                container.mux(audio.ready(i / plan.fps))
            now = time.perf_counter()
            if progress is not None and (now - last_report >= 0.25 or done == total):
                last_report = now
                elapsed = now - started
                frac = done / total
                eta = elapsed / frac - elapsed if frac > 0 else None
                progress(RenderProgress(done, total, frac, eta, elapsed))
        if cancel is not None and cancel.is_set():
            raise RenderCancelled("The render was cancelled; no file was written.")
        container.mux(vstream.encode(None))
        if audio is not None:
            container.mux(audio.rest())
        container.close()
        container = None
        os.replace(tmp, out)
        ok = True
        if sound_key is not None and audio is not None and audio.recorded is not None:
            prepared.save_soundtrack(sound_key, audio.recorded)
    except (RenderError, KeyboardInterrupt):
        raise
    except Exception as exc:
        raise RenderError(f"The render failed: {exc}") from exc
    finally:
        compositor.stop()
        compositor.join(timeout=10)
        if audio is not None:
            audio.close()
        if container is not None:
            with contextlib.suppress(Exception):
                container.close()
        if not ok:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        cache_of(plan).close()
    return EncodedVideo(out, plan.width, plan.height, plan.fps, total, total / plan.fps, out.stat().st_size,
                        plan.has_audio, time.perf_counter() - started)


def _audio_frame(samples: np.ndarray, pts: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples.T.astype(np.float32)), format="fltp",
                                       layout="stereo")
    frame.sample_rate = SAMPLE_RATE
    frame.pts = pts
    frame.time_base = Fraction(1, SAMPLE_RATE)
    return frame
