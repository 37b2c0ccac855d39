"""DataFrames and the widget's lanes, from a draft in the documented layout (docs/draft.md)."""

from __future__ import annotations

import time

import pandas as pd

from nemo_nb.client.models import Credits
from nemo_nb.draft import Draft
from nemo_nb.notebook._view import timeline_view
from nemo_nb.notebook.frames import (
    RENDER_COLUMNS,
    TRACK_COLUMNS,
    credits_frame,
    renders_frame,
    tracks_frame,
)
from nemo_nb.notebook.history import RenderRecord

DRAFT = {
    "m": {"aspect": "9:16", "w": 1080, "h": 1920, "fps": 30},
    "t": [
        {"tt": 0, "m": {"role": "main"}, "sg": [
            {"d": 3000, "m": {"type": "photo", "src": "med_a", "name": "cat.jpg", "motion": "zoom_in"}},
            {"d": 2500, "m": {"type": "photo", "src": "med_b", "name": "dog.jpg",
                              "transition": {"type": "crossfade", "d": 600}}},
        ]},
        {"tt": 1, "m": {"role": "bgm"}, "sg": [
            {"d": 5500, "s": 0, "m": {"type": "music", "mood": "lofi", "name": "Lo-fi", "volume": 0.35}},
        ]},
        {"tt": 7, "m": {"role": "title"}, "sg": [
            {"d": 2000, "s": 500, "m": {"type": "text", "role": "title", "text": "Summer Sale"}},
        ]},
    ],
}


def test_tracks_has_one_row_per_segment_with_times_in_seconds() -> None:
    df = tracks_frame(DRAFT)
    assert list(df.columns) == TRACK_COLUMNS
    assert len(df) == 4
    assert df["track"].tolist() == [1, 1, 2, 3]
    assert df["type"].tolist() == ["photo", "photo", "music", "text"]
    assert df["start_s"].tolist() == [0.0, 3.0, 0.0, 0.5]
    assert df["end_s"].tolist() == [3.0, 5.5, 5.5, 2.5]
    assert df["duration_s"].tolist() == [3.0, 2.5, 5.5, 2.0]
    assert df["source"].tolist()[:2] == ["med_a", "med_b"]
    assert df.loc[3, "text"] == "Summer Sale"
    assert df.loc[2, "volume"] == 0.35
    assert pd.isna(df.loc[0, "volume"])


def test_an_empty_timeline_is_an_empty_frame_with_the_columns() -> None:
    df = tracks_frame(Draft())
    assert df.empty and list(df.columns) == TRACK_COLUMNS


def test_renders_frame_columns_and_units() -> None:
    now = time.time()
    records = [
        RenderRecord(id="r1", backend="local", base_url="http://x", session="s", status="completed",
                     started=now - 10, finished=now - 4, path="/tmp/r1.mp4", url="http://x/r1.mp4",
                     size_bytes=2_500_000, width=1920, height=1080, duration_s=6.0),
        RenderRecord(id="r2", backend="local", base_url="http://x", session="s", status="running", started=now),
    ]
    df = renders_frame(records)
    assert list(df.columns) == RENDER_COLUMNS
    assert df.loc[0, "seconds"] == 6.0 and df.loc[0, "size_mb"] == 2.5
    assert df.loc[0, "width"] == 1920 and pd.isna(df.loc[1, "width"])
    assert pd.isna(df.loc[1, "finished"]) and df.loc[1, "status"] == "running"
    assert str(df["started"].dtype).startswith("datetime64")


def test_credits_frame_says_local_has_no_limit() -> None:
    local = Credits.from_response({"data": {"available": -3, "frozen": 0, "total": -3, "charged": 103,
                                            "limit": "local · no limit"}})
    df = credits_frame("local", local)
    assert df.to_dict("records") == [{"backend": "local", "available": -3.0, "frozen": 0.0, "total": -3.0,
                                      "charged": 103.0, "limit": "local · no limit"}]
    assert str(local) == "Credits: local · no limit (the cloud would have charged 103 so far)"
    cloud = credits_frame("cloud", Credits.from_response({"available": 90, "frozen": 10, "total": 100}))
    assert cloud.loc[0, "limit"] == "" and pd.isna(cloud.loc[0, "charged"]) and cloud.loc[0, "available"] == 90


def test_timeline_view_gives_lanes_the_widget_can_draw() -> None:
    view = timeline_view(DRAFT)
    assert view["duration_ms"] == 5500 and (view["w"], view["h"]) == (1080, 1920) and view["aspect"] == "9:16"
    assert view["summary"].startswith("Timeline (3 tracks)")
    video, music, title = view["tracks"]
    assert (video["type"], video["label"]) == ("video", "Video")
    assert [s["start_ms"] for s in video["segments"]] == [0, 3000]
    assert video["segments"][1]["transition"] == "crossfade (600 ms)"
    assert video["segments"][0]["src"] == "med_a" and video["segments"][0]["motion"] == "zoom_in"
    assert music["label"] == "BGM" and music["segments"][0]["volume"] == 0.35
    assert title["segments"][0] == {**title["segments"][0], "kind": "text", "text": "Summer Sale",
                                    "start_ms": 500, "end_ms": 2500}
