// Brand kit panel: the logo (drop it or choose it; sent with the upload panel's chunked transfer),
// brand colours (native colour inputs and a few swatches), the font, the logo's corner, size and
// opacity, the current kit in one line, and Clear. Every change is `studio.brand(...)` in the kernel
// (message "brand"), so it is checked, kept per user and on every export; the kit shown comes back
// in the synced `brand` trait (the same in every view, after a reload, in the next notebook).

import { h, clear } from "./dom.js";
import { checkFile, fileTarget, sendFile } from "./upload.js";

const LOGO_FORMATS = ["png", "jpg", "webp"];
const LOGO_MAX_BYTES = 20 * 1024 * 1024;
const SWATCHES = ["#e11d2a", "#f97316", "#facc15", "#16a34a", "#2563eb", "#7c3aed", "#111111", "#ffffff"];
const FONT_NAMES = { sans: "Noto Sans (with Chinese)", inter: "Inter", serif: "EB Garamond (serif)" };
const UNCHANGED = "Your brand kit is unchanged.";

function labelled(text, control) {
  return h("label", { class: "nemo-brand-field" }, h("span", { class: "nemo-brand-label", text }), control);
}

function logoTile(onFile) {
  const input = h("input", { type: "file", class: "nemo-brand-file", accept: ".png,.jpg,.jpeg,.webp",
    "aria-label": "Choose a logo" });
  const img = h("img", { class: "nemo-brand-logo-img", alt: "Your logo", hidden: true });
  const empty = h("span", { class: "nemo-brand-logo-empty", text: "+ Logo" });
  const hint = "Drop your logo here (PNG with transparency is best), or press Enter to choose it";
  const tile = h("div", { class: "nemo-brand-logo", tabindex: "0", role: "button", title: hint,
    "aria-label": "Logo: drop a PNG, JPEG or WebP here, or press Enter to choose one" }, img, empty, input);
  tile.addEventListener("click", (e) => e.target !== input && input.click());
  fileTarget(tile, input, (files) => files && files[0] && onFile(files[0]));
  function show(logo) {
    img.hidden = !(logo && logo.preview);
    if (logo && logo.preview) img.src = logo.preview;
    else img.removeAttribute("src");
    empty.hidden = Boolean(logo && logo.preview);
    empty.textContent = logo ? logo.name : "+ Logo";
    tile.title = logo ? `${logo.name}: drop another logo to replace it` : hint;
  }
  return { el: tile, show };
}

function colourControls(send) {
  const text = h("input", { type: "color", class: "nemo-brand-color", value: "#ffffff", "aria-label": "Text colour" });
  const card = h("input", { type: "color", class: "nemo-brand-color", value: "#000000",
    "aria-label": "Card colour (the box behind texts)" });
  let current = [];
  const sendColours = (first, second) => send({ colors: second ? [first, second] : [first] });
  text.addEventListener("change", () => sendColours(text.value, current[1]));
  card.addEventListener("change", () => sendColours(current[0] || "#ffffff", card.value));
  const swatches = h("div", { class: "nemo-brand-swatches", role: "group", "aria-label": "Brand colour swatches" },
    ...SWATCHES.map((c) => h("button", { type: "button", class: "nemo-brand-swatch", style: { background: c },
      title: `Text colour ${c}`, "aria-label": `Text colour ${c}`, dataset: { color: c },
      on: { click: () => sendColours(c, current[1]) } })));
  function show(colors) {
    current = colors || [];
    text.value = current[0] || "#ffffff";
    card.value = current[1] || "#000000";
    text.classList.toggle("nemo-is-unset", !current[0]);
    card.classList.toggle("nemo-is-unset", !current[1]);
    text.title = current[0] ? `Text colour ${current[0]}` : "Text colour: not set (the role's default)";
    card.title = current[1] ? `Card colour ${current[1]} (the box behind texts)` : "Card colour (the box behind texts): not set";
  }
  const el = h("div", { class: "nemo-brand-colours" }, labelled("Text", text), labelled("Card", card), swatches);
  return { el, show };
}

