"""Openly licensed sample photos shipped with the package (see README.md here for credits)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def photos() -> list[Path]:
    """The sample photos, in name order."""
    return sorted(HERE.glob("*.jpg"))
