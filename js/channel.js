// One msg:custom channel per widget model, with {id, kind, ...} envelopes.
// Every message the browser sends with an `id` gets exactly one {kind: "reply", id, ok, ...}.
// The kernel pushes media as binary buffers: thumbnails ({kind: "thumb"}) and the exported MP4 in
// chunks ({kind: "video_chunk"}), which become Blob URLs here, shared by every view of the model.
// A reply can carry buffers too (the player's frames). Before its reply, a request may get parts of
// its answer as {kind: "push", id, ...} messages (playback's frames, each as soon as it is made).

import { asBytes, uid } from "./dom.js";
import { ChunkAssembler } from "./media_channel.js";

const STORES = new Map();

/** A reply that was not ok: carries the kernel's message, hint and link for display. */
export class KernelError extends Error {
  constructor(error) {
    super((error && error.message) || "The kernel reported an error");
    this.hint = (error && error.hint) || "";
    this.link = (error && error.link) || "";
  }
}

class Store {
  constructor(model) {
    this.model = model;
    this.pending = new Map();
    this.pushes = new Map();
    this.thumbs = new Map();
    this.thumbAsked = new Set();
    this.videos = new Map();
    this.videoAsked = new Set();
    this.videoParts = new ChunkAssembler();
    this.listeners = new Set();
    this.onMessage = this.onMessage.bind(this);
    model.on("msg:custom", this.onMessage);
  }

  /** Send a request; resolves with the reply's `data`, rejects with a KernelError. `onPush(msg,
   * buffers)` gets the parts the kernel pushes before the reply. */
  request(kind, payload = {}, buffers = [], timeoutMs = 600000, onPush = null) {
    const id = uid("m");
    if (onPush) this.pushes.set(id, onPush);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.pushes.delete(id);
        reject(new KernelError({
          message: "The kernel did not answer",
          hint: "Is it busy running a cell, or was it restarted? Re-run the cell that shows the studio.",
        }));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.model.send({ id, kind, ...payload }, undefined, buffers);
    });
  }

  /** Fire-and-forget message (no reply expected). */
  notify(kind, payload = {}) {
    this.model.send({ kind, ...payload });
  }

  onMessage(msg, buffers) {
    if (!msg || typeof msg !== "object") return;
    if (msg.kind === "push") {
      const onPush = this.pushes.get(msg.id);
      if (onPush) onPush(msg, buffers || []);
    } else if (msg.kind === "reply") {
      this.pushes.delete(msg.id);
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      clearTimeout(waiter.timer);
      // A reply may carry binary buffers (a frame of the live player): they come as `buffers`.
      if (msg.ok) waiter.resolve(buffers && buffers.length ? { ...(msg.data || {}), buffers } : msg.data || {});
      else waiter.reject(new KernelError(msg.error));
    } else if (msg.kind === "thumb" && buffers && buffers.length) {
      const old = this.thumbs.get(msg.media_id);
      if (old) URL.revokeObjectURL(old);
      const blob = new Blob([asBytes(buffers[0])], { type: msg.mime || "image/jpeg" });
      this.thumbs.set(msg.media_id, URL.createObjectURL(blob));
      this.emit("thumb");
    } else if (msg.kind === "video_chunk" && buffers && buffers.length) {
      this.addVideoChunk(msg, asBytes(buffers[0]));
    } else if (msg.kind === "video_error") {
      this.videoAsked.delete(msg.render_id);
      this.videoParts.forget(msg.render_id);
      this.videos.set(msg.render_id, { error: msg.message || "The video could not be loaded" });
      this.emit("video");
    }
  }

  addVideoChunk(msg, bytes) {
    const whole = this.videoParts.add(msg, bytes);
    this.emit("video-progress");
    if (!whole) return;
    const old = this.videos.get(msg.render_id);
    if (old && old.url) URL.revokeObjectURL(old.url);
    this.videos.set(msg.render_id, whole);
    this.emit("video");
  }

  /** A media thumbnail's Blob URL, asking the kernel for it the first time. */
  thumb(mediaId) {
    if (!mediaId) return null;
    const url = this.thumbs.get(mediaId);
    if (url) return url;
    if (!this.thumbAsked.has(mediaId)) {
      this.thumbAsked.add(mediaId);
      this.notify("need_thumb", { media_id: mediaId });
    }
    return null;
  }

  /** The exported MP4 of a render as {url, size, name}, asking the kernel the first time. */
  video(renderId) {
    if (!renderId) return null;
    const v = this.videos.get(renderId);
    if (v) return v;
    if (!this.videoAsked.has(renderId)) {
      this.videoAsked.add(renderId);
      this.notify("need_video", { render_id: renderId });
    }
    return null;
  }

  videoProgress(renderId) {
    return this.videoParts.received(renderId);
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(what) {
    for (const fn of this.listeners) {
      try {
        fn(what);
      } catch (err) {
        console.error("[nemo_nb]", err);
      }
    }
  }

  dispose() {
    this.model.off("msg:custom", this.onMessage);
    for (const url of this.thumbs.values()) URL.revokeObjectURL(url);
    for (const v of this.videos.values()) if (v.url) URL.revokeObjectURL(v.url);
    for (const w of this.pending.values()) clearTimeout(w.timer);
    this.pending.clear();
  }
}

/** The model's store, made in initialize() (or in render() if initialize did not run). */
export function storeFor(model, fresh = false) {
  const key = model.get("_uid");
  let store = STORES.get(key);
  if (store && fresh) {
    store.dispose();
    store = null;
  }
  if (!store) {
    store = new Store(model);
    STORES.set(key, store);
  }
  return store;
}

export function dropStore(model) {
  const key = model.get("_uid");
  const store = STORES.get(key);
  if (store) store.dispose();
  STORES.delete(key);
}
