"""The whole happy path over real HTTP against the embedded engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from nemo_nb.client import Done, NemoClient, RenderJob, TextDelta, ToolCall

pytestmark = pytest.mark.anyio


@pytest.mark.slow
async def test_photos_to_mp4_through_the_client(engine_url: str, photos: list[Path], tmp_path: Path) -> None:
    async with NemoClient(engine_url) as client:
        assert client.backend_name == "local"
        session = await client.create_session()
        assert session.session_id and session.task_id

        media = await client.upload(session.session_id, *photos[:3])
        assert [m.name for m in media] == [p.name for p in photos[:3]]
        assert all(m.id and m.kind == "photo" for m in media)

        credits = await client.credits()
        assert credits.total >= credits.available >= 0

        events = [e async for e in client.send(session.session_id, "turn these photos into a 6 second video")]
        done = events[-1]
        assert isinstance(done, Done) and done.draft is not None
        assert any(isinstance(e, ToolCall) for e in events)
        shown = "".join(e.text for e in events if isinstance(e, TextDelta))
        if done.silent:
            assert done.changes and not shown
        else:
            assert shown.strip() == done.text and "6" in shown

        state = await client.state(session.session_id)
        assert state.draft.duration_ms == 6000
        assert state.summary.startswith("Timeline (")
        assert len(state.video_infos) == 3
        thumb_url = state.video_infos[0].get("thumbnail_url") or media[0].thumbnail_url
        assert (await client.fetch_bytes(thumb_url))[:3] == b"\xff\xd8\xff"

        seen: list[RenderJob] = []
        job = await client.export(session.session_id, quality="preview", progress=seen.append)
        assert job.ok and job.url and seen[-1].status == "completed"
        out = await client.download(job.url, tmp_path / "out.mp4")

    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = sum(1 for _ in container.decode(stream))
        duration = float(container.duration) / 1_000_000
    assert frames > 0 and abs(duration - 6.0) < 0.5
