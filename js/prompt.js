// Prompt panel: the chat with the agent (its text streams in through the `chat` trait), a
// still-working indicator, suggestion chips, intent shortcuts, and errors shown with their hint.

import { h, clear } from "./dom.js";

const SHORTCUTS = [
  ["Status", "status"],
  ["Credits", "credits"],
  ["Undo", "undo"],
  ["Export", "export"],
];

function linkify(text) {
  // Only http(s) links the kernel put in a hint; everything else stays text (no innerHTML).
  const out = [];
  const re = /https?:\/\/[^\s)"'<>]+/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const url = m[0].replace(/[.,;]+$/, "");
    out.push(h("a", { href: url, target: "_blank", rel: "noopener", text: url }));
    last = m.index + url.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function messageView(msg) {
  const role = msg.role || "agent";
  const who = { user: "You", agent: "Nemo", error: "Error", info: "Note" }[role] || role;
  const body = h("div", { class: "nemo-msg-text" }, linkify(msg.text || ""));
  const extra = [];
  if (msg.hint) extra.push(h("div", { class: "nemo-msg-hint" }, linkify(msg.hint)));
  if (msg.link) extra.push(h("a", { class: "nemo-msg-link", href: msg.link, target: "_blank", rel: "noopener", text: msg.link_text || msg.link }));
  if (msg.changes && msg.changes.length) {
    extra.push(h("ul", { class: "nemo-msg-changes" }, msg.changes.map((c) => h("li", { text: c }))));
  }
  return h("div", { class: `nemo-msg nemo-msg-${role}${msg.pending ? " nemo-is-pending" : ""}`, role: role === "error" ? "alert" : undefined },
    h("div", { class: "nemo-msg-who", text: who }), body, extra);
}

export function promptPanel(model, store) {
  const log = h("div", { class: "nemo-chat", "aria-live": "polite", "aria-label": "Conversation" });
  const working = h("div", { class: "nemo-working", hidden: true },
    h("span", { class: "nemo-spinner", "aria-hidden": "true" }), h("span", { class: "nemo-working-text" }));
  const chips = h("div", { class: "nemo-chips", "aria-label": "Try saying" });
  const shortcuts = h("div", { class: "nemo-shortcuts" });
  const box = h("textarea", { class: "nemo-input", rows: 2, placeholder: "Ask for a video… (Enter sends, Shift+Enter adds a line)",
    "aria-label": "Message to the video agent" });
  const send = h("button", { class: "nemo-btn nemo-btn-primary nemo-send", type: "button", text: "Send" });
  const notice = h("div", { class: "nemo-error-text nemo-notice", hidden: true });

  function showNotice(err) {
    notice.hidden = !err;
    notice.textContent = err ? `${err.message}${err.hint ? ` — ${err.hint}` : ""}` : "";
  }

  async function submit(text) {
    text = (text || "").trim();
    if (!text) return;
    showNotice(null);
    try {
      await store.request("ask", { text });
      if (box.value.trim() === text) box.value = "";
    } catch (err) {
      showNotice(err);
    }
  }

  function renderChat() {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    clear(log);
    const chat = model.get("chat") || [];
    if (!chat.length) {
      log.append(h("div", { class: "nemo-muted", text: "Add photos, then say what video you want." }));
    }
    for (const msg of chat) log.append(messageView(msg));
    if (atBottom || chat.length <= 1) log.scrollTop = log.scrollHeight;
  }

  function renderBusy() {
    const busy = model.get("busy") || "";
    const still = model.get("still_working");
    working.hidden = !busy;
    const label = { thinking: "Nemo is working…", uploading: "Adding media…", rendering: "Rendering…" }[busy] || "Working…";
    const activity = busy === "thinking" ? model.get("activity") || "" : "";
    working.querySelector(".nemo-working-text").textContent = still ? "⏳ Still working..." : activity || label;
    send.disabled = busy === "thinking";
  }

  function renderChips() {
    clear(chips);
    for (const s of model.get("suggestions") || []) {
      chips.append(h("button", { class: "nemo-chip", type: "button", text: s, title: "Put this in the message box",
        on: { click: () => { box.value = s; box.focus(); } } }));
    }
  }

  for (const [label, text] of SHORTCUTS) {
    shortcuts.append(h("button", { class: "nemo-btn nemo-btn-small", type: "button", text: label,
      title: `Say "${text}"`, dataset: { say: text }, on: { click: () => submit(text) } }));
  }
  box.addEventListener("keydown", (e) => {
    // Keys typed here are text, not notebook shortcuts (Shift+Enter must not run the cell).
    e.stopPropagation();
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!send.disabled) submit(box.value);
    }
  });
  send.addEventListener("click", () => submit(box.value));

  renderChat();
  renderBusy();
  renderChips();
  model.on("change:chat", renderChat);
  model.on("change:busy", renderBusy);
  model.on("change:still_working", renderBusy);
  model.on("change:activity", renderBusy);
  model.on("change:suggestions", renderChips);

  const el = h("section", { class: "nemo-panel nemo-prompt", "aria-label": "Chat" },
    h("h3", { class: "nemo-panel-title", text: "Chat" }), log, working, chips,
    h("div", { class: "nemo-compose" }, box, send), shortcuts, notice);
  return {
    el,
    dispose() {
      model.off("change:chat", renderChat);
      model.off("change:busy", renderBusy);
      model.off("change:still_working", renderBusy);
      model.off("change:activity", renderBusy);
      model.off("change:suggestions", renderChips);
    },
  };
}
