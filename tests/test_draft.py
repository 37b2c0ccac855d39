"""The draft model: what a cloud sends comes back untouched; summaries read like the seeds'."""

from __future__ import annotations

import json

import pytest

from nemo_nb.draft import ASPECT_SIZES, Draft, TrackType, describe_changes, fmt_seconds

SEED_LIKE = {
    "m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30},
    "t": [
        {"tt": 0, "sg": [{"d": 10000, "m": {"type": "video", "name": "city timelapse", "src": "m1"}}]},
        {"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": 10000, "s": 0, "m": {"mood": "lofi", "volume": 0.35}}]},
        {"tt": 7, "m": {"role": "title"}, "sg": [{"d": 3000, "s": 0, "m": {"text": "Urban Dreams", "role": "title"}}]},
    ],
}


def test_summary_matches_the_seeds_line() -> None:
    line = Draft.from_json(SEED_LIKE).summary()
    assert line == (
        'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) '
        '3. Title: "Urban Dreams" (0-3s)'
    )


def test_summary_in_chinese_for_chinese_replies() -> None:
    draft = Draft.from_json(SEED_LIKE)
    assert draft.summary("zh") == (
        "时间线（3 条轨道）：1. 视频：city timelapse（0-10秒） 2. 背景音乐：Lo-fi（0-10秒，35%） "
        "3. 标题：“Urban Dreams”（0-3秒）"
    )
    photos = Draft.from_json({"t": [{"tt": 0, "sg": [{"d": 2500, "m": {"type": "photo", "src": "a"}}] * 4}]})
    assert photos.summary("zh") == "时间线（1 条轨道）：1. 视频：4 张照片（0-10秒）"
    assert Draft().summary("zh") == "时间线（0 条轨道）：空"


@pytest.mark.parametrize(
    "wire",
    [
        SEED_LIKE,
        {"t": [], "cloud_only": {"nested": [1, 2, {"x": None}]}, "version": 3},
        {"zz": 1, "t": [{"tt": 0, "extra": [1], "sg": [{"q": 2, "d": 1500, "m": {"src": "a", "unknown": {"k": 1}}}]}]},
        {"t": [{"tt": 7, "sg": [{"d": 2000}]}]},
        {},
    ],
)
def test_unknown_keys_round_trip_to_the_same_json(wire: dict) -> None:
    draft = Draft.from_json(wire)
    assert json.dumps(draft.to_json()) == json.dumps(wire)
    assert Draft.from_json(json.dumps(wire)).to_json() == wire


def test_edits_keep_unknown_keys_and_copies_are_independent() -> None:
    wire = {"cloud": {"a": 1}, "t": [{"tt": 1, "vendor": "x", "sg": [{"d": 5000, "m": {"volume": 0.35, "fx": [1]}}]}]}
    draft = Draft.from_json(wire)
    edited = draft.copy()
    edited.tracks[0].segments[0].meta["volume"] = 0.2
    edited.set_aspect("9:16")
    out = edited.to_json()
    assert out["cloud"] == {"a": 1} and out["t"][0]["vendor"] == "x"
    assert out["t"][0]["sg"][0]["m"] == {"volume": 0.2, "fx": [1]}
    assert draft.to_json() == wire  # the original is untouched
    assert edited.size == ASPECT_SIZES["9:16"]


def test_spans_follow_previous_segments_unless_started_explicitly() -> None:
    draft = Draft.from_json({"t": [{"tt": 0, "sg": [{"d": 3000}, {"d": 2500}, {"d": 4500}]},
                                   {"tt": 7, "sg": [{"d": 3000, "s": 17000, "m": {"text": "Shop now"}}]}]})
    assert [(a, b) for a, b, _ in draft.tracks[0].spans()] == [(0, 3000), (3000, 5500), (5500, 10000)]
    assert draft.duration_ms == 10000
    assert next(iter(draft.tracks[1].spans()))[:2] == (17000, 20000)
    assert draft.tracks_of(TrackType.TEXT)[0].role == "text"


def test_malformed_values_are_read_leniently() -> None:
    draft = Draft.from_json({"t": [{"tt": "0", "sg": [{"d": "2500.4", "m": "nope"}, "junk"]}, "junk"], "m": []})
    assert draft.tracks[0].segments[0].duration_ms == 2500
    assert draft.size == (1920, 1080) and draft.fps == 30


def test_describe_changes_names_length_format_and_volume() -> None:
    before = Draft.from_json(SEED_LIKE)
    after = before.copy()
    after.tracks[0].segments[0].duration_ms = 20000
    after.set_aspect("9:16")
    after.tracks[1].segments[0].meta["volume"] = 0.2
    lines = describe_changes(before, after)
    assert "Length: 10s → 20s" in lines
    assert "Format: 16:9 → 9:16 (1080x1920)" in lines
    assert any("20%" in line for line in lines)
    assert describe_changes(before, before.copy()) == []


def test_fmt_seconds() -> None:
    assert [fmt_seconds(x) for x in (0, 3000, 7500, 1234)] == ["0", "3", "7.5", "1.2"]


def test_describe_changes_names_reorders_and_per_photo_edits() -> None:
    wire = {"t": [{"tt": 0, "sg": [{"d": 3000, "m": {"type": "photo", "name": n, "src": n}} for n in "abc"]}]}
    before = Draft.from_json(wire)
    swapped = before.copy()
    segs = swapped.tracks[0].segments
    segs[0], segs[1] = segs[1], segs[0]
    assert describe_changes(before, swapped) == ["Order: 1. b, 2. a, 3. c"]
    moved = before.copy()
    moved.tracks[0].segments[2].meta["motion"] = "still"
    assert describe_changes(before, moved) == ["Photo 3 (c): changed motion"]
