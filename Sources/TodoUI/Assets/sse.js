// sse.js: a Server-Sent Events decoder for fetch() bodies (text/event-stream).

/**
 * Incremental SSE decoder: push() text as it arrives, get back the complete events.
 * Handles \n, \r\n and \r line ends, multi-line data, comments and events split anywhere.
 */
export class SSEDecoder {
  constructor() {
    this.buffer = "";
    this.data = [];
    this.event = "";
  }

  /** @returns {{event: string, data: string}[]} the events completed by this chunk */
  push(chunk) {
    this.buffer += chunk;
    const events = [];
    let start = 0;
    for (;;) {
      const match = /\r\n|\r|\n/g;
      match.lastIndex = start;
      const found = match.exec(this.buffer);
      if (!found) break;
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (found[0] === "\r" && found.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(start, found.index);
      start = found.index + found[0].length;
      this.line(line, events);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Flushes an event left without its final blank line when the stream ends. */
  end() {
    const events = [];
    if (this.buffer) this.line(this.buffer, events);
    this.buffer = "";
    this.line("", events);
    return events;
  }

  line(line, events) {
    if (line === "") {
      if (this.data.length) events.push({ event: this.event || "message", data: this.data.join("\n") });
      this.data = [];
      this.event = "";
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
  }
}

/**
 * Reads a fetch Response body as SSE.
 * @param {Response} response
 * @returns {AsyncGenerator<{event: string, data: string}>}
 */
export async function* readSSE(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const sse = new SSEDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield* sse.push(decoder.decode(value, { stream: true }));
    }
    yield* sse.push(decoder.decode());
    yield* sse.end();
  } finally {
    reader.releaseLock?.();
  }
}
