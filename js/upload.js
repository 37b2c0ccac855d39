// Upload panel: drop zone + file picker, client-side checks, chunked checksummed transfer to the
// kernel (each chunk acknowledged before the next), per-file progress, thumbnails of the media.

import { h, clear, fmtBytes, uid } from "./dom.js";
import { Sha256, sha256Hex } from "./sha256.js";

const KIND_ICON = { photo: "🖼", video: "🎞", audio: "♪" };
const MAX_RESENDS = 3;

function extensionOf(name) {
  const m = /\.([A-Za-z0-9]+)$/.exec(name || "");
  return m ? m[1].toLowerCase() : "";
}

/** Why the file cannot be sent (format or size), or "" when it can. */
export function checkFile(file, accept, maxBytes) {
  const ext = extensionOf(file.name);
  const aliases = { jpeg: "jpg", jpe: "jpg", heif: "heic", hif: "heic", oga: "ogg", qt: "mov" };
  const fmt = aliases[ext] || ext;
  if (!accept.includes(fmt)) {
    return `${file.name}: .${ext || "?"} files are not supported (supported: ${accept.join(", ")})`;
  }
  if (file.size <= 0) return `${file.name} is empty`;
  if (file.size > maxBytes) {
    return `${file.name} is ${fmtBytes(file.size)}, over the ${fmtBytes(maxBytes)} limit: compress or trim it`;
  }
  return "";
}

/** Send one file in acknowledged, checksummed chunks; `extra` goes with upload_begin and upload_end
 * (the brand panel sends `{purpose: "logo"}`: the kernel keeps it as the kit's logo, not a medium). */
export async function sendFile(store, file, chunkBytes, onProgress, extra = {}) {
  const uploadId = uid("u");
  await store.request("upload_begin", { ...extra, upload_id: uploadId, name: file.name, size: file.size });
  const whole = new Sha256();
  let offset = 0;
  try {
    while (offset < file.size) {
      const buf = await file.slice(offset, offset + chunkBytes).arrayBuffer();
      const bytes = new Uint8Array(buf);
      const sha = await sha256Hex(bytes);
      whole.update(bytes);
      let acked = null;
      for (let attempt = 0; attempt <= MAX_RESENDS && !acked; attempt++) {
        const reply = await store.request("upload_chunk", { upload_id: uploadId, offset, sha256: sha }, [buf]);
        if (reply.kind === "upload_ack") acked = reply;
        else if (reply.expected !== offset) throw new Error(`transfer out of step: ${reply.reason}`);
      }
      if (!acked) throw new Error(`a chunk kept arriving corrupted after ${MAX_RESENDS} resends`);
      offset += bytes.length;
      onProgress(offset);
    }
  } catch (err) {
    store.notify("upload_abort", { upload_id: uploadId });
    throw err;
  }
  return store.request("upload_end", { ...extra, upload_id: uploadId, sha256: whole.hex() });
}

/** Make `zone` take files: dropped on it, or chosen with `input` (Enter/Space on the zone opens it). */
export function fileTarget(zone, input, onFiles) {
  input.addEventListener("change", () => {
    onFiles(input.files);
    input.value = "";
  });
  zone.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.click();
    }
  });
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("nemo-is-over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("nemo-is-over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("nemo-is-over");
    if (e.dataTransfer && e.dataTransfer.files) onFiles(e.dataTransfer.files);
  });
}