function logoOptions(send) {
  const corner = h("select", { class: "nemo-brand-select nemo-brand-corner", "aria-label": "Logo corner" });
  const size = h("input", { type: "range", class: "nemo-brand-size", min: 3, max: 50, step: 1, "aria-label": "Logo size" });
  const opacity = h("input", { type: "range", class: "nemo-brand-opacity", min: 10, max: 100, step: 5,
    "aria-label": "Logo opacity" });
  const sizeText = h("span", { class: "nemo-brand-value" });
  const opacityText = h("span", { class: "nemo-brand-value" });
  corner.addEventListener("change", () => send({ corner: corner.value }));
  size.addEventListener("input", () => { sizeText.textContent = `${size.value}%`; });
  opacity.addEventListener("input", () => { opacityText.textContent = `${opacity.value}%`; });
  size.addEventListener("change", () => send({ size: Number(size.value) / 100 }));
  opacity.addEventListener("change", () => send({ opacity: Number(opacity.value) / 100 }));
  function show(kit) {
    if (!corner.options.length) {
      for (const c of kit.corners || []) corner.append(h("option", { value: c, text: c.replace("_", " ") }));
    }
    corner.value = kit.corner || "bottom_right";
    size.value = String(Math.round(100 * (kit.size || 0.12)));
    opacity.value = String(Math.round(100 * (kit.opacity ?? 0.85)));
    sizeText.textContent = `${size.value}%`;
    opacityText.textContent = `${opacity.value}%`;
    for (const c of [corner, size, opacity]) c.disabled = !kit.logo;
  }
  const el = h("div", { class: "nemo-brand-row" }, labelled("Corner", corner),
    labelled("Size", h("span", { class: "nemo-brand-range" }, size, sizeText)),
    labelled("Opacity", h("span", { class: "nemo-brand-range" }, opacity, opacityText)));
  return { el, show };
}

function fontControl(send) {
  const select = h("select", { class: "nemo-brand-select nemo-brand-font", "aria-label": "Brand font" });
  select.addEventListener("change", () => send({ font: select.value }));  // "" = back to the default font
  function show(kit) {
    if (!select.options.length) {
      select.append(h("option", { value: "", text: "Default (Noto Sans)" }));
      for (const f of kit.fonts || []) select.append(h("option", { value: f, text: FONT_NAMES[f] || f }));
    }
    select.value = kit.font || "";
  }
  return { el: labelled("Font", select), show };
}

export function brandPanel(model, store) {
  const status = h("div", { class: "nemo-brand-status", "aria-live": "polite" });
  const summary = h("div", { class: "nemo-brand-summary nemo-muted" });
  function say(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("nemo-error-text", isError);
  }

  function failed(err) {
    const text = [err.message, err.hint].filter(Boolean).map((t) => t.replace(/\.$/, "")).join(" — ");
    say(/unchanged|not changed/i.test(text) ? `${text}.` : `${text}. ${UNCHANGED}`, true);
  }

  async function send(payload, what) {
    say("Saving…");
    try {
      await store.request("brand", payload);
      say(`${what}.`);
    } catch (err) {
      failed(err);
    }
  }

  async function uploadLogo(file) {
    const problem = checkFile(file, LOGO_FORMATS, LOGO_MAX_BYTES);
    if (problem) {
      say(`${problem} — use a PNG (transparent is best), JPEG or WebP. ${UNCHANGED}`, true);
      return;
    }
    say(`Sending ${file.name}…`);
    try {
      await sendFile(store, file, model.get("chunk_bytes") || 4194304, (sent) => {
        say(`Sending ${file.name} ${Math.round((100 * sent) / file.size)}%`);
      }, { purpose: "logo" });
      say(`Logo set: ${file.name} is on every export.`);
    } catch (err) {
      failed(err);
    }
  }

  const logo = logoTile(uploadLogo);
  const colours = colourControls((p) => send(p, "Colours saved: on every export"));
  const font = fontControl((p) => send(p, "Font saved: on every export"));
  const options = logoOptions((p) => send(p, "Logo placement saved"));
  const clearBtn = h("button", { type: "button", class: "nemo-btn nemo-btn-small nemo-brand-clear", text: "Clear kit",
    on: { click: () => send({ clear: true }, "Brand kit cleared") } });

  function render() {
    const kit = model.get("brand") || {};
    logo.show(kit.logo);
    colours.show(kit.colors);
    font.show(kit);
    options.show(kit);
    clearBtn.disabled = Boolean(kit.empty);
    clear(summary).append(kit.empty ? "No brand kit yet: add your logo, pick a colour or a font."
      : kit.summary || "");
    if (kit.drawn === false && !kit.empty) {
      summary.append(h("div", { class: "nemo-brand-note",
        text: "This studio exports on the NemoVideo cloud, which does not draw the kit: connect to the local engine to get it." }));
    }
  }

  render();
  model.on("change:brand", render);
  const el = h("section", { class: "nemo-panel nemo-brand", "aria-label": "Brand kit" },
    h("h3", { class: "nemo-panel-title", text: "Brand kit" }),
    h("div", { class: "nemo-brand-body" }, logo.el,
      h("div", { class: "nemo-brand-controls" },
        h("div", { class: "nemo-brand-row" }, colours.el, font.el, clearBtn), options.el, summary, status)));
  return {
    el,
    dispose() {
      model.off("change:brand", render);
    },
  };
}
