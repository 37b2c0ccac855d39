// The live player above the timeline: the frame at the playhead, rendered by the kernel from the
// current draft (nemo_nb/notebook/player.py) and sent as a JPEG in a reply's binary buffer.
// Drag the playhead or click the ruler to see that moment; Play runs the timeline with its music
// (the preview soundtrack, sent through the media channel), painting each frame when the audio
// clock reaches it and dropping late ones rather than falling behind. Space plays/pauses; arrows
// step a frame, Shift+arrows a second. While the playhead is dragged the kernel sends quick frames
// (half size, lighter JPEG) and the sharp one when it comes to rest; at most two requests are in
// flight and only the newest wish waits behind them (the kernel answers superseded requests at
// once): no backlog. stats.split says where each frame's time went (benchmarks/player.py).

import { h, asBytes } from "./dom.js";

export function fmtClock(s) {
  if (!Number.isFinite(s)) return "";
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return `${m}:${r.toFixed(2).padStart(5, "0")}`;
}

/** Frame requests for the playhead: up to `slots` in flight (the kernel renders them in order and
 * answers those it skipped `superseded`); the newest wish waits behind them, older wishes are
 * forgotten. A frame older than the last one painted is not painted. */
class FrameFeed {
  constructor(store, onFrame, onError, stats, slots = 2) {
    Object.assign(this, { store, onFrame, onError, stats, slots, inflight: 0, next: null, seq: 0, shown: 0 });
  }

  /** Ask for the frame at `t`; `at`: when the playhead got there (a coalesced pointer move's time). */
  want(t, purpose, quick = false, at = performance.now()) {
    this.next = { t, purpose, quick, at };
    this.pump();
  }

  async pump() {
    if (this.inflight >= this.slots || !this.next) return;
    const job = this.next;
    this.next = null;
    this.inflight += 1;
    this.stats.maxInflight = Math.max(this.stats.maxInflight || 0, this.inflight);
    job.seq = ++this.seq;
    this.stats.requests += 1;
    job.sent = performance.now();
    try {
      const data = await this.store.request("frame", { t: job.t, quick: job.quick }, [], 30000);
      job.got = performance.now();
      if (data.superseded || !data.buffers || !data.buffers.length) this.stats.superseded += 1;
      else if (job.seq > this.shown) await this.onFrame(job, data);
    } catch (err) {
      this.onError(err, job);
    } finally {
      this.inflight -= 1;
      this.pump();
    }
  }
}

/** Playback: up to `depth` frames asked for ahead of the clock, `batch` per request (the kernel
 * renders them in order and pushes each as it is made: one message per frame, while the others
 * travel), each at the next frame time not yet asked for, or further ahead when the clock has
 * moved on. */
class PlayFeed {
  constructor(store, onFrame, stats, depth = 6, batch = 3) {
    Object.assign(this, { store, onFrame, stats, depth, batch, inflight: 0, lastT: -1, generation: 0 });
  }

  reset() {
    this.generation += 1;
    this.lastT = -1;
  }

  fill(now, step, lead, duration) {
    while (this.depth - this.inflight >= this.batch) {
      const ts = [];
      while (ts.length < this.batch) {
        const t = Math.round(Math.max(this.lastT + step, now + lead) / step) * step;
        if (t >= duration) break;
        this.lastT = t;
        ts.push(t);
      }
      if (!ts.length) return;
      this.ask(ts);
    }
  }

  ask(ts) {
    const generation = this.generation;
    const at = performance.now();
    this.inflight += ts.length;
    this.stats.requests += 1;
    let left = ts.length;
    const arrived = (msg, buffers) => {
      left -= 1;
      this.inflight -= 1;
      const job = { t: msg.t, at, sent: at, got: performance.now(), generation };
      if (generation === this.generation && buffers.length) this.onFrame(job, { ...msg, buffers });
      if (this.onSlot) this.onSlot();  // ask for more now, not at the next animation frame
    };
    this.store.request("frame", { ts, play: true }, [], 30000, arrived)
      .catch(() => { this.stats.play.dropped += left; })
      .finally(() => {
        this.inflight -= left;  // frames that never came (an error): their slots are free again
        left = 0;
        if (this.onSlot) this.onSlot();
      });
  }
}

/** Where a frame's time went (ms): waiting for a free slot, browser → kernel, the kernel's work,
 * kernel → browser, decoding, painting. The kernel stamps `kt` (epoch ms; same machine's clock). */
function frameSplit(job, data) {
  const epoch = (t) => performance.timeOrigin + t;
  const r = (x) => Math.round(10 * x) / 10;
  const [kin, kout] = data.kt || [NaN, NaN];
  return { wait: r(job.sent - job.at), up: r(kin - epoch(job.sent)), kernel: r(kout - kin), down: r(epoch(job.got) - kout),
    decode: r(job.decoded - job.got), paint: r(performance.now() - job.decoded), bytes: data.buffers[0].byteLength,
    got: r(job.got) };
}

