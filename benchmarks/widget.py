"""Widget latency in a real JupyterLab (headless Chromium): first paint, and send → first streamed text.

    .venv/bin/python benchmarks/widget.py [--runs 5]

Drives tests/ui/nbbrowser.py on a small notebook (local engine, 6 sample photos, one video built).
Then, ``--runs`` times each, measured inside the page with performance.now():

* first paint: running a cell that makes and displays a new studio widget → its ``.nemo-studio``
  node is painted (model creation, comm open, ESM import, render).
  Baseline, side by side: the same for an ``ipywidgets.IntSlider`` (the cheapest standard widget).
* first text: pressing Enter in the prompt → the agent's first streamed text is painted.
  Baseline: the complete answer (what a client that waits for the whole reply would show).

Printed: the medians, the ratios, and every sample (JSON). Needs chromium (apt-get install -y chromium).
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

STEPS = r'''
import json, os

RUNS = int(os.environ["BENCH_RUNS"])

PAINT_JS = r"""
async ([code, selector]) => {
  const cells = () => document.querySelectorAll('.jp-NotebookPanel .jp-Cell');
  const before = document.querySelectorAll(selector).length;
  const nb = window.jupyterapp.shell.currentWidget.content;
  nb.activeCellIndex = cells().length - 1;
  await window.jupyterapp.commands.execute('notebook:insert-cell-below');
  nb.activeCell.model.sharedModel.setSource(code);
  const painted = new Promise((resolve) => {
    const check = () => {
      if (document.querySelectorAll(selector).length > before) {
        requestAnimationFrame(() => resolve(performance.now()));
        return true;
      }
      return false;
    };
    const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
    obs.observe(document.body, { childList: true, subtree: true });
  });
  const t0 = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
  const t1 = await Promise.race([painted, new Promise((r) => setTimeout(() => r(null), 30000))]);
  return t1 === null ? null : t1 - t0;
}
"""

SEND_JS = r"""
async (text) => {
  const roots = document.querySelectorAll('.nemo-studio');
  const root = roots[roots.length - 1];
  const box = root.querySelector('.nemo-input');
  const agents = () => root.querySelectorAll('.nemo-msg-agent');
  const n0 = agents().length;
  const last = () => { const a = agents(); return a.length > n0 ? a[a.length - 1] : null; };
  const wait = (pred) => new Promise((resolve) => {
    const tick = () => pred() ? requestAnimationFrame(() => resolve(performance.now())) : setTimeout(tick, 2);
    tick();
  });
  box.value = text;
  const t0 = performance.now();
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  const first = await wait(() => { const m = last(); return m && m.querySelector('.nemo-msg-text').textContent.length > 0; });
  const full = await wait(() => { const m = last(); return m && !m.classList.contains('nemo-is-pending'); });
  return { first: first - t0, full: full - t0 };
}
"""

REQUESTS = ["make it {n} seconds", "lower the music to {p}%"]


async def steps(page, out_dir, nb):
    res = {"studio_paint_ms": [], "slider_paint_ms": [], "first_text_ms": [], "full_answer_ms": []}
    await page.locator(".nemo-studio").first.wait_for(timeout=30000)
    for i in range(RUNS + 1):  # the first round warms up (module import, widget JS load); not counted
        studio = await page.evaluate(PAINT_JS, ["StudioWidget(studio)", ".nemo-studio"])  # a new widget model
        await nb.wait_idle(60, settle=0.3)
        slider = await page.evaluate(PAINT_JS, ["ipywidgets.IntSlider()", ".widget-slider"])
        await nb.wait_idle(60, settle=0.3)
        text = REQUESTS[i % 2].format(n=5 + i, p=20 + i)
        sent = await page.evaluate(SEND_JS, text)
        await nb.wait_idle(60, settle=0.3)
        if i == 0:
            continue
        res["studio_paint_ms"].append(studio)
        res["slider_paint_ms"].append(slider)
        res["first_text_ms"].append(sent["first"])
        res["full_answer_ms"].append(sent["full"])
    assert all(v is not None for v in res["studio_paint_ms"] + res["slider_paint_ms"]), res
    return res
'''


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp:
        tmpdir = Path(tmp)
        nb = new_notebook(cells=[new_code_cell(
            "import ipywidgets\nimport nemo_nb\nfrom nemo_nb.samples import photos\n"
            "from nemo_nb.notebook.widget import StudioWidget\n"
            "studio = nemo_nb.connect(echo=False)\nawait studio.upload(*photos())\n"
            "await studio.ask('turn these photos into a 6-second video with background music')\nstudio")],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
        nbformat.write(nb, tmpdir / "bench.ipynb")
        (tmpdir / "steps.py").write_text(STEPS)
        env = {**os.environ, "BENCH_RUNS": str(args.runs), "NEMO_NB_DATA_DIR": str(tmpdir / "data"),
               "NEMO_NB_CONFIG_DIR": str(tmpdir / "config")}
        out = tmpdir / "out"
        try:
            proc = subprocess.run([sys.executable, str(HARNESS), str(tmpdir / "bench.ipynb"), "--out", str(out),
                                   "--python", sys.executable, "--script", str(tmpdir / "steps.py"),
                                   "--timeout", "600"], env=env, capture_output=True, text=True)
        finally:
            _stop_engine(tmpdir / "data")
        summary = json.loads((out / "summary.json").read_text()) if (out / "summary.json").exists() else {}
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            print(json.dumps(summary.get("failures"), indent=1), file=sys.stderr)
            return 1
        res = summary["script"]["result"]
    med = {k: statistics.median(v) for k, v in res.items()}
    print(f"runs: {args.runs} (after one warm-up round), JupyterLab in Chromium {summary.get('browser_version', '')}")
    print(f"{'metric':34} {'median ms':>10}   baseline {'median ms':>10}   ratio")
    print(f"{'cell run → studio painted':34} {med['studio_paint_ms']:10.0f}   IntSlider {med['slider_paint_ms']:9.0f}"
          f"   {med['studio_paint_ms'] / med['slider_paint_ms']:.2f}x")
    print(f"{'Enter → first streamed text':34} {med['first_text_ms']:10.0f}   full reply {med['full_answer_ms']:8.0f}"
          f"   {med['first_text_ms'] / med['full_answer_ms']:.2f}x")
    print(json.dumps({"median_ms": med, "samples_ms": res}))
    return 0


def _stop_engine(data_dir: Path) -> None:
    import signal

    from nemo_nb.engine.server import read_runtime

    info = read_runtime(data_dir)
    if info and isinstance(info.get("pid"), int):
        with contextlib.suppress(ProcessLookupError):
            os.kill(info["pid"], signal.SIGTERM)


if __name__ == "__main__":
    raise SystemExit(main())
