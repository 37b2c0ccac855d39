"""Every conversation in tests/data/cases.jsonl (the project's spec), end to end: a real engine on
127.0.0.1, the real client, real uploads, the agent's turns over /run_sse, real exports, and the decoded MP4 checked for
the properties each turn expects (duration, size, audio, OCR'd text, photos used, motion, loudness).

All conversations run concurrently against one engine (two render workers), so the whole file
costs about as much as its renders; each case is then checked as its own test. Exports use the
``preview`` quality unless the turn checks the picture's size or text, which need full output size:
those use ``fast`` (full size, the fastest encoder settings), as the issue allows.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from nemo_nb.client.client import NemoClient
from nemo_nb.client.events import Done, TextDelta, ToolCall, ToolResult
from nemo_nb.draft import Draft, TrackType
from nemo_nb.engine.server import EngineServer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CASES_FILE = DATA / "cases.jsonl"
PHOTOS_DIR = DATA / "photos"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
RENDER_KEYS = {"duration_s", "size", "audio", "text", "text_at", "photos_used", "motion", "volume_vs_previous"}
FULL_SIZE_KEYS = {"size", "text", "text_at"}
#: Override with NEMO_CASES_QUALITY=high to export everything at the full quality.
QUALITY = os.environ.get("NEMO_CASES_QUALITY", "")

pytestmark = [pytest.mark.slow]


@dataclass
class Turn:
    say: str
    expect: dict[str, Any]
    text: str = ""
    calls: list[str] = field(default_factory=list)
    results: list[ToolResult] = field(default_factory=list)
    before: Draft | None = None
    after: Draft | None = None
    job_id: str | None = None
    quality: str = ""
    mp4: Path | None = None
    error: str | None = None


# --- running the conversations ------------------------------------------------------------------------
async def _run_case(client: NemoClient, case: dict[str, Any], out: Path) -> list[Turn]:
    photos = sorted(p for p in PHOTOS_DIR.iterdir() if p.is_file())[: case["photos"]]
    session = await client.create_session()
    sid = session.session_id
    await client.upload(sid, *photos)
    turns: list[Turn] = []
    for say in case["turns"]:
        turn = Turn(say["say"], dict(say.get("expect") or {}))
        turn.before = (await client.state(sid)).draft
        async for event in client.send(sid, turn.say):
            if isinstance(event, TextDelta):
                turn.text += event.text
            elif isinstance(event, ToolCall):
                turn.calls.append(event.name)
            elif isinstance(event, ToolResult):
                turn.results.append(event)
            elif isinstance(event, Done) and event.text and not turn.text:
                turn.text = event.text
        turn.after = (await client.state(sid)).draft
        if turn.expect.get("export"):
            for result in turn.results:
                response = result.response if isinstance(result.response, dict) else {}
                if result.name == "export" and (response.get("job_id") or response.get("id")):
                    turn.job_id = str(response.get("job_id") or response.get("id"))
        elif RENDER_KEYS & set(turn.expect):
            # Exports run while the conversation goes on: the job holds the draft as it was now.
            turn.quality = QUALITY or ("fast" if FULL_SIZE_KEYS & set(turn.expect) else "preview")
            turn.job_id = (await client.start_export(sid, turn.after, quality=turn.quality)).id
        turns.append(turn)
    for i, turn in enumerate(turns):
        if turn.job_id:
            job = await client.wait_render(turn.job_id, timeout=600)
            assert job.url, f"{case['id']} turn {i + 1}: no output url"
            turn.mp4 = await client.download(job.url, out / f"{case['id']}-{i + 1}.mp4")
    return turns


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, list[Turn] | BaseException]]:
    """All cases through one engine, concurrently; per case its turns or the exception it raised."""
    base = tmp_path_factory.mktemp("cases")
    server = EngineServer(base / "engine", port=0, render_workers=2).start()

    async def run_all() -> dict[str, list[Turn] | BaseException]:
        async with NemoClient(server.url, config_dir=base / "client", language="en") as client:
            results = await asyncio.gather(*(_run_case(client, case, base) for case in CASES),
                                           return_exceptions=True)
        return {case["id"]: result for case, result in zip(CASES, results, strict=True)}

    try:
        yield asyncio.run(run_all())
    finally:
        server.stop()


# --- reading an MP4 ---------------------------------------------------------------------------------------
@dataclass
class Video:
    duration_s: float
    size: tuple[int, int]
    audio: np.ndarray | None  # mono float samples, or None without an audio stream
    frames: dict[float, np.ndarray]  # requested time → RGB frame


def read_video(path: Path, times: list[float]) -> Video:
    """One decoding pass: container duration, size, all audio, and the frames nearest ``times``."""
    wanted = sorted(set(times))
    frames: dict[float, np.ndarray] = {}
    with av.open(str(path)) as container:
        duration = float(container.duration or 0) / av.time_base
        vstream = container.streams.video[0]
        vstream.thread_type = "AUTO"
        size = (vstream.codec_context.width, vstream.codec_context.height)
        fps = float(vstream.average_rate or 30)
        i = 0
        for frame in container.decode(vstream) if wanted else ():
            t = float(frame.time or 0.0)
            while i < len(wanted) and t + 0.5 / fps >= wanted[i]:
                frames[wanted[i]] = frame.to_ndarray(format="rgb24")
                i += 1
            if i >= len(wanted):
                break
    audio = None
    with av.open(str(path)) as container:
        if container.streams.audio:
            chunks = [f.to_ndarray().astype(np.float64) for f in container.decode(audio=0)]
            if chunks:
                data = np.concatenate([c if c.ndim == 2 else c[None, :] for c in chunks], axis=1)
                if data.shape[0] > 2:  # packed interleaved samples
                    data = data.reshape(1, -1)
                audio = data.mean(axis=0)
            else:
                audio = np.zeros(1)
    return Video(duration, size, audio, frames)


def _gray_thumb(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (64, 36), interpolation=cv2.INTER_AREA).astype(float)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", text.lower())


def ocr_finds(rgb: np.ndarray, want: str) -> bool:
    """Does tesseract read ``want`` in the frame (tolerating a misread letter or two)?"""
    import difflib

    import cv2
    import pytesseract

    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    target = _norm(want)
    for img in (gray, 255 - gray, cv2.threshold(gray, 200, 255, cv2.THRESH_BINARY_INV)[1]):
        read = _norm(pytesseract.image_to_string(img, config="--psm 11"))
        if target in read:
            return True
        if len(read) >= len(target) and any(
                difflib.SequenceMatcher(None, target, read[i:i + len(target)]).ratio() >= 0.85
                for i in range(0, len(read) - len(target) + 1)):
            return True
    return False


def rms(samples: np.ndarray | None) -> float:
    if samples is None or samples.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples))))


def _spans(draft: Draft) -> list[tuple[int, int]]:
    track = draft.video
    return [] if track is None else [(start, end) for start, end, _ in track.spans()]


# --- the checks ----------------------------------------------------------------------------------------------
def _sample_times(turn: Turn, video_len: float) -> list[float]:
    times: list[float] = []
    spans = _spans(turn.after) if turn.after is not None else []
    if "motion" in turn.expect and spans:
        start, end = spans[0][0] / 1000, spans[0][1] / 1000
        mid = start + (end - start) * 0.4
        times += [mid, mid + 1 / 30, mid + min(0.5, (end - start) * 0.2)]
    if "photos_used" in turn.expect:
        times += [(s + e) / 2000 for s, e in spans]
    if "text_at" in turn.expect:
        _, a, b = turn.expect["text_at"]
        times += [a + (b - a) * f for f in (0.5, 0.3, 0.75)]
    if "text" in turn.expect:
        times += [t * 0.5 for t in range(1, int(video_len * 2))]
    return [min(max(0.0, t), max(0.0, video_len - 0.05)) for t in times]


def check_turn(case_id: str, index: int, turn: Turn, previous_rms: float | None) -> float | None:
    """Assert one turn's expectations; the export's music loudness (for the next turn)."""
    where = f"{case_id} turn {index + 1} ({turn.say!r}) — agent said: {turn.text.strip()!r}"
    expect = turn.expect
    if expect.get("unchanged"):
        assert turn.after == turn.before, f"{where}: the draft changed"
        assert turn.text.strip(), f"{where}: the reply must say why nothing changed"
        assert not [c for c in turn.calls if c not in ("status", "credits")], f"{where}: edits {turn.calls}"
    if expect.get("export"):
        assert "export" in turn.calls, f"{where}: the turn did not start an export ({turn.calls})"
        assert turn.job_id and turn.mp4 is not None, f"{where}: no render job from the export"
    if turn.mp4 is None:
        assert not (RENDER_KEYS & set(expect)), f"{where}: nothing was exported"
        return previous_rms
    expected_len = expect.get("duration_s") or (turn.after.duration_ms / 1000 if turn.after else 0)
    video = read_video(turn.mp4, _sample_times(turn, float(expected_len or 0)))
    if "duration_s" in expect:
        assert abs(video.duration_s - expect["duration_s"]) <= 0.25, f"{where}: duration {video.duration_s:.2f} s"
    if expect.get("export"):
        assert abs(video.duration_s - turn.after.duration_ms / 1000) <= 0.25, f"{where}: exported the wrong draft"
    if "size" in expect:
        assert list(video.size) == list(expect["size"]), f"{where}: size {video.size} ({turn.quality})"
    loudness = rms(video.audio)
    if "audio" in expect:
        peak = float(np.max(np.abs(video.audio))) if video.audio is not None and video.audio.size else 0.0
        if expect["audio"]:
            assert video.audio is not None and loudness > 1e-3 and peak > 0.01, \
                f"{where}: no audible audio (rms {loudness:.5f}, peak {peak:.5f})"
        else:
            assert video.audio is None or peak < 1e-3, f"{where}: audio is not silent (peak {peak:.5f})"
    if "volume_vs_previous" in expect:
        assert previous_rms, f"{where}: no previous export with music to compare with"
        ratio = loudness / previous_rms
        want = float(expect["volume_vs_previous"])
        assert abs(ratio - want) <= 0.2 * want, f"{where}: loudness ratio {ratio:.3f}, want {want}±20%"
    if "photos_used" in expect:
        n = int(expect["photos_used"])
        srcs = {seg.source for seg in turn.after.video.segments} if turn.after and turn.after.video else set()
        assert len(srcs) == n, f"{where}: the draft uses {len(srcs)} photos"
        spans = _spans(turn.after)
        thumbs = [_gray_thumb(video.frames[min(max(0.0, (s + e) / 2000), max(0.0, float(expected_len) - 0.05))])
                  for s, e in spans]
        distinct: list[np.ndarray] = []
        for thumb in thumbs:
            if all(np.mean(np.abs(thumb - seen)) > 6.0 for seen in distinct):
                distinct.append(thumb)
        assert len(distinct) == n, f"{where}: {len(distinct)} visibly different photos in the video"
    if expect.get("motion"):
        times = sorted(_sample_times(Turn(turn.say, {"motion": True}, after=turn.after), float(expected_len)))
        a, b, c = (video.frames[t].astype(float) for t in times[:3])
        assert np.mean(np.abs(b - a)) > 0.02, f"{where}: consecutive frames are identical"
        assert np.mean(np.abs(c - a)) > 0.5, f"{where}: the picture does not move"
    if "text_at" in expect:
        words, a, b = expect["text_at"]
        times = [min(max(0.0, a + (b - a) * f), max(0.0, float(expected_len) - 0.05)) for f in (0.5, 0.3, 0.75)]
        if shutil.which("tesseract"):
            assert any(ocr_finds(video.frames[t], words) for t in times), f"{where}: OCR did not find {words!r}"
        else:
            pytest.skip("tesseract missing: apt-get install -y tesseract-ocr")
    if "text" in expect:
        for words in expect["text"]:
            found = any(ocr_finds(frame, words) for _, frame in sorted(video.frames.items()))
            assert found, f"{where}: OCR did not find {words!r}"
    return loudness if loudness > 1e-3 else previous_rms


def _marks(case: dict[str, Any]) -> list[Any]:
    texty = any({"text", "text_at"} & set(t.get("expect") or {}) for t in case["turns"])
    return [pytest.mark.ocr] if texty else []


@pytest.mark.timeout(900)
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"], marks=_marks(c)) for c in CASES])
def test_case(case: dict[str, Any], outcomes: dict[str, list[Turn] | BaseException]) -> None:
    result = outcomes[case["id"]]
    if isinstance(result, BaseException):
        raise result
    previous: float | None = None
    for i, turn in enumerate(result):
        previous = check_turn(case["id"], i, turn, previous)


@pytest.mark.timeout(900)
def test_replies_match_the_request_language(outcomes: dict[str, list[Turn] | BaseException]) -> None:
    """Chinese requests get Chinese replies; English ones English."""
    for case in CASES:
        result = outcomes[case["id"]]
        if isinstance(result, BaseException):
            continue
        for turn in result:
            cjk = bool(re.search(r"[\u4e00-\u9fff]", turn.say))
            said = turn.text
            assert said.strip(), f"{case['id']}: {turn.say!r} got no text"
            if cjk:
                assert re.search(r"[\u4e00-\u9fff]", said), f"{case['id']}: {turn.say!r} → {said!r}"


def test_every_case_draft_is_consistent(outcomes: dict[str, list[Turn] | BaseException]) -> None:
    """Music spans the video and texts sit inside it after every turn of every case."""
    for case in CASES:
        result = outcomes[case["id"]]
        if isinstance(result, BaseException):
            continue
        for turn in result:
            draft = turn.after
            assert draft is not None
            total = draft.duration_ms
            for track in draft.tracks:
                for start, end, _ in track.spans():
                    assert 0 <= start < end <= total or track.type == TrackType.VIDEO
