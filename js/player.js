// The live player above the timeline: the frame at the playhead, rendered by the kernel from the
// current draft (nemo_nb/notebook/player.py) and sent as a JPEG in a reply's binary buffer.
// Drag the playhead or click the ruler to see that moment; Play runs the timeline with its music
// (the preview soundtrack, sent through the media channel), painting each frame when the audio
// clock reaches it and dropping late ones rather than falling behind. Space plays/pauses; arrows
// step a frame, Shift+arrows a second. One frame request is in flight at a time and only the newest
// wish waits behind it (the kernel also answers superseded requests at once): no backlog.

import { h, asBytes } from "./dom.js";

export function fmtClock(s) {
  if (!Number.isFinite(s)) return "";
  const m = Math.floor(s / 60);
  const r = s - m * 60;
  return `${m}:${r.toFixed(2).padStart(5, "0")}`;
}

/** One frame request in flight; the newest wish waits behind it (older wishes are forgotten). */
class FrameFeed {
  constructor(store, onFrame, onError, stats) {
    Object.assign(this, { store, onFrame, onError, stats, busy: false, next: null });
  }

  want(t, purpose) {
    this.next = { t, purpose, at: performance.now() };
    this.pump();
  }

  async pump() {
    if (this.busy || !this.next) return;
    const job = this.next;
    this.next = null;
    this.busy = true;
    this.stats.requests += 1;
    try {
      const data = await this.store.request("frame", { t: job.t }, [], 30000);
      if (data.superseded || !data.buffers || !data.buffers.length) this.stats.superseded += 1;
      else await this.onFrame(job, data);
    } catch (err) {
      this.onError(err, job);
    } finally {
      this.busy = false;
      this.pump();
    }
  }
}

/** Playback: up to `depth` frames requested ahead of the clock (the kernel renders them in order),
 * each at the next frame time not yet asked for, or further ahead when the clock has moved on. */
class PlayFeed {
  constructor(store, onFrame, stats, depth = 3) {
    Object.assign(this, { store, onFrame, stats, depth, inflight: 0, lastT: -1, generation: 0 });
  }

  reset() {
    this.generation += 1;
    this.lastT = -1;
  }

  fill(now, step, lead, duration) {
    while (this.inflight < this.depth) {
      const t = Math.round(Math.max(this.lastT + step, now + lead) / step) * step;
      if (t >= duration) return;
      this.lastT = t;
      this.inflight += 1;
      this.stats.requests += 1;
      const job = { t, at: performance.now(), generation: this.generation };
      this.store.request("frame", { t, play: true }, [], 30000)
        .then((data) => (job.generation === this.generation && data.buffers ? this.onFrame(job, data) : null))
        .catch(() => { this.stats.play.dropped += 1; })
        .finally(() => {
          this.inflight -= 1;
          if (this.onSlot) this.onSlot();  // ask for the next one now, not at the next animation frame
        });
    }
  }
}

function newStats() {
  return { requests: 0, superseded: 0, painted: 0, latencies: [], moves: 0, play: { painted: 0, dropped: 0, sync: [], started: 0, audio: false, ticks: 0 } };
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
  let rulers = [];
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
    if (data.rev < state.rev) {  // made before the last edit (a newer one is the current draft)
      bmp.close();
      if (!state.playing) feed.want(state.t, "scrub");  // an edit landed meanwhile: ask again
      return;
    }
    draw(bmp, data);
    stats.painted += 1;
    stats.latencies.push(performance.now() - job.at);
    if (stats.latencies.length > 2000) stats.latencies.shift();
  }

  function draw(bmp, data) {
    if (canvas.width !== bmp.width || canvas.height !== bmp.height) {
      canvas.width = bmp.width;
      canvas.height = bmp.height;
    }
    canvas.getContext("2d").drawImage(bmp, 0, 0);
    bmp.close();
    canvas.hidden = false;
    thumb.hidden = true;
    canvas.dataset.t = String(data.t);
    canvas.dataset.rev = String(data.rev);
    if (!state.live) showNote("", false);
  }

  function onError(err) {
    showNote(`No live frame: ${err.message}${err.hint ? ` — ${err.hint}` : ""}`, true);
    showThumb();
  }

  const feed = new FrameFeed(store, paint, onError, stats);

  async function hold(job, data) {
    // A playback frame: kept until the audio clock reaches its time (late ones are dropped).
    // How far ahead to ask: up at once when frames come slower, down gently when they come faster.
    const took = (performance.now() - job.at) / 1000;
    rtt = took > rtt ? took : 0.9 * rtt + 0.1 * took;
    const bmp = await createImageBitmap(new Blob([asBytes(data.buffers[0])], { type: data.mime || "image/jpeg" }));
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
  const askAhead = () => { if (state.playing && !state.live) playFeed.fill(now(), frameStep(), rtt + frameStep(), state.duration); };
  playFeed.onSlot = askAhead;

  function placeHeads() {
    const left = state.duration ? `${(100 * state.t) / state.duration}%` : "0%";
    for (const head of rulers) head.style.left = left;
    clock.textContent = `${fmtClock(state.t)} / ${fmtClock(state.duration)}`;
  }

  function setTime(t, purpose = "scrub") {
    state.t = clamp(t);
    placeHeads();
    if (purpose === "play") return;
    if (state.live) showThumb();
    else feed.want(state.t, purpose);
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
    setTime(t, "play");
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
    area.addEventListener("pointerdown", (event) => {
      if (event.button !== 0 || !state.duration) return;
      event.preventDefault();
      pause();
      area.setPointerCapture(event.pointerId);
      stats.moves += 1;
      setTime(timeAt(event, area));
      root.focus({ preventScroll: true });
    });
    area.addEventListener("pointermove", (event) => {
      if (!area.hasPointerCapture(event.pointerId)) return;
      stats.moves += 1;
      setTime(timeAt(event, area));
    });
  }

  /** Put playheads (and the changed-span highlight) on freshly drawn lanes. */
  function decorate(lanes) {
    rulers = [];
    for (const area of lanes.querySelectorAll(".nemo-lane-area, .nemo-ruler")) {
      const head = h("div", { class: "nemo-playhead", "aria-hidden": "true" });
      area.append(head);
      rulers.push(head);
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
      audio.removeAttribute("src");
    },
  };
}
