"""CPU seconds per stage of one export, each read from the clock of the thread that does the work.

``compose``: the compositor thread (text and logo sprites included), less any photo decode it did
itself; ``decode``: every photo decode and subject search, read-ahead or not; ``audio``: the soundtrack's
mix and AAC thread. The rest of the process's CPU (``encoder``) is x264's threads and the main thread
that feeds and muxes them. Instrumentation only: the wrapped methods run unchanged.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

STAGES = ("compose", "decode", "audio")


class StageClock:
    def __init__(self) -> None:
        self.cpu = dict.fromkeys(STAGES, 0.0)
        self._lock = threading.Lock()

    def _timed(self, stage: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.thread_time()
            try:
                return method(*args, **kwargs)
            finally:
                spent = time.thread_time() - t0
                with self._lock:
                    self.cpu[stage] += spent
                    if stage == "decode" and threading.current_thread().name == "nemo-compositor":
                        self.cpu["compose"] -= spent  # counted once, as decode
        return timed

    @contextlib.contextmanager
    def installed(self) -> Iterator[StageClock]:
        """Time the stages of the exports run inside the ``with`` block."""
        from nemo_nb.render import compose, encode

        targets = [(encode._Compositor, "run", "compose"), (encode._AudioEncoder, "run", "audio"),
                   (compose.SourceCache, "prepare", "decode")]
        saved = [(cls, name, getattr(cls, name)) for cls, name, _ in targets]
        for (cls, name, stage), (_, _, method) in zip(targets, saved, strict=True):
            setattr(cls, name, self._timed(stage, method))
        try:
            yield self
        finally:
            for cls, name, method in saved:
                setattr(cls, name, method)

    def split(self, total_cpu: float) -> dict[str, float]:
        """Each stage's CPU seconds, plus ``encoder``: what the process spent besides them."""
        return {**self.cpu, "encoder": total_cpu - sum(self.cpu.values())}
