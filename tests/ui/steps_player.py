"""Playwright steps for the studio's live player and for remote Jupyter (shared by the quickstart steps).

* ``before``: run by nbbrowser before the page opens; every request from the browser to a loopback
  port other than Jupyter's own (the engine's, above all) is refused and recorded, as on a JupyterHub
  whose browser is on another machine. ``no_loopback`` then checks nothing was even tried and no
  link, image, video or audio on the page points at such a URL.
* the player: the frame painted in the browser is ``frame_at`` of the current draft at that time
  (pixels compared within JPEG error); dragging across the whole ruler keeps at most two requests
  in flight and leaves no backlog; Play runs with the music, each frame painted within one frame of
  the audio clock; an edit shows in the player by itself.
"""

from __future__ import annotations

import base64
import io
import os
import statistics
import time
from urllib.parse import urlsplit

import numpy as np
from PIL import Image

from nemo_nb.netloc import is_loopback_url

BLOCKED: list[str] = []
JUPYTER_PORT: list[int] = []


async def before(context, base_url: str) -> None:
    """Make every loopback port but Jupyter's unreachable from the browser (and record attempts)."""
    JUPYTER_PORT.append(urlsplit(base_url).port)

    def elsewhere_on_this_machine(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and is_loopback_url(url) and parts.port not in JUPYTER_PORT

    async def refuse(route) -> None:
        BLOCKED.append(route.request.url)
        await route.abort("connectionrefused")

    await context.route(elsewhere_on_this_machine, refuse)


LINKS_JS = r"""
() => [...document.querySelectorAll('a[href], img[src], video[src], source[src], audio[src], iframe[src]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src'))
  .filter(u => /^https?:/i.test(u))
"""


async def no_loopback(page, res: dict) -> None:
    """Nothing on the page points at, or was fetched from, a loopback port other than Jupyter's."""
    links = await page.evaluate(LINKS_JS)
    bad = [u for u in links if is_loopback_url(u) and urlsplit(u).port not in JUPYTER_PORT]
    res["loopback_links"] = bad
    res["loopback_requests"] = list(BLOCKED)
    assert not bad, f"links or sources on the page point at this machine outside Jupyter: {bad[:5]}"
    assert not BLOCKED, f"the browser tried to fetch from this machine outside Jupyter: {BLOCKED[:5]}"


PLAYER = ".nemo-player"
STATS_JS = "el => JSON.parse(JSON.stringify({stats: el.nemoPlayer.stats, t: el.nemoPlayer.state.t, "\
           "rev: el.nemoPlayer.state.rev, duration: el.nemoPlayer.state.duration, fps: el.nemoPlayer.state.fps}))"


async def player_stats(page) -> dict:
    return await page.locator(PLAYER).first.evaluate(STATS_JS)


async def wait_frame(page, t: float | None = None, timeout: int = 15000) -> dict:
    """Wait until the canvas shows a sharp frame (not a quick scrub frame) of the current revision
    (at ``t`` when given); its time and size."""
    cond = f"Math.abs(Number(c.dataset.t) - {t:f}) < 0.02" if t is not None else "true"
    await page.wait_for_function(
        f"""() => {{ const p = document.querySelector('{PLAYER}'), c = p && p.querySelector('canvas.nemo-frame');
                    return c && !c.hidden && c.dataset.rev === String(p.nemoPlayer.state.rev)
                                && c.dataset.quick !== "1" && {cond}; }}""",
        timeout=timeout, polling=20)
    return await page.locator(f"{PLAYER} canvas.nemo-frame").first.evaluate(
        "c => ({t: Number(c.dataset.t), w: c.width, h: c.height})")


async def ruler_box(page) -> dict:
    ruler = page.locator(".nemo-ruler.nemo-scrub").first
    await ruler.scroll_into_view_if_needed()
    return await ruler.bounding_box()


async def frame_matches_frame_at(page, nb, res: dict, out_dir: str, at: float = 0.37) -> None:
    """Click the ruler at ``at`` of its width; the painted frame equals frame_at there (PSNR)."""
    box = await ruler_box(page)
    await page.mouse.click(box["x"] + box["width"] * at, box["y"] + box["height"] / 2)
    await page.wait_for_function(f"() => !document.querySelector('{PLAYER}').nemoPlayer.state.playing")
    shown = await wait_frame(page)
    await page.wait_for_timeout(300)  # nothing newer on its way
    shown = await wait_frame(page)
    png = await page.locator(f"{PLAYER} canvas.nemo-frame").first.evaluate("c => c.toDataURL('image/png')")
    browser = np.asarray(Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("RGB"), np.float64)
    path = os.path.join(os.path.abspath(out_dir), "frame_at.png")
    code = ("from nemo_nb.render import build_plan, frame_at\nfrom PIL import Image\n"
            "_media = {m.id: str(await studio.media_file(m.id)) for m in studio.media}\n"
            "_plan = build_plan(studio.draft, _media, 'preview')\n"
            f"Image.fromarray(frame_at(_plan, {shown['t']!r})).save({path!r})\n"
            f"Image.fromarray(frame_at(_plan, {(shown['t'] + 1.0)!r} % _plan.duration_s)).save({path + '.other.png'!r})\n"
            "print('FRAME_AT', _plan.width, _plan.height)")
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")  # keys to the notebook
    cell = await nb.add_and_run_cell(code, timeout=90)
    assert cell and "FRAME_AT" in cell["rendered_text"], cell
    truth = np.asarray(Image.open(path).convert("RGB"), np.float64)
    other = np.asarray(Image.open(path + ".other.png").convert("RGB"), np.float64)
    assert browser.shape == truth.shape, (browser.shape, truth.shape)

    def psnr(a: np.ndarray, b: np.ndarray) -> float:
        return float(10 * np.log10(255.0 ** 2 / max(1e-9, np.mean((a - b) ** 2))))

    res["frame_psnr"], res["other_psnr"] = round(psnr(browser, truth), 2), round(psnr(browser, other), 2)
    res["frame_t"], res["frame_size"] = shown["t"], [shown["w"], shown["h"]]
    assert res["frame_psnr"] > 32, res  # what frame_at made, up to JPEG error
    assert res["other_psnr"] < res["frame_psnr"] - 8, res  # and not another moment's picture


async def drag_across(page, res: dict, moves: int = 80, pause_ms: int = 15) -> None:
    """Drag the playhead over the whole ruler like a hand would (``moves`` pointer moves, in bursts
    of four): requests stay bounded (at most two in flight, the newest wish waiting, at most one per
    pointer move, plus the sharp one at rest) and the sharp frame at the end arrives right after the mouse is let go."""
    box = await ruler_box(page)
    before = await player_stats(page)
    y = box["y"] + box["height"] / 2
    await page.mouse.move(box["x"] + 1, y)
    await page.mouse.down()
    t0 = time.monotonic()
    for k in range(4, moves + 1, 4):
        await page.mouse.move(box["x"] + 1 + (box["width"] - 2) * k / moves, y, steps=4)
        await page.wait_for_timeout(pause_ms)
    await page.mouse.up()
    released = time.monotonic()
    stats = await player_stats(page)
    end = stats["t"]
    await wait_frame(page, end)
    settle = time.monotonic() - released
    after = await player_stats(page)
    sent = after["stats"]["requests"] - before["stats"]["requests"]
    moved = after["stats"]["moves"] - before["stats"]["moves"]
    lat = after["stats"]["latencies"][len(before["stats"]["latencies"]):]
    res["drag"] = {"moves": moved, "requests": sent, "painted": len(lat), "seconds": round(released - t0, 2),
                   "final_frame_after_release_ms": round(1000 * settle), "end_t": end,
                   "median_ms": round(statistics.median(lat), 1) if lat else None,
                   "p95_ms": round(float(np.percentile(lat, 95)), 1) if lat else None}
    assert moved >= moves, res["drag"]
    assert end >= after["duration"] - 2 / after["fps"], res["drag"]  # it reached the end of the timeline
    res["drag"]["max_in_flight"] = after["stats"].get("maxInflight")
    assert 1 <= sent <= moved + 1, res["drag"]  # at most one per pointer move, plus the sharp frame at rest
    assert res["drag"]["max_in_flight"] <= 2, res["drag"]  # and never more than two in flight
    # No backlog: the last frame is painted about one round trip after the drag ends.
    assert settle < 1.5, res["drag"]
    # The playhead (moved by transform, in pixels of the ruler's width) stands where the frame is.
    head = await page.locator(".nemo-ruler .nemo-playhead").first.bounding_box()
    want = box["x"] + box["width"] * end / after["duration"]
    res["drag"]["playhead_off_px"] = round(head["x"] + head["width"] / 2 - want, 1)
    assert abs(res["drag"]["playhead_off_px"]) <= 2, res["drag"]


CONFIG_JS = "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).untracked_message_types"


async def quiet_while_dragging(page, res: dict) -> None:
    """drag_across, and the page does not show the kernel busy for the frames' requests (the page's
    config says so: nemo_nb.serverext; no busy favicon fetched while dragging)."""
    busy: list[str] = []

    def on_request(request) -> None:
        if "favicon-busy" in request.url:
            busy.append(request.url)

    res["untracked_message_types"] = await page.evaluate(CONFIG_JS)
    assert "comm_msg" in (res["untracked_message_types"] or []), res["untracked_message_types"]
    page.on("request", on_request)
    try:
        await drag_across(page, res)
    finally:
        page.remove_listener("request", on_request)
    res["drag"]["busy_favicons"] = len(busy)
    assert not busy, res["drag"]


async def play_with_music(page, res: dict, seconds: float = 3.0) -> None:
    """Space plays from the playhead with the music; frames are painted on the audio's clock."""
    box = await ruler_box(page)
    await page.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)  # back to the start
    await wait_frame(page)
    await page.locator(PLAYER).first.focus()
    await page.keyboard.press(" ")
    await page.wait_for_function(f"() => document.querySelector('{PLAYER}').nemoPlayer.stats.play.started > 0 "
                                 f"&& document.querySelector('{PLAYER}').nemoPlayer.state.playing", timeout=30000)
    clock = await page.locator(PLAYER).first.evaluate(
        "async (el, ms) => { const a = el.querySelector('audio'), p = el.nemoPlayer;"
        " const t0 = performance.now(), c0 = p.now(); await new Promise(r => setTimeout(r, ms));"
        " return {wall: (performance.now() - t0) / 1000, media: p.now() - c0, audio: !a.paused,"
        " playing: p.state.playing}; }", int(seconds * 1000))
    await page.keyboard.press(" ")
    after = await player_stats(page)
    play = after["stats"]["play"]
    fps = after["fps"]
    sync = play["sync"]
    res["play"] = {"audio": play["audio"], "painted": play["painted"], "dropped": play["dropped"],
                   "animation_frames": play["ticks"], "requests": after["stats"]["requests"],
                   "fps": round(play["painted"] / clock["wall"], 1), "clock": clock,
                   "max_sync_ms": round(1000 * max(abs(s) for s in sync), 1) if sync else None,
                   "drift_frames_per_s": round(abs(clock["media"] - clock["wall"]) * fps / clock["wall"], 2)}
    assert play["audio"] and clock["audio"], res["play"]  # the music played (it is the clock)
    # Moving pictures, not a still (the frame rate itself is measured by benchmarks/player.py: this
    # box may be shared and loaded, so the bar here is low).
    assert play["painted"] >= 3 * clock["wall"], res["play"]
    # Every frame painted within one frame of the audio clock, and the clock kept real time.
    assert sync and max(abs(s) for s in sync) <= 1.0 / fps + 1e-3, res["play"]
    # The clock is the browser's audio output; that it ran about as fast as the wall clock shows the
    # music really played (its own stalls under load are the browser's, and the frames follow them).
    assert clock["media"] >= 0.8 * clock["wall"], res["play"]


