// Timeline panel: tracks as lanes, segments sized by duration, real photo thumbnails, labelled
// text and music (volume shown), a time ruler, click for details, drag a photo to reorder it
// (sent to the agent as an edit, e.g. "put photo 3 in position 1").

import { h, clear, fmtSeconds } from "./dom.js";
import { playerView } from "./player.js";

function niceStep(totalS) {
  for (const step of [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300]) if (totalS / step <= 12) return step;
  return 600;
}

function ruler(durationMs) {
  const el = h("div", { class: "nemo-ruler", "aria-hidden": "true" });
  const total = durationMs / 1000;
  if (total <= 0) return el;
  const step = niceStep(total);
  for (let t = 0; t <= total + 1e-6; t += step) {
    el.append(h("span", { class: "nemo-tick", style: { left: `${(100 * t) / total}%` }, text: fmtSeconds(t) }));
  }
  return el;
}

function segmentLabel(seg) {
  if (seg.kind === "text") return `“${seg.text || ""}”`;
  if (seg.kind === "music" || seg.kind === "audio") {
    const vol = seg.volume === null || seg.volume === undefined ? "" : ` · ${Math.round(seg.volume * 100)}%`;
    return `♪ ${seg.name || "Music"}${vol}`;
  }
  return seg.name || seg.kind || "clip";
}

function details(seg, track) {
  const rows = [
    ["Track", `${track.n}. ${track.label}`],
    ["Type", seg.kind || track.type],
    ["Time", `${fmtSeconds(seg.start_ms / 1000)} → ${fmtSeconds(seg.end_ms / 1000)} (${fmtSeconds((seg.end_ms - seg.start_ms) / 1000)})`],
  ];
  if (seg.name) rows.push(["Name", seg.name]);
  if (seg.src) rows.push(["Source", seg.src]);
  if (seg.text) rows.push(["Text", seg.text]);
  if (seg.volume !== null && seg.volume !== undefined) rows.push(["Volume", `${Math.round(seg.volume * 100)}%`]);
  if (seg.motion) rows.push(["Motion", seg.motion]);
  if (seg.transition) rows.push(["Transition in", seg.transition]);
  if (seg.position) rows.push(["Position", seg.position]);
  if (seg.style) {
    const st = seg.style;
    rows.push(["Style", [st.color || "default colour", st.size, st.font, st.bg, st.anim].filter(Boolean).join(" · ")]);
  }
  return rows;
}

