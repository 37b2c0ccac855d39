"""``nemo-nb serve --dask ADDRESS``: the engine's render jobs run as tasks on a Dask cluster.

The job's spec (draft, media, quality) is what the local worker process would get; the media files
travel as bytes (scattered once per content; the cluster may not share this disk) and the MP4 comes
back as bytes, written where the local worker would have written it. The scheduler retries a task
whose worker died. Answers are the local worker's final events (``done`` / ``error`` /
``cancelled``), so the job manager closes the job the same way. Dask is imported only here.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

#: Attempts after the first when a worker dies under a render.
RETRIES = 2


def render_job(draft: dict[str, Any], media: dict[str, Any], quality: str) -> dict[str, Any]:
    """Runs on a Dask worker: the render's bytes and the numbers the engine records."""
    import tempfile

    from nemo_nb.engine.drafts import unknown_media_message
    from nemo_nb.engine.render_worker import _result_info
    from nemo_nb.render import render
    from nemo_nb.render.chunked import local_media

    unknown = unknown_media_message(draft, media)
    if unknown is not None:  # checked before queueing; a worker never opens a path it is sent
        return {"error": unknown}
    with tempfile.TemporaryDirectory(prefix="nemo-job-") as tmp:
        out = Path(tmp) / "render.mp4"
        result = render(draft, local_media(media), out, quality=quality)
        return {"data": out.read_bytes(), "info": _result_info(result, str(out))}


class DaskJobs:
    """A lazily connected Dask client shared by the engine's runner threads."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._client: Any = None
        self._lock = threading.Lock()

    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                try:
                    from distributed import Client
                except ImportError:
                    raise RuntimeError("--dask needs Dask on the engine's machine: pip install 'nemo_nb[dask]'") from None
                self._client = Client(self.address, timeout=30)
            return self._client

    def run(self, spec: dict[str, Any], cancel: threading.Event, progress: dict[str, Any]) -> dict[str, Any]:
        """Render ``spec`` on the cluster; the final event, as the local worker would answer."""
        try:
            client = self.client()
            used = _used_media(spec["draft"], spec["media"])
            shared = client.scatter({k: (Path(p).name, Path(p).read_bytes()) for k, p in used.items()}, hash=True)
            future = client.submit(render_job, spec["draft"], shared, spec["quality"], retries=RETRIES, pure=False)
            progress.update(fraction=0.0)
            while not future.done():
                if cancel.is_set():
                    future.cancel()
                    return {"event": "cancelled"}
                time.sleep(0.1)
            answer = future.result()
            if "error" in answer:
                return {"event": "error", "message": answer["error"]}
        except Exception as exc:  # the job fails with the cluster's reason
            return {"event": "error", "message": f"the Dask cluster at {self.address} failed the render: "
                                                 f"{type(exc).__name__}: {exc}"}
        tmp = Path(spec["out"]).with_name(f".{Path(spec['out']).name}.{os.getpid()}.part")
        tmp.write_bytes(answer["data"])
        os.replace(tmp, spec["out"])
        progress.update(fraction=1.0)
        return {"event": "done", "info": answer["info"]}

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None


def _used_media(draft: dict[str, Any], media: dict[str, str]) -> dict[str, str]:
    """Only the session's files the draft names (a session may hold many more)."""
    text = repr(draft)
    return {k: p for k, p in media.items() if k in text}
