"""Issue 17, property-based: hostile drafts and messages against a real engine process.

Whatever hypothesis throws at the render and /run_sse endpoints (NaN, huge or negative numbers, wrong
types, paths as media ids, thousands of segments, giant canvases and texts, deep nesting, long
messages): never a 500, the session stays readable, every accepted render is cancelled within a
second, and the engine's memory stays bounded. ``NEMO_NB_FUZZ_EXAMPLES`` sets how many examples
(default 40, a bounded CI cost); hypothesis keeps failing examples in its database to replay.
"""

from __future__ import annotations

import collections
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nemo_nb import protocol
from tests._support.engine import Api
from tests.test_engine_process import MB, Proc, procs  # noqa: F401  (the fixture)

EXAMPLES = int(os.environ.get("NEMO_NB_FUZZ_EXAMPLES", "40"))
MEDIA = "<the uploaded photo's id>"  # replaced by the real id before sending

numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, 16, 500, 1920, 3000, 8192, 10**9, 2**64]))
junk = st.recursive(st.none() | st.booleans() | numbers | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                    max_leaves=8)
refs = st.sampled_from([MEDIA, MEDIA, "/etc/passwd", "../../engine.sqlite3", "med_0000000000000000", "",
                        "file:///etc/hosts", "http://127.0.0.1/x.png"]) | junk
texts = st.text(max_size=40) | st.sampled_from(["标" * 600, "A" * 100_000, "\u202e" * 50])
meta = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(["photo", "video", "audio", "text", "music", "image", ""]) | junk,
    "src": refs, "media_id": refs, "url": refs, "name": refs, "text": texts, "role": st.sampled_from(["title", "x"]),
    "transition": junk, "motion": junk, "volume": numbers, "in": numbers, "focus": junk})
segments = st.fixed_dictionaries({"d": numbers | junk, "m": meta | junk}, optional={"s": numbers | junk})
tracks = st.fixed_dictionaries({"tt": st.sampled_from([0, 0, 1, 7, 3]) | junk,
                                "sg": st.tuples(st.lists(segments, max_size=3), st.sampled_from([1, 1, 2, 400, 4000]))
                                .map(lambda pair: pair[0] * pair[1]) | junk})
canvas = st.fixed_dictionaries({}, optional={"w": numbers, "h": numbers, "fps": numbers, "fade_out": numbers,
                                             "aspect": st.sampled_from(["16:9", "9:16", "x"]) | junk})
hostile = st.fixed_dictionaries({"t": st.lists(tracks, max_size=3)}, optional={"m": canvas | junk}) | junk


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A draft the engine accepts (so a render starts and must cancel), or one knob pushed past a limit."""
    push = draw(st.sampled_from(["", "", "", "size", "count", "ms", "title", "fps"]))
    size = draw(st.sampled_from([(1920, 1080), (1080, 1920), (3840, 2160), (16, 16)]))
    size = draw(st.sampled_from([(4000, 4000), (8192, 8192), (3841, 16)])) if push == "size" else size
    count = draw(st.sampled_from([1001, 10_000] if push == "count" else [1, 2, 50, 997]))
    ms = draw(st.sampled_from([600_001, 10**9] if push == "ms" else [40, 1000, 59_000, 600_000]))
    title = draw(st.sampled_from(["W" * 201, "标" * 100_000] if push == "title" else ["Hi", "标题" * 100, "a\u202eb"]))
    fps = draw(st.sampled_from([61, 0, 1000] if push == "fps" else [1, 30, 60]))
    photo = {"type": "photo", "src": MEDIA, "motion": draw(st.sampled_from(["auto", "still", "zoom_in"]))}
    return {"m": {"w": size[0], "h": size[1], "fps": fps},
            "t": [{"tt": 0, "sg": [{"d": max(1, ms // count), "m": dict(photo)} for _ in range(count)]},
                  {"tt": 7, "sg": [{"d": 1000, "m": {"type": "text", "role": "title", "text": title}}]},
                  {"tt": 1, "sg": [{"d": ms, "m": {"type": "music", "mood": "upbeat"}}]}]}


drafts = st.one_of(near_valid(), near_valid(), hostile)
messages = st.text(max_size=60) | st.sampled_from(["make it 10 seconds", "把照片做成15秒的视频", "export", "1" * 3000,
                                                   "字" * 100_000, ""])
deep = st.integers(30, 5000).map(lambda n: b"[" * n + b"]" * n)


def _with_media(value: Any, media_id: str) -> Any:
    text = json.dumps(value, allow_nan=True).replace(json.dumps(MEDIA), json.dumps(media_id))
    return json.loads(text)


def _raw(api: Api, path: str, body: Any) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body, allow_nan=True).encode()
    return api.http.post(path, content=content, headers={"content-type": "application/json"})


def _cancel_quickly(api: Api, job_id: str) -> None:
    t0 = time.monotonic()
    resp = api.http.post(protocol.PATH_RENDER_CANCEL.format(job_id=job_id))
    took = time.monotonic() - t0
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] in protocol.RenderStatus.TERMINAL, resp.text
    assert took < 1.5, f"cancel took {took:.2f} s"


@pytest.mark.slow
def test_hostile_drafts_and_messages_never_break_the_engine(tmp_path: Path, procs: list[Proc],  # noqa: F811
                                                            photos: list[Path]) -> None:
    proc = Proc(tmp_path / "data")
    procs.append(proc)
    api = Api(proc.url)
    media_id = api.upload([photos[0]]).json()["data"]["video_infos"][0]["id"]
    baseline = proc.ps.memory_info().rss
    counter = iter(range(10**9))
    seen: collections.Counter[str] = collections.Counter()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=bool(os.environ.get("CI")),
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(kind=st.sampled_from(["render", "render", "render", "delta", "deep"]), draft=drafts, text=messages, nested=deep)
    def example(kind: str, draft: Any, text: str, nested: bytes) -> None:
        draft = _with_media(draft, media_id)
        job_id = f"render_fuzz_{next(counter)}"
        if kind == "render":
            body: Any = {"id": job_id, "sessionId": api.session_id, "draft": draft,
                         "output": {"format": "mp4", "quality": "preview"}}
            resp = _raw(api, protocol.PATH_RENDER, body)
        elif kind == "delta":
            body = {"app_name": protocol.APP_NAME, "user_id": protocol.USER_ID, "session_id": api.session_id,
                    "new_message": {"role": "user", "parts": [{"text": text}]}, "state_delta": {"draft": draft}}
            resp = _raw(api, protocol.PATH_RUN_SSE, body)
        else:
            resp = _raw(api, protocol.PATH_RENDER if len(nested) % 2 else protocol.PATH_RUN_SSE, nested)
        assert resp.status_code < 500, resp.text[:500]
        seen[f"{kind} {resp.status_code}"] += 1
        state = api.http.get(protocol.PATH_STATE.format(session_id=api.session_id))
        assert state.status_code == 200, state.text[:500]
        for job in state.json()["data"]["state"]["generated_media"]:
            if job["status"] not in protocol.RenderStatus.TERMINAL:
                _cancel_quickly(api, job["id"])
                seen["cancelled"] += 1

    try:
        example()
        print(f"hostile requests: {dict(seen)}")
        growth = (proc.ps.memory_info().rss - baseline) / MB
        assert growth < 300, f"the engine grew by {growth:.0f} MB over {EXAMPLES} hostile requests"
    finally:
        api.close()
