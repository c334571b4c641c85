// live.js: GET /api/events (SSE, `event: task` with {kind, task}), reconnecting with backoff.
// Tells apart our own changes (already on screen, already offered for undo) from other ones:
// the assistant's, another tab's, todoctl's.

import { errorFrom, withZone } from "./api.js";
import { readSSE } from "./sse.js";

const OWN_MS = 5000;

/** The live change feed. */
export class LiveUpdates {
  /**
   * @param {{onChange(change), onReconnect()}} handlers - onChange gets {kind, task, external};
   *   a change whose origin is not known yet is applied at once and reported external later.
   */
  constructor({ onChange, onReconnect }) {
    this.onChange = onChange;
    this.onReconnect = onReconnect;
    this.recent = new Map(); // task id → when we last changed it
    this.inflight = 0;
    this.waiting = [];
  }

  /** One of our requests starts (for `id` when known). */
  begin(id) {
    this.inflight += 1;
    if (id) this.mark(id);
  }

  /** One of our requests ended; changes that arrived meanwhile are sorted out now. */
  end() {
    this.inflight = Math.max(0, this.inflight - 1);
    if (this.inflight) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const change of waiting) if (!this.isOwn(change.task.id)) this.onChange({ ...change, external: true, applied: true });
  }

  /** Our change to this task (its events are not someone else's). */
  mark(id) {
    this.recent.set(id, Date.now());
  }

  isOwn(id) {
    return Date.now() - (this.recent.get(id) || 0) < OWN_MS;
  }

  receive(change) {
    const id = change?.task?.id;
    if (!id || this.isOwn(id)) { this.onChange({ ...change, external: false }); return; }
    if (this.inflight) {
      this.onChange({ ...change, external: false });
      this.waiting.push(change);
      return;
    }
    this.onChange({ ...change, external: true });
  }

  /** Follows the feed until stop(); a reconnect re-reads the list (changes may have been missed). */
  async start() {
    let delay = 500;
    while (!this.stopped) {
      this.abort = new AbortController();
      try {
        const response = await fetch("/api/events", { credentials: "same-origin", headers: withZone({ Accept: "text/event-stream" }), signal: this.abort.signal });
        if (response.status === 401) { await errorFrom(response); return; }
        if (response.ok) {
          if (delay > 500) this.onReconnect();
          delay = 500;
          for await (const message of readSSE(response)) {
            let change;
            try { change = JSON.parse(message.data); } catch { continue; }
            this.receive({ kind: change?.kind || change?.type || message.event, task: change?.task });
          }
        }
      } catch (e) {
        if (e.name === "AbortError") return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  stop() {
    this.stopped = true;
    this.abort?.abort();
  }
}
