"""QA: uploads with inputs a user really types — folders, odd URLs, bad files mixed with good ones.

Over real HTTP to a real engine on 127.0.0.1. What must hold: the error names the file and what
to do, says each thing once, and the good files of a mixed batch are added (not silently dropped).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nemo_nb.cli import main
from nemo_nb.client import UnsupportedFileError, ValidationError
from nemo_nb.client.upload import check_file, expand_folders
from nemo_nb.notebook.studio import Studio, connect


@pytest.fixture
def studio(engine_url: str) -> Iterator[Studio]:
    s = connect(base_url=engine_url, echo=False)
    yield s
    s.sync.close()


def test_a_folder_is_named_as_a_folder_not_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="is a folder, not a file") as err:
        check_file(tmp_path)
    assert "*.jpg" in err.value.hint


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "s3://bucket/a.png"])
def test_urls_other_than_http_are_refused_by_scheme(url: str) -> None:
    with pytest.raises(ValidationError, match="only http:// and https://") as err:
        check_file(url)
    assert url in str(err.value)  # was "No such file: ftp:/example.com/a.jpg" (the path mangled)


def test_folders_expand_to_the_media_inside(tmp_path: Path, photos: list[Path]) -> None:
    for p in photos[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "notes.txt").write_text("not media")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    assert expand_folders([tmp_path, "https://x.org/a.jpg"]) == [
        *sorted((tmp_path / p.name for p in photos[:2]), key=lambda p: p.name.lower()), "https://x.org/a.jpg"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValidationError, match="no photo, video or audio file"):
        expand_folders([empty])


def test_a_refusal_from_the_engine_says_the_formats_once_and_whole(studio: Studio, samples: Path) -> None:
    with pytest.raises(UnsupportedFileError) as err:
        studio.sync.upload(samples / "bad" / "png_bomb_30000x30000.png")
    text = str(err.value)
    assert "png_bomb_30000x30000.png" in text and "100 megapixels" in text
    assert text.count("Supported formats") == 1 and text.endswith("ogg, opus.")


def test_bad_files_mixed_with_good_ones_do_not_cost_the_good_ones(
        studio: Studio, photos: list[Path], samples: Path) -> None:
    bad = samples / "bad" / "truncated_60pct.jpg"  # passes the client's sniffing, refused by the engine
    with pytest.raises(UnsupportedFileError) as err:
        studio.sync.upload(photos[0], bad, photos[1])
    assert "truncated_60pct.jpg" in str(err.value) and "The other 2 file(s) were added" in str(err.value)
    assert [m.name for m in studio.media] == [photos[0].name, photos[1].name]
    # fixing the list and uploading the rest does not duplicate anything
    studio.sync.upload(photos[2])
    assert [m.name for m in studio.media] == [p.name for p in photos[:3]]
    with pytest.raises(UnsupportedFileError, match=r"2 files could not be added \(elf_binary_named.jpg, "
                                                   r"zero_bytes.jpg\)"):
        studio.sync.upload(samples / "bad" / "elf_binary_named.jpg", samples / "bad" / "zero_bytes.jpg")
    assert len(studio.media) == 3


def test_studio_upload_takes_a_folder_and_refuses_ftp(studio: Studio, tmp_path: Path, photos: list[Path]) -> None:
    for p in photos[:2]:
        shutil.copy(p, tmp_path / p.name)
    added = studio.sync.upload(tmp_path)
    assert sorted(m.name for m in added) == sorted(p.name for p in photos[:2])
    with pytest.raises(ValidationError, match=r"ftp://x\.org/a\.jpg: only http"):
        studio.sync.upload("ftp://x.org/a.jpg")


def test_cli_make_checks_every_file_before_starting_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             photos: list[Path]) -> None:
    code = main(["make", str(photos[0]), str(tmp_path / "missing.jpg"), "--out", str(tmp_path / "o.mp4")])
    err = capsys.readouterr().err
    assert code == 1 and "No such file" in err and "missing.jpg" in err
    assert "Setting things up" not in err  # no engine started, no session made for a typo
