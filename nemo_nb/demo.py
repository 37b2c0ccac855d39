"""The main job from a terminal: photos in, an MP4 out (``nemo-nb demo``, ``nemo-nb make``).

It is the same path a notebook takes — backend.resolve() → NemoClient → the seed protocol — so it
works on the embedded engine with no account and no network, and on the cloud with a token.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TextIO

from . import protocol, samples
from .backend import resolve
from .client import Event, NemoClient, NemoError, RenderJob, StillWorking, TextDelta
from .client.upload import check_file, expand_folders, is_url

DEFAULT_REQUEST = "turn these photos into a 30-second video with transitions and background music"


class _Progress:
    """One status line on a terminal, plain lines elsewhere (CI logs)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.tty = out.isatty()
        self._last = 0.0

    def job(self, job: RenderJob) -> None:
        now = time.monotonic()
        if not self.tty and now - self._last < 2.0:
            return
        self._last = now
        p = job.progress or {}
        frac = float(p.get("fraction") or 0.0)
        eta = p.get("eta_s")
        bar = "#" * int(frac * 30)
        eta_txt = f", ETA {float(eta):.0f}s" if eta is not None else ""
        line = f"rendering [{bar:<30}] {frac * 100:5.1f}% ({job.status}{eta_txt})"
        self.out.write(("\r" + line) if self.tty else (line + "\n"))
        self.out.flush()

    def done(self) -> None:
        if self.tty:
            self.out.write("\n")


async def make_video(
    photos: Sequence[str | Path],
    request: str,
    out: Path,
    *,
    quality: str = "high",
    backend: str | None = None,
    base_url: str | None = None,
    stream: TextIO = sys.stderr,
) -> Path:
    """Upload ``photos``, ask for ``request``, export, and download the MP4 to ``out``."""
    photos = expand_folders(photos)
    for item in photos:  # every file checked before the engine starts or a session is made
        if not is_url(item):
            check_file(item)
    where = resolve(backend, base_url)
    print(f"Setting things up... ({where.label})", file=stream)
    async with NemoClient(where.base_url, where.token, env_token=where.name == "cloud",
                          token_key=where.token_key) as client:
        session = await client.create_session()
        print(f"Uploading {len(photos)} file(s)...", file=stream)
        await client.upload(session.session_id, *photos)
        print(f"> {request}", file=stream)
        await _say(client.send(session.session_id, request), stream)
        progress = _Progress(stream)
        job = await client.export(session.session_id, quality=quality, progress=progress.job)
        progress.done()
        if not job.url:
            raise NemoError("The render finished without a download URL", hint="Try exporting again.")
        path = await client.save_render(job, out)
    print(f"Saved {path} ({path.stat().st_size / 1e6:.1f} MB)", file=stream)
    return path


async def _say(events: AsyncIterator[Event], stream: TextIO) -> None:
    """The agent's words as they stream, without its tool names and without blank lines."""
    last = "\n"
    async for event in events:
        text = event.text if isinstance(event, TextDelta) else ""
        if isinstance(event, StillWorking):
            text = ("" if last == "\n" else "\n") + event.text + "\n"
        text = re.sub(r"\n\s*\n", "\n", text)
        if last == "\n":
            text = text.lstrip("\n")
        if text:
            stream.write(text)
            last = text[-1]
    if last != "\n":
        stream.write("\n")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``demo`` and ``make`` on the ``nemo-nb`` parser."""
    demo = sub.add_parser("demo", help="photos → MP4 with the bundled sample photos (offline)",
                          description="Make a 30-second video from the package's sample photos on the embedded engine.")
    make = sub.add_parser("make", help="your photos → MP4",
                          description="Upload photos, ask for a video in plain words, export and download the MP4.")
    make.add_argument("photos", nargs="+", help="image, video or audio files, folders of them, or http(s) URLs")
    for p in (demo, make):
        p.add_argument("--say", default=DEFAULT_REQUEST, help=f'the request (default: "{DEFAULT_REQUEST}")')
        p.add_argument("--out", default="nemo_demo.mp4" if p is demo else "nemo_video.mp4", help="where to save the MP4")
        p.add_argument("--quality", choices=list(protocol.RENDER_QUALITIES), default="high",
                       help="; ".join(f"{q}: {label}" for q, label in protocol.RENDER_QUALITIES.items()))
        p.add_argument("--backend", choices=("local", "cloud"), default=None,
                       help="default: local unless NEMO_TOKEN or NEMO_BASE_URL is set")
        p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    photos = getattr(args, "photos", None) or [str(p) for p in samples.photos()]
    try:
        asyncio.run(make_video(photos, args.say, Path(args.out), quality=args.quality, backend=args.backend))
    except NemoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
