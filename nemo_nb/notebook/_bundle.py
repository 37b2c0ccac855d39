"""A tiny ESM bundler for the widget: js/*.js concatenated in dependency order into one module.

Each source file may ``import { a, b } from "./other.js"`` (relative, no third-party code) and
``export`` its names. The bundle strips those relative imports and ``export`` keywords and keeps
the single ``export default`` of the entry. No Node needed, so ``pip install .`` works anywhere.
Two entries: ``widget.js`` (the studio) and ``gallery.js`` (a campaign's gallery), each bundled with
only the files it imports.
"""

from __future__ import annotations

import re
from pathlib import Path

_IMPORT = re.compile(r'^\s*import\s+(?:[\s\S]*?)\s+from\s+["\']\./([\w\-]+)\.js["\'];?\s*$', re.M)
_EXPORT = re.compile(r"^export\s+(?!default)", re.M)
# Top-level declarations (column 0): the concatenated files share one scope, so names must differ.
_DECL = re.compile(r"^(?:export\s+)?(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)", re.M)
ENTRY = "widget.js"
ENTRIES = ("widget.js", "gallery.js")

PACKAGE = Path(__file__).resolve().parents[1]
STATIC = PACKAGE / "static"
JS_SOURCES = PACKAGE.parent / "js"


def ensure_built(entry: str) -> Path:
    """``static/<entry>`` — in a source checkout (re)built from js/ when the sources are newer.
    Each widget module calls it for its own entry; an install without the bundle is broken."""
    out = STATIC / entry
    if (JS_SOURCES / entry).exists() and (PACKAGE.parent / "hatch_build.py").exists():
        newest = max(p.stat().st_mtime for p in JS_SOURCES.iterdir() if p.suffix in (".js", ".css"))
        if not out.exists() or not (STATIC / "widget.css").exists() or out.stat().st_mtime < newest:
            build(JS_SOURCES, STATIC)
    if not out.exists():  # pragma: no cover - a broken install
        raise ImportError(f"nemo_nb's widget bundle is missing ({out}): reinstall nemo_nb")
    return out


def _order(src_dir: Path, entry: str = ENTRY) -> list[Path]:
    seen: list[Path] = []

    def visit(path: Path, stack: tuple[Path, ...]) -> None:
        if path in seen:
            return
        if path in stack:
            raise ValueError(f"import cycle: {' -> '.join(p.name for p in (*stack, path))}")
        for dep in _IMPORT.findall(path.read_text(encoding="utf-8")):
            visit(src_dir / f"{dep}.js", (*stack, path))
        seen.append(path)

    visit(src_dir / entry, ())
    return seen


def _check_names(paths: list[Path]) -> None:
    owner: dict[str, str] = {}
    for path in paths:
        for name in _DECL.findall(path.read_text(encoding="utf-8")):
            if name in owner and owner[name] != path.name:
                raise ValueError(f"top-level name {name!r} is declared in both {owner[name]} and {path.name}: "
                                 "rename one (the bundle puts every file in one scope)")
            owner[name] = path.name


def bundle(src_dir: Path, entry: str = ENTRY) -> str:
    parts = []
    paths = _order(src_dir, entry)
    _check_names(paths)
    for path in paths:
        text = _IMPORT.sub("", path.read_text(encoding="utf-8"))
        if path.name != entry:
            text = _EXPORT.sub("", text)
        parts.append(f"// ---- {path.name}\n{text.strip()}\n")
    return "\n".join(parts)


def build(src_dir: Path, out_dir: Path) -> None:
    """Write each entry's bundle and widget.css into out_dir (only when the sources exist)."""
    if not (src_dir / ENTRY).exists():
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    for entry in ENTRIES:
        if (src_dir / entry).exists():
            (out_dir / entry).write_text(bundle(src_dir, entry), encoding="utf-8")
    css = sorted(src_dir.glob("*.css"))
    (out_dir / "widget.css").write_text("\n".join(p.read_text(encoding="utf-8") for p in css), encoding="utf-8")
