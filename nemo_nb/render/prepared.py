"""Prepared photos: a photo's decoded preview-size planes and its subject, kept after its first preview.

Iterating on a video means previewing the same photos again and again with a changed draft. Outside
the encoder, a preview spends most of its CPU decoding those photos (a progressive 24-MP JPEG takes
~0.17 s even at 1/4 scale: its Huffman data must be read whole) and finding their subjects. Video
editors keep proxy media for this; here the first preview of a photo stores its I420 planes (~1 MB
at 540p) and its subject under a key made of the file's *content*, the size and the fit, and every
later preview reads them back in about a millisecond. Exports always decode the original: their
decode runs beside the encoder, and their planes are four times larger.

An entry is one file written atomically; one that is damaged, truncated or from another version is
ignored and removed, so the photo is decoded again and never drawn wrong. The store is a cache
(``config.cache_dir()/prepared``, bounded by :data:`BUDGET_BYTES`, least recently used first out).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import uuid
from pathlib import Path

import numpy as np

from .. import config

VERSION = 1
MAGIC = b"NEMOPREP"
#: Bytes of prepared photos kept (about 200 photos at 540p); the least recently used go first.
BUDGET_BYTES = 256 << 20
_SUFFIX = ".i420"

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


def store_dir() -> Path:
    return config.cache_dir() / "prepared"


def entry_key(path: str | Path, width: int, height: int, fit: str) -> str:
    """The file's content hash with what the planes depend on (a changed file gets a new key)."""
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    h.update(f"|{width}x{height}|{fit}|v{VERSION}".encode())
    return h.hexdigest()


def load(key: str) -> tuple[Planes, tuple[float, float, str]] | None:
    """The planes and subject ``(x, y, kind)`` stored under ``key``, or None (missing or unusable)."""
    path = store_dir() / (key + _SUFFIX)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        planes, subject = _parse(data, key)
    except (ValueError, KeyError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return planes, subject


def _parse(data: bytes, key: str) -> tuple[Planes, tuple[float, float, str]]:
    if not data.startswith(MAGIC):
        raise ValueError("not a prepared photo")
    end = data.index(b"\n", len(MAGIC))
    head = json.loads(data[len(MAGIC): end].decode())
    if head["v"] != VERSION or head["key"] != key:
        raise ValueError("another version or key")
    w, h = int(head["w"]), int(head["h"])
    if w < 2 or h < 2 or w % 2 or h % 2:
        raise ValueError("bad size")
    body = memoryview(data)[end + 1:]
    ny, nc = w * h, (w // 2) * (h // 2)
    if len(body) != ny + 2 * nc:
        raise ValueError("truncated")
    buf = np.frombuffer(body, np.uint8)
    y = buf[:ny].reshape(h, w)
    u = buf[ny: ny + nc].reshape(h // 2, w // 2)
    v = buf[ny + nc:].reshape(h // 2, w // 2)
    sx, sy, kind = head["subject"]
    return (y, u, v), (float(sx), float(sy), str(kind))


def save(key: str, planes: Planes, subject: tuple[float, float, str]) -> None:
    """Store an entry (atomic: readers see the old file or the whole new one). Never raises: a cache
    that cannot be written (read-only disk, full disk) just means the next preview decodes again."""
    y, u, v = planes
    h, w = y.shape
    head = {"v": VERSION, "key": key, "w": w, "h": h, "subject": list(subject)}
    folder = store_dir()
    tmp = folder / f".{key}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + json.dumps(head).encode() + b"\n")
            for plane in (y, u, v):
                fh.write(np.ascontiguousarray(plane).data)
        os.replace(tmp, folder / (key + _SUFFIX))
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _evict(folder)


def _evict(folder: Path, budget: int | None = None) -> None:
    """Remove the least recently used entries until the store fits its budget."""
    budget = BUDGET_BYTES if budget is None else budget
    entries = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(_SUFFIX):
                with contextlib.suppress(OSError):
                    st = entry.stat()
                    entries.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= budget:
            break
        with contextlib.suppress(OSError):
            os.unlink(path)
            total -= size
