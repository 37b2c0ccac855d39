"""The render result and how it shows in a notebook output: a player that keeps notebooks light.

A saved notebook should not carry 50 MB of base64: IOPub is throttled near 1 MB/s and Colab caps
display data near 10 MB. So by default a result embeds the video only when it is small
(``EMBED_LIMIT_BYTES``); otherwise it shows a poster frame, its facts and a link. ``embed=True``
forces the embedded player; ``embed=False`` never embeds.
"""

from __future__ import annotations

import base64
import html
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..netloc import is_loopback_url

#: Results at most this big are embedded as an inline player by default.
EMBED_LIMIT_BYTES = 2_000_000
POSTER_WIDTH = 480


@dataclass
class VideoFacts:
    width: int
    height: int
    duration_s: float
    has_audio: bool


def probe_video(path: str | Path) -> VideoFacts:
    """Width, height and duration read from the MP4 itself (PyAV)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        if not duration and container.duration:
            duration = container.duration / 1_000_000
        return VideoFacts(
            width=int(stream.codec_context.width),
            height=int(stream.codec_context.height),
            duration_s=round(float(duration or 0.0), 3),
            has_audio=bool(container.streams.audio),
        )


def poster_jpeg(path: str | Path, at_s: float = 1.0, width: int = POSTER_WIDTH) -> bytes:
    """A JPEG of the frame near ``at_s`` (the first frame may be a fade from black)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        chosen = None
        for frame in container.decode(stream):
            chosen = frame
            if frame.time is not None and frame.time >= at_s:
                break
        if chosen is None:
            raise ValueError(f"{path} has no video frames")
        image = chosen.to_image()
    height = max(2, round(image.height * width / max(1, image.width)))
    image = image.resize((width, height))
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


@dataclass
class RenderResult:
    """A finished export: the MP4 on the kernel's disk plus what the backend said about it."""

    id: str
    path: Path
    url: str | None = None
    backend: str = ""
    session: str = ""
    quality: str = "high"
    size_bytes: int = 0
    width: int = 0
    height: int = 0
    duration_s: float = 0.0
    has_audio: bool = False
    seconds: float | None = None
    embed: bool | None = None
    _poster: bytes | None = field(default=None, repr=False)

    @classmethod
    def from_file(cls, render_id: str, path: str | Path, **kw: Any) -> RenderResult:
        path = Path(path)
        facts = probe_video(path)
        return cls(id=render_id, path=path, size_bytes=path.stat().st_size, width=facts.width,
                   height=facts.height, duration_s=facts.duration_s, has_audio=facts.has_audio, **kw)

    # --- data ---------------------------------------------------------------------------------
    @property
    def size_mb(self) -> float:
        return round(self.size_bytes / 1e6, 2)

    @property
    def name(self) -> str:
        return self.path.name

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()

    def poster(self) -> bytes:
        """The poster frame as JPEG bytes (computed once)."""
        if self._poster is None:
            self._poster = poster_jpeg(self.path, at_s=min(1.0, self.duration_s / 3))
        return self._poster

    def save(self, dest: str | Path) -> Path:
        """Copy the MP4 to ``dest`` (a file or a folder) and return where it went."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / self.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.path, dest)
        return dest

    def show(self, embed: bool = True) -> RenderResult:
        """The same result, displayed with the given embedding choice (``embed=True`` forces it)."""
        return RenderResult(**{**self.__dict__, "embed": embed})

    # --- display ------------------------------------------------------------------------------
    def _facts(self) -> str:
        parts = [f"{self.duration_s:g} s", f"{self.width}×{self.height}", f"{self.size_mb:g} MB"]
        if self.seconds is not None:
            parts.append(f"rendered in {self.seconds:.1f} s")
        if self.backend:
            parts.append(f"{self.backend} backend")
        return " · ".join(parts)

    def __repr__(self) -> str:
        return (f"RenderResult(id={self.id!r}, {self.duration_s:g} s, {self.width}x{self.height}, "
                f"{self.size_mb:g} MB, path={str(self.path)!r})")

    def _browser_url(self) -> str | None:
        """The backend's URL of the MP4 if a browser elsewhere can open it: never the local engine's
        loopback address, which means nothing to a browser on another machine (remote Jupyter)."""
        return self.url if self.url and not is_loopback_url(self.url) else None

    def _should_embed(self) -> bool:
        if self.embed is not None:
            return self.embed
        return 0 < self.size_bytes <= EMBED_LIMIT_BYTES

    def _repr_html_(self) -> str:
        title = html.escape(self.name)
        facts = html.escape(self._facts())
        where = html.escape(str(self.path))
        style = ("font-family: var(--jp-ui-font-family, sans-serif); color: var(--jp-ui-font-color1, inherit);"
                 "max-width: 640px")
        if self._should_embed():
            data = base64.b64encode(self.read_bytes()).decode("ascii")
            muted = "" if self.has_audio else " muted"
            media = (f'<video controls playsinline{muted} preload="metadata" style="max-width:100%;max-height:480px" '
                     f'src="data:video/mp4;base64,{data}"></video>')
        else:
            poster = base64.b64encode(self.poster()).decode("ascii")
            img = f'<img alt="poster of {title}" style="max-width:100%" src="data:image/jpeg;base64,{poster}">'
            url = self._browser_url()
            media = f'<a href="{html.escape(url)}" target="_blank">{img}</a>' if url else img
        url = self._browser_url()
        link = f' · <a href="{html.escape(url)}" target="_blank">open the MP4</a>' if url else ""
        hint = "" if self._should_embed() else (
            " · not embedded to keep the notebook light: <code>result.show(embed=True)</code> embeds it")
        return (f'<figure class="nemo-render" style="{style}">{media}'
                f'<figcaption><b>{title}</b> · {facts}{link}<br><small><code>{where}</code>{hint}</small>'
                f"</figcaption></figure>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


__all__ = ["EMBED_LIMIT_BYTES", "RenderResult", "VideoFacts", "poster_jpeg", "probe_video"]
