// chatkit.js: our ChatKit-protocol client (POST /api/chatkit) and a pure thread-state reducer.

import { api, errorFrom, ApiError, withZone } from "./api.js";
import { readSSE } from "./sse.js";

export const ENDPOINT = "/api/chatkit";

// MARK: - Requests

/** A non-streaming ChatKit request (threads.list, items.list, threads.update, …). */
export function request(type, params = {}, { signal } = {}) {
  return api(ENDPOINT, { method: "POST", body: { type, params }, signal });
}

/**
 * A streaming ChatKit request: calls onEvent(event) for every SSE event, in order.
 * Throws ApiError for an HTTP error status (the body's message included) and AbortError
 * when `signal` aborts. Resolves when the stream ends.
 */
export async function stream(type, params, { signal, onEvent }) {
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      credentials: "same-origin",
      headers: withZone({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify({ type, params }),
      signal,
    });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "Cannot reach todod. Is the daemon running?");
  }
  if (!response.ok) throw await errorFrom(response);
  const contentType = response.headers.get("Content-Type") || "";
  if (!contentType.includes("text/event-stream")) {
    throw new ApiError(response.status, `Unexpected answer (${contentType || "no content type"}) from the chat endpoint.`);
  }
  for await (const message of readSSE(response)) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      continue; // not ours to interpret; ChatKit events are always JSON
    }
    onEvent(event);
  }
}

/** A user message input for threads.create / threads.add_user_message. */
export function userInput(text) {
  return { content: [{ type: "input_text", text }], attachments: [], inference_options: {} };
}

// MARK: - Items

/** The plain text of a user or assistant message item. */
export function itemText(item) {
  if (!item || !Array.isArray(item.content)) return "";
  return item.content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("");
}

/**
 * Applies a `thread.item.updated` update to an item, returning a new item.
 * Unknown update types leave the item unchanged.
 */
export function applyUpdate(item, update) {
  if (!item || !update) return item;
  const next = { ...item };
  switch (update.type) {
    case "assistant_message.content_part.added":
    case "assistant_message.content_part.done": {
      const content = [...(item.content || [])];
      while (content.length < update.content_index) content.push({ type: "output_text", text: "", annotations: [] });
      content[update.content_index] = { ...update.content };
      next.content = content;
      return next;
    }
    case "assistant_message.content_part.text_delta": {
      const content = [...(item.content || [])];
      while (content.length <= update.content_index) content.push({ type: "output_text", text: "", annotations: [] });
      const part = content[update.content_index];
      content[update.content_index] = { ...part, text: (part.text || "") + (update.delta || "") };
      next.content = content;
      return next;
    }
    case "workflow.task.added": {
      const workflow = { ...(item.workflow || { type: "custom", tasks: [] }) };
      workflow.tasks = [...(workflow.tasks || []), update.task];
      next.workflow = workflow;
      return next;
    }
    case "workflow.task.updated": {
      const workflow = { ...(item.workflow || { type: "custom", tasks: [] }) };
      const tasks = [...(workflow.tasks || [])];
      tasks[update.task_index] = update.task;
      workflow.tasks = tasks;
      next.workflow = workflow;
      return next;
    }
    default:
      return item;
  }
}

// MARK: - Tool badges

/**
 * The key of todod's machine-readable badge on a workflow task: {name, call_id, state} with state
 * "running" | "done" | "error" (ChatKitWire.toolBadgeKey). Titles are for people and may change
 * wording or language, so nothing here reads them for meaning.
 */
export const TOOL_BADGE_KEY = "todod_tool";

const STATES = new Set(["running", "done", "error"]);

/** The tool name behind a workflow task: the badge's name; for a task without one, its title (or "tool"). */
export function toolName(task) {
  const badge = task?.[TOOL_BADGE_KEY];
  if (typeof badge?.name === "string" && badge.name) return badge.name;
  return String(task?.title ?? "") || "tool";
}

/**
 * A tool-call badge description from one workflow task: tool, human title, state
 * (running / done / error) and the result or error text. The state comes from the badge, or for
 * a task without one from ChatKit's own status_indicator (loading = running, else done).
 */
export function badgeFromTask(task) {
  const title = String(task?.title ?? "");
  const content = typeof task?.content === "string" ? task.content : "";
  const declared = task?.[TOOL_BADGE_KEY]?.state;
  const state = STATES.has(declared) ? declared : task?.status_indicator === "loading" ? "running" : "done";
  return { tool: toolName(task), title, state, detail: content };
}
