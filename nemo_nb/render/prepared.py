"""What previews keep between runs: prepared photos and encoded soundtracks.

Iterating on a video means previewing the same photos again and again with a changed draft. Outside
the encoder, a preview spends most of its CPU decoding those photos (a progressive 24-MP JPEG takes
~0.17 s even at 1/4 scale: its Huffman data must be read whole), finding their subjects, and making
and AAC-encoding the soundtrack, which a change of wording or order leaves as it was. Video editors
keep proxy media and render caches for this; here the first preview of a photo stores its I420
planes (~1 MB at 540p) and its subject under a key made of the file's *content*, the size and the
fit, and the first preview with a given soundtrack stores its AAC packets (~0.4 MB for 30 s) under a
digest of everything the soundtrack is made of. Later previews read them back in a millisecond.
Exports always decode and encode afresh: their work runs beside the encoder, and their planes are
four times larger.

An entry is one file written atomically; one that is damaged, truncated or from another version is
ignored and removed, so the work is done again and nothing is drawn or played wrong. The store is a
cache (``config.cache_dir()/prepared``, bounded by :data:`BUDGET_BYTES`, least recently used first out).
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

VERSION = 2  # 2: the subject's box (framing) is stored too
MAGIC = b"NEMOPREP"
MAGIC_SOUND = b"NEMOSND1"
#: Bytes the store keeps (about 200 photos at 540p, or 600 soundtracks of 30 s); least recently used go first.
BUDGET_BYTES = 256 << 20
_SUFFIX = ".i420"
_SOUND = ".aac"

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]


def store_dir() -> Path:
    return config.cache_dir() / "prepared"


def digest(*parts: object) -> str:
    """A store key from values (their repr)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def file_digest(path: str | Path) -> str:
    """A digest of a file's contents (a file changed in place gets another one)."""
    h = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def entry_key(path: str | Path, width: int, height: int, fit: str) -> str:
    """The key of a prepared photo: its contents and what its planes depend on."""
    return digest("photo", file_digest(path), width, height, fit, VERSION)


def load(key: str) -> tuple[Planes, tuple] | None:
    """The planes and subject ``(x, y, kind[, x0, y0, x1, y1])`` stored under ``key``, or None (missing
    or unusable)."""
    found = _read(key + _SUFFIX, MAGIC, key)
    if found is None:
        return None
    head, body = found
    try:
        w, h = int(head["w"]), int(head["h"])
        ny, nc = w * h, (w // 2) * (h // 2)
        if w < 2 or h < 2 or w % 2 or h % 2 or len(body) != ny + 2 * nc:
            raise ValueError("bad size")
        sx, sy, kind, *box = head["subject"]
        subject = (float(sx), float(sy), str(kind), *(float(v) for v in box))
    except (ValueError, KeyError, TypeError):
        _drop(key + _SUFFIX)
        return None
    buf = np.frombuffer(body, np.uint8)
    planes = (buf[:ny].reshape(h, w), buf[ny: ny + nc].reshape(h // 2, w // 2), buf[ny + nc:].reshape(h // 2, w // 2))
    return planes, subject


def save(key: str, planes: Planes, subject: tuple) -> None:
    """Store a prepared photo (never raises: see :func:`_write`)."""
    h, w = planes[0].shape
    _write(key + _SUFFIX, MAGIC, {"key": key, "w": w, "h": h, "subject": list(subject)},
           [np.ascontiguousarray(p).data for p in planes])


#: One stored AAC packet: payload, pts, dts, duration (in 1/48000 s) and whether it is a keyframe.
Packet = tuple[bytes, int, int, int, bool]


def load_soundtrack(key: str) -> list[Packet] | None:
    """The packets stored under ``key``, or None (missing or unusable)."""
    found = _read(key + _SOUND, MAGIC_SOUND, key)
    if found is None:
        return None
    head, body = found
    try:
        n = int(head["n"])
        table = np.frombuffer(body, np.int64, count=n * 5).reshape(n, 5)
        sizes = table[:, 4]
        if (sizes < 0).any() or n * 40 + int(sizes.sum()) != len(body):
            raise ValueError("bad packet table")
    except (ValueError, KeyError, TypeError):
        _drop(key + _SOUND)
        return None
    ends = np.cumsum(sizes) + n * 40
    data = bytes(body)
    return [(data[e - size: e], pts, dts, dur, bool(keyframe))
            for (pts, dts, dur, keyframe, size), e in zip(table.tolist(), ends.tolist(), strict=True)]


def save_soundtrack(key: str, packets: list[Packet]) -> None:
    """Store a preview's soundtrack packets (never raises: see :func:`_write`)."""
    table = np.array([[pts, dts, dur, int(k), len(data)] for data, pts, dts, dur, k in packets], np.int64)
    _write(key + _SOUND, MAGIC_SOUND, {"key": key, "n": len(packets)},
           [table.reshape(-1, 5).tobytes(), *(data for data, *_ in packets)])


# --- entries: MAGIC, a JSON line (version, key, checksum of the body, fields), the body -------------

def _read(name: str, magic: bytes, key: str) -> tuple[dict, memoryview] | None:
    """An entry's header and body if it is whole and current; a damaged one is removed."""
    path = store_dir() / name
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        if not data.startswith(magic):
            raise ValueError("not an entry of this kind")
        end = data.index(b"\n", len(magic))
        head = json.loads(data[len(magic): end].decode())
        body = memoryview(data)[end + 1:]
        if head["v"] != VERSION or head["key"] != key or head["sum"] != _checksum([body]):
            raise ValueError("another version, another key or damaged")
    except (ValueError, KeyError, TypeError, json.JSONDecodeError, UnicodeDecodeError):
        _drop(name)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return head, body


def _checksum(blobs: list) -> str:
    h = hashlib.blake2b(digest_size=16)
    for blob in blobs:
        h.update(blob)
    return h.hexdigest()


def _drop(name: str) -> None:
    with contextlib.suppress(OSError):
        (store_dir() / name).unlink()


def _write(name: str, magic: bytes, fields: dict, body: list) -> None:
    """Write an entry atomically (readers see the old file or the whole new one), then keep the store
    within its budget. Never raises: a store that cannot be written (read-only or full disk) only
    means the next preview does the work again."""
    head = {"v": VERSION, "sum": _checksum(body), **fields}
    folder = store_dir()
    tmp = folder / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        config.ensure_private_dir(folder)  # decoded photos are as private as the photos
        with open(tmp, "wb") as fh:
            fh.write(magic + json.dumps(head).encode() + b"\n")
            for blob in body:
                fh.write(blob)
        os.replace(tmp, folder / name)
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
            if entry.name.endswith((_SUFFIX, _SOUND)):
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