async def keyboard_steps(page, res: dict) -> None:
    """Arrows step one frame, Shift+arrows one second."""
    box = await ruler_box(page)
    await page.mouse.click(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2)
    await wait_frame(page)
    await page.locator(PLAYER).first.focus()
    start = (await player_stats(page))["t"]
    fps = (await player_stats(page))["fps"]
    await page.keyboard.press("ArrowRight")
    one = (await player_stats(page))["t"]
    await page.keyboard.press("Shift+ArrowRight")
    two = (await player_stats(page))["t"]
    await page.keyboard.press("ArrowLeft")
    back = (await player_stats(page))["t"]
    res["keys"] = [start, one, two, back]
    assert abs(one - start - 1 / fps) < 1e-6 and abs(two - one - 1.0) < 1e-6, res["keys"]
    assert abs(two - back - 1 / fps) < 1e-6, res["keys"]
    await wait_frame(page, back)


async def edit_shows_by_itself(page, res: dict, send_request, request: str, check) -> None:
    """After an edit through the chat, the player shows the new frame (``check(w, h)``) without any
    export, and the ruler marks the changed span."""
    rev = (await player_stats(page))["rev"]
    t0 = time.monotonic()
    await send_request(page, res, request)
    await page.wait_for_function(f"() => document.querySelector('{PLAYER}').nemoPlayer.state.rev > {rev}",
                                 timeout=30000)
    answered = time.monotonic()
    frame = await wait_frame(page)
    res["edit"] = {"request": request, "frame": frame, "answer_s": round(answered - t0, 2),
                   "frame_after_answer_ms": round(1000 * (time.monotonic() - answered)),
                   "changed": await page.locator(".nemo-ruler .nemo-changed").count()}
    res["edit"]["export_status"] = await page.locator(".nemo-render-status").first.inner_text()
    assert check(frame["w"], frame["h"]), res["edit"]
    assert res["edit"]["export_status"] == "", res["edit"]  # no export was made for it
    # The time it takes is measured by benchmarks/player.py (target: within a second); on a shared,
    # loaded box this only checks that the player follows the edit by itself, and soon.
    assert res["edit"]["frame_after_answer_ms"] < 8000, res["edit"]
    assert res["edit"]["changed"] == 1, res["edit"]


async def steps(page, out_dir, nb):
    """tests/ui/player.ipynb after Run All (JupyterLab or Notebook 7): the player at work."""
    from steps_quickstart import send_request, shot  # the quickstart steps import this module

    res: dict = {"app": await page.evaluate("() => window.jupyterapp.name")}
    await page.locator(".nemo-studio").first.wait_for(state="visible", timeout=30000)
    res["first_frame"] = await wait_frame(page, timeout=60000)  # painted by itself after Run All
    await frame_matches_frame_at(page, nb, res, out_dir)
    await quiet_while_dragging(page, res)
    await keyboard_steps(page, res)
    await play_with_music(page, res)
    await shot(page, out_dir, "player_0_played")
    await edit_shows_by_itself(page, res, send_request, "make it vertical", lambda w, h: h > w)
    await shot(page, out_dir, "player_1_vertical")
    await no_loopback(page, res)
    return res
