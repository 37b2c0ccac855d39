"""The Studio's typed events and state: every kind is handled, the twins come from one table."""

from __future__ import annotations

import dataclasses
import inspect
import io
from pathlib import Path
from typing import Any

import pytest

from nemo_nb.brand import BrandKit
from nemo_nb.client import NoCreditsError
from nemo_nb.draft import Draft
from nemo_nb.notebook import events as ev
from nemo_nb.notebook._ops import OPERATIONS
from nemo_nb.notebook.echo import Echo
from nemo_nb.notebook.studio import BlockingStudio, Studio

SAMPLES: dict[type, Any] = {
    ev.UserSaid: ev.UserSaid("make it vertical"),
    ev.AgentText: ev.AgentText("Done. "),
    ev.AgentDone: ev.AgentDone("Done.", ("Format: 16:9 → 9:16",)),
    ev.StillWorking: ev.StillWorking(120.0),
    ev.AgentActivity: ev.AgentActivity("set_aspect"),
    ev.Notice: ev.Notice("Added 1 file(s)"),
    ev.Failure: ev.Failure.of(NoCreditsError(register_url="https://nemovideo.ai/register?bind=b1")),
    ev.Busy: ev.Busy("thinking", 1),
    ev.RenderChanged: ev.RenderChanged({"state": "running", "id": "render_1", "fraction": 0.5}),
    ev.CreditsChanged: ev.CreditsChanged(90, 0, 90),
    ev.DraftChanged: ev.DraftChanged(Draft()),
    ev.MediaChanged: ev.MediaChanged(()),
    ev.SessionChanged: ev.SessionChanged("s1"),
    ev.BrandChanged: ev.BrandChanged(BrandKit(colors=["#e11d2a"])),
}


def test_every_event_kind_changes_the_state_it_should() -> None:
    assert set(SAMPLES) == set(ev.EVENT_KINDS)
    state = ev.StudioState()
    changed: set[str] = set()
    for kind in ev.EVENT_KINDS:
        fields = ev.apply(state, SAMPLES[kind])
        assert set(fields) <= set(ev.STATE_FIELDS), kind
        changed.update(fields)
    assert changed == set(ev.STATE_FIELDS) - {"suggestions"}
    assert state.activity == "" and state.busy == "thinking" and state.session_id == "s1"
    assert state.chat[-1] == {"role": "error", "text": "You have no credits left",
                              "hint": "Register at https://nemovideo.ai/register?bind=b1 to get more credits "
                                      "(your work carries over).",
                              "link": "https://nemovideo.ai/register?bind=b1",
                              "link_text": "Register to get more credits"}


def test_a_tool_call_shows_as_activity_never_by_its_name() -> None:
    state = ev.StudioState()
    ev.apply(state, ev.UserSaid("make it vertical"))
    assert ev.apply(state, ev.AgentActivity("set_aspect")) == ("activity",)
    assert state.activity == "Editing the timeline…"
    out = io.StringIO()
    echo = Echo(out)
    for kind in ev.EVENT_KINDS:
        if kind is not ev.RenderChanged:
            echo(SAMPLES[kind])
    assert "set_aspect" not in out.getvalue() and "[" not in out.getvalue()
    ev.apply(state, ev.AgentDone("Done."))
    assert state.activity == "" and state.chat[-1]["text"] == "Done."


def test_an_unknown_event_is_refused() -> None:
    with pytest.raises(AssertionError):
        ev.apply(ev.StudioState(), object())  # type: ignore[arg-type]


def test_the_widget_mirrors_every_state_field() -> None:
    from nemo_nb.notebook.widget import _MIRROR

    assert set(_MIRROR) == set(ev.STATE_FIELDS)
    assert [f.name for f in dataclasses.fields(ev.StudioState) if f.name != "active"] == list(ev.STATE_FIELDS)


def test_awaitable_and_blocking_methods_come_from_one_table_with_real_signatures() -> None:
    for op in OPERATIONS:
        awaitable, blocking = getattr(Studio, op.name), getattr(BlockingStudio, op.name)
        assert inspect.iscoroutinefunction(awaitable) and not inspect.iscoroutinefunction(blocking)
        assert inspect.signature(awaitable) == inspect.signature(blocking)
        assert "work" not in inspect.signature(awaitable).parameters
        assert awaitable.__doc__ and awaitable.__doc__ == blocking.__doc__, op.name
        assert ("echo" in inspect.signature(awaitable).parameters) == op.echo
    export = inspect.signature(Studio.export).parameters
    assert list(export) == ["self", "quality", "out", "echo"]


def test_the_architecture_doc_shows_the_events_and_state_as_they_are() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = doc[doc.index("### Events and state"):doc.index("### Recovery")]
    for kind in ev.EVENT_KINDS:
        fields = ", ".join(f.name for f in dataclasses.fields(kind))
        assert f"`{kind.__name__}({fields})`" in table or (f"`{kind.__name__}(" in table and all(
            f.name in table for f in dataclasses.fields(kind))), kind.__name__
    for name in ev.STATE_FIELDS:
        assert f"`{name}`" in table, name
