// A campaign's gallery: a grid of variant cards filling in as renders finish, overall progress,
// click a poster to play the variant inline, tick to pick, save the picked files.
// Same channel as the studio (channel.js): posters arrive as {kind: "thumb"} buffers keyed by the
// variant's name and videos as {kind: "video_chunk"} buffers, both turned into Blob URLs here —
// never a URL of the kernel's machine, which a remote browser could not reach.

import { h, clear, fmtSeconds } from "./dom.js";
import { storeFor, dropStore } from "./channel.js";

const STATUS_WORDS = {
  pending: "waiting", queued: "queued", rendering: "rendering…", done: "", failed: "failed", cancelled: "cancelled",
};

function progressLine(summary) {
  const s = summary || {};
  const parts = [`${s.done || 0} / ${s.total || 0} done`];
  if (s.failed) parts.push(`${s.failed} failed`);
  if (s.cancelled) parts.push(`${s.cancelled} cancelled`);
  if (s.running && Number.isFinite(s.eta_s)) parts.push(`about ${fmtSeconds(s.eta_s)} left`);
  else if (s.running) parts.push("working…");
  return parts.join(" · ");
}

function cardMedia(card, store, playing, onPlay) {
  if (playing.has(card.variant)) {
    const v = store.video(card.variant);
    if (v && v.url) return h("video", { class: "nemo-g-video", src: v.url, controls: true, autoplay: true, muted: true, playsInline: true });
    if (v && v.error) return h("div", { class: "nemo-g-placeholder nemo-g-error", text: v.error });
    return h("div", { class: "nemo-g-placeholder", text: "loading video…" });
  }
  const url = card.has_poster ? store.thumb(card.variant) : null;
  if (url) {
    return h("button", { class: "nemo-g-poster", title: "Play", on: { click: () => onPlay(card.variant) } },
      h("img", { src: url, alt: card.variant }), h("span", { class: "nemo-g-play", text: "▶" }));
  }
  const frac = Math.round((card.fraction || 0) * 100);
  return h("div", { class: "nemo-g-placeholder" },
    h("span", { text: STATUS_WORDS[card.status] ?? card.status }),
    card.status === "rendering" ? h("progress", { max: 100, value: frac }) : null);
}

function cardEl(card, store, model, playing, onPlay) {
  const picked = new Set(model.get("picked") || []);
  const tick = h("input", {
    type: "checkbox", class: "nemo-g-tick", checked: picked.has(card.variant), disabled: card.status !== "done",
    title: "Pick this variant",
    on: {
      change: (e) => {
        const now = new Set(model.get("picked") || []);
        if (e.target.checked) now.add(card.variant); else now.delete(card.variant);
        model.set("picked", [...now].sort());
        model.save_changes();
      },
    },
  });
  const numbers = card.status === "done"
    ? `${card.width}×${card.height} · ${fmtSeconds(card.duration_s)} · ${card.size_mb} MB · ${card.render_s} s`
    : "";
  return h("div", { class: `nemo-g-card nemo-g-${card.status}`, dataset: { variant: card.variant } },
    cardMedia(card, store, playing, onPlay),
    h("div", { class: "nemo-g-labels" },
      h("label", { class: "nemo-g-name" }, tick, h("span", { text: card.variant })),
      h("div", { class: "nemo-g-sub", text: `${card.direction} · ${card.format}` }),
      card.title ? h("div", { class: "nemo-g-copy", text: card.title }) : null,
      card.caption ? h("div", { class: "nemo-g-copy nemo-g-caption", text: card.caption }) : null,
      numbers ? h("div", { class: "nemo-g-numbers", text: numbers }) : null,
      card.error ? h("div", { class: "nemo-g-errtext", text: card.error }) : null));
}

function render({ model, el }) {
  const store = storeFor(model);
  const playing = new Set();
  const status = h("span", { class: "nemo-g-status" });
  const bar = h("progress", { class: "nemo-g-bar", max: 1, value: 0 });
  const note = h("span", { class: "nemo-g-note" });
  const save = h("button", { class: "nemo-g-save", text: "Save picked" });
  const cancel = h("button", { class: "nemo-g-cancel", text: "Cancel" });
  const grid = h("div", { class: "nemo-g-grid" });
  const draw = () => {
    const s = model.get("summary") || {};
    status.textContent = progressLine(s);
    bar.max = Math.max(1, s.total || 1);
    bar.value = (s.done || 0) + (s.failed || 0) + (s.cancelled || 0);
    cancel.hidden = !s.running;
    const picked = model.get("picked") || [];
    save.disabled = picked.length === 0;
    save.textContent = picked.length ? `Save ${picked.length} picked` : "Save picked";
    clear(grid);
    for (const card of model.get("cards") || []) grid.append(cardEl(card, store, model, playing, onPlay));
  };
  const onPlay = (name) => { playing.add(name); draw(); };
  save.addEventListener("click", async () => {
    save.disabled = true;
    note.textContent = "saving…";
    try {
      const data = await store.request("save_picked", { picked: model.get("picked") || [] });
      note.textContent = `Saved ${data.files} file(s) and manifest.csv to ${data.path}`;
    } catch (err) {
      note.textContent = `${err.message}${err.hint ? ` — ${err.hint}` : ""}`;
    } finally {
      draw();
    }
  });
  cancel.addEventListener("click", () => store.notify("cancel"));
  el.classList.add("nemo-root");
  el.append(h("div", { class: "nemo-studio nemo-gallery" },
    h("header", { class: "nemo-header" }, h("span", { class: "nemo-title", text: model.get("title") || "Campaign" }),
      status, cancel, save),
    bar, note, grid));
  const unsubscribe = store.subscribe(draw);
  for (const name of ["cards", "summary", "picked"]) model.on(`change:${name}`, draw);
  draw();
  model.set("_ready", true);
  model.save_changes();
  return () => {
    unsubscribe();
    for (const name of ["cards", "summary", "picked"]) model.off(`change:${name}`, draw);
  };
}

function initialize({ model }) {
  storeFor(model, true);
  return () => dropStore(model);
}

export default { initialize, render };
