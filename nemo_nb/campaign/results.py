"""The campaign's table and hand-over: one row per variant, and the picked files with a manifest."""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

BASE_COLUMNS = ["variant", "direction", "format"]
RESULT_COLUMNS = ["status", "duration_s", "width", "height", "size_mb", "render_s", "path", "poster", "error"]
MANIFEST_COLUMNS = ["file", "variant", "direction", "format", "title", "caption", "duration_s", "width",
                    "height", "size_mb"]


class CampaignFrame(pd.DataFrame):
    """The results as a DataFrame that displays as the campaign's gallery (operations give plain frames)."""

    _metadata: ClassVar[list[str]] = ["_campaign"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        campaign = getattr(self, "_campaign", None)
        bundle = {"text/plain": pd.DataFrame(self).to_string(max_rows=30),
                  "text/html": pd.DataFrame(self).drop(columns=["poster"], errors="ignore").to_html(max_rows=30)}
        if campaign is not None:
            view = campaign.gallery()._repr_mimebundle_(include=include, exclude=exclude)
            data = view[0] if isinstance(view, tuple) else view
            bundle.update({k: v for k, v in data.items() if k != "text/plain"})
        return bundle


def frame(rows: Sequence[dict[str, Any]], copy_columns: Sequence[str]) -> pd.DataFrame:
    cols = list(dict.fromkeys([*BASE_COLUMNS, *copy_columns, "title", "caption", *RESULT_COLUMNS]))
    data = [{c: r.get(c) for c in cols} for r in rows]
    return pd.DataFrame(data, columns=cols)


def _manifest_rows(rows: Sequence[dict[str, Any]], copy_columns: Sequence[str]) -> list[dict[str, Any]]:
    cols = list(dict.fromkeys([*MANIFEST_COLUMNS, *copy_columns]))
    out = []
    for r in rows:
        entry = {c: r.get(c) for c in cols}
        entry["file"] = f"{r['variant']}.mp4"
        out.append(entry)
    return out


def _manifest_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue()


def ready(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a finished file; a picked row that is not finished is an error naming it."""
    missing = [r["variant"] for r in rows if r.get("status") != "done" or not r.get("path")]
    if missing:
        raise ValueError(f"Not rendered (yet): {', '.join(missing)}. Wait for the campaign, retry_failed(), "
                         "or pick finished variants only.")
    return list(rows)


def _open(location: str) -> Any:
    """A variant's file for reading: on this disk, or at an fsspec URL (``out="s3://…"``)."""
    if "://" in str(location):
        import fsspec

        return fsspec.open(str(location), "rb").open()
    return open(location, "rb")


def _copy(location: str, dest: Path) -> None:
    with _open(location) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)


def to_folder(rows: Sequence[dict[str, Any]], copy_columns: Sequence[str], path: str | os.PathLike[str]) -> Path:
    """Copy each row's MP4 into ``path`` as ``<variant>.mp4`` and write ``manifest.csv`` describing them."""
    dest = Path(path).expanduser()
    dest.mkdir(parents=True, exist_ok=True)
    rows = ready(rows)
    for r in rows:
        _copy(r["path"], dest / f"{r['variant']}.mp4")
    (dest / "manifest.csv").write_text(_manifest_csv(_manifest_rows(rows, copy_columns)), encoding="utf-8")
    return dest


def to_zip(rows: Sequence[dict[str, Any]], copy_columns: Sequence[str], path: str | os.PathLike[str]) -> Path:
    """The same as :func:`to_folder`, as one zip file (MP4s stored, not recompressed)."""
    dest = Path(path).expanduser()
    dest.parent.mkdir(parents=True, exist_ok=True)
    rows = ready(rows)
    tmp = dest.with_name(f".{dest.name}.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zf:
        for r in rows:
            with _open(r["path"]) as src, zf.open(f"{r['variant']}.mp4", "w") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        zf.writestr("manifest.csv", _manifest_csv(_manifest_rows(rows, copy_columns)))
    os.replace(tmp, dest)
    return dest
