"""Agent turn latency on the local engine, side by side with a no-op baseline in the same run.

For every conversation of tests/data/cases.jsonl (the project's spec; repeated ``--rounds`` times, each
in a fresh session with its photos from tests/data/photos uploaded), each turn is posted to ``/run_sse`` exactly as the client does
(``streaming: true``) and timed from the request to the last event (the end of the body). Renders are
excluded: an export turn's job is cancelled as soon as the turn ends, and no other export is made.
The baseline is ``GET /api/credits`` on the same engine and connection, timed between turns. The
agent's own ``respond()`` time (in-process, no HTTP) is reported as well.

Target: agent turn p95 < 150 ms. Run: ``.venv/bin/python benchmarks/agent.py [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from _engine import start_engine  # benchmarks run as scripts: their folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nemo_nb import protocol  # noqa: E402

DATA = ROOT / "tests" / "data"  # the repo's own copies: a clone needs nothing beside it
HEADERS = {protocol.HEADER_SOURCE: protocol.SKILL_SOURCE, protocol.HEADER_VERSION: "bench",
           protocol.HEADER_PLATFORM: protocol.SKILL_PLATFORM}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(rounds: int) -> dict[str, list[float]]:
    cases = [json.loads(line) for line in (DATA / "cases.jsonl").read_text().splitlines() if line.strip()]
    photos = sorted(p for p in (DATA / "photos").iterdir() if p.is_file())
    timings: dict[str, list[float]] = {"turn": [], "baseline": [], "respond": []}
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_engine(Path(tmp) / "engine")
        try:
            with httpx.Client(base_url=url, headers=HEADERS, timeout=120, trust_env=False) as http:
                token = http.post(protocol.PATH_ANON_TOKEN,
                                  headers={protocol.HEADER_CLIENT_ID: str(uuid.uuid4())}).json()["data"]["token"]
                http.headers["Authorization"] = f"Bearer {token}"
                for _ in range(5):  # warm up the connection and both routes
                    http.get(protocol.PATH_CREDITS)
                for _round in range(rounds):
                    for case in cases:
                        body = http.post(protocol.PATH_CREATE_SESSION, json={"task_name": "project"}).json()
                        sid = body.get("session_id") or body["data"]["session_id"]
                        files = [("files", (p.name, p.read_bytes())) for p in photos[: case["photos"]]]
                        http.post(protocol.PATH_UPLOAD.format(session_id=sid), files=files).raise_for_status()
                        for turn in case["turns"]:
                            t0 = time.perf_counter()
                            http.get(protocol.PATH_CREDITS).raise_for_status()
                            timings["baseline"].append(time.perf_counter() - t0)
                            payload = {"app_name": protocol.APP_NAME, "user_id": protocol.USER_ID, "session_id": sid,
                                       "new_message": {"role": "user", "parts": [{"text": turn["say"]}]},
                                       "streaming": True}
                            t0 = time.perf_counter()
                            with http.stream("POST", protocol.PATH_RUN_SSE, json=payload,
                                             headers={"Accept": "text/event-stream"}) as resp:
                                raw = b"".join(resp.iter_bytes())
                            timings["turn"].append(time.perf_counter() - t0)
                            for line in raw.decode().split("\n\n"):
                                if '"name":"export"' in line and "functionResponse" in line:
                                    job = json.loads(line[len("data: "):])
                                    for part in job["content"]["parts"]:
                                        job_id = (part.get("functionResponse") or {}).get("response", {}).get("job_id")
                                        if job_id:
                                            http.post(protocol.PATH_RENDER_CANCEL.format(job_id=job_id))
        finally:
            proc.terminate()
            proc.wait(10)
    timings["respond"] = respond_times(cases, photos, rounds)
    return timings


def respond_times(cases: list[dict], photos: list[Path], rounds: int) -> list[float]:
    """The agent alone: ``respond()`` per turn, no HTTP, no store."""
    from nemo_nb.draft import Draft
    from nemo_nb.engine.agent import AgentContext, MediaItem, respond

    out = []
    for _ in range(rounds):
        for case in cases:
            media = [MediaItem(f"m{i}", p.name, "photo", 1600, 1200) for i, p in enumerate(photos[: case["photos"]])]
            draft, history = Draft(), []
            for turn in case["turns"]:
                ctx = AgentContext(draft, media, undo_draft=history[-1] if history else None)
                t0 = time.perf_counter()
                reply = respond(turn["say"], ctx)
                out.append(time.perf_counter() - t0)
                if reply.action == "undo" and history:
                    draft = history.pop()
                elif reply.operations:
                    history.append(draft)
                    draft = reply.draft
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    t = run(args.rounds)
    ms = {k: [v * 1000 for v in vals] for k, vals in t.items()}
    print(f"{len(ms['turn'])} turns ({args.rounds} rounds of the cases)")
    print(f"{'measure':<28}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for key, label in (("baseline", "GET /api/credits (baseline)"), ("turn", "agent turn over /run_sse"),
                       ("respond", "respond() alone")):
        vals = ms[key]
        print(f"{label:<28}{statistics.median(vals):>10.1f}{pct(vals, 0.95):>10.1f}{max(vals):>10.1f}")
    p95 = pct(ms["turn"], 0.95)
    print(f"turn p95 / baseline p95 = {p95 / pct(ms['baseline'], 0.95):.1f}x; target p95 < 150 ms: "
          f"{'met' if p95 < 150 else 'NOT met'}")


if __name__ == "__main__":
    main()
