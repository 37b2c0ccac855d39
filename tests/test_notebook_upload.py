"""Browser → kernel chunked upload: what the kernel does with each chunk the widget sends."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nemo_nb.notebook._upload import UploadReceiver, UploadRefused, safe_name


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _send_all(rx: UploadReceiver, upload_id: str, data: bytes, chunk: int) -> list[dict]:
    replies = []
    for offset in range(0, len(data), chunk):
        part = data[offset:offset + chunk]
        replies.append(rx.chunk(upload_id, offset, _sha(part), part))
    return replies


def test_a_photo_sent_in_chunks_arrives_identical(tmp_path: Path, photos: list[Path]) -> None:
    data = photos[0].read_bytes()
    rx = UploadReceiver(tmp_path, chunk_bytes=16 * 1024)
    rx.begin("u1", photos[0].name, len(data))
    replies = _send_all(rx, "u1", data, 16 * 1024)
    assert len(replies) > 3
    assert all(r["kind"] == "upload_ack" for r in replies)
    assert replies[-1]["received"] == len(data)
    path = rx.finish("u1", _sha(data))
    assert path.read_bytes() == data
    assert path.parent == tmp_path and path.name == photos[0].name
    assert not list(tmp_path.glob(".*.part"))


def test_a_corrupted_chunk_is_refused_and_the_resend_is_accepted(tmp_path: Path, photos: list[Path]) -> None:
    data = photos[1].read_bytes()
    rx = UploadReceiver(tmp_path, chunk_bytes=8192)
    rx.begin("u2", "photo.jpg", len(data))
    first = data[:8192]
    assert rx.chunk("u2", 0, _sha(first), first)["kind"] == "upload_ack"
    second = data[8192:16384]
    flipped = bytes([second[0] ^ 0xFF]) + second[1:]
    nack = rx.chunk("u2", 8192, _sha(second), flipped)
    assert nack == {"kind": "upload_nack", "upload_id": "u2", "offset": 8192, "expected": 8192,
                    "reason": "checksum mismatch"}
    assert rx.chunk("u2", 8192, _sha(second), second)["kind"] == "upload_ack"
    rest = data[16384:]
    for offset in range(0, len(rest), 8192):
        part = rest[offset:offset + 8192]
        assert rx.chunk("u2", 16384 + offset, _sha(part), part)["kind"] == "upload_ack"
    assert rx.finish("u2", _sha(data)).read_bytes() == data


def test_out_of_step_and_oversized_chunks_are_refused(tmp_path: Path, photos: list[Path]) -> None:
    data = photos[0].read_bytes()
    rx = UploadReceiver(tmp_path, chunk_bytes=1024)
    rx.begin("u3", "a.jpg", len(data))
    skipped = data[1024:2048]
    reply = rx.chunk("u3", 1024, _sha(skipped), skipped)
    assert reply["kind"] == "upload_nack" and reply["expected"] == 0
    big = data[:2048]
    reply = rx.chunk("u3", 0, _sha(big), big)
    assert reply["kind"] == "upload_nack" and "over" in reply["reason"]


def test_the_whole_file_checksum_is_checked_at_the_end(tmp_path: Path, photos: list[Path]) -> None:
    data = photos[0].read_bytes()
    rx = UploadReceiver(tmp_path)
    rx.begin("u4", "a.jpg", len(data))
    _send_all(rx, "u4", data, 1 << 20)
    with pytest.raises(UploadRefused, match="checksum mismatch"):
        rx.finish("u4", "0" * 64)
    assert list(tmp_path.iterdir()) == []


def test_incomplete_uploads_are_refused(tmp_path: Path, photos: list[Path]) -> None:
    data = photos[0].read_bytes()
    rx = UploadReceiver(tmp_path)
    rx.begin("u5", "a.jpg", len(data))
    half = data[: len(data) // 2]
    rx.chunk("u5", 0, _sha(half), half)
    with pytest.raises(UploadRefused, match="incomplete"):
        rx.finish("u5", _sha(data))


def test_unsupported_names_and_sizes_are_refused_before_any_byte(tmp_path: Path) -> None:
    rx = UploadReceiver(tmp_path, max_bytes=1000)
    with pytest.raises(UploadRefused, match="not supported") as err:
        rx.begin("x", "notes.txt", 10)
    assert "jpg" in err.value.hint
    with pytest.raises(UploadRefused, match="over the"):
        rx.begin("y", "big.mp4", 5000)
    with pytest.raises(UploadRefused, match="empty"):
        rx.begin("z", "zero.jpg", 0)


def test_content_that_is_not_media_is_refused_on_the_first_chunk(tmp_path: Path, samples: Path) -> None:
    data = (samples / "bad" / "elf_binary_named.jpg").read_bytes()
    rx = UploadReceiver(tmp_path)
    rx.begin("e", "elf_binary_named.jpg", len(data))
    head = data[:4096]
    with pytest.raises(UploadRefused, match="not a photo, video or audio"):
        rx.chunk("e", 0, _sha(head), head)
    assert list(tmp_path.iterdir()) == []


def test_names_cannot_escape_the_upload_folder(tmp_path: Path, photos: list[Path]) -> None:
    assert safe_name("../../etc/passwd.jpg") == "passwd.jpg"
    assert safe_name("..\\..\\evil.png") == "evil.png"
    assert safe_name("...") == "upload"
    data = photos[0].read_bytes()
    rx = UploadReceiver(tmp_path / "in")
    rx.begin("t", "../../outside.jpg", len(data))
    _send_all(rx, "t", data, 1 << 20)
    path = rx.finish("t", _sha(data))
    assert path.parent == tmp_path / "in" and path.name == "outside.jpg"
    rx.begin("t2", "outside.jpg", len(data))
    _send_all(rx, "t2", data, 1 << 20)
    assert rx.finish("t2", None).name == "outside (2).jpg"


@pytest.mark.slow
def test_a_200_mb_file_goes_through_in_4_mb_chunks(tmp_path: Path) -> None:
    size = 200 * 1024 * 1024
    chunk = 4 * 1024 * 1024
    head = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    block = bytes(range(256)) * (chunk // 256)
    rx = UploadReceiver(tmp_path)
    rx.begin("big", "long_take.mp4", size)
    whole = hashlib.sha256()
    for offset in range(0, size, chunk):
        part = head + block[len(head):] if offset == 0 else block
        whole.update(part)
        assert rx.chunk("big", offset, _sha(part), part)["kind"] == "upload_ack"
    path = rx.finish("big", whole.hexdigest())
    assert path.stat().st_size == size
