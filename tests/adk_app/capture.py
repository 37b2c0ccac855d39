"""Record real ``adk api_server`` streams as a replayable fixture (tests/fixtures/adk_streams.json).

    cd tests/adk_app && /tmp/adk-venv/bin/adk api_server --no_use_local_storage --port 8765 .
    .venv/bin/python tests/adk_app/capture.py http://127.0.0.1:8765

Each stream keeps the raw ``data:`` payloads exactly as sent, with their arrival times, so a test
can replay them byte for byte through the scripted server.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

import httpx

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "adk_streams.json"
SCRIPTS = [("edit it", True), ("edit it", False), ("silent edit", True), ("slow one", True), ("fail now", True)]


def capture(base: str, text: str, streaming: bool) -> dict:
    sid = f"cap-{uuid.uuid4().hex[:8]}"
    with httpx.Client(base_url=base, timeout=60) as http:
        http.post(f"/apps/nemo_agent/users/me/sessions/{sid}", json={}).raise_for_status()
        body = {"app_name": "nemo_agent", "user_id": "me", "session_id": sid,
                "new_message": {"role": "user", "parts": [{"text": text}]}, "streaming": streaming}
        events = []
        started = time.monotonic()
        with http.stream("POST", "/run_sse", json=body, headers={"Accept": "text/event-stream"}) as resp:
            headers = {k: v for k, v in resp.headers.items() if k in ("content-type", "transfer-encoding")}
            raw = b""
            for chunk in resp.iter_raw():
                raw += chunk
                while b"\n\n" in raw:
                    frame, raw = raw.split(b"\n\n", 1)
                    line = frame.decode("utf-8")
                    assert line.startswith("data:"), line
                    events.append({"t": round(time.monotonic() - started, 3), "data": line[5:].lstrip(" ")})
            assert not raw.strip(), raw
    return {"message": text, "streaming": streaming, "status": resp.status_code, "headers": headers,
            "events": events}


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765"
    streams = [capture(base, text, streaming) for text, streaming in SCRIPTS]
    version = httpx.get(f"{base}/version", timeout=10).json().get("version")
    meta = {"server": "google-adk api_server", "adk_version": version, "agent": "tests/adk_app/nemo_agent"}
    OUT.write_text(json.dumps({"meta": meta, "streams": streams}, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {OUT} ({len(streams)} streams)")


if __name__ == "__main__":
    main()
