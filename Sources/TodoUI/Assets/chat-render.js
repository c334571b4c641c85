// chat-render.js: DOM for thread items (messages, tool badges, errors, notices).

import { h, clear } from "./dom.js";
import { renderWidgetItem } from "./widgets.js";
import { renderMarkdown } from "./markdown.js";
import { itemText, badgeFromTask } from "./chatkit.js";
import { renderMessageActions } from "./chat-actions.js";

// MARK: - Items

/** A new element for a thread item, or null for items that show nothing (end_of_turn, hidden). */
export function renderItem(item) {
  const node = h("div.item", { dataset: { itemId: item.id, itemType: item.type } });
  if (!updateItemNode(node, item)) return null;
  return node;
}

/** Re-renders an item's element in place. Returns false when the item shows nothing. */
export function updateItemNode(node, item) {
  switch (item.type) {
    case "user_message":
      node.className = "item msg user";
      node.replaceChildren(h("div.bubble", { text: itemText(item) }));
      return true;
    case "assistant_message": {
      node.className = "item msg assistant";
      const bubble = h("div.bubble.md");
      bubble.append(renderMarkdown(itemText(item)));
      // The action row (copy, feedback) survives re-renders, so a pressed thumb stays pressed.
      node.replaceChildren(bubble, node.querySelector(":scope > .msg-actions") || renderMessageActions());
      return true;
    }
    case "workflow": {
      node.className = "item badges";
      const tasks = item.workflow?.tasks || [];
      node.replaceChildren(...tasks.map((task) => renderBadge(badgeFromTask(task))));
      if (item.workflow?.type === "reasoning" && !tasks.length) node.append(renderBadge({ tool: "thinking", title: "Reasoning", state: "running", detail: "" }));
      return true;
    }
    case "task":
      node.className = "item badges";
      node.replaceChildren(renderBadge(badgeFromTask(item.task)));
      return true;
    case "client_tool_call":
      node.className = "item badges";
      node.replaceChildren(renderBadge({
        tool: item.name, title: item.name, state: item.status === "completed" ? "done" : "running",
        detail: item.output === undefined ? "" : JSON.stringify(item.output),
      }));
      return true;
    case "widget":
      node.className = "item widget-item";
      node.replaceChildren(renderWidgetItem(item));
      return true;
    case "end_of_turn":
    case "hidden_context_item":
    case "sdk_hidden_context":
      return false;
    default:
      node.className = "item msg note";
      node.replaceChildren(h("div.bubble", { text: `(${item.type.replace(/_/g, " ")} not shown here)` }));
      return true;
  }
}

// MARK: - Badges

const STATE_LABEL = { running: "running", done: "done", error: "failed", pending: "waiting" };

/** One tool-call badge: tool name and state; the result or error expands underneath. */
export function renderBadge({ tool, title, state, detail }) {
  const stateText = STATE_LABEL[state] || state;
  const summary = h("summary", {},
    h("span.badge-icon", { "aria-hidden": "true", text: state === "error" ? "!" : state === "running" ? "…" : "✓" }),
    h("span.badge-tool", { text: tool }),
    title && title !== tool ? h("span.badge-title", { text: title }) : null,
    h("span.badge-state", { text: stateText }));
  const badge = h("details.badge", { dataset: { tool, state }, "aria-label": `Tool ${tool}: ${title || tool}, ${stateText}` }, summary);
  if (detail) badge.append(h("div.badge-detail", { text: detail }));
  else badge.classList.add("badge-empty");
  return badge;
}

// MARK: - Errors and notices

/** An error shown in the conversation; `onRetry` adds a Retry button. */
export function renderError(message, onRetry) {
  const node = h("div.item.msg.error", { role: "alert" },
    h("div.bubble", {}, h("strong", { text: "Something went wrong. " }), h("span", { text: message })));
  if (onRetry) {
    node.querySelector(".bubble").append(" ", h("button.retry", { type: "button", onclick: onRetry }, "Retry"));
  }
  return node;
}

/** A ChatKit notice (info / warning / danger); its text is Markdown. */
export function renderNotice(event) {
  const bubble = h("div.bubble.md");
  if (event.title) bubble.append(h("strong", { text: event.title }));
  bubble.append(renderMarkdown(event.message || ""));
  return h("div.item.msg.notice", { dataset: { level: event.level || "info" } }, bubble);
}

/** Replaces an element's children with one line of muted text. */
export function renderStatus(node, text) {
  clear(node).append(text);
  return node;
}
