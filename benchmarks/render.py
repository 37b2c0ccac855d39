"""Render benchmark: nemo_nb's renderer side by side with the x264 floor and MoviePy, in one run.

Reference workload (issue 5): a 30-s 1080p30 slideshow of 10 photos of 6-24 MP (six photos, repeated, at
the pixel sizes of the reference set: made from the repo's tests/data/photos by :func:`reference_photos`,
so a clone needs nothing beside it), crossfades, Ken Burns motion, a title and music,
x264 preset veryfast CRF 20 in the issue; nemo_nb exports at CRF 19 (for SSIM >= 0.98), so every case
here runs at the export's own preset and CRF (encode.X264["high"]). Measured, each in its own child process (peak RSS from wait4):

- floor:   libx264 alone encoding the SAME frames (pre-composited to a raw file, untimed) with the
           same settings — the encoder's time, which no renderer can beat;
- ours:    ``nemo_nb.render.render(..., quality="high")`` end to end (decode, plan, composite, encode,
           music, AAC, faststart), then SSIM of sampled output frames against the uncompressed
           composite, and the bitrate;
- preview: the same draft at ``quality="preview"``: first with photos never seen (an empty cache);
           after upload (the engine prepares each uploaded photo for previews, then, after the turn
           that made the video, that draft's photos and soundtrack: nemo_nb/engine/previews.py); and
           again, as when iterating (photos and soundtrack kept by the preview before);
- moviepy: MoviePy 2.x doing the same workload the way its users write it (ImageClip(path) sized to
           cover the frame, resized() zoom, CrossFadeIn, TextClip title, the same music) at the same
           preset and CRF;
- long:    a 10-minute render (same photos, repeated) at high quality: its peak RSS.

usage: python benchmarks/render.py [--seconds 30] [--repeat 1] [--no-moviepy] [--long-minutes 10]
                                  [--json out.json]
       python benchmarks/render.py --styled --repeat 8     # the brand case (issue 13), paired runs
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nemo_nb.render.encode import X264

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests._support.video (the one SSIM) when run as a script
DATA_PHOTOS = ROOT / "tests" / "data" / "photos"
#: The six reference photos: (a photo of tests/data/photos, the pixel size it is used at). The sizes are
#: those of the original reference set (24, 17.5, 16.1, 11.9, 12.2 and 5.8 MP, one portrait), so that
#: decoding and scaling them costs what it did; sources already at that size are used as they are.
PHOTOS = [("rocket_big_6000x4000.jpg", (6000, 4000)), ("coffee_cup_dark_1800.jpg", (5117, 3411)),
          ("chelsea_cat_phone.jpg", (4640, 3472)), ("coffee_cup_food.png", (4217, 2817)),
          ("astronaut_vertical.jpg", (3024, 4032)), ("navy_t45a_goshawk_in_flight.jpg", (2788, 2085))]
TRANSITION_MS = 500
TITLE = "Summer Sale"
X264_CRF = X264["high"]["crf"]


def reference_photos() -> list[Path]:
    """The six reference photos as JPEG files (made once per machine, deterministically, in the temp dir)."""
    from PIL import Image

    folder = Path(tempfile.gettempdir()) / "nemo-bench-photos-v1"
    paths: list[Path] = []
    for name, size in PHOTOS:
        source = DATA_PHOTOS / name
        with Image.open(source) as im:
            if im.size == size and source.suffix == ".jpg":
                paths.append(source)
                continue
            path = folder / f"{source.stem}_{size[0]}x{size[1]}.jpg"
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                big = im.convert("RGB").resize(size, Image.LANCZOS)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                big.save(tmp, "JPEG", quality=90)
                os.replace(tmp, path)  # whole files only: children may look at the same time
        paths.append(path)
    return paths


def workload(seconds: float) -> tuple[dict, dict[str, str]]:
    """The reference draft: one photo every 3 s, crossfades, auto Ken Burns, a title, lo-fi music."""
    n = max(1, round(seconds / 3))
    media = {f"p{i}": str(path) for i, path in enumerate(reference_photos())}
    draft = {"m": {"aspect": "16:9", "w": 1920, "h": 1080, "fps": 30}, "t": [
        {"tt": 0, "m": {"role": "main"}, "sg": [
            {"d": 3000, "m": {"type": "photo", "src": f"p{i % len(PHOTOS)}", "motion": "auto", "fit": "cover",
                              "transition": {"type": "crossfade", "d": TRANSITION_MS}}} for i in range(n)]},
        {"tt": 1, "m": {"role": "bgm"}, "sg": [{"d": n * 3000, "s": 0, "m": {
            "type": "music", "mood": "lofi", "volume": 0.35, "fade_in": 500, "fade_out": 1500, "seed": 7}}]},
        {"tt": 7, "m": {"role": "title"}, "sg": [{"d": 3000, "s": 0, "m": {
            "type": "text", "role": "title", "text": TITLE, "position": "center", "anim": "fade"}}]},
    ]}
    return draft, media


#: The brand case (issue 13): the same workload with a styled, animated title and a logo watermark.
STYLE = {"color": "#e11d2a", "bg": "outline", "font": "inter", "size": "large", "position": "bottom_left",
         "anim": "typewriter", "anim_out": "slide_up"}


def styled_workload(seconds: float, logo: Path) -> tuple[dict, dict[str, str]]:
    """:func:`workload` plus a styled, animated title and a logo in the corner (made at ``logo``)."""
    from PIL import Image, ImageDraw

    draft, media = workload(seconds)
    if not logo.exists():
        img = Image.new("RGBA", (480, 240), (0, 0, 0, 0))
        ImageDraw.Draw(img).rounded_rectangle((0, 0, 479, 239), 40, fill=(255, 200, 0, 230))
        ImageDraw.Draw(img).ellipse((40, 40, 200, 200), fill=(200, 0, 120, 255))
        img.save(logo)
    draft["t"][2]["sg"][0]["m"].update(STYLE)
    draft["m"]["logo"] = {"src": "logo", "corner": "top_right", "size": 0.12, "opacity": 0.85}
    return draft, {**media, "logo": str(logo)}


# --- child cases (each prints one JSON line) ------------------------------------------------------

def case_ours(seconds: float, out: Path, quality: str, uploaded: bool = False, styled: bool = False,
              ssim: bool = True) -> dict:
    from _stages import StageClock

    from nemo_nb.render import prepare_photo, render

    draft, media = styled_workload(seconds, out.with_name("logo.png")) if styled else workload(seconds)
    if uploaded:  # what the engine does (untimed: done before the export is asked for)
        from nemo_nb.engine.previews import prepare_draft

        for path in media.values():  # with each photo when it is uploaded
            prepare_photo(path, 1920, 1080)
        prepare_draft(draft, media)  # after the turn that made the video (soundtrack, photos at its size)
    with StageClock().installed() as clock:
        cpu0, t0 = time.process_time(), time.perf_counter()
        result = render(draft, media, out, quality=quality)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    info = {"wall_s": wall, "cpu_s": cpu, "stages_cpu_s": clock.split(cpu), "frames": result.frames,
            "bytes": result.size_bytes,
            "mbit_s": result.size_bytes * 8 / result.duration_s / 1e6,
            # Peak RSS of the render itself (the SSIM check below decodes and composites again).
            "render_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if quality == "high" and ssim:
        info["ssim"] = _ssim_samples(draft, media, out)
    return info


def _ssim_samples(draft: dict, media: dict, out: Path) -> dict:
    """Luma SSIM of every 45th output frame against the uncompressed composite."""
    import av
    import numpy as np

    from nemo_nb.render import build_plan
    from nemo_nb.render.compose import compose_i420
    from nemo_nb.render.yuv import split_planes
    from tests._support.video import ssim

    plan = build_plan(draft, media)
    scores = []
    with av.open(str(out)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i % 45 == 0 or i % 90 == 82:  # plus one mid-crossfade frame per 3 s
                y = np.frombuffer(frame.planes[0], np.uint8).reshape(-1, frame.planes[0].line_size)[
                    : plan.height, : plan.width]
                ref = split_planes(compose_i420(plan, i / plan.fps), plan.width, plan.height)[0]
                scores.append(ssim(y, ref))
    return {"mean": float(np.mean(scores)), "min": float(np.min(scores)), "frames": len(scores)}


def case_floor(seconds: float, out: Path) -> dict:
    """x264 alone on the same frames and settings (the frames are composited first, untimed)."""
    import av
    import numpy as np

    from nemo_nb.render import build_plan
    from nemo_nb.render.compose import compose_i420
    from nemo_nb.render.encode import _video_stream

    draft, media = workload(seconds)
    plan = build_plan(draft, media)
    raw = out.with_suffix(".npy")
    frames = np.lib.format.open_memmap(raw, mode="w+", dtype=np.uint8,
                                       shape=(plan.frames_total, plan.height * 3 // 2, plan.width))
    for i in range(plan.frames_total):
        compose_i420(plan, i / plan.fps, frames[i])
    frames.flush()
    del frames
    frames = np.load(raw, mmap_mode="r")
    _ = int(frames[:, ::64, ::64].sum())  # page the file in
    cpu0, t0 = time.process_time(), time.perf_counter()
    container = av.open(str(out), "w", format="mp4")
    stream = _video_stream(container, plan)
    for i in range(plan.frames_total):
        frame = av.VideoFrame.from_ndarray(np.asarray(frames[i]), format="yuv420p")
        frame.pts = i
        container.mux(stream.encode(frame))
    container.mux(stream.encode(None))
    container.close()
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    raw.unlink()
    return {"wall_s": wall, "cpu_s": cpu, "frames": plan.frames_total, "bytes": out.stat().st_size}


def case_moviepy(seconds: float, out: Path) -> dict:
    """The same workload the way MoviePy 2.x does it."""
    import numpy as np
    from moviepy import AudioArrayClip, CompositeVideoClip, ImageClip, TextClip, vfx

    from nemo_nb.render.music import SAMPLE_RATE, generate
    from nemo_nb.render.text import FONT_PATH

    draft, media = workload(seconds)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    segs = draft["t"][0]["sg"]
    half = TRANSITION_MS / 2000
    clips = []
    for i, seg in enumerate(segs):
        # The MoviePy way: ImageClip(path) (a full decode of the file), sized once to cover the frame.
        still = ImageClip(media[seg["m"]["src"]])
        still = still.resized(max(1920 * 1.12 / still.w, 1080 * 1.12 / still.h))
        scale = max(1920 / still.w, 1080 / still.h)
        start = max(0.0, i * 3 - half)
        dur = 3 + (half if i > 0 else 0) + (half if i < len(segs) - 1 else 0)
        clip = (still.with_duration(dur)
                .resized(lambda t, s=scale, d=dur: s * (1 + 0.12 * t / d))
                .with_position("center").with_start(start))
        if i > 0:
            clip = clip.with_effects([vfx.CrossFadeIn(TRANSITION_MS / 1000)])
        clips.append(clip)
    title = (TextClip(font=str(FONT_PATH), text=TITLE, font_size=92, color="black", bg_color="white", margin=(40, 20))
             .with_duration(3).with_position("center").with_effects([vfx.CrossFadeIn(0.4), vfx.CrossFadeOut(0.4)]))
    total = len(segs) * 3
    music = generate("lofi", 7, total) * 0.35
    video = CompositeVideoClip([*clips, title], size=(1920, 1080)).with_duration(total)
    video = video.with_audio(AudioArrayClip(np.asarray(music, np.float64), fps=SAMPLE_RATE))
    video.write_videofile(str(out), fps=30, codec="libx264", preset=str(X264["high"]["preset"]), audio_codec="aac",
                          ffmpeg_params=["-crf", str(X264_CRF), "-pix_fmt", "yuv420p"], logger=None, threads=2)
    return {"wall_s": time.perf_counter() - t0, "cpu_s_python": time.process_time() - cpu0,
            "frames": round(total * 30), "bytes": out.stat().st_size}


def child(args: argparse.Namespace) -> None:
    out = Path(args.out)
    if args.child == "floor":
        res = case_floor(args.seconds, out)
    elif args.child == "moviepy":
        res = case_moviepy(args.seconds, out)
    else:
        res = case_ours(args.seconds, out, "preview" if args.child.startswith("preview") else "high",
                        uploaded=args.child == "preview_uploaded", styled=args.child == "styled",
                        ssim=not args.no_ssim)
    print("RESULT " + json.dumps(res), flush=True)


# --- parent -----------------------------------------------------------------------------------------

def run_child(case: str, seconds: float, workdir: Path, cache: Path | None = None, extra: tuple[str, ...] = ()) -> dict:
    """Run one case in a child process; ``cache`` is its NEMO_NB_CACHE_DIR (prepared photos)."""
    out = workdir / f"{case}.mp4"
    cmd = [sys.executable, __file__, "--child", case, "--seconds", str(seconds), "--out", str(out), *extra]
    env = dict(os.environ, NEMO_NB_CACHE_DIR=str(cache or workdir / "cache-unused"))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]
    proc.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{case} failed ({proc.returncode}):\n{stderr[-3000:]}")
    res = json.loads(lines[-1][7:])
    res["peak_rss_mb"] = res.get("render_peak_rss_mb", usage.ru_maxrss / 1024)
    res["process_peak_rss_mb"] = usage.ru_maxrss / 1024
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=30.0, help="length of the reference workload")
    ap.add_argument("--no-moviepy", action="store_true", help="skip the (slow) MoviePy baseline")
    ap.add_argument("--long-minutes", type=float, default=10.0, help="length of the memory run (0: skip)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run floor, high and preview this many times, interleaved, and keep each one's "
                         "fastest run (the machine is shared: the least disturbed run is the best estimate)")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--no-ssim", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--styled", action="store_true",
                    help="only the brand case (issue 13: within 5 %%): the export with a styled, animated title "
                         "and a logo vs the plain one, --repeat pairs in ABBA order; prints each pair's ratio, "
                         "the median ratio with a bootstrap 95 %% interval (wall, CPU, CPU per stage) and the "
                         "verdict (--seconds other than 30: a quick check, no verdict)")
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    if args.styled:
        styled_main(args)
        return
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp:
        work = Path(tmp)
        # preview_first: render() on photos never seen (empty cache); preview_uploaded: the first
        # preview in the app, where the engine prepared each photo when it was uploaded and the draft
        # after the turn that made it (engine/previews.py); preview: the next preview, as when iterating (photos and soundtrack prepared
        # by the one before; see nemo_nb/render/prepared.py).
        runs: dict[str, list[dict]] = {"floor": [], "ours": [], "preview_first": [], "preview": [],
                                       "preview_uploaded": []}
        for k in range(max(1, args.repeat)):
            caches = {"preview_first": work / f"cache{k}", "preview": work / f"cache{k}",
                      "preview_uploaded": work / f"cache-uploaded{k}"}
            for case in runs:
                print(f"running {case} ({k + 1}/{max(1, args.repeat)}) ...", flush=True)
                runs[case].append(run_child(case, args.seconds, work, caches.get(case)))
                print(f"  {runs[case][-1]['wall_s']:.2f} s wall, {runs[case][-1]['cpu_s']:.2f} s CPU", flush=True)
        for case, done in runs.items():
            results[case] = min(done, key=lambda r: r["wall_s"])
            results[case]["all_wall_s"] = [r["wall_s"] for r in done]
        if not args.no_moviepy:
            print("running moviepy (slow) ...", flush=True)
            results["moviepy"] = run_child("moviepy", args.seconds, work)
        if args.long_minutes > 0:
            print(f"running long ({args.long_minutes:g} min) ...", flush=True)
            results["long"] = run_child("ours", args.long_minutes * 60, work)
    ours, floor = results["ours"], results["floor"]
    video_s = ours["frames"] / 30
    summary = {
        "date": datetime.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "seconds": args.seconds,
        "floor_wall_s": floor["wall_s"], "ours_wall_s": ours["wall_s"],
        "ratio_vs_floor": ours["wall_s"] / floor["wall_s"],
        "realtime_factor": video_s / ours["wall_s"],
        "peak_rss_mb": ours["peak_rss_mb"], "mbit_s": ours["mbit_s"], "ssim": ours.get("ssim"),
        "preview_first_wall_s": results["preview_first"]["wall_s"],
        "preview_first_vs_high": results["preview_first"]["wall_s"] / ours["wall_s"],
        "preview_uploaded_wall_s": results["preview_uploaded"]["wall_s"],
        "preview_uploaded_vs_high": results["preview_uploaded"]["wall_s"] / ours["wall_s"],
        "preview_wall_s": results["preview"]["wall_s"],
        "preview_vs_high": results["preview"]["wall_s"] / ours["wall_s"],
        "floor_cpu_s": floor["cpu_s"], "ours_cpu_s": ours["cpu_s"], "preview_cpu_s": results["preview"]["cpu_s"],
        "repeat": max(1, args.repeat),
    }
    if "moviepy" in results:
        summary["moviepy_wall_s"] = results["moviepy"]["wall_s"]
        summary["speedup_vs_moviepy"] = results["moviepy"]["wall_s"] / ours["wall_s"]
    if "long" in results:
        summary["long_minutes"] = args.long_minutes
        summary["long_peak_rss_mb"] = results["long"]["peak_rss_mb"]
        summary["long_rss_delta_mb"] = results["long"]["peak_rss_mb"] - ours["peak_rss_mb"]
        summary["long_wall_s"] = results["long"]["wall_s"]
    print(f"\nreference workload: {args.seconds:g} s 1080p30, x264 veryfast CRF {X264_CRF} ({summary['machine']})")
    print(f"  floor (x264 alone, same frames)  {floor['wall_s']:7.2f} s   {floor['cpu_s']:.1f} CPU-s")
    print(f"  nemo_nb high                     {ours['wall_s']:7.2f} s   {summary['ratio_vs_floor']:.2f}x floor, "
          f"{ours['cpu_s']:.1f} CPU-s ({ours['cpu_s'] / floor['cpu_s']:.2f}x the floor's), "
          f"{summary['realtime_factor']:.2f}x realtime, peak RSS {ours['peak_rss_mb']:.0f} MB, "
          f"{ours['mbit_s']:.1f} Mbit/s")
    if ours.get("ssim"):
        print(f"  SSIM vs uncompressed composite   mean {ours['ssim']['mean']:.4f}, min {ours['ssim']['min']:.4f} "
              f"({ours['ssim']['frames']} frames)")
    print(f"  nemo_nb preview, first          {results['preview_first']['wall_s']:7.2f} s   "
          f"{summary['preview_first_vs_high'] * 100:.1f}% of high, {results['preview_first']['cpu_s']:.1f} CPU-s "
          "(photos never seen: decoded and analysed)")
    print(f"  nemo_nb preview, after upload   {results['preview_uploaded']['wall_s']:7.2f} s   "
          f"{summary['preview_uploaded_vs_high'] * 100:.1f}% of high, {results['preview_uploaded']['cpu_s']:.1f} CPU-s "
          "(prepared by the engine at upload and after the edit)")
    print(f"  nemo_nb preview, iterating      {results['preview']['wall_s']:7.2f} s   "
          f"{summary['preview_vs_high'] * 100:.1f}% of high, {results['preview']['cpu_s']:.1f} CPU-s "
          "(the same photos again: prepared)")
    if summary["repeat"] > 1:
        print(f"  (fastest of {summary['repeat']} interleaved runs each; all walls: "
              + "; ".join(f"{c} " + ", ".join(f"{w:.1f}" for w in results[c]["all_wall_s"])
                          for c in runs) + ")")
    if "moviepy" in results:
        print(f"  MoviePy {__import__('importlib.metadata').metadata.version('moviepy'):24s} {results['moviepy']['wall_s']:7.2f} s   "
              f"nemo_nb is {summary['speedup_vs_moviepy']:.1f}x faster")
    if "long" in results:
        print(f"  {args.long_minutes:g}-minute render                {results['long']['wall_s']:7.2f} s   "
              f"peak RSS {results['long']['peak_rss_mb']:.0f} MB ({summary['long_rss_delta_mb']:+.0f} MB vs 30 s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"summary": summary, "runs": results}, indent=2))


#: The brand case's measures: (label, how to read it from one run). ``encoder`` is x264 plus the main thread.
BRAND_MEASURES = [("wall s", lambda r: r["wall_s"]), ("CPU s", lambda r: r["cpu_s"])] + [
    (f"{stage} CPU s", lambda r, s=stage: r["stages_cpu_s"][s]) for stage in ("compose", "decode", "audio", "encoder")
] + [("output MB", lambda r: r["bytes"] / 1e6)]
BRAND_TARGET = 1.05


def styled_main(args: argparse.Namespace) -> None:
    """The brand case: plain and styled exports in pairs, ABBA order (drift cancels), ratio per pair."""
    from _paired import order

    pairs: list[dict[str, dict]] = []
    load0 = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nemo-bench-") as tmp:
        print("warm-up (not counted): one styled export of 18 s ...", flush=True)
        run_child("styled", min(args.seconds, 18.0), Path(tmp), extra=("--no-ssim",))
        for k in range(max(1, args.repeat)):
            pair = {case: run_child(case, args.seconds, Path(tmp), extra=("--no-ssim",))
                    for case in order(k, "ours", "styled")}
            pairs.append(pair)
            plain, styled = pair["ours"], pair["styled"]
            print(f"  pair {k + 1} ({' then '.join('plain' if c == 'ours' else 'styled' for c in pair)}): "
                  f"plain {plain['wall_s']:.2f} s / {plain['cpu_s']:.1f} CPU-s, styled {styled['wall_s']:.2f} s / "
                  f"{styled['cpu_s']:.1f} CPU-s: ratio {styled['wall_s'] / plain['wall_s']:.3f} wall, "
                  f"{styled['cpu_s'] / plain['cpu_s']:.3f} CPU", flush=True)
    report = brand_report(pairs)
    report.update(seconds=args.seconds, load_before=load0, load_after=os.getloadavg(),
                  minutes=(time.perf_counter() - started) / 60,
                  machine=f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}")
    print_brand(report)
    if args.json:
        Path(args.json).write_text(json.dumps({**report, "pairs": pairs}, indent=2))


def brand_report(pairs: list[dict[str, dict]]) -> dict:
    """Per measure: each side's median, every pair's ratio (styled / plain), their median and its 95 % interval;
    the verdicts on wall and CPU time against :data:`BRAND_TARGET`."""
    import statistics

    from _paired import median_ci, verdict

    rows = {}
    for label, read in BRAND_MEASURES:
        plain, styled = [read(p["ours"]) for p in pairs], [read(p["styled"]) for p in pairs]
        ratios = [b / a if a > 0 else float("nan") for a, b in zip(plain, styled, strict=True)]
        median, low, high = median_ci(ratios)
        rows[label] = {"plain": statistics.median(plain), "styled": statistics.median(styled), "ratios": ratios,
                       "ratio": median, "low": low, "high": high}
    return {"rows": rows, "target": BRAND_TARGET,
            "verdict": {m: verdict(rows[m]["low"], rows[m]["high"], BRAND_TARGET) for m in ("wall s", "CPU s")}}


def print_brand(report: dict) -> None:
    rows, target = report["rows"], report["target"]
    load = "/".join(f"{x:.1f}" for x in report["load_before"]), "/".join(f"{x:.1f}" for x in report["load_after"])
    print(f"\nbrand case: {report['seconds']:g} s 1080p30, {len(rows['wall s']['ratios'])} plain/styled pairs "
          f"in ABBA order, {report['minutes']:.1f} min ({report['machine']}; load average 1/5/15 min "
          f"{load[0]} before, {load[1]} after)")
    print(f"  {'measure':22s} {'plain':>9s} {'styled':>9s}   ratio per pair, styled / plain: median [95 % bootstrap]")
    for label, row in rows.items():
        print(f"  {label:22s} {row['plain']:9.3f} {row['styled']:9.3f}   {row['ratio']:.3f} "
              f"[{row['low']:.3f}, {row['high']:.3f}]   pairs: " + ", ".join(f"{r:.3f}" for r in row["ratios"]))
    print("  (plain/styled: medians over the runs; compose = compositor thread incl. text and logo, "
          "decode = photos, encoder = x264 + main thread)")
    if report["seconds"] != 30:
        print(f"  not the reference workload (30 s): no verdict on the <= {target:.2f}x target")
        return
    pairs = len(rows["wall s"]["ratios"])
    for measure, word in report["verdict"].items():
        row = rows[measure]
        print(f"  verdict on {measure.split()[0]} time, <= {target:.2f}x: {word.upper()} "
              f"(95 % interval of the median pair ratio [{row['low']:.3f}, {row['high']:.3f}]; shown = its upper "
              f"bound <= {target:.2f}, refuted = its lower bound > {target:.2f})")
    if pairs < 8:
        print(f"  only {pairs} pairs: the bootstrap of a median of so few ratios is coarse and too narrow; "
              "take the verdict from --repeat 8 or more")


if __name__ == "__main__":
    main()
