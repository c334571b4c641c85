// widgets.js: ChatKit widget items in the built-in panel — the documented subset (Card, ListView,
// ListViewItem, Text, Title, Caption, Markdown, Badge, Button, Checkbox, Row, Col, Box, Divider, Spacer)
// rendered as plain DOM; any other part renders as a plain fallback (its text, or its type), never as
// nothing. Server actions (a checkbox's onChangeAction, a button's onClickAction) are sent as
// `threads.custom_action`; the streamed `thread.item.replaced` re-renders the widget in place.
// Client actions: `todod.task.open` shows the task in the page, `todod.tasks.show_all` the All view.

import { h } from "./dom.js";
import { stream } from "./chatkit.js";
import { renderMarkdown } from "./markdown.js";

// MARK: - Items

/** The element for a `widget` thread item (re-rendered in place when an action replaces the item). */
export function renderWidgetItem(item) {
  const host = h("div.widget", { dataset: { widgetItem: item.id } });
  fill(host, item);
  return host;
}

function fill(host, item) {
  host.widgetItem = item;
  const root = item?.widget;
  host.replaceChildren(root && typeof root === "object" ? renderNode(root, host) : fallback({ type: "widget" }));
}

// MARK: - Components

const CONTAINERS = { Row: "div.w-row", Col: "div.w-col", Box: "div.w-box", Basic: "div.w-basic", Form: "div.w-box" };

/** One widget component (and its children). */
export function renderNode(node, host) {
  if (!node || typeof node !== "object") return fallback({ type: String(node ?? "") });
  const kids = () => childrenOf(node).map((child) => renderNode(child, host));
  switch (node.type) {
    case "Card":
      return withId(h("section.w-card", {}, ...kids(), cardActions(node, host)), node);
    case "ListView":
      return withId(h("section.w-listview", {},
        node.status?.text ? h("header.w-status", { text: node.status.text }) : null,
        h("ul.w-list", {}, ...childrenOf(node).map((child) => child?.type === "ListViewItem"
          ? renderNode(child, host) : h("li.w-item", {}, renderNode(child, host))))), node);
    case "ListViewItem": {
      const li = withId(h("li.w-item", {}, ...kids()), node);
      if (node.onClickAction) {
        li.classList.add("w-clickable");
        li.addEventListener("click", (event) => {
          if (event.target.closest("button, input, label, a")) return; // the row's own controls act for themselves
          act(host, node.onClickAction, li);
        });
      }
      return li;
    }
    case "Text":
      return withId(h(`span.w-text${node.lineThrough ? ".w-strike" : ""}${node.weight ? `.w-${node.weight}` : ""}`, { text: node.value ?? "" }), node);
    case "Title":
      return withId(h("strong.w-title", { text: node.value ?? "" }), node);
    case "Caption":
      return withId(h("span.w-caption", { text: node.value ?? "" }), node);
    case "Markdown": {
      const div = h("div.w-markdown.md");
      div.append(renderMarkdown(String(node.value ?? "")));
      return withId(div, node);
    }
    case "Badge":
      return withId(h(`span.w-badge.w-${node.color || "secondary"}`, { text: node.label ?? "" }), node);
    case "Button": {
      const button = h("button.w-button", { type: "button", disabled: node.disabled === true, text: node.label ?? "" });
      if (node.onClickAction) button.addEventListener("click", () => act(host, node.onClickAction, button));
      return withId(button, node);
    }
    case "Checkbox": {
      const input = h("input", { type: "checkbox", name: node.name || "", disabled: node.disabled === true });
      input.checked = node.defaultChecked === true;
      if (node.onChangeAction) input.addEventListener("change", () => act(host, node.onChangeAction, input));
      return withId(h("label.w-checkbox", {}, input, node.label ? h("span.visually-hidden", { text: node.label }) : null), node);
    }
    case "Divider":
      return h("hr.w-divider");
    case "Spacer":
      return h("span.w-spacer");
    default:
      if (CONTAINERS[node.type]) return withId(h(CONTAINERS[node.type], {}, ...kids()), node);
      return fallback(node, kids());
  }
}

function childrenOf(node) {
  if (Array.isArray(node.children)) return node.children;
  return node.children && typeof node.children === "object" ? [node.children] : [];
}

function withId(el, node) {
  if (node.id) el.dataset.widgetId = node.id;
  return el;
}

/** A part this panel does not know: its text (value, label, title, text) or its type, then its children. */
function fallback(node, children = []) {
  const text = ["value", "label", "title", "text"].map((k) => node[k]).find((v) => typeof v === "string" && v);
  return h("div.w-fallback", { dataset: { widgetType: node.type || "unknown" } },
    h("span", { text: text || `[${node.type || "widget"}]` }), ...children);
}

function cardActions(node, host) {
  const buttons = [node.cancel, node.confirm].filter((a) => a && a.action)
    .map((a) => { const b = h("button.w-button", { type: "button", text: a.label || "" }); b.addEventListener("click", () => act(host, a.action, b)); return b; });
  return buttons.length ? h("div.w-card-actions", {}, ...buttons) : null;
}

// MARK: - Actions

/** Runs an ActionConfig: client actions here, server actions as threads.custom_action. */
async function act(host, action, control) {
  if (!action || typeof action.type !== "string") return;
  if (action.handler === "client") return clientAction(action);
  const item = host.widgetItem;
  const before = control.type === "checkbox" ? !control.checked : null;
  // The whole widget waits for the answer: one action at a time, so its rows never race each other.
  const controls = [...host.querySelectorAll("input, button")].filter((c) => !c.disabled);
  host.classList.add("w-busy");
  host.setAttribute("aria-busy", "true");
  for (const c of controls) c.disabled = true;
  host.querySelector(".w-error")?.remove();
  let failure = null;
  let replaced = false;
  try {
    await stream("threads.custom_action", { thread_id: item.thread_id, item_id: item.id, action: { type: action.type, payload: action.payload ?? null } }, {
      onEvent: (event) => {
        if ((event.type === "thread.item.replaced" || event.type === "thread.item.done") && event.item?.id === item.id) {
          replaced = true;
          fill(host, event.item);
          host.dispatchEvent(new CustomEvent("todod:item-replaced", { bubbles: true, detail: event.item }));
        } else if (event.type === "error") {
          failure = event.message || "The action could not be done.";
        }
      },
    });
  } catch (error) {
    failure = error.message || String(error);
  } finally {
    host.classList.remove("w-busy");
    host.removeAttribute("aria-busy");
  }
  if (!replaced) for (const c of controls) if (c.isConnected) c.disabled = false;
  if (failure) {
    if (before !== null && control.isConnected) control.checked = before;
    host.append(h("p.w-error", { role: "alert", text: failure }));
  } else {
    window.todod?.tasks?.scheduleRefresh?.();
  }
}

function clientAction(action) {
  document.dispatchEvent(new CustomEvent("todod:widget-action", { detail: action }));
  if (action.type === "todod.task.open" || action.type === "todod.tasks.show_all") {
    const id = action.payload?.task_id;
    let row = id ? document.querySelector(`#task-list li[data-id="${CSS.escape(id)}"]`) : null;
    if (!row) document.getElementById("view-all")?.click();
    row = id ? document.querySelector(`#task-list li[data-id="${CSS.escape(id)}"]`) : document.getElementById("task-list");
    if (!row) return;
    row.scrollIntoView({ block: "center" });
    row.classList.add("w-highlight");
    setTimeout(() => row.classList.remove("w-highlight"), 4000);
  }
}
