"""The Studio's voice in a cell: the agent's words as they stream, notices, and one render bar.

Render progress is one updating bar from ``tqdm.auto`` — the notebook widget bar in Jupyter, a
single rewritten line in a terminal — not a line per step. The widget shows everything anyway, so
echo is only for the cell (``echo=False`` turns it off).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, TextIO

from .events import (
    AgentActivity,
    AgentDone,
    AgentText,
    BrandChanged,
    Busy,
    CreditsChanged,
    DraftChanged,
    Failure,
    MediaChanged,
    Notice,
    RenderChanged,
    SessionChanged,
    StillWorking,
    StudioEvent,
    UserSaid,
    assert_never,
)


def completed_line(render: dict[str, Any]) -> str:
    """The line a finished export leaves in the cell: the file's full path and its facts."""
    return (f"Exported {render.get('path') or render.get('name')}: {render.get('duration_s'):g} s, "
            f"{render.get('width')}×{render.get('height')}, {(render.get('size_bytes') or 0) / 1e6:.1f} MB")


class RenderBar:
    """One progress bar per render, updated in place (tqdm.auto picks the notebook or text bar);
    it stays, full, when the render is done."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self._bar: Any = None
        self._id: str | None = None

    def update(self, render: dict[str, Any]) -> None:
        state = render.get("state")
        if state in ("queued", "running"):
            self._open(str(render.get("id") or ""))
            bar = self._bar
            bar.n = round(100 * float(render.get("fraction") or 0.0), 1)
            eta = render.get("eta_s")
            bar.set_postfix_str(f"about {eta:.0f} s left" if isinstance(eta, (int, float)) and eta > 0 else "",
                                refresh=False)
            bar.refresh()
            return
        self.close(done=state == "completed")

    def _open(self, render_id: str) -> None:
        if self._bar is not None and self._id == render_id:
            return
        self.close()
        from tqdm.auto import tqdm

        self._id = render_id
        self._bar = tqdm(total=100, desc="Rendering", unit="%", file=self._out,
                         bar_format="{desc} {bar} {n:.0f}% {postfix}", leave=True)

    def close(self, done: bool = False) -> None:
        if self._bar is not None:
            if done:
                self._bar.n = 100
                self._bar.refresh()
            self._bar.close()
        self._bar, self._id = None, None


class Echo:
    """Prints a Studio's events in the cell (see module docstring)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out
        self.bar = RenderBar(out)

    @property
    def out(self) -> TextIO:
        return self._out or sys.stdout

    def __call__(self, event: StudioEvent) -> None:
        text = self.text_for(event)
        if text:
            self.out.write(text)
            with contextlib.suppress(Exception):
                self.out.flush()

    def text_for(self, event: StudioEvent) -> str:
        """What ``event`` prints ("" for nothing); render progress goes to the bar instead."""
        if isinstance(event, AgentText):
            return event.text
        if isinstance(event, AgentDone):
            return (event.text if event.silent else "") + "\n"
        if isinstance(event, StillWorking):
            return "\n⏳ Still working...\n"
        if isinstance(event, Notice):
            return f"{event.text}\n"
        if isinstance(event, RenderChanged):
            self.bar.update(event.render)
            state = event.render.get("state")
            if state == "completed":
                return completed_line(event.render) + "\n"
            if state in ("failed", "cancelled"):
                return f"Export {state}: {event.render.get('error') or ''}".rstrip(": ") + "\n"
            return ""
        if isinstance(event, (UserSaid, AgentActivity, Failure, Busy, CreditsChanged, DraftChanged, MediaChanged,
                              SessionChanged, BrandChanged)):
            return ""  # shown by the widget; a failure is raised to the cell as the exception
        assert_never(event)


__all__ = ["Echo", "RenderBar", "completed_line"]
