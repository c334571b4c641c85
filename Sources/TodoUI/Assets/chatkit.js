// chatkit.js: our ChatKit-protocol client (POST /api/chatkit) and a pure thread-state reducer.

import { api, errorFrom, ApiError } from "./api.js";
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
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
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

// The agent's task titles name the action ("Adding task 'X'", "Listed 3 tasks", "Could not
// complete task"); ChatKit's custom task has no tool-name field, so the tool is read back from
// the verb. A `tool` or `name` field on the task, when a server sends one, wins.
const TOOL_VERBS = [
  [/^(adding|added|could not add)\b/i, "add_task"],
  [/^(listing|listed|could not list)\b/i, "list_tasks"],
  [/^(completing|completed|could not complete)\b/i, "complete_task"],
  [/^(deleting|deleted|could not delete)\b/i, "delete_task"],
  [/^(updating|updated|could not update)\b/i, "update_task"],
  [/^(calling|called|unknown tool)\s+'?([\w.-]+)/i, null],
];

/** The tool name behind a workflow task. */
export function toolName(task) {
  if (typeof task?.tool === "string") return task.tool;
  if (typeof task?.name === "string") return task.name;
  const title = String(task?.title ?? "");
  for (const [pattern, tool] of TOOL_VERBS) {
    const m = title.match(pattern);
    if (m) return tool ?? m[2];
  }
  return (title.match(/\b([a-z]+_[a-z_]+)\b/) || [])[1] || title || "tool";
}

/**
 * A tool-call badge description from one workflow task: tool, human title, state
 * (running / done / error) and the result or error text.
 */
export function badgeFromTask(task) {
  const title = String(task?.title ?? "");
  const content = typeof task?.content === "string" ? task.content : "";
  const failed = /^error\b/i.test(content) || /^(could not|unknown tool)\b/i.test(title) || task?.status === "error";
  let state = "done";
  if (task?.status_indicator === "loading") state = "running";
  else if (failed) state = "error";
  return { tool: toolName(task), title, state, detail: content };
}
