"""The live player in a real JupyterLab (headless Chromium): playhead → frame painted, and playback.

    .venv/bin/python benchmarks/player.py [--clicks 40] [--drags 3] [--play 8]

Drives tests/ui/nbbrowser.py on a small notebook: local engine, 6 sample photos, a 12-second 1080p
video with transitions and music (the player shows it at 540p: 960×540 frames). Then, measured inside
the page with performance.now():

* **click**: ``--clicks`` clicks at random places on the ruler, each waiting for its frame → time
  from the click's request to the frame painted on the canvas (median, p95);
* **drag**: ``--drags`` drags over the whole ruler (80 pointer moves each, 15 ms apart) → every
  frame painted during them, from its request (median, p95), requests sent vs pointer moves; the
  first drag (times never seen: the kernel renders every frame) and the later ones (mostly frames
  the kernel made already and kept) also apart (``first_drag``, ``repeat_drags``);
* **play**: ``--play`` seconds of playback with the music → frames painted per second, frames dropped,
  worst distance between a painted frame and the audio clock;
* **edit**: "make it vertical" typed in the chat → the vertical frame painted, from the answer's end.

Also printed: where each frame's time went (``*_split_ms``: wait, up, kernel, down, decode, paint;
medians, from the page's ``stats.split``) and the CPU every process under the harness spent per
frame painted while dragging and playing (``cpu_ms_per_frame``: little changed by other load on the
machine, unlike the times; ``drag_by_process``: the dragged frame's CPU per process — Chromium's
renderer, browser, GPU and network processes, the Jupyter server, the kernel, the Playwright driver).
``NEMO_BENCH_NAGLE=1``: without nemo_nb.serverext (its TCP_NODELAY and quiet widget status).

Baseline, in the same run: the kernel alone making a frame (``FrameServer.frame``: ``frame_at`` +
JPEG, no channel, no browser; its cache of frames made emptied first, since the clicks made them) at the clicks' times, so the printed ratio is what the channel,
decoding and painting add. Printed: the figures and every sample (JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "tests" / "ui" / "nbbrowser.py"

NOTEBOOK = [
    "import nemo_nb\nfrom nemo_nb.samples import photos\n\nstudio = nemo_nb.connect(echo=False)\n"
    "await studio.upload(*photos())\n"
    "await studio.ask('turn these photos into a 12-second video with transitions and background music')\nstudio",
]

STEPS = r'''
import json, os, random

import numpy as np

from steps_player import drag_across, edit_shows_by_itself, play_with_music, player_stats, ruler_box, wait_frame
from steps_quickstart import send_request

CLICKS, DRAGS, PLAY = (int(os.environ[k]) for k in ("BENCH_CLICKS", "BENCH_DRAGS", "BENCH_PLAY"))


def tree_cpu_s():
    """CPU seconds used so far by every process under this one (Chromium, Jupyter, the kernel, the
    engine): the work a frame costs, which a loaded machine delays but does not change much."""
    return sum(cpu_by_kind().values())


def process_kind(pid):
    """Which part of the stack a process is (for the CPU split): Chromium's renderer, GPU, network
    or browser process, the Jupyter server, the kernel, the Playwright driver, or other."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    if "chrom" in cmd:
        kind = cmd.split("--type=", 1)[1].split()[0] if "--type=" in cmd else "browser"
        if "utility" in kind and "network" in cmd:
            kind = "network"
        return "chromium-" + kind
    for key, name in (("ipykernel", "kernel"), ("jupyterlab", "jupyter-server"), ("notebook", "jupyter-server"),
                      ("playwright", "playwright"), ("nemo_nb.engine", "engine")):
        if key in cmd:
            return name
    return "other"


