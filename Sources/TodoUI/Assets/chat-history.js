// chat-history.js: the thread list (threads.list, paginated) with open, rename and delete.

import { h, clear } from "./dom.js";
import { request } from "./chatkit.js";

const PAGE = 20;

/** The history drawer inside the chat panel. */
export class HistoryList {
  constructor({ currentId, onOpen, onDeleted, onRenamed }) {
    this.currentId = currentId;
    this.onOpen = onOpen;
    this.onDeleted = onDeleted;
    this.onRenamed = onRenamed;
    this.list = h("ul.thread-list", { "aria-label": "Conversations" });
    this.status = h("p.history-status", { role: "status" });
    this.more = h("button.load-more", { type: "button", hidden: true, onclick: () => this.load(true) }, "Load more");
    this.element = h("div.chat-history", { id: "chat-history", hidden: true },
      h("h3.history-title", { text: "Conversations" }), this.status, this.list, this.more);
    this.after = null;
  }

  /** Loads the first page (or, with `more`, the next one). */
  async load(more = false) {
    if (!more) { this.after = null; clear(this.list); }
    this.status.textContent = "Loading…";
    this.more.hidden = true;
    try {
      const params = { limit: PAGE, order: "desc" };
      if (more && this.after) params.after = this.after;
      const page = await request("threads.list", params);
      for (const thread of page.data || []) this.list.append(this.row(thread));
      this.after = page.has_more ? (page.after || page.data[page.data.length - 1]?.id) : null;
      this.more.hidden = !this.after;
      this.status.textContent = this.list.children.length ? "" : "No conversations yet.";
    } catch (error) {
      this.status.textContent = `Could not load conversations: ${error.message}`;
    }
  }

  row(thread) {
    const title = thread.title || "Untitled chat";
    const when = formatDate(thread.created_at);
    const current = thread.id === this.currentId();
    const open = h("button.thread-open", { type: "button", "aria-current": current ? "true" : undefined, onclick: () => this.onOpen(thread.id) },
      h("span.thread-title", { text: title }), h("span.thread-date", { text: when }));
    const rename = h("button.icon-button", { type: "button", "aria-label": `Rename “${title}”`, onclick: () => this.rename(li, thread) }, "Rename");
    const remove = h("button.icon-button.danger", { type: "button", "aria-label": `Delete “${title}”`, onclick: () => this.confirmDelete(li, thread) }, "Delete");
    const li = h("li.thread-row", { dataset: { threadId: thread.id } }, open, h("span.row-actions", {}, rename, remove));
    return li;
  }

  rename(li, thread) {
    const input = h("input", { type: "text", value: thread.title || "", "aria-label": "New title", maxlength: "200" });
    const error = h("span.field-error", { role: "alert" });
    const cancel = () => li.replaceWith(this.row(thread));
    const save = async () => {
      const title = input.value.trim();
      if (!title) { error.textContent = "A title cannot be empty."; return; }
      try {
        const updated = await request("threads.update", { thread_id: thread.id, title });
        const row = this.row({ ...thread, ...updated, title });
        li.replaceWith(row);
        row.querySelector(".thread-open").focus();
        this.onRenamed(thread.id, title);
      } catch (e) {
        error.textContent = e.message;
      }
    };
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); save(); }
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); cancel(); }
    });
    const form = h("form.rename-form", { onsubmit: (e) => { e.preventDefault(); save(); } },
      input, h("button.primary", { type: "submit" }, "Save"), h("button", { type: "button", onclick: cancel }, "Cancel"), error);
    clear(li).append(form);
    input.focus();
    input.select();
  }

  confirmDelete(li, thread) {
    const title = thread.title || "Untitled chat";
    const error = h("span.field-error", { role: "alert" });
    const no = h("button", { type: "button", onclick: () => { const row = this.row(thread); li.replaceWith(row); row.querySelector(".thread-open").focus(); } }, "Keep");
    const yes = h("button.danger", { type: "button", onclick: async () => {
      try {
        await request("threads.delete", { thread_id: thread.id });
        li.remove();
        this.onDeleted(thread.id);
        if (!this.list.children.length) this.status.textContent = "No conversations yet.";
      } catch (e) {
        error.textContent = e.message;
      }
    } }, "Delete");
    clear(li).append(h("span.confirm-text", { text: `Delete “${title}”?` }), yes, no, error);
    no.focus();
  }
}

function formatDate(value) {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
