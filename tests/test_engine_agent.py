"""/run_sse end to end: the agent's replies as ADK events on the wire, credits, undo/redo, and the
seeds' example requests all the way to a decoded MP4."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any

import av
import httpx
import pytest

from nemo_nb import protocol
from nemo_nb.draft import Draft
from tests._support.engine import Api
from tests.test_engine_render import wait

SEED_30S = "turn these photos into a 30-second video with transitions and background music"


def parts(events: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [p[key] for e in events for p in (e.get("content") or {}).get("parts", []) if key in p]


def texts(events: list[dict[str, Any]], partial: bool | None) -> str:
    return "".join(p.get("text", "") for e in events if e.get("partial") is partial
                   for p in (e.get("content") or {}).get("parts", []))


def test_event_shapes_streaming_and_not(api: Api, photos: list[Path]) -> None:
    api.upload(photos[:4])
    events = api.say(SEED_30S, streaming=True)
    assert events and len({e["invocationId"] for e in events}) == 1
    for event in events:
        assert event["author"] == "nemo_agent" and event["id"] and isinstance(event["timestamp"], float)
        assert set(event["actions"]) == {"stateDelta", "artifactDelta"}
        assert event["content"]["role"] in ("model", "user")
        assert None not in event.values()
    assert any(e.get("partial") is True for e in events)
    # the aggregated (partial: false) events repeat exactly what the partial chunks said
    assert texts(events, True) == texts(events, False) and texts(events, False)
    calls = [c for e in events if e.get("partial") is False for c in parts([e], "functionCall")]
    responses = parts(events, "functionResponse")
    assert [c["id"] for c in calls] == [r["id"] for r in responses] and calls
    assert all(c["id"].startswith("adk-") for c in calls)
    for event in events:
        if parts([event], "functionResponse"):
            assert event["content"]["role"] == "user" and "draft" in event["actions"]["stateDelta"]
    last_draft = [e["actions"]["stateDelta"]["draft"] for e in events if e["actions"]["stateDelta"]][-1]
    state = api.state()["data"]
    assert state["state"]["draft"] == last_draft and state["revision"] == 1 and state["can_undo"]
    draft = Draft.from_json(last_draft)
    assert draft.duration_ms == 30000 and draft.tracks_of(1) and len(draft.video.segments) == 4
    assert api.credits()["available"] == protocol.ANON_TOKEN_CREDITS - 1  # one edit turn, one credit

    plain = api.say("make it vertical for TikTok", streaming=False)
    assert all("partial" not in e for e in plain)
    assert api.state()["data"]["state"]["draft"]["m"]["aspect"] == "9:16"
    assert api.credits()["available"] == protocol.ANON_TOKEN_CREDITS - 2


def test_free_turns_undo_redo_and_no_limit(make_engine, photos: list[Path]) -> None:
    server = make_engine(anon_credits=1)
    with Api(server.url) as api:
        api.upload(photos[:3])
        api.say(SEED_30S)
        assert api.credits()["available"] == 0
        words = texts(api.say("credits"), None)
        assert "local · no limit" in words and "charged 1 so far" in words  # questions are free
        api.say("make it 15 seconds")  # past the grant: counted, never refused
        after_edit = api.state()["data"]
        assert Draft.from_json(after_edit["state"]["draft"]).duration_ms == 15000
        balance = api.credits()
        assert (balance["available"], balance["charged"], balance["limit"]) == (-1, 2, "local · no limit")

        undo = api.say("undo")
        assert parts(undo, "functionCall")[0]["name"] == "undo"
        undone = api.state()["data"]
        assert Draft.from_json(undone["state"]["draft"]).duration_ms == 30000 and undone["can_redo"]
        api.say("redo")
        assert api.state()["data"]["state"]["draft"] == after_edit["state"]["draft"]
        assert api.credits()["charged"] == 2  # undo/redo are free


def test_two_hundred_edits_in_a_row_all_succeed(api: Api, photos: list[Path]) -> None:
    """One anonymous user, real HTTP: the local engine never blocks on credits (the grant is 100)."""
    api.upload([min(photos, key=lambda p: p.stat().st_size)])
    for i in range(200):
        events = api.say(f"make it {6 + i % 2} seconds" if i else "turn these photos into a 6 second video")
        assert parts(events, "functionCall"), f"edit {i + 1} changed nothing: {texts(events, None)}"
    state = api.state()["data"]
    assert state["revision"] == 200 and Draft.from_json(state["state"]["draft"]).duration_ms == 7000
    balance = api.credits()
    assert balance["charged"] == 200 and balance["limit"] == "local · no limit"


def test_unknown_request_changes_nothing(api: Api, photos: list[Path]) -> None:
    api.upload(photos[:2])
    before = api.state()["data"]
    events = api.say("qwertyuiop zxcv")
    assert texts(events, None) and not parts(events, "functionCall")
    assert api.state()["data"] == before and api.credits()["available"] == protocol.ANON_TOKEN_CREDITS


def test_concurrent_sessions_do_not_mix(engine_url: str, photos: list[Path]) -> None:
    """Several clients edit and upload at once; each session ends with exactly its own media and draft."""
    errors: list[BaseException] = []
    results: dict[int, tuple[Api, list[str]]] = {}

    def client(i: int) -> None:
        try:
            api = Api(engine_url)
            mine = [photos[(i + k) % len(photos)] for k in range(2)]
            ids = [v["id"] for v in api.upload(mine).json()["data"]["video_infos"]]
            for text in (f"make a {10 + i}-second video", "make it square", f"add a title: Client {i}"):
                api.say(text)
                api.http.get(protocol.PATH_CREDITS).raise_for_status()
            results[i] = (api, ids)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    for i, (api, ids) in results.items():
        state = api.state()["data"]
        assert [v["id"] for v in state["state"]["video_infos"]] == ids
        draft = Draft.from_json(state["state"]["draft"])
        assert {s.meta.get("src") for s in draft.video.segments} == set(ids)
        assert draft.duration_ms == (10 + i) * 1000 and draft.aspect == "1:1"
        assert f"Client {i}" in str(state["state"]["draft"])
        assert api.credits()["available"] == protocol.ANON_TOKEN_CREDITS - 3
        api.close()


def api_store(api: Api):
    return api.engine.engine.store


def test_concurrent_edits_of_one_session_are_serialised(api: Api, photos: list[Path]) -> None:
    """Parallel turns on the same session each build on the previous one: no lost update."""
    api.upload(photos[:3])
    api.say("make a 12-second video")
    failures: list[BaseException] = []

    def turn(i: int) -> None:
        try:
            api.say(f"make it {20 + i} seconds")
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=turn, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    state = api.state()["data"]
    assert state["revision"] == 6 and api.credits()["available"] == protocol.ANON_TOKEN_CREDITS - 6
    assert Draft.from_json(state["state"]["draft"]).duration_ms in {(20 + i) * 1000 for i in range(5)}
    store = api_store(api)
    chain = [r[0] for r in store._all("SELECT parent FROM revisions WHERE session_id = ? ORDER BY rev",
                                      (api.session_id,))]
    assert chain == [None, 0, 1, 2, 3, 4, 5]  # a straight line: each turn built on the one before


def _export_job(events: list[dict[str, Any]]) -> str:
    (response,) = [r for r in parts(events, "functionResponse") if r["name"] == "export"]
    return response["response"]["id"]


@pytest.mark.slow
def test_seed_photos_to_30s_1080p_mp4(api: Api, photos: list[Path]) -> None:
    api.upload(photos[:5])
    api.say(SEED_30S, streaming=True)
    job_id = _export_job(api.say("export 1080p MP4", streaming=True))
    done = wait(api, job_id, lambda b: b["status"] in protocol.RenderStatus.TERMINAL, timeout=240)
    assert done["status"] == "completed", done
    video = httpx.get(done["output"]["url"], timeout=60).content
    with av.open(io.BytesIO(video)) as container:
        v = container.streams.video[0]
        assert (v.width, v.height) == (1920, 1080) and v.codec_context.name == "h264"
        assert container.streams.audio, "background music was asked for"
        assert abs(container.duration / 1e6 - 30.0) < 0.5
        first = next(container.decode(v)).to_ndarray(format="rgb24")
        assert first.std() > 5  # a real picture, not a blank frame
    assert api.credits()["available"] == protocol.ANON_TOKEN_CREDITS - 1  # the export itself was free
    gen = api.state()["data"]["state"]["generated_media"]
    assert [(g["id"], g["status"]) for g in gen] == [(job_id, "completed")]


@pytest.mark.slow
def test_seed_image_to_5s_clip(api: Api, photos: list[Path]) -> None:
    api.upload([photos[2]])
    api.say("turn this image into a 5-second animated video clip")
    draft = Draft.from_json(api.state()["data"]["state"]["draft"])
    assert draft.duration_ms == 5000 and len(draft.video.segments) == 1
    assert draft.video.segments[0].meta.get("motion") not in (None, "still")
    job_id = _export_job(api.say("export"))
    t0 = time.monotonic()
    done = wait(api, job_id, lambda b: b["status"] in protocol.RenderStatus.TERMINAL, timeout=120)
    assert done["status"] == "completed", (done, time.monotonic() - t0)
    data = httpx.get(done["output"]["url"]).content
    with av.open(io.BytesIO(data)) as container:
        packets = sum(1 for p in container.demux(container.streams.video[0]) if p.size)
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        first = next(container.decode(stream)).to_ndarray(format="rgb24")
        container.seek(int(4.5 * 1_000_000))
        late = next(container.decode(stream)).to_ndarray(format="rgb24")
    assert packets == 150  # 5 s at 30 fps
    assert abs(first.astype(int) - late.astype(int)).mean() > 2  # animated: the picture moves


def test_agent_failure_is_a_mid_stream_error_event(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import nemo_nb.engine.agent as agent

    def boom(text: str, ctx: Any) -> Any:
        raise RuntimeError("the agent broke")

    monkeypatch.setattr(agent, "respond", boom)
    before = api.state()["data"]
    events = api.say("make a 10-second video", streaming=True)
    assert events == [{"error": "RuntimeError: the agent broke",
                       "error_details": {"error_type": "RuntimeError", "error_message": "the agent broke"}}]
    assert api.state()["data"] == before and api.credits()["available"] == protocol.ANON_TOKEN_CREDITS
