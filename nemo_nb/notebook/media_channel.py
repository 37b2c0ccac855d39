"""Files to the browser through a widget's own channel, never through a URL it would have to reach.

On remote Jupyter (JupyterHub, Binder) the browser is not on the kernel's machine, so a loopback URL
of the engine means nothing there. Any anywidget can send a file instead as ``msg:custom`` messages
with binary buffers, ``{kind: "video_chunk", render_id, offset, total, mime, name}`` (≤ 4 MB each,
below the default websocket message limits), which ``js/media_channel.js`` turns into a Blob URL.
A file that cannot be sent becomes one ``{kind: "video_error", render_id, message}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: Bytes per message: under Jupyter's websocket limits, large enough that a 30 MB MP4 is 8 messages.
CHUNK_BYTES = 4 * 1024 * 1024

Message = tuple[dict[str, Any], list[bytes]]
Send = Callable[[dict[str, Any], list[bytes]], None]


def file_messages(key: str, path: str | Path | None, mime: str = "video/mp4",
                  chunk_bytes: int | None = None) -> Iterator[Message]:
    """The messages that carry ``path`` to the browser under ``key`` (an error message if it is gone)."""
    path = Path(path) if path else None
    if path is None or not path.is_file():
        yield {"kind": "video_error", "render_id": key,
               "message": "The video file is not on the kernel's disk any more."}, []
        return
    size = chunk_bytes or CHUNK_BYTES
    total = path.stat().st_size
    with open(path, "rb") as fh:
        offset = 0
        while offset < total:
            chunk = fh.read(size)
            if not chunk:
                break
            yield {"kind": "video_chunk", "render_id": key, "offset": offset, "total": total, "mime": mime,
                   "name": path.name}, [chunk]
            offset += len(chunk)


def send_file(send: Send, key: str, path: str | Path | None, mime: str = "video/mp4",
              chunk_bytes: int | None = None) -> None:
    """Send ``path`` with ``send(content, buffers)`` (e.g. a widget's ``send`` or a queueing wrapper)."""
    for content, buffers in file_messages(key, path, mime, chunk_bytes):
        send(content, buffers)


__all__ = ["CHUNK_BYTES", "file_messages", "send_file"]
