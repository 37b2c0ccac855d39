"""The envelope helpers read fields where the seeds put them: top level or under data."""

from __future__ import annotations

from nemo_nb import protocol


def test_pick_reads_top_level_and_data() -> None:
    body = protocol.envelope({"token": "t", "session_id": "in-data"}, top={"session_id": "top"})
    assert protocol.pick(body, "token") == "t"
    assert protocol.pick(body, "session_id") == "top"
    assert protocol.pick({"data": None}, "x", default=5) == 5
    assert protocol.pick("not a dict", "x") is None


def test_paths_follow_the_seeds() -> None:
    assert protocol.PATH_CREATE_SESSION == "/api/tasks/me/with-session/nemo_agent"
    assert protocol.PATH_UPLOAD.format(session_id="s1") == "/api/upload-video/nemo_agent/me/s1"
    assert protocol.PATH_STATE.format(session_id="s1") == "/api/state/nemo_agent/me/s1/latest"
    assert protocol.PATH_RENDER_STATUS.format(job_id="render_1") == "/api/render/proxy/lambda/render_1"
