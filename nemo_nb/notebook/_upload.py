"""Browser → kernel file transfer in acknowledged, checksummed chunks.

Tornado drops any websocket message over 10 MiB, silently. So the widget sends a file as chunks of
at most ``CHUNK_BYTES`` with their offset and SHA-256; each chunk is checked and acknowledged
before the next is sent, and a bad one is refused (``nack``) so the browser resends it. The whole
file's SHA-256 is checked at the end. The format is sniffed from the first chunk, so a binary
named ``photo.jpg`` is refused before 200 MB cross the wire.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config, formats, protocol

CHUNK_BYTES = 4 * 1024 * 1024


class UploadRefused(Exception):
    """A file the kernel will not take; ``hint`` says what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass
class _Transfer:
    name: str
    size: int
    part: Path
    received: int = 0
    digest: Any = field(default_factory=hashlib.sha256)


def safe_name(name: str) -> str:
    """A file name that cannot escape the upload folder."""
    base = os.path.basename(str(name).replace("\\", "/")).strip().lstrip(".")
    base = re.sub(r"[^\w.\- ()\[\]]+", "_", base)[:120]
    return base or "upload"


class UploadReceiver:
    """The kernel side of chunked uploads into ``root``; replies are dicts for the widget."""

    def __init__(self, root: Path, max_bytes: int = protocol.MAX_UPLOAD_BYTES,
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.chunk_bytes = chunk_bytes
        self._transfers: dict[str, _Transfer] = {}

    def begin(self, upload_id: str, name: str, size: int) -> None:
        """Check name and size before any byte is sent; raises UploadRefused."""
        fmt = formats.extension_format(name)
        if fmt is None:
            raise UploadRefused(f"{name}: this file type is not supported",
                                f"Supported formats: {protocol.supported_formats_text()}.")
        if not isinstance(size, int) or size <= 0:
            raise UploadRefused(f"{name} is empty", "Choose a file that has content.")
        if size > self.max_bytes:
            raise UploadRefused(
                f"{name} is {size / 1e6:.0f} MB, over the {self.max_bytes // (1024 * 1024)} MB limit",
                "Compress or trim it and upload again.")
        config.ensure_private_dir(self.root)
        part = self.root / f".{safe_name(upload_id)}.part"
        part.write_bytes(b"")
        self._transfers[upload_id] = _Transfer(name=name, size=size, part=part)

    def chunk(self, upload_id: str, offset: int, sha256: str, data: bytes) -> dict[str, Any]:
        """Append one chunk: an ``upload_ack`` or an ``upload_nack`` (resend) reply."""
        t = self._transfers.get(upload_id)
        if t is None:
            raise UploadRefused("This upload was not started or was already finished", "Add the file again.")
        nack = {"kind": "upload_nack", "upload_id": upload_id, "offset": offset, "expected": t.received}
        if offset != t.received:
            return {**nack, "reason": f"expected offset {t.received}, got {offset}"}
        if len(data) > self.chunk_bytes:
            return {**nack, "reason": f"chunk of {len(data)} bytes is over {self.chunk_bytes}"}
        if t.received + len(data) > t.size:
            self.abort(upload_id)
            raise UploadRefused(f"{t.name} is longer than announced", "Add the file again.")
        if hashlib.sha256(data).hexdigest() != str(sha256).lower():
            return {**nack, "reason": "checksum mismatch"}
        if offset == 0:
            fmt = formats.sniff(data[: formats.SNIFF_BYTES])
            if fmt is None:
                self.abort(upload_id)
                raise UploadRefused(f"{t.name} is not a photo, video or audio file we can read",
                                    f"Supported formats: {protocol.supported_formats_text()}.")
        with open(t.part, "ab") as fh:
            fh.write(data)
        t.digest.update(data)
        t.received += len(data)
        return {"kind": "upload_ack", "upload_id": upload_id, "offset": offset, "received": t.received,
                "size": t.size}

    def finish(self, upload_id: str, sha256: str | None) -> Path:
        """Verify size and whole-file checksum; move the file to its final name."""
        t = self._transfers.pop(upload_id, None)
        if t is None:
            raise UploadRefused("This upload was not started or was already finished", "Add the file again.")
        if t.received != t.size:
            t.part.unlink(missing_ok=True)
            raise UploadRefused(f"{t.name} arrived incomplete ({t.received} of {t.size} bytes)", "Add it again.")
        if sha256 and t.digest.hexdigest() != str(sha256).lower():
            t.part.unlink(missing_ok=True)
            raise UploadRefused(f"{t.name} arrived corrupted (checksum mismatch)", "Add it again.")
        dest = self._unique(safe_name(t.name))
        os.replace(t.part, dest)
        return dest

    def abort(self, upload_id: str) -> None:
        t = self._transfers.pop(upload_id, None)
        if t is not None:
            t.part.unlink(missing_ok=True)

    def abort_all(self) -> None:
        for upload_id in list(self._transfers):
            self.abort(upload_id)

    def _unique(self, name: str) -> Path:
        dest = self.root / name
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while dest.exists():
            n += 1
            dest = self.root / f"{stem} ({n}){suffix}"
        return dest


__all__ = ["CHUNK_BYTES", "UploadReceiver", "UploadRefused", "safe_name"]