export function uploadPanel(model, store) {
  const items = h("ul", { class: "nemo-upload-items", "aria-live": "polite" });
  const mediaGrid = h("div", { class: "nemo-media-grid" });
  const input = h("input", { type: "file", multiple: true, class: "nemo-file-input", "aria-label": "Choose files" });
  const pick = h("button", { class: "nemo-btn", type: "button", text: "Choose files", on: { click: () => input.click() } });
  const zone = h("div", { class: "nemo-dropzone", tabindex: "0", role: "button",
    "aria-label": "Drop photos, videos or music here, or press Enter to choose files" },
  h("div", { class: "nemo-dropzone-text", text: "Drop photos, videos or music here" }), pick, input);
  const queue = [];
  let running = false;

  function accept() {
    return model.get("accept") || [];
  }

  function refreshAcceptAttr() {
    input.accept = accept().map((x) => `.${x}`).join(",");
  }

  function addItem(file, error) {
    const bar = h("progress", { class: "nemo-progress", max: 1, value: 0 });
    const state = h("span", { class: "nemo-upload-state", text: error ? "" : "waiting" });
    let thumb = h("span", { class: "nemo-upload-icon", text: "📄" });
    if (!error && file.type && file.type.startsWith("image/")) {
      thumb = h("img", { class: "nemo-upload-thumb", alt: "", src: URL.createObjectURL(file) });
    }
    const li = h("li", { class: `nemo-upload-item${error ? " nemo-is-error" : ""}`, dataset: { name: file.name } },
      thumb,
      h("div", { class: "nemo-upload-body" },
        h("div", { class: "nemo-upload-name", text: `${file.name} · ${fmtBytes(file.size)}` }),
        error ? h("div", { class: "nemo-error-text", text: error }) : bar,
        state));
    items.append(li);
    return { li, bar, state, thumb };
  }

  async function pump() {
    if (running) return;
    running = true;
    while (queue.length) {
      const { file, ui } = queue.shift();
      ui.state.textContent = "sending…";
      try {
        const result = await sendFile(store, file, model.get("chunk_bytes") || 4194304, (sent) => {
          ui.bar.value = sent / file.size;
          ui.state.textContent = sent < file.size ? `sending ${Math.round((100 * sent) / file.size)}%` : "adding to the session…";
        });
        ui.bar.value = 1;
        ui.li.classList.add("nemo-is-done");
        ui.state.textContent = result && result.media ? `added as ${result.media.name || file.name}` : "added";
      } catch (err) {
        ui.li.classList.add("nemo-is-error");
        ui.state.textContent = "";
        ui.bar.replaceWith(h("div", { class: "nemo-error-text", text: `${err.message}${err.hint ? ` — ${err.hint}` : ""}` }));
      }
      if (ui.thumb.tagName === "IMG") setTimeout(() => URL.revokeObjectURL(ui.thumb.src), 60000);
    }
    running = false;
  }

  function addFiles(fileList) {
    const maxBytes = model.get("max_bytes") || 200 * 1024 * 1024;
    for (const file of Array.from(fileList || [])) {
      const error = checkFile(file, accept(), maxBytes);
      const ui = addItem(file, error);
      if (!error) queue.push({ file, ui });
    }
    pump();
  }

  function renderMedia() {
    clear(mediaGrid);
    const media = model.get("media") || [];
    if (!media.length) {
      mediaGrid.append(h("div", { class: "nemo-muted", text: "No media in this session yet." }));
      return;
    }
    media.forEach((m, i) => {
      const url = m.kind === "photo" || m.kind === "video" ? store.thumb(m.id) : null;
      mediaGrid.append(h("figure", { class: "nemo-media", title: `${m.name} (${m.kind || "file"})`, dataset: { id: m.id } },
        url ? h("img", { src: url, alt: m.name }) : h("div", { class: "nemo-media-icon", text: KIND_ICON[m.kind] || "📄" }),
        h("figcaption", { text: `${i + 1}. ${m.name}` })));
    });
  }

  fileTarget(zone, input, addFiles);

  refreshAcceptAttr();
  renderMedia();
  model.on("change:media", renderMedia);
  model.on("change:accept", refreshAcceptAttr);
  const unsubscribe = store.subscribe((what) => what === "thumb" && renderMedia());

  const el = h("section", { class: "nemo-panel nemo-upload", "aria-label": "Upload" },
    h("h3", { class: "nemo-panel-title", text: "Media" }), zone, items, mediaGrid);
  return {
    el,
    dispose() {
      unsubscribe();
      model.off("change:media", renderMedia);
      model.off("change:accept", refreshAcceptAttr);
    },
  };
}
