"""Media format detection by content (magic bytes), shared by the client and the engine.

An extension says what a file claims to be; the first bytes say what it is. Both the client (before
any byte is sent) and the engine (while the upload streams in) check the content, so a binary named
``.mp4`` is refused on both sides.
"""

from __future__ import annotations

from pathlib import Path

from .protocol import SUPPORTED_FORMATS

#: How many leading bytes :func:`sniff` needs.
SNIFF_BYTES = 64

_EXT_ALIASES = {"jpeg": "jpg", "jpe": "jpg", "heif": "heic", "hif": "heic", "oga": "ogg", "qt": "mov"}

_FTYP_BRANDS = {
    "heic": "heic", "heix": "heic", "hevc": "heic", "heim": "heic", "heis": "heic", "mif1": "heic",
    "msf1": "heic", "avif": None,
    "qt  ": "mov",
    "M4A ": "m4a", "M4B ": "m4a", "M4P ": "m4a", "F4A ": "m4a",
}


def extension_format(name: str) -> str | None:
    """The canonical format an extension claims (``photo.JPEG`` → ``jpg``), or None."""
    ext = Path(name).suffix.lower().lstrip(".")
    ext = _EXT_ALIASES.get(ext, ext)
    return ext if ext in SUPPORTED_FORMATS else None


def sniff(head: bytes) -> str | None:
    """Canonical format name from a file's first bytes, or None when it is nothing we accept."""
    if len(head) < 4:
        return None
    if head[:3] == b"\xff\xd8\xff":
        return "jpg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[4:8] == b"ftyp":
        brand = head[8:12].decode("latin-1")
        if brand in _FTYP_BRANDS:
            return _FTYP_BRANDS[brand]
        return "mp4"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free") and len(head) >= 8:
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head[:64] else "mkv"
    if head[:3] == b"ID3":
        return "mp3"
    if head[:4] == b"OggS":
        return "opus" if b"OpusHead" in head[:64] else "ogg"
    if head[0] == 0xFF and (head[1] & 0xF6) == 0xF0:  # ADTS: sync word, layer 00
        return "aac"
    if head[0] == 0xFF and (head[1] & 0xE0) == 0xE0 and (head[1] & 0x06) != 0:  # MPEG audio frame
        return "mp3"
    return None


def sniff_file(path: str | Path) -> str | None:
    """:func:`sniff` on a file on disk (reads only the first bytes)."""
    with open(path, "rb") as fh:
        return sniff(fh.read(SNIFF_BYTES))


def media_kind(fmt: str | None) -> str | None:
    """``photo``, ``video`` or ``audio`` for a canonical format name."""
    return SUPPORTED_FORMATS.get(fmt or "")


MIME_TYPES = {
    "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp",
    "heic": "image/heic", "mp4": "video/mp4", "mov": "video/quicktime", "avi": "video/x-msvideo",
    "webm": "video/webm", "mkv": "video/x-matroska", "mp3": "audio/mpeg", "wav": "audio/wav",
    "m4a": "audio/mp4", "aac": "audio/aac", "ogg": "audio/ogg", "opus": "audio/ogg",
}
