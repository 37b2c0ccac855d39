"""One variant's render as a self-contained task (what an executor or a Dask worker runs).

Imports only the renderer, so a worker needs ``nemo_nb`` and nothing of the notebook. Photos arrive
as bytes (scattered once per campaign on Dask) and are written once per worker under their content
digest (:func:`nemo_nb.render.chunked.local_media`), so the prepared-photo store decodes each photo
once per worker and size. The MP4 comes back
as bytes, or is written to an fsspec URL / shared folder when ``out`` is given.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

POSTER_MAX = (480, 480)
#: Where in a variant its poster is taken (past the title's entrance, with the caption on screen).
POSTER_AT = 0.75


def poster(path: str | Path, at_s: float) -> bytes:
    """A JPEG of the frame at ``at_s``."""
    import io

    import av
    from PIL import Image

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time >= at_s:
                break
        if frame is None:
            return b""
        img = frame.to_image()
    img.thumbnail(POSTER_MAX)
    buf = io.BytesIO()
    Image.Image.save(img, buf, "JPEG", quality=82)
    return buf.getvalue()


def _write_out(local: Path, out: str, name: str) -> str:
    """Copy the MP4 to ``out`` (a folder path or an fsspec URL); its final location."""
    if "://" in out:
        try:
            import fsspec
        except ImportError:  # pragma: no cover - depends on the install
            raise RuntimeError(f"out={out!r} needs fsspec: pip install fsspec (and s3fs for s3://)") from None
        target = out.rstrip("/") + "/" + name
        with fsspec.open(target, "wb") as fh, open(local, "rb") as src:
            while chunk := src.read(1 << 20):
                fh.write(chunk)
        return target
    target_path = Path(out).expanduser() / name
    target_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = target_path.with_name(f".{name}.{os.getpid()}.part")
    tmp.write_bytes(local.read_bytes())
    os.replace(tmp, target_path)
    return str(target_path)


def render_variant(draft: dict[str, Any], blobs: dict[str, tuple[str, bytes]], name: str,
                   quality: str = "preview", out: str | None = None) -> dict[str, Any]:
    """Render one variant; its numbers, poster, and the MP4 (``data``) or where it was written (``location``)."""
    from nemo_nb.render import render
    from nemo_nb.render.chunked import local_media

    media = local_media(blobs)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nemo-variant-") as tmp:
        local = Path(tmp) / f"{name}.mp4"
        result = render(draft, media, local, quality=quality)
        info: dict[str, Any] = {
            "width": result.width, "height": result.height, "frames": result.frames, "fps": result.fps,
            "duration_s": result.duration_s, "size_bytes": result.size_bytes,
            "render_s": time.perf_counter() - started, "poster": poster(local, result.duration_s * POSTER_AT),
            "worker": os.uname().nodename if hasattr(os, "uname") else "", "pid": os.getpid(),
        }
        if out is None:
            info["data"] = local.read_bytes()
        else:
            info["location"] = _write_out(local, out, f"{name}.mp4")
    return info
