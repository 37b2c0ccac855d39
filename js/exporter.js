// Export panel: start a render, watch its progress (fraction, ETA), cancel it, then play the
// finished MP4 in a <video> from bytes the kernel sends (a Blob URL), with size, duration and a
// download button. A finished video is marked out of date once the timeline changes after it.

import { h, clear, fmtBytes, fmtSeconds } from "./dom.js";

export function exportPanel(model, store) {
  // The qualities come from the kernel (protocol.RENDER_QUALITIES): one list for every part.
  const qualities = Object.entries(model.get("qualities") || { high: "High quality" });
  const quality = h("select", { class: "nemo-select", "aria-label": "Quality" },
    ...qualities.map(([value, text]) => h("option", { value, text })));
  const start = h("button", { class: "nemo-btn nemo-btn-primary nemo-export-btn", type: "button", text: "Export MP4" });
  const cancel = h("button", { class: "nemo-btn nemo-cancel-btn", type: "button", text: "Cancel", hidden: true });
  const bar = h("progress", { class: "nemo-progress nemo-render-progress", max: 1, value: 0, hidden: true });
  const status = h("div", { class: "nemo-render-status", "aria-live": "polite" });
  const result = h("div", { class: "nemo-result" });
  const notice = h("div", { class: "nemo-error-text nemo-notice", hidden: true });
  const stale = h("div", { class: "nemo-stale", hidden: true, role: "status",
    text: "Out of date: the timeline has changed since this export. Export again to see the changes." });
  let shownId = null;
  const video = h("video", { class: "nemo-video", controls: true, playsInline: true, preload: "auto" });
  video.addEventListener("error", () => {
    notice.hidden = false;
    notice.textContent = "This browser cannot play the video; use the download button.";
  });

  async function act(kind, payload) {
    notice.hidden = true;
    try {
      await store.request(kind, payload);
    } catch (err) {
      notice.hidden = false;
      notice.textContent = `${err.message}${err.hint ? ` — ${err.hint}` : ""}`;
    }
  }
  start.addEventListener("click", () => act("export", { quality: quality.value }));
  cancel.addEventListener("click", () => act("cancel", {}));

  function renderResult(r) {
    if (r.state !== "completed" || !r.id) {
      if (shownId !== null) {
        clear(result);
        shownId = null;
      }
      return;
    }
    const v = store.video(r.id);
    const facts = [fmtSeconds(r.duration_s), `${r.width}×${r.height}`, fmtBytes(r.size_bytes)].filter(Boolean).join(" · ");
    if (!v || v.error) {
      clear(result).append(h("div", { class: "nemo-muted", text: v && v.error ? v.error
        : `Loading the video (${fmtBytes(store.videoProgress(r.id))} of ${fmtBytes(r.size_bytes)})…` }));
      shownId = null;
      return;
    }
    if (shownId === r.id) return;
    shownId = r.id;
    video.src = v.url;
    video.muted = !r.has_audio;
    const name = r.name || `${r.id}.mp4`;
    clear(result).append(video, h("div", { class: "nemo-result-facts" },
      h("span", { class: "nemo-facts", text: `${name} · ${facts}` }),
      h("a", { class: "nemo-btn nemo-download", href: v.url, download: name, text: "Download" })));
  }

  function markStale(r) {
    // The render remembers the timeline revision it was made from (widget.py); any edit since
    // (the agent's or the user's) makes the shown video out of date.
    const tl = model.get("timeline") || {};
    const old = r.state === "completed" && r.rev !== undefined && tl.rev !== undefined && r.rev !== tl.rev;
    stale.hidden = !old;
    result.classList.toggle("nemo-is-stale", old);
  }

  function render() {
    const r = model.get("render") || {};
    markStale(r);
    const running = r.state === "queued" || r.state === "running";
    start.disabled = running;
    cancel.hidden = !running;
    bar.hidden = !running;
    bar.value = r.fraction || 0;
    if (running) {
      const pct = Math.round(100 * (r.fraction || 0));
      const eta = r.eta_s !== null && r.eta_s !== undefined ? ` · about ${fmtSeconds(Math.max(0, r.eta_s))} left` : "";
      status.textContent = r.state === "queued" ? "Queued…" : `Rendering ${pct}%${eta}`;
    } else if (r.state === "failed") {
      status.textContent = `Export failed: ${r.error || "unknown error"}${r.hint ? ` — ${r.hint}` : ""}`;
    } else if (r.state === "cancelled") {
      status.textContent = "Export cancelled.";
    } else if (r.state === "completed") {
      status.textContent = r.seconds ? `Done in ${fmtSeconds(r.seconds)}.` : "Done.";
    } else {
      status.textContent = "";
    }
    status.classList.toggle("nemo-error-text", r.state === "failed");
    renderResult(r);
  }

  render();
  model.on("change:render", render);
  model.on("change:timeline", render);
  const unsubscribe = store.subscribe((what) => (what === "video" || what === "video-progress") && render());
  const el = h("section", { class: "nemo-panel nemo-export", "aria-label": "Export" },
    h("h3", { class: "nemo-panel-title", text: "Export" }),
    h("div", { class: "nemo-export-controls" }, quality, start, cancel), bar, status, notice, stale, result);
  return {
    el,
    dispose() {
      unsubscribe();
      model.off("change:render", render);
      model.off("change:timeline", render);
      video.removeAttribute("src");
    },
  };
}
