"""Uploads: multipart bodies parsed while they stream in, each file written straight to a temp file.

The whole upload is never in memory: bytes go from the socket to a private temp file in chunks,
the size cap is checked as they arrive, and the content is sniffed from the first bytes (a binary
named ``.mp4`` is refused before the rest is read). A finished file is probed by the renderer and
only then moved into the media folder and recorded, all files of one request together; on any
failure every temp file is removed, so the store is exactly as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import formats
from . import errors
from .settings import EngineSettings
from .store import Store

MAX_HEADER_BYTES = 16 * 1024
MAX_FIELD_BYTES = 64 * 1024
MAX_PARTS = 100


@dataclass
class Staged:
    """One received file waiting in ``tmp/`` for validation."""

    name: str
    path: Path
    size: int = 0
    fmt: str | None = None
    source: str = "upload"
    info: Any = None
    media_id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


#: Unicode categories dropped from names: controls, format characters (bidi overrides such as U+202E,
#: which make "gnp.exe" display as "exe.png", zero-width characters), surrogates, line separators.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def clean_name(name: str | None, default: str = "upload") -> str:
    """A display name: last path component, nothing invisible or direction-changing, bounded length."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _HIDDEN).strip()
    return name[:200] or default


class Receiver:
    """Writes one file's bytes to a temp file, enforcing the size cap and sniffing the content."""

    def __init__(self, store: Store, name: str, limit: int, source: str = "upload") -> None:
        self.staged = Staged(name=clean_name(name), path=_temp_path(store), source=source)
        self._fd: int | None = os.open(self.staged.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._limit = limit
        self._head = b""

    def write(self, data: bytes | memoryview) -> None:
        if not data:
            return
        self.staged.size += len(data)
        if self.staged.size > self._limit:
            raise errors.too_large(self.staged.name, self._limit)
        if self.staged.fmt is None and len(self._head) < formats.SNIFF_BYTES:
            self._head += bytes(data[: formats.SNIFF_BYTES - len(self._head)])
            if len(self._head) >= formats.SNIFF_BYTES:
                self._check_format()
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]  # type: ignore[arg-type]

    def _check_format(self) -> None:
        fmt = formats.sniff(self._head)
        if fmt is None:
            why = "the file is empty" if not self._head else (
                "its content is not a supported photo, video or audio format, whatever its name says")
            raise errors.unsupported(self.staged.name, why)
        self.staged.fmt = fmt

    def finish(self) -> Staged:
        if self.staged.fmt is None:
            self._check_format()
        self.close()
        return self.staged

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def discard(self) -> None:
        self.close()
        with contextlib.suppress(OSError):
            self.staged.path.unlink()


def _temp_path(store: Store) -> Path:
    return store.tmp_dir / f"up_{os.urandom(12).hex()}.part"


def discard_all(staged: list[Staged]) -> None:
    for item in staged:
        with contextlib.suppress(OSError):
            item.path.unlink()


# --- multipart ------------------------------------------------------------------------------------

def boundary_of(content_type: str) -> bytes:
    match = re.search(r'boundary=(?:"([^"]+)"|([^;\s]+))', content_type or "", re.I)
    if not match:
        raise errors.bad_request("A multipart upload needs a boundary in its Content-Type: send files as "
                                 "multipart/form-data (files=@path).")
    boundary = (match.group(1) or match.group(2)).encode("latin-1")
    if len(boundary) > 200:
        raise errors.bad_request("The multipart boundary is too long.")
    return boundary


def _disposition(headers: bytes) -> tuple[str | None, str | None]:
    """(field name, file name) from a part's Content-Disposition header."""
    text = headers.decode("utf-8", "replace")
    line = next((h for h in text.split("\r\n") if h.lower().startswith("content-disposition:")), "")
    params: dict[str, str] = {}
    for match in re.finditer(r';\s*([\w*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))', line):
        value = match.group(2) if match.group(2) is not None else (match.group(3) or "").strip()
        params[match.group(1).lower()] = value.replace('\\"', '"')
    filename = params.get("filename")
    star = params.get("filename*")
    if star and "''" in star:
        from urllib.parse import unquote

        filename = unquote(star.split("''", 1)[1])
    return params.get("name"), filename


