"""The notebook experience: Studio (sessions, async + blocking API), the widget, magics,
DataFrames, inline playback and the render history. Imports stay lazy so ``import nemo_nb`` is
cheap and a plain script never loads the widget machinery."""

from __future__ import annotations

from typing import Any

__all__ = ["RenderResult", "Studio", "connect"]


def __getattr__(name: str) -> Any:
    if name in ("Studio", "connect"):
        from . import studio

        return getattr(studio, name)
    if name == "RenderResult":
        from .display import RenderResult

        return RenderResult
    raise AttributeError(name)
