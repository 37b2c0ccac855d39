// Files the kernel sends through a widget's channel (nemo_nb/notebook/media_channel.py): chunks of
// {kind: "video_chunk", render_id, offset, total, mime, name} + one binary buffer each, put together
// into a Blob URL, so nothing is fetched from a URL the browser may not reach (remote Jupyter).

/** Puts chunked files together; `add` returns {url, size, name} once a file is whole, else null. */
export class ChunkAssembler {
  constructor() {
    this.parts = new Map();
  }

  add(msg, bytes) {
    let entry = this.parts.get(msg.render_id);
    if (!entry || msg.offset === 0) {
      entry = { parts: [], received: 0 };
      this.parts.set(msg.render_id, entry);
    }
    if (msg.offset !== entry.received) return null; // out of order: ignore; a re-request restarts at 0
    entry.parts.push(bytes.slice());
    entry.received += bytes.length;
    if (entry.received < msg.total) return null;
    this.parts.delete(msg.render_id);
    const blob = new Blob(entry.parts, { type: msg.mime || "video/mp4" });
    return { url: URL.createObjectURL(blob), size: blob.size, name: msg.name };
  }

  /** Bytes received so far of a file still arriving (0 when none). */
  received(key) {
    const entry = this.parts.get(key);
    return entry ? entry.received : 0;
  }

  forget(key) {
    this.parts.delete(key);
  }
}