function newStats() {
  return { split: [], requests: 0, superseded: 0, painted: 0, latencies: [], moves: 0, play: { split: [], painted: 0, dropped: 0, sync: [], started: 0, audio: false, ticks: 0 } };
}

export function playerView(model, store) {
  const canvas = h("canvas", { class: "nemo-frame", width: 16, height: 9, "aria-label": "Frame at the playhead" });
  const thumb = h("img", { class: "nemo-frame-thumb", alt: "Thumbnail of the photo at the playhead", hidden: true });
  const note = h("div", { class: "nemo-player-note", hidden: true, "aria-live": "polite" });
  const playBtn = h("button", { class: "nemo-btn nemo-play-btn", type: "button", text: "▶ Play", "aria-label": "Play" });
  const clock = h("span", { class: "nemo-player-clock", text: "" });
  const audio = h("audio", { class: "nemo-player-audio", preload: "auto" });
  const stats = newStats();
  const state = { t: 0, duration: 0, fps: 30, rev: 0, live: null, playing: false, tl: {}, sound: null, held: [] };
  let rulers = [];  // {head, area}: a playhead and the lane (or ruler) it moves over
  // The playheads move by transform (the compositor's work: no layout or repaint per pointer move),
  // in pixels of their lane's width, kept here by a ResizeObserver (no layout read while dragging).
  const widths = new WeakMap();
  const sizes = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
    for (const entry of entries) widths.set(entry.target, entry.target.clientWidth);
    placeHeads();
  }) : null;
  let rtt = 0.05;
  let raf = 0;
  let clockBase = { t: 0, at: 0 };

  const frameStep = () => 1 / (state.fps || 30);
  const lastT = () => Math.max(0, state.duration - frameStep());
  const clamp = (t) => Math.min(Math.max(0, t), lastT());

  function showNote(text, isError) {
    note.hidden = !text;
    note.textContent = text || "";
    note.classList.toggle("nemo-error-text", !!isError);
  }

  function showThumb() {
    // Fallback (no live frames here): the photo at the playhead, labelled as a thumbnail.
    const video = (state.tl.tracks || []).find((tr) => tr.type === "video");
    const ms = state.t * 1000;
    const seg = video && (video.segments || []).find((s) => s.start_ms <= ms && ms < s.end_ms);
    const url = seg && seg.kind === "photo" ? store.thumb(seg.src) : null;
    thumb.hidden = !url;
    canvas.hidden = true;
    if (url) thumb.src = url;
  }

  async function paint(job, data) {
    const bmp = await createImageBitmap(new Blob([asBytes(data.buffers[0])], { type: data.mime || "image/jpeg" }));
    job.decoded = performance.now();
    if (job.seq <= feed.shown) {  // a newer frame was painted while this one was decoded
      bmp.close();
      return;
    }
    if (data.rev < state.rev) {  // made before the last edit (a newer one is the current draft)
      bmp.close();
      if (!state.playing) feed.want(state.t, "scrub");  // an edit landed meanwhile: ask again
      return;
    }
    feed.shown = job.seq;
    draw(bmp, data);
    stats.painted += 1;
    stats.latencies.push(performance.now() - job.at);
    stats.split.push(frameSplit(job, data));
    if (stats.latencies.length > 2000) stats.latencies.shift();
    if (stats.split.length > 2000) stats.split.shift();
  }

  function draw(bmp, data) {
    // The canvas has the frame's full size; a quick (scrub) frame is smaller and drawn scaled up.
    const w = data.w || bmp.width, hgt = data.h || bmp.height;
    if (canvas.width !== w || canvas.height !== hgt) {
      canvas.width = w;
      canvas.height = hgt;
    }
    canvas.getContext("2d").drawImage(bmp, 0, 0, w, hgt);
    bmp.close();
    canvas.hidden = false;
    thumb.hidden = true;
    canvas.dataset.t = String(data.t);
    canvas.dataset.rev = String(data.rev);
    canvas.dataset.quick = data.quick ? "1" : "0";
    if (!state.live) showNote("", false);
  }

  function onError(err) {
    showNote(`No live frame: ${err.message}${err.hint ? ` — ${err.hint}` : ""}`, true);
    showThumb();
  }

  const feed = new FrameFeed(store, paint, onError, stats);

  async function hold(job, data) {
    // A playback frame: kept until the audio clock reaches its time (late ones are dropped).
    const bmp = await createImageBitmap(new Blob([asBytes(data.buffers[0])], { type: data.mime || "image/jpeg" }));
    job.decoded = performance.now();
    // How far ahead to ask (request → decoded, ready to paint): up at once when frames come slower,
    // down gently when they come faster.
    const took = (job.decoded - job.at) / 1000;
    rtt = took > rtt ? took : 0.9 * rtt + 0.1 * took;
    stats.play.split.push(frameSplit(job, data));
    if (stats.play.split.length > 2000) stats.play.split.shift();
    if (!state.playing || data.rev < state.rev || data.t < now() - frameStep()) {
      bmp.close();
      stats.play.dropped += 1;
      return;
    }
    state.held.push({ bmp, data });
    state.held.sort((a, b) => a.data.t - b.data.t);
    // Shown when the clock gets there, by a timer too: animation frames may come rarely on a busy page.
    setTimeout(present, Math.max(0, (data.t - 0.5 * frameStep() - now()) * 1000));
  }

  function present() {
    // Paint the newest frame that is due; frames already a frame behind the clock are dropped.
    if (!state.playing) return;
    const t = now();
    let due = null;
    while (state.held.length && state.held[0].data.t <= t + 0.5 * frameStep()) {
      if (due) {  // a newer frame is due too: this one was not shown in time
        due.bmp.close();
        stats.play.dropped += 1;
      }
      due = state.held.shift();
    }
    if (due && due.data.t < t - frameStep()) {
      due.bmp.close();
      stats.play.dropped += 1;
    } else if (due) {
      stats.play.sync.push(t - due.data.t);
      draw(due.bmp, due.data);
      stats.play.painted += 1;
    }
  }

  const playFeed = new PlayFeed(store, hold, stats);
  // Ask a round trip (and two frames' margin) ahead of the clock, so frames arrive before they are due.
  const askAhead = () => { if (state.playing && !state.live) playFeed.fill(now(), frameStep(), rtt + 2 * frameStep(), state.duration); };
  playFeed.onSlot = askAhead;

  function placeHeads() {
    const at = state.duration ? state.t / state.duration : 0;
    for (const { head, area } of rulers) {
      if (!widths.has(area) || !sizes) widths.set(area, area.clientWidth);
      head.style.transform = `translateX(${(at * widths.get(area)).toFixed(1)}px)`;
    }
    clock.textContent = `${fmtClock(state.t)} / ${fmtClock(state.duration)}`;
  }

  function setTime(t, purpose = "scrub", at = performance.now()) {
    state.t = clamp(t);
    placeHeads();
    if (state.live) showThumb();
    else feed.want(state.t, purpose, purpose === "drag", at);
  }

  // --- playback: the audio is the clock (wall clock when the timeline is silent) --------------------
  function now() {
    if (state.sound && !audio.paused) return audio.currentTime;
    return clockBase.t + (performance.now() - clockBase.at) / 1000;
  }

  async function loadSound(rev) {
    if (state.live) return null;
    if (state.sound && state.sound.rev === rev) return state.sound;
    const data = await store.request("sound", {}, [], 120000);
    if (data.silent || rev !== state.rev) return null;
    const video = store.videos.get(data.key);
    if (!video || !video.url) return null;
    audio.src = video.url;
    state.sound = { rev, url: video.url };
    return state.sound;
  }

  async function play() {
    if (state.playing || !state.duration) return;
    if (state.t >= lastT()) state.t = 0;
    state.playing = true;
    playBtn.textContent = "Pause";
    playBtn.setAttribute("aria-label", "Pause");
    let sound = null;
    try {
      sound = await loadSound(state.rev);
    } catch (err) {
      showNote(`Playing without music: ${err.message}`, true);
    }
    if (!state.playing) return;
    clockBase = { t: state.t, at: performance.now() };
    stats.play.audio = false;
    if (sound) {
      audio.currentTime = state.t;
      try {
        await audio.play();
        stats.play.audio = true;
      } catch (err) {
        state.sound = null;
        showNote("Playing without music (the browser refused to play sound).", false);
      }
    }
    stats.play.started = performance.now();
    raf = requestAnimationFrame(tick);
  }

  function pause() {
    state.playing = false;
    cancelAnimationFrame(raf);
    audio.pause();
    playFeed.reset();
    for (const held of state.held) held.bmp.close();
    state.held = [];
    playBtn.textContent = "▶ Play";
    playBtn.setAttribute("aria-label", "Play");
  }

  function tick() {
    if (!state.playing) return;
    stats.play.ticks += 1;
    const t = now();
    if (t >= state.duration) {
      pause();
      setTime(lastT());
      return;
    }
    // The playheads and clock move once per video frame, not every animation frame (less layout).
    const index = Math.floor(t / frameStep());
    state.t = clamp(t);
    if (index !== state.headAt) {
      state.headAt = index;
      placeHeads();
    }
    present();
    if (state.live) showThumb();
    else askAhead();
    raf = requestAnimationFrame(tick);
  }

  // --- the ruler: click or drag to move the playhead --------------------------------------------
  function timeAt(event, area) {
    const box = area.getBoundingClientRect();
    return ((event.clientX - box.left) / Math.max(1, box.width)) * state.duration;
  }

  function bindRuler(area) {
    // Pointer moves are coalesced to one per animation frame (the newest position, timed from its
    // move); the pointer's release asks for the sharp frame where the playhead rests.
    let dragged = false;
    let moved = null;
    const onFrame = () => {
      const m = moved;
      moved = null;
      if (m && dragged) setTime(m.t, "drag", m.at);
    };
    area.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || !state.duration) return;
      event.preventDefault();
      pause();
      dragged = false;
      area.setPointerCapture(event.pointerId);
      stats.moves += 1;
      setTime(timeAt(event, area));
      root.focus({ preventScroll: true });
    });
    area.addEventListener("pointermove", (event) => {
      if (!area.hasPointerCapture(event.pointerId)) return;
      stats.moves += 1;
      dragged = true;
      if (!moved) requestAnimationFrame(onFrame);
      moved = { t: timeAt(event, area), at: performance.now() };
    });
    const release = (event) => {
      if (!dragged) return;
      dragged = false;
      moved = null;
      setTime(timeAt(event, area));
    };
    area.addEventListener("pointerup", release);
    area.addEventListener("pointercancel", release);
  }

  /** Put playheads (and the changed-span highlight) on freshly drawn lanes. */
  function decorate(lanes) {
    rulers = [];
    if (sizes) sizes.disconnect();
    for (const area of lanes.querySelectorAll(".nemo-lane-area, .nemo-ruler")) {
      const head = h("div", { class: "nemo-playhead", "aria-hidden": "true" });
      area.append(head);
      rulers.push({ head, area });
      if (sizes) sizes.observe(area);
    }
    const ruler = lanes.querySelector(".nemo-ruler");
    if (ruler) {
      ruler.classList.add("nemo-scrub");
      ruler.title = "Click or drag to move the playhead";
      bindRuler(ruler);
      const changed = state.tl.changed;
      if (changed && state.duration) {
        ruler.append(h("div", { class: "nemo-changed", title: "Changed by the last edit", style: {
          left: `${(100 * changed[0]) / (1000 * state.duration)}%`,
          width: `${(100 * (changed[1] - changed[0])) / (1000 * state.duration)}%` } }));
      }
    }
    placeHeads();
  }

  function onTimeline(tl) {
    state.tl = tl || {};
    const rev = state.tl.rev || 0;
    const fresh = rev !== state.rev;
    state.rev = rev;
    state.duration = (state.tl.duration_ms || 0) / 1000;
    state.fps = state.tl.fps || 30;
    state.live = state.tl.live || null;
    root.hidden = !state.duration;
    if (!state.duration) return;
    showNote(state.live ? `${state.live.message} — ${state.live.hint}` : "", false);
    if (fresh && state.playing) {  // keep playing the new edit, with its own music
      const at = now();
      pause();
      state.t = clamp(at);
      play();
    } else if (fresh || state.t > lastT()) {
      setTime(state.t);
    }
  }

  function onKey(event) {
    const step = event.shiftKey ? 1 : frameStep();
    if (event.key === " " || event.key === "Spacebar") {
      if (state.playing) pause();
      else play();
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      pause();
      setTime(state.t + (event.key === "ArrowLeft" ? -step : step));
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  playBtn.addEventListener("click", () => (state.playing ? pause() : play()));
  const root = h("div", { class: "nemo-player", tabindex: "0", "data-lm-suppress-shortcuts": "true",
    "aria-label": "Player: space plays or pauses, arrows step a frame, Shift+arrows a second" },
  h("div", { class: "nemo-player-screen" }, canvas, thumb),
  h("div", { class: "nemo-player-bar" }, playBtn, clock,
    h("span", { class: "nemo-muted nemo-player-keys", text: "space play/pause · ←/→ frame · Shift+←/→ second" })),
  note, audio);
  root.addEventListener("keydown", onKey);
  // Tests and benchmarks read what the player did (requests, paint latencies, playback sync).
  root.nemoPlayer = { stats, state, setTime, play, pause, now };
  return {
    el: root,
    decorate,
    onTimeline,
    onThumb: () => { if (state.live || canvas.hidden) showThumb(); },
    dispose() {
      pause();
      if (sizes) sizes.disconnect();
      audio.removeAttribute("src");
    },
  };
}