export function timelinePanel(model, store) {
  const head = h("div", { class: "nemo-timeline-head" });
  const lanes = h("div", { class: "nemo-lanes" });
  const info = h("div", { class: "nemo-seg-details", hidden: true, "aria-live": "polite" });
  const notice = h("div", { class: "nemo-error-text nemo-notice", hidden: true });
  const player = playerView(model, store);
  let selected = null;
  let dragFrom = null;

  function showDetails(seg, track) {
    selected = `${track.n}:${seg.i}`;
    clear(info).hidden = false;
    const dl = h("dl");
    for (const [k, v] of details(seg, track)) dl.append(h("dt", { text: k }), h("dd", { text: v }));
    info.append(h("button", { class: "nemo-close", type: "button", "aria-label": "Close details", text: "×",
      on: { click: () => { info.hidden = true; selected = null; render(); } } }), dl);
    for (const s of lanes.querySelectorAll(".nemo-seg")) s.classList.toggle("nemo-is-selected", s.dataset.key === selected);
  }

  async function reorder(from, to) {
    notice.hidden = true;
    try {
      await store.request("reorder", { from, to });
    } catch (err) {
      notice.hidden = false;
      notice.textContent = `${err.message}${err.hint ? ` — ${err.hint}` : ""}`;
    }
  }

  function segmentView(seg, track, durationMs) {
    const width = (100 * (seg.end_ms - seg.start_ms)) / durationMs;
    const key = `${track.n}:${seg.i}`;
    const el = h("div", {
      class: `nemo-seg nemo-seg-${seg.kind || track.type}${key === selected ? " nemo-is-selected" : ""}`,
      style: { left: `${(100 * seg.start_ms) / durationMs}%`, width: `${width}%` },
      title: `${segmentLabel(seg)} · ${fmtSeconds(seg.start_ms / 1000)}–${fmtSeconds(seg.end_ms / 1000)}`,
      tabindex: "0", role: "button", dataset: { key, index: String(seg.i), kind: seg.kind || "", src: seg.src || "" },
    });
    if (track.type === "video" && seg.kind === "photo") {
      const url = store.thumb(seg.src);
      if (url) el.style.backgroundImage = `url("${url}")`;
      el.classList.toggle("nemo-has-thumb", !!url);
      el.append(h("span", { class: "nemo-seg-badge", text: String(seg.i + 1) }));
      el.draggable = true;
      el.addEventListener("dragstart", (e) => {
        dragFrom = seg.i;
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", String(seg.i));
      });
    } else {
      if (seg.style) {  // a text's style at a glance: its colour and where it sits
        const st = seg.style;
        el.append(h("span", { class: `nemo-swatch${st.color ? "" : " nemo-swatch-default"}`, title: st.color || "default colour",
          style: st.color ? { background: st.color } : {} }));
        if (st.position) el.append(h("span", { class: "nemo-seg-pos", text: st.position.replace("_", " ") }));
      }
      el.append(h("span", { class: "nemo-seg-label", text: segmentLabel(seg) }));
    }
    if (track.type === "video") {
      el.addEventListener("dragover", (e) => {
        if (dragFrom === null) return;
        e.preventDefault();
        el.classList.add("nemo-is-drop");
      });
      el.addEventListener("dragleave", () => el.classList.remove("nemo-is-drop"));
      el.addEventListener("drop", (e) => {
        e.preventDefault();
        el.classList.remove("nemo-is-drop");
        const from = dragFrom !== null ? dragFrom : Number(e.dataTransfer.getData("text/plain"));
        dragFrom = null;
        if (Number.isInteger(from) && from !== seg.i) reorder(from, seg.i);
      });
      el.addEventListener("dragend", () => { dragFrom = null; });
    }
    el.addEventListener("click", () => showDetails(seg, track));
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        e.stopPropagation();
        showDetails(seg, track);
      }
    });
    return el;
  }

  function refreshDetails(tracks) {
    if (selected === null) return;
    const [n, i] = selected.split(":").map(Number);
    const track = tracks.find((t) => t.n === n);
    const seg = track && (track.segments || []).find((s) => s.i === i);
    if (seg) showDetails(seg, track);
    else {
      info.hidden = true;
      selected = null;
    }
  }

  function render() {
    const tl = model.get("timeline") || {};
    const tracks = tl.tracks || [];
    clear(head);
    clear(lanes);
    player.onTimeline(tl);
    const durationMs = Math.max(1, tl.duration_ms || 0);
    if (!tracks.length || !tl.duration_ms) {
      head.append(h("span", { class: "nemo-muted", text: "The timeline is empty: add media and ask for a video." }));
      info.hidden = true;
      return;
    }
    head.append(
      h("span", { class: "nemo-pill", text: tl.format || "size unknown" }),
      h("span", { class: "nemo-pill", text: fmtSeconds(tl.duration_ms / 1000) }),
      h("span", { class: "nemo-summary", text: tl.summary || "" }));
    lanes.append(h("div", { class: "nemo-lane nemo-lane-ruler" }, h("div", { class: "nemo-lane-label" }), ruler(tl.duration_ms)));
    for (const track of tracks) {
      const area = h("div", { class: "nemo-lane-area" });
      for (const seg of track.segments || []) area.append(segmentView(seg, track, durationMs));
      lanes.append(h("div", { class: `nemo-lane nemo-lane-${track.type}`, dataset: { track: String(track.n) } },
        h("div", { class: "nemo-lane-label", text: `${track.n}. ${track.label}` }), area));
    }
    player.decorate(lanes);
    refreshDetails(tracks);
  }

  render();
  model.on("change:timeline", render);
  const unsubscribe = store.subscribe((what) => {
    if (what !== "thumb") return;
    render();
    player.onThumb();
  });
  const el = h("section", { class: "nemo-panel nemo-timeline", "aria-label": "Timeline" },
    h("h3", { class: "nemo-panel-title", text: "Timeline" }), head, player.el, lanes,
    h("div", { class: "nemo-muted nemo-tip", text: "Click or drag on the ruler to see that moment; click a segment for details; drag a photo onto another to reorder." }),
    info, notice);
  return {
    el,
    dispose() {
      unsubscribe();
      player.dispose();
      model.off("change:timeline", render);
    },
  };
}
