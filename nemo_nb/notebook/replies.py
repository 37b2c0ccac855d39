"""What ``ask`` and ``timeline`` return: small objects that display well (text/plain + text/html).

The agent's words already streamed into the cell while they arrived, so a reply's display shows
only what is new — the changes and the timeline summary — unless its text was never shown.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..draft import Draft
from .display import RenderResult
from .frames import tracks_frame

_BOX = ("font-family: var(--jp-ui-font-family, sans-serif); color: var(--jp-ui-font-color1, inherit); "
        "border-left: 3px solid var(--jp-brand-color1, #1976d2); padding: 2px 10px; margin: 4px 0")


@dataclass
class Timeline:
    """The session's timeline: ``summary`` is the seeds' one-line form; ``frame()`` the segments."""

    draft: Draft
    media_count: int = 0

    @property
    def summary(self) -> str:
        return self.draft.summary()

    @property
    def duration_s(self) -> float:
        return self.draft.duration_ms / 1000.0

    def frame(self) -> pd.DataFrame:
        return tracks_frame(self.draft)

    def __repr__(self) -> str:
        return self.summary

    def _repr_html_(self) -> str:
        head = (f"<b>{html.escape(self.summary)}</b><br><small>{html.escape(self.draft.format_text())} · "
                f"{self.duration_s:g} s · {self.media_count} media in the session</small>")
        table = self.frame().to_html(index=False, na_rep="", border=0) if not self.draft.is_empty else ""
        return f'<div style="{_BOX}">{head}{table}</div>'


@dataclass
class Reply:
    """One answer. ``kind``: ``agent`` (the agent replied), or the shortcut that ran without it:
    ``export``, ``credits``, ``status``, ``upload``; ``info`` for guidance."""

    text: str
    kind: str = "agent"
    changes: list[str] = field(default_factory=list)
    draft: Draft | None = None
    result: Any = None
    echoed: bool = False

    @property
    def summary(self) -> str:
        return self.draft.summary() if self.draft is not None else ""

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        if self.echoed:
            return self.summary or f"Reply({self.kind})"
        return "\n".join(x for x in (self.text, self.summary) if x)

    def _repr_html_(self) -> str:
        parts = []
        if not self.echoed and self.text:
            parts.append(f'<div style="white-space: pre-wrap">{html.escape(self.text)}</div>')
        if self.changes:
            parts.append("<ul style='margin:2px 0'>" + "".join(f"<li>{html.escape(c)}</li>" for c in self.changes)
                         + "</ul>")
        if self.summary:
            parts.append(f"<small>{html.escape(self.summary)}</small>")
        body = f'<div style="{_BOX}">{"".join(parts)}</div>' if parts else ""
        if isinstance(self.result, RenderResult):
            body += self.result._repr_html_()
        return body or html.escape(self.kind)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


__all__ = ["Reply", "Timeline"]
