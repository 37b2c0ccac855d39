"""Upload preparation: check a file before any byte is sent, then stream it as multipart from disk.

The body is produced chunk by chunk from the open file, with an exact ``Content-Length``, so the
client's memory does not grow with the file size (benchmarks/client_upload.py measures it).
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import formats, protocol
from .errors import FileTooLargeError, UnsupportedFileError, ValidationError

CHUNK_BYTES = 1024 * 1024

ProgressFn = Callable[[str, int, int], object]


def is_url(item: object) -> bool:
    return isinstance(item, str) and item.lower().startswith(("http://", "https://"))


def expand_folders(items: Sequence[str | os.PathLike[str]]) -> list[str | os.PathLike[str]]:
    """``items`` with each folder replaced by the media files directly inside it (by name, sorted).

    ``upload("campaign_photos/")`` is what a user types; files of other kinds in the folder (notes,
    .DS_Store) are skipped. A folder with no media file raises, saying so.
    """
    out: list[str | os.PathLike[str]] = []
    for item in items:
        path = Path(item).expanduser() if not is_url(item) else None
        if path is None or not path.is_dir():
            out.append(item)
            continue
        found = sorted((p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")
                        and formats.extension_format(p.name)), key=lambda p: p.name.lower())
        if not found:
            raise ValidationError(f"The folder {path} has no photo, video or audio file in it",
                                  hint=f"Supported formats: {protocol.supported_formats_text()}.")
        out.extend(found)
    return out


@dataclass
class LocalFile:
    """A file that passed the checks: its path, size and format by content."""

    path: Path
    size: int
    format: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def mime(self) -> str:
        return formats.MIME_TYPES.get(self.format, "application/octet-stream")


def check_file(item: str | os.PathLike[str], max_bytes: int = protocol.MAX_UPLOAD_BYTES) -> LocalFile:
    """Validate one local file: it exists, is ≤ 200 MB, and its first bytes are a supported format."""
    raw = os.fspath(item)
    url = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", raw) if isinstance(raw, str) else None
    if url:  # ftp://, file://, s3://...: not a path on this machine, and not a URL the server fetches
        scheme = url.group(1)
        raise ValidationError(f"Cannot upload {raw}: only http:// and https:// URLs can be fetched, not {scheme}://",
                              hint="Download the file first and upload it from disk.")
    path = Path(item).expanduser()
    if path.is_dir():
        raise ValidationError(f"{path} is a folder, not a file",
                              hint=f"Pass the files inside it, e.g. {path / '*.jpg'}.")
    if not path.is_file():
        raise ValidationError(f"No such file: {path}", hint="Check the path and try again.")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(
            f"{path.name} is {size / (1024 * 1024):.0f} MB, over the {max_bytes // (1024 * 1024)} MB limit"
        )
    if size == 0:
        raise UnsupportedFileError(f"{path.name} is empty")
    fmt = formats.sniff_file(path)
    if fmt is None:
        claimed = formats.extension_format(path.name)
        what = f"it is named .{path.suffix.lstrip('.')} but its content is not {claimed}" if claimed else \
            "its content is not a photo, video or audio format we accept"
        raise UnsupportedFileError(f"{path.name} cannot be uploaded: {what}")
    return LocalFile(path=path, size=size, format=fmt)


def _quote(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", " ").replace("\n", " ")


class MultipartFile:
    """A streamed ``multipart/form-data`` body with one file under the field ``files``."""

    def __init__(self, local: LocalFile, field: str = "files", progress: ProgressFn | None = None) -> None:
        self.local = local
        self.boundary = uuid.uuid4().hex
        self.progress = progress
        self._head = (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{_quote(local.name)}"\r\n'
            f"Content-Type: {local.mime}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def length(self) -> int:
        return len(self._head) + self.local.size + len(self._tail)

    def headers(self) -> dict[str, str]:
        return {"Content-Type": self.content_type, "Content-Length": str(self.length)}

    async def stream(self) -> AsyncIterator[bytes]:
        """The body, read from disk one chunk at a time (file reads run off the event loop)."""
        yield self._head
        sent = 0
        total = self.local.size
        if self.progress:
            self.progress(self.local.name, 0, total)
        with open(self.local.path, "rb") as fh:
            while True:
                chunk = await asyncio.to_thread(fh.read, CHUNK_BYTES)
                if not chunk:
                    break
                sent += len(chunk)
                if sent > total:
                    raise ValidationError(f"{self.local.name} grew while it was being uploaded",
                                          hint="Upload it again once it is no longer being written.")
                yield chunk
                if self.progress:
                    self.progress(self.local.name, sent, total)
        if sent != total:
            raise ValidationError(f"{self.local.name} changed while it was being uploaded",
                                  hint="Upload it again once it is no longer being written.")
        yield self._tail