def cpu_by_kind():
    """CPU seconds so far of every process under this one, by process_kind."""
    children = {}
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append((int(entry), fields))
        except (OSError, ValueError, IndexError):
            continue
    out, todo = {}, [os.getpid()]
    while todo:
        for pid, fields in children.get(todo.pop(), []):
            kind = process_kind(pid)
            out[kind] = out.get(kind, 0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            todo.append(pid)
    return out


async def steps(page, out_dir, nb):
    out = {"click_ms": [], "click_t": [], "drags": [], "click_split": []}
    await page.locator(".nemo-studio").first.wait_for(state="visible", timeout=30000)
    first = await wait_frame(page, timeout=60000)
    out["frame_size"] = [first["w"], first["h"]]
    rng = random.Random(7)
    box = await ruler_box(page)
    for _ in range(CLICKS):
        before = len((await player_stats(page))["stats"]["latencies"])
        await page.mouse.click(box["x"] + box["width"] * rng.uniform(0.01, 0.99), box["y"] + box["height"] / 2)
        t = (await player_stats(page))["t"]
        await wait_frame(page, t)
        stats = (await player_stats(page))["stats"]
        lat = stats["latencies"][before:]
        out["click_ms"].append(round(lat[-1], 1))
        out["click_split"].extend(stats.get("split", [])[-1:])
        out["click_t"].append(t)
        await page.wait_for_timeout(100)
    cpu0, kinds0 = tree_cpu_s(), cpu_by_kind()
    for _ in range(DRAGS):
        res = {}
        before = len((await player_stats(page))["stats"]["latencies"])
        await drag_across(page, res)
        stats = (await player_stats(page))["stats"]
        res["drag"]["samples_ms"] = [round(x, 1) for x in stats["latencies"][before:]]
        res["drag"]["split"] = stats.get("split", [])[before:]
        out["drags"].append(res["drag"])
    out["drag_cpu_s"] = round(tree_cpu_s() - cpu0, 2)
    out["drag_cpu_by_process_s"] = {k: round(v - kinds0.get(k, 0), 2) for k, v in cpu_by_kind().items()}
    res = {}
    cpu0 = tree_cpu_s()
    await play_with_music(page, res, seconds=PLAY)
    out["play_cpu_s"] = round(tree_cpu_s() - cpu0, 2)
    out["play"] = res["play"]
    out["play_split"] = (await player_stats(page))["stats"]["play"].get("split", [])
    res = {}
    await edit_shows_by_itself(page, res, send_request, "make it vertical", lambda w, h: h > w)
    out["edit"] = res["edit"]
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    code = ("import time, json\nw = studio.widget()\n_k = []\n"
            f"for _t in {json.dumps(out['click_t'])}:\n"
            "    w.player._made.clear()  # made for the click already: time the making, not the kernel's cache\n"
            "    _s = time.perf_counter(); await w.player.frame(_t); _k.append(1000 * (time.perf_counter() - _s))\n"
            "print('KERNEL', json.dumps([round(x, 1) for x in _k]))")
    cell = await nb.add_and_run_cell(code, timeout=120)
    text = cell["rendered_text"] if cell else ""
    out["kernel_ms"] = json.loads(text.split("KERNEL", 1)[1].strip().splitlines()[0]) if "KERNEL" in text else []
    return out
'''


def pct(values: list[float], q: float) -> float:
    import numpy as np

    return round(float(np.percentile(values, q)), 1) if values else float("nan")


def summary_ms(values: list[float]) -> dict[str, float]:
    """Median, p95 and count of some latencies (ms)."""
    return {"median": round(statistics.median(values), 1) if values else float("nan"), "p95": pct(values, 95),
            "frames": len(values)}


def split_medians(rows: list[dict]) -> dict[str, float]:
    """Median of each part of a frame's time (wait, up, kernel, down, decode, paint; ms) and its bytes."""
    keys = ("wait", "up", "kernel", "down", "decode", "paint", "bytes")
    return {k: round(statistics.median(r[k] for r in rows), 1) for k in keys if rows and all(k in r for r in rows)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clicks", type=int, default=40)
    ap.add_argument("--drags", type=int, default=3)
    ap.add_argument("--play", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nemo-bench-player-") as tmp:
        folder = Path(tmp)
        nb = new_notebook(cells=[new_code_cell(c) for c in NOTEBOOK])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / "player_bench.ipynb")
        (folder / "steps.py").write_text(STEPS)
        # The Jupyter config an installed nemo_nb adds (nemo_nb.serverext: kernel websockets without
        # Nagle's delay); NEMO_BENCH_NAGLE=1 leaves it out to measure what it saves.
        config_path = [] if os.environ.get("NEMO_BENCH_NAGLE") else [str(ROOT / "jupyter-config")]
        env = {**os.environ, "JUPYTER_CONFIG_PATH": os.pathsep.join(config_path), "BENCH_CLICKS": str(args.clicks), "BENCH_DRAGS": str(args.drags),
               "BENCH_PLAY": str(args.play), "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        cmd = [sys.executable, str(HARNESS), str(folder / "player_bench.ipynb"), "--out", str(folder / "out"),
               "--python", sys.executable, "--script", str(folder / "steps.py"), "--timeout", "600"]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        summary = json.loads((folder / "out" / "summary.json").read_text())
        if proc.returncode != 0 or not summary.get("script", {}).get("ok"):
            print(proc.stderr[-3000:], json.dumps(summary.get("failures"), indent=1), file=sys.stderr)
            return 1
        out = summary["script"]["result"]
    with contextlib.suppress(Exception):
        from nemo_nb import config
        from nemo_nb.engine.server import read_runtime

        info = read_runtime(config.data_dir())
        if info and isinstance(info.get("pid"), int):
            os.kill(info["pid"], 15)
    drag = [x for d in out["drags"] for x in d["samples_ms"]]
    report = {
        "frame": out["frame_size"],
        "click_ms": {"median": round(statistics.median(out["click_ms"]), 1), "p95": pct(out["click_ms"], 95)},
        "drag_ms": {"median": round(statistics.median(drag), 1), "p95": pct(drag, 95), "frames": len(drag),
                    "requests_vs_moves": [[d["requests"], d["moves"]] for d in out["drags"]],
                    "final_frame_after_release_ms": [d["final_frame_after_release_ms"] for d in out["drags"]],
                    # The kernel keeps the frames it made (CACHED_FRAMES): the first drag asks for times
                    # never seen, the later ones mostly for frames made already. Both, apart.
                    "first_drag": summary_ms(out["drags"][0]["samples_ms"]),
                    "repeat_drags": summary_ms([x for d in out["drags"][1:] for x in d["samples_ms"]])},
        "click_split_ms": split_medians(out["click_split"]),
        "drag_split_ms": split_medians([r for d in out["drags"] for r in d["split"]]),
        "play_split_ms": split_medians(out["play_split"]),
        "kernel_ms": {"median": round(statistics.median(out["kernel_ms"]), 1), "p95": pct(out["kernel_ms"], 95)},
        "play": out["play"],
        "vertical_frame_after_answer_ms": out["edit"]["frame_after_answer_ms"],
    }
    painted_drag = len(drag)
    report["cpu_ms_per_frame"] = {"drag": round(1000 * out["drag_cpu_s"] / max(1, painted_drag), 1),
                                  "play": round(1000 * out["play_cpu_s"] / max(1, out["play"]["painted"]), 1),
                                  "play_cpu_cores": round(out["play_cpu_s"] / out["play"]["clock"]["wall"], 2)}
    report["cpu_ms_per_frame"]["drag_by_process"] = {k: round(1000 * v / max(1, painted_drag), 1)
                                                      for k, v in sorted(out["drag_cpu_by_process_s"].items()) if v > 0}
    report["click_over_kernel"] = round(report["click_ms"]["median"] / max(0.1, report["kernel_ms"]["median"]), 2)
    print(json.dumps(report, indent=1))
    print(json.dumps({"samples": out}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
