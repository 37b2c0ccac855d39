"""The ADK event parser on its own (pure): stream shapes, dedupe, hidden parts, errors."""

from __future__ import annotations

import pytest

from nemo_nb.client import AgentStreamError, TextDelta, ToolCall, ToolResult
from nemo_nb.client.events import AdkStreamParser
from tests._support.scripted import adk_call, adk_error, adk_response, adk_text


def run(events: list[dict]) -> tuple[list, AdkStreamParser]:
    parser = AdkStreamParser()
    out = []
    for event in events:
        out.extend(parser.feed(event))
    out.extend(parser.finish())
    return out, parser


def shown(out: list) -> list[str]:
    return [e.text for e in out if isinstance(e, TextDelta)]


def test_partials_then_aggregate_are_shown_once() -> None:
    out, parser = run([adk_text("One. ", partial=True), adk_text("Two.", partial=True),
                       adk_text("One. Two.", partial=False)])
    assert shown(out) == ["One. ", "Two."]
    assert parser.text == "One. Two."


def test_no_partials_each_event_shown() -> None:
    out, _ = run([adk_text("One. Two."), adk_text("Three.")])
    assert shown(out) == ["One. Two.", "\nThree."]  # a new turn starts on a new line


def test_aggregate_longer_than_partials_shows_only_the_rest() -> None:
    out, _ = run([adk_text("One. ", partial=True), adk_text("One. Two.", partial=False)])
    assert "".join(shown(out)) == "One. Two."


def test_partials_without_aggregate_are_flushed_at_the_end() -> None:
    out, _ = run([adk_text("No aggregate ", partial=True), adk_text("here", partial=True)])
    assert "".join(shown(out)) == "No aggregate here"


def test_thoughts_and_calls_never_become_text() -> None:
    out, parser = run([
        adk_text("secret plan", thought=True),
        adk_call("c1", "add_title", {"text": "Hi"}, partial=True),
        adk_call("c1", "add_title", {"text": "Hi"}, partial=False),
        adk_response("c1", "add_title", {"ok": True}, {"draft": {"t": [], "m": {"aspect": "9:16"}}}),
    ])
    assert shown(out) == []
    assert [type(e) for e in out] == [ToolCall, ToolResult]  # the repeated call is reported once
    assert parser.draft is not None and parser.draft.aspect == "9:16"
    assert not parser.had_text


def test_calls_without_ids_are_deduplicated_by_content() -> None:
    call = {"content": {"parts": [{"functionCall": {"name": "set", "args": {"a": 1}}}], "role": "model"}}
    out, _ = run([{**call, "partial": True}, {**call, "partial": False}])
    assert len([e for e in out if isinstance(e, ToolCall)]) == 1


def test_snake_case_keys_accepted() -> None:
    out, _ = run([{"content": {"parts": [{"function_call": {"id": "x", "name": "n", "args": {}}},
                                         {"text": "ok."}]}},
                  {"content": {"parts": [{"function_response": {"id": "x", "name": "n", "response": {}}}]},
                   "actions": {"state_delta": {"draft": {"t": []}}}}])
    assert [type(e) for e in out] == [TextDelta, ToolCall, ToolResult]


@pytest.mark.parametrize("event,words", [
    (adk_error("boom"), "boom"),
    ({"error": "ValueError: bad"}, "ValueError: bad"),
    ({"errorCode": "MALFORMED_FUNCTION_CALL", "errorMessage": "bad call"}, "bad call"),
])
def test_error_events_raise(event: dict, words: str) -> None:
    parser = AdkStreamParser()
    parser.feed(adk_text("Hi. ", partial=True))
    with pytest.raises(AgentStreamError) as info:
        parser.feed(event)
    assert words in str(info.value)


def test_garbage_is_ignored() -> None:
    out, parser = run([None, [], {"content": "nope"}, {"content": {"parts": [None, 3]}}])  # type: ignore[list-item]
    assert out == [] and not parser.had_text


def test_text_released_at_sentence_ends_for_translation() -> None:
    parser = AdkStreamParser()
    assert parser.feed(adk_text("Now cli", partial=True)) == []
    assert parser.feed(adk_text("ck the Export button. Then", partial=True)) == [
        TextDelta('Now say "export". ')]
    assert parser.finish() == [TextDelta("Then")]


def test_words_before_the_tool_and_summary_line_kept_whole() -> None:
    out, _ = run([
        adk_text("Got it — adding music", partial=True),
        adk_call("c1", "set_music", {}, partial=True),
        adk_call("c1", "set_music", {}, partial=False, text="Got it — adding music"),
        adk_response("c1", "set_music", {"ok": True}),
        adk_text("Done.\nTimeline (2 tracks): 1. ", partial=True),
        adk_text("Video: 3 photos (0-6s) 2. BGM: Lo-fi (0-6s, 35%)", partial=True),
        adk_text("Done.\nTimeline (2 tracks): 1. Video: 3 photos (0-6s) 2. BGM: Lo-fi (0-6s, 35%)", partial=False),
    ])
    kinds = [type(e).__name__ for e in out]
    assert kinds == ["TextDelta", "ToolCall", "ToolResult", "TextDelta", "TextDelta"]
    assert shown(out) == ["Got it — adding music", "\nDone.\n",
                          "Timeline (2 tracks): 1. Video: 3 photos (0-6s) 2. BGM: Lo-fi (0-6s, 35%)"]
