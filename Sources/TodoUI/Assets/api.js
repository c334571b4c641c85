// api.js: JSON requests to the daemon's /api, with one error type and one 401 hook.

/** An HTTP or network failure with the server's message and, for 422, the field. */
export class ApiError extends Error {
  constructor(status, message, field, retryAfter) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

let unauthorizedHandler = () => {};

/** The browser's IANA zone ("Europe/Berlin"); todod reads dates in it (X-Time-Zone on every request). */
export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** `headers` plus X-Time-Zone: what every request to todod carries. */
export function withZone(headers = {}) {
  return { "X-Time-Zone": timeZone(), ...headers };
}

/** Sets what happens when any request answers 401 (the session ended). */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** Turns a non-2xx response into an ApiError, reading a JSON error body when there is one. */
export async function errorFrom(response) {
  let message = `${response.status} ${response.statusText || "error"}`;
  let field;
  try {
    const text = await response.text();
    if (text) {
      try {
        const body = JSON.parse(text);
        const err = body && typeof body.error === "object" && body.error !== null ? body.error : body;
        message = err.message || err.detail || (typeof body.error === "string" ? body.error : null) || err.reason || message;
        field = err.field || body.field || (err.data && err.data.field) || undefined;
      } catch {
        if (text.length < 300) message = text;
      }
    }
  } catch {
    /* body unreadable: keep the status line */
  }
  const retryAfter = Number(response.headers.get("Retry-After")) || undefined;
  if (response.status === 429 && retryAfter) message = `${message} (try again in ${retryAfter} s)`;
  if (response.status === 401) unauthorizedHandler();
  return new ApiError(response.status, message, field, retryAfter);
}

/**
 * fetch() with the session cookie, JSON in and out.
 * @returns {Promise<any>} the parsed body (or null for an empty one)
 */
export async function api(path, { method = "GET", body, signal, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      // todod wants application/json on every state-changing request, body or not (else 415).
      headers: withZone(method === "GET" || method === "HEAD"
        ? { Accept: "application/json", ...headers }
        : { "Content-Type": "application/json", Accept: "application/json", ...headers }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Cannot reach todod. Is the daemon running?");
  }
  if (!response.ok) throw await errorFrom(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** The task list from a GET /api/tasks body (a bare array or an object holding one). */
export function tasksFrom(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.tasks)) return body.tasks;
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}
