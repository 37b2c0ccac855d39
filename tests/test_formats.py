"""Formats are judged by content, not by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from nemo_nb.formats import extension_format, media_kind, sniff, sniff_file


def test_every_sample_is_recognised_by_content(samples: Path) -> None:
    expected = {".jpg": "jpg", ".png": "png", ".gif": "gif", ".webp": "webp", ".heic": "heic",
                ".mp3": "mp3", ".wav": "wav", ".m4a": "m4a", ".ogg": "ogg", ".opus": "opus"}
    for folder in ("photos", "formats", "audio"):
        for path in sorted((samples / folder).iterdir()):
            assert sniff_file(path) == expected[path.suffix], path.name


@pytest.mark.parametrize("name", ["elf_binary_named.jpg", "text_file_named.png", "windows_exe_named.mp4", "zero_bytes.jpg"])
def test_impostors_are_not_recognised(samples: Path, name: str) -> None:
    assert sniff_file(samples / "bad" / name) is None


def test_video_containers() -> None:
    assert sniff(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 8) == "mp4"
    assert sniff(b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 8) == "mov"
    assert sniff(b"\x1a\x45\xdf\xa3\x01\x00\x00\x00\x00\x00\x00\x1fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm") == "webm"
    assert sniff(b"RIFF\x00\x00\x00\x00AVI LIST") == "avi"
    assert media_kind("mov") == "video" and media_kind(None) is None


def test_extension_aliases() -> None:
    assert extension_format("Holiday.JPEG") == "jpg"
    assert extension_format("x.heif") == "heic"
    assert extension_format("notes.txt") is None
