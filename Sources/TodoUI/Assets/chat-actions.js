// chat-actions.js: the row under an assistant message — copy, thumbs up, thumbs down (items.feedback).

import { h } from "./dom.js";
import { request, itemText } from "./chatkit.js";

const FEEDBACK = [
  { kind: "positive", label: "Good answer", icon: "👍" },
  { kind: "negative", label: "Bad answer", icon: "👎" },
];

/** A new action row (its buttons act through `attachMessageActions`). */
export function renderMessageActions() {
  return h("div.msg-actions", { role: "group", "aria-label": "Message actions" },
    h("button.msg-action", { type: "button", dataset: { action: "copy" }, "aria-label": "Copy message", title: "Copy" }, "Copy"),
    ...FEEDBACK.map(({ kind, label, icon }) =>
      h("button.msg-action", { type: "button", dataset: { action: "feedback", kind }, "aria-label": label, title: label, "aria-pressed": "false" }, icon)));
}

/**
 * Handles clicks on every action row inside `panel.log`.
 * @param {{log: HTMLElement, items: Map, threadId: string|null, announcer: HTMLElement, showError: Function}} panel
 */
export function attachMessageActions(panel) {
  panel.log.addEventListener("click", (event) => {
    const button = event.target.closest?.(".msg-actions button");
    const node = button?.closest("[data-item-id]");
    const entry = node && panel.items.get(node.dataset.itemId);
    if (!entry) return;
    if (button.dataset.action === "copy") copyMessage(itemText(entry.item), button, panel.announcer);
    else if (button.dataset.action === "feedback") sendFeedback(panel, entry.item.id, button);
  });
}

/** Sends `items.feedback` for one item; the chosen button shows pressed once the server stored it. */
async function sendFeedback(panel, itemId, button) {
  const threadId = panel.threadId;
  if (!threadId || button.disabled) return;
  const row = button.closest(".msg-actions");
  const kind = button.dataset.kind;
  row.querySelectorAll("[data-action=feedback]").forEach((b) => { b.disabled = true; });
  try {
    await request("items.feedback", { thread_id: threadId, item_ids: [itemId], kind });
    row.querySelectorAll("[data-action=feedback]").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    row.dataset.feedback = kind;
    panel.announcer.textContent = "Thanks for the feedback.";
  } catch (error) {
    panel.showError(`Could not send the feedback: ${error.message}`);
  } finally {
    row.querySelectorAll("[data-action=feedback]").forEach((b) => { b.disabled = false; });
  }
}

/** Copies `text` (the message's Markdown source) to the clipboard and says so on the button. */
export async function copyMessage(text, button, announcer) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    ok = legacyCopy(text);
  }
  button.textContent = ok ? "Copied" : "Copy failed";
  button.dataset.copied = ok ? "true" : "false";
  if (announcer) announcer.textContent = ok ? "Copied to the clipboard." : "Could not copy.";
  setTimeout(() => { button.textContent = "Copy"; delete button.dataset.copied; }, 2000);
}

/** The clipboard without the async API (plain-HTTP pages that are not a secure context). */
function legacyCopy(text) {
  const area = h("textarea.visually-hidden", { readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch { ok = false; }
  area.remove();
  return ok;
}
