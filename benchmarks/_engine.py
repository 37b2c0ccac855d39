"""Shared by the benchmarks: start the real engine as its own process."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path


def start_engine(data_dir: Path) -> tuple[subprocess.Popen, str]:
    """The engine as its own process (as users run it), found through its runtime file."""
    proc = subprocess.Popen([sys.executable, "-m", "nemo_nb.engine", "--port", "0", "--data-dir", str(data_dir)],
                            stderr=subprocess.DEVNULL)
    runtime = data_dir / "engine.json"
    for _ in range(600):
        try:
            info = json.loads(runtime.read_text())
            if info["pid"] == proc.pid:
                return proc, info["url"]
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("engine did not start")
