// The nemo_nb studio widget: upload | chat | timeline | brand kit | export, one anywidget.
// initialize() owns the model-wide message channel (media Blob URLs shared by every view);
// render() builds a view and tells the kernel it is ready (`_ready`), which releases the messages
// the kernel queued before any view existed.

import { h } from "./dom.js";
import { storeFor, dropStore } from "./channel.js";
import { uploadPanel } from "./upload.js";
import { promptPanel } from "./prompt.js";
import { timelinePanel } from "./timeline.js";
import { exportPanel } from "./exporter.js";
import { brandPanel } from "./brand.js";

function header(model) {
  const backend = h("span", { class: "nemo-pill nemo-backend" });
  const credits = h("span", { class: "nemo-pill nemo-credits" });
  const update = () => {
    backend.textContent = model.get("backend_label") || "";
    const c = model.get("credits") || {};
    credits.hidden = c.available === undefined || c.available === null;
    credits.textContent = c.limit || `${c.available} credits`;  // the local engine: "local · no limit"
  };
  update();
  model.on("change:backend_label", update);
  model.on("change:credits", update);
  return {
    el: h("header", { class: "nemo-header" }, h("span", { class: "nemo-title", text: "Nemo Studio" }), backend, credits),
    dispose() {
      model.off("change:backend_label", update);
      model.off("change:credits", update);
    },
  };
}

function initialize({ model }) {
  storeFor(model, true);
  return () => dropStore(model);
}

function render({ model, el }) {
  const store = storeFor(model);
  const parts = [];
  try {
    parts.push(header(model), uploadPanel(model, store), promptPanel(model, store),
      timelinePanel(model, store), brandPanel(model, store), exportPanel(model, store));
  } catch (err) {
    el.append(h("pre", { class: "nemo-error-text", text: `nemo_nb widget failed to render: ${err && err.stack}` }));
    store.notify("js_error", { message: String(err && err.stack ? err.stack : err) });
    throw err;
  }
  const [head, upload, prompt, timeline, brand, exporter] = parts;
  el.classList.add("nemo-root");
  el.append(h("div", { class: "nemo-studio" }, head.el,
    h("div", { class: "nemo-grid" }, upload.el, prompt.el, timeline.el, brand.el, exporter.el)));
  const onError = (event) => {
    const where = String((event && event.filename) || "");
    if (where.startsWith("blob:")) store.notify("js_error", { message: String(event.message || event.error) });
  };
  window.addEventListener("error", onError);
  model.set("_ready", true);
  model.save_changes();
  return () => {
    window.removeEventListener("error", onError);
    for (const p of parts) p.dispose();
  };
}

export default { initialize, render };