async def receive_multipart(chunks: AsyncIterator[bytes], content_type: str, store: Store,
                            settings: EngineSettings) -> list[Staged]:
    """Stream a multipart body into temp files; every file part is one :class:`Staged`.

    On failure the temp files are gone and the rest of the body has been drained (up to
    ``max_drain_bytes``) so the client reads the error instead of a reset connection.
    """
    delim = b"--" + boundary_of(content_type)
    sep = b"\r\n" + delim
    staged: list[Staged] = []
    current: Receiver | None = None
    field_bytes = 0
    buf = bytearray()
    state = "preamble"
    it = chunks.__aiter__()
    try:
        done = False
        async for chunk in it:
            buf += chunk
            while True:
                if state == "preamble":
                    at = buf.find(delim)
                    if at < 0:
                        if len(buf) > MAX_HEADER_BYTES:
                            raise errors.bad_request("Not a multipart body: no boundary found.")
                        break
                    del buf[: at + len(delim)]
                    state = "after_delim"
                if state == "after_delim":
                    if len(buf) < 2:
                        break
                    if buf[:2] == b"--":
                        done = True
                        break
                    if buf[:2] != b"\r\n":
                        raise errors.bad_request("Malformed multipart body (bad boundary line).")
                    del buf[:2]
                    state = "headers"
                if state == "headers":
                    at = buf.find(b"\r\n\r\n")
                    if at < 0:
                        if len(buf) > MAX_HEADER_BYTES:
                            raise errors.bad_request("Multipart part headers are too long.")
                        break
                    _name, filename = _disposition(bytes(buf[:at]))
                    del buf[: at + 4]
                    if filename is not None:
                        if len(staged) >= MAX_PARTS:
                            raise errors.bad_request(f"At most {MAX_PARTS} files per upload.")
                        current = Receiver(store, filename, settings.max_upload_bytes)
                    state = "body"
                    field_bytes = 0
                if state == "body":
                    at = buf.find(sep)
                    if at < 0:
                        flush = len(buf) - (len(sep) - 1)
                        if flush > 0:
                            with memoryview(buf) as view:  # no copy; released before buf shrinks
                                field_bytes = _emit(current, view[:flush], field_bytes)
                            del buf[:flush]
                        break
                    with memoryview(buf) as view:
                        _emit(current, view[:at], field_bytes)
                    del buf[: at + len(sep)]
                    if current is not None:
                        staged.append(current.finish())
                        current = None
                    state = "after_delim"
            if done:
                break
        if not done:
            raise errors.bad_request("The multipart body ended early: the upload was interrupted, send it again.")
        if not staged:
            raise errors.bad_request("No file in the upload: send multipart files=@path, or JSON "
                                     '{"urls": [...], "source_type": "url"}.')
        await _drain(it, settings.max_drain_bytes)
        return staged
    except BaseException:
        if current is not None:
            current.discard()
        discard_all(staged)
        with contextlib.suppress(Exception):
            await _drain(it, settings.max_drain_bytes)
        raise


def _emit(current: Receiver | None, data: memoryview, field_bytes: int) -> int:
    if current is not None:
        current.write(data)
        return field_bytes
    field_bytes += len(data)
    if field_bytes > MAX_FIELD_BYTES:
        raise errors.bad_request("A non-file form field is too large.")
    return field_bytes


async def _drain(it: AsyncIterator[bytes], limit: int) -> None:
    """Read and drop what is left of the body (bounded), so the answer reaches the client."""
    seen = 0
    with contextlib.suppress(Exception):
        async for chunk in it:
            seen += len(chunk)
            if seen > limit:
                return


# --- validation and commit ------------------------------------------------------------------------

async def validate(staged: list[Staged], probe: Callable[[Path], Any]) -> None:
    """Probe every file off the event loop; 4001 naming the file when one is not usable."""
    for item in staged:
        try:
            item.info = await asyncio.to_thread(probe, item.path)
        except Exception as exc:  # MediaError (4001) and anything a hostile file makes a decoder raise
            why = str(exc).split(": ", 1)[-1] if str(exc) else type(exc).__name__
            why = why.replace(str(item.path), item.name).replace(item.path.name, item.name).rstrip(".")
            raise errors.unsupported(item.name, why or "the file could not be read") from None


def commit(store: Store, session_id: str, staged: list[Staged]) -> list[dict[str, Any]]:
    """Move validated files into ``media/`` and record them, all or nothing."""
    moved: list[Path] = []
    items = []
    try:
        for item in staged:
            info = item.info
            fmt = getattr(info, "format", None) or item.fmt or "bin"
            media_id = store.new_media_id()
            target = store.media_dir / f"{media_id}.{fmt}"
            os.replace(item.path, target)
            moved.append(target)
            items.append({
                "id": media_id, "name": item.name, "format": fmt,
                "kind": getattr(info, "kind", None) or formats.media_kind(fmt) or "photo",
                "width": getattr(info, "width", None) or None, "height": getattr(info, "height", None) or None,
                "duration_ms": getattr(info, "duration_ms", None) or None, "size_bytes": item.size,
                "file": target.name, "source": item.source,
            })
        return store.add_media(session_id, items)
    except BaseException:
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        discard_all(staged)
        raise
