"""One render in its own process: ``python -m nemo_nb.engine.render_worker``.

Why a process: rendering is CPU-bound, so it must not compete with the API for the GIL, a crash in
a decoder must not take the engine down, and its memory is returned when it ends. Protocol: the
engine writes one JSON line (the job spec) to stdin; the worker answers JSON lines on stdout
(``progress`` ..., then one ``done`` | ``cancelled`` | ``error``). A line ``cancel`` on stdin, or
stdin closing (the engine died, even by SIGKILL), cancels the render, which leaves no partial file.
A render that does not stop within :data:`STUCK_EXIT_S` of a cancel (stuck in a decoder, say) ends
the process itself; the engine kills it too after its own grace, and the kernel kills it when the
engine's thread that started it dies (``PR_SET_PDEATHSIG``): a worker never outlives its engine.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
from typing import Any, TextIO


def _emit(out: TextIO, lock: threading.Lock, **event: Any) -> None:
    with lock:
        out.write(json.dumps(event, separators=(",", ":")) + "\n")
        out.flush()


#: Seconds between a cancel and the worker ending itself if the render has not stopped by then.
STUCK_EXIT_S = 0.5


def _watch_stdin(cancel: threading.Event) -> None:
    for line in sys.stdin:
        if line.strip() == "cancel":
            break
    cancel.set()
    time.sleep(STUCK_EXIT_S)  # the render checks ``cancel`` every frame; a stuck one ends here
    os._exit(3)


def die_with_parent() -> None:
    """Linux: SIGKILL this worker when the engine thread that started it goes away, however it went."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG


def _result_info(result: Any, out_path: str) -> dict[str, Any]:
    info: dict[str, Any] = {}
    for key in ("width", "height", "duration_ms", "frames", "fps", "size_bytes"):
        value = getattr(result, key, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            info[key] = value
    seconds = getattr(result, "duration_s", None)
    if "duration_ms" not in info and isinstance(seconds, (int, float)):
        info["duration_ms"] = round(seconds * 1000)
    if os.path.exists(out_path):
        info["size_bytes"] = os.path.getsize(out_path)
    return info


def main() -> int:
    # Protocol lines go to a private copy of stdout; anything a library prints goes to stderr.
    die_with_parent()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    lock = threading.Lock()
    spec = json.loads(sys.stdin.readline() or "{}")
    cancel = threading.Event()
    threading.Thread(target=_watch_stdin, args=(cancel,), daemon=True).start()
    last = [0.0]

    def progress(p: Any) -> None:
        now = time.monotonic()
        done, total = int(getattr(p, "frames_done", 0)), int(getattr(p, "frames_total", 0))
        if now - last[0] < 0.2 and done < total:
            return
        last[0] = now
        _emit(out, lock, event="progress", frames_done=done, frames_total=total,
              fraction=float(getattr(p, "fraction", done / total if total else 0.0)),
              eta_s=getattr(p, "eta_s", None), elapsed_s=getattr(p, "elapsed_s", None))

    from nemo_nb.engine.drafts import unknown_media_message
    from nemo_nb.render import RenderCancelled, render

    unknown = unknown_media_message(spec["draft"], spec["media"])
    if unknown is not None:  # the engine checked already; the renderer would otherwise open a path
        _emit(out, lock, event="error", type="EngineError", message=unknown)
        return 1
    try:
        result = render(spec["draft"], spec["media"], spec["out"], quality=spec.get("quality", "high"),
                        progress=progress, cancel=cancel)
    except RenderCancelled:
        _emit(out, lock, event="cancelled")
        return 0
    except Exception as exc:  # the job reads failed with this message
        _emit(out, lock, event="error", type=type(exc).__name__, message=(str(exc) or type(exc).__name__)[:2000])
        return 1
    _emit(out, lock, event="done", info=_result_info(result, spec["out"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
