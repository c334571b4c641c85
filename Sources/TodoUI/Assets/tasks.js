// tasks.js: the task list — filters, add, edit in place, complete/reopen, delete with undo,
// and live updates from GET /api/events.

import { h, clear, toast } from "./dom.js";
import { api, ApiError, tasksFrom, errorFrom } from "./api.js";
import { readSSE } from "./sse.js";

const FILTERS = [["all", "All"], ["pending", "Pending"], ["completed", "Completed"]];
const UNDO_MS = 6000;

/** The tasks page. */
export class TasksPage {
  constructor() {
    this.tasks = [];
    this.filter = sessionStorage.getItem("todod.filter") || "all";
    this.pendingDeletes = new Map(); // id → timer
  }

  // MARK: Mounting

  /** Renders into `parent` with the first list already fetched. */
  mount(parent, tasks) {
    this.tasks = tasks;
    this.titleInput = h("input", { id: "new-title", name: "title", type: "text", required: true, maxlength: "200", autocomplete: "off", placeholder: "What needs doing?", "aria-describedby": "new-error" });
    this.descInput = h("textarea", { id: "new-description", name: "description", rows: "2", maxlength: "1000", placeholder: "Notes (optional)" });
    this.addError = h("p.field-error", { id: "new-error", role: "alert" });
    const form = h("form.add-task", { onsubmit: (e) => { e.preventDefault(); this.add(); } },
      h("label", { for: "new-title", text: "New task" }),
      h("div.add-row", {}, this.titleInput, h("button.primary", { type: "submit" }, "Add")),
      h("details.add-more", {}, h("summary", { text: "Add notes" }), h("label.visually-hidden", { for: "new-description", text: "Notes" }), this.descInput),
      this.addError);
    this.filterButtons = FILTERS.map(([key, label]) =>
      h("button.filter", { type: "button", dataset: { filter: key }, "aria-pressed": String(this.filter === key), onclick: () => this.setFilter(key) }, label, h("span.count")));
    this.listError = h("p.list-error", { role: "alert", hidden: true });
    this.list = h("ul.task-list", { id: "task-list", "aria-label": "Tasks" });
    this.empty = h("div.empty-state", { hidden: true });
    this.section = h("section.tasks", { "aria-labelledby": "tasks-heading" },
      h("h2", { id: "tasks-heading", text: "Tasks" }), form,
      h("div.filters", { role: "group", "aria-label": "Show" }, ...this.filterButtons),
      this.listError, this.list, this.empty);
    clear(parent).append(this.section);
    this.render();
    this.listen();
    window.addEventListener("pagehide", () => this.flushDeletes());
    return this;
  }

  setFilter(key) {
    this.filter = key;
    sessionStorage.setItem("todod.filter", key);
    this.render();
  }

  visible() {
    return this.tasks.filter((t) => !this.pendingDeletes.has(t.id) &&
      (this.filter === "all" || (this.filter === "completed") === Boolean(t.completed)));
  }

  // MARK: Rendering

  render() {
    const live = this.tasks.filter((t) => !this.pendingDeletes.has(t.id));
    const counts = { all: live.length, pending: live.filter((t) => !t.completed).length, completed: live.filter((t) => t.completed).length };
    for (const button of this.filterButtons) {
      const key = button.dataset.filter;
      button.setAttribute("aria-pressed", String(key === this.filter));
      button.querySelector(".count").textContent = ` ${counts[key]}`;
    }
    const shown = this.visible();
    const existing = new Map([...this.list.children].map((li) => [li.dataset.id, li]));
    const rows = shown.map((task) => {
      const old = existing.get(task.id);
      if (old && (old.classList.contains("editing") || old.classList.contains("saving"))) return old; // keep work in progress
      if (old && old.dataset.version === version(task)) return old;
      return this.row(task);
    });
    // Replace children only where needed so focus stays where it was.
    rows.forEach((row, index) => {
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] || null);
    });
    while (this.list.children.length > rows.length) this.list.lastElementChild.remove();
    this.empty.hidden = shown.length > 0;
    if (!shown.length) this.renderEmpty(counts);
  }

  renderEmpty(counts) {
    const text = counts.all === 0
      ? ["Nothing to do yet.", "Add a task above, or ask the assistant — “Add a task called Meeting prep”."]
      : this.filter === "pending" ? ["All done!", "Every task is completed."] : ["No completed tasks yet.", "Tick a task when it is done."];
    clear(this.empty).append(h("p.empty-title", { text: text[0] }), h("p", { text: text[1] }));
  }

  row(task) {
    const check = h("input", { type: "checkbox", id: `done-${task.id}`, checked: Boolean(task.completed), "aria-label": `${task.completed ? "Reopen" : "Complete"} “${task.title}”`, onchange: (e) => this.setCompleted(task, e.target.checked, li) });
    const body = h("div.task-body", {},
      h("span.task-title", { text: task.title }),
      task.description ? h("p.task-desc", { text: task.description }) : null);
    const edit = h("button.icon-button", { type: "button", "aria-label": `Edit “${task.title}”`, onclick: () => this.edit(task, li) }, "Edit");
    const del = h("button.icon-button.danger", { type: "button", "aria-label": `Delete “${task.title}”`, onclick: () => this.remove(task, li) }, "Delete");
    const error = h("p.row-error", { role: "alert" });
    const li = h("li.task", { dataset: { id: task.id, version: version(task) }, class: task.completed ? "done" : "" }, check, body, h("span.row-actions", {}, edit, del), error);
    return li;
  }

  // MARK: Changes

  upsert(task) {
    const index = this.tasks.findIndex((t) => t.id === task.id);
    if (index === -1) this.tasks.push(task);
    else this.tasks[index] = task;
    this.render();
  }

  async add() {
    const title = this.titleInput.value.trim();
    const description = this.descInput.value.trim();
    this.addError.textContent = "";
    this.titleInput.removeAttribute("aria-invalid");
    if (!title) {
      this.addError.textContent = "Give the task a title.";
      this.titleInput.setAttribute("aria-invalid", "true");
      this.titleInput.focus();
      return;
    }
    try {
      const task = await api("/api/tasks", { method: "POST", body: description ? { title, description } : { title } });
      this.titleInput.value = "";
      this.descInput.value = "";
      if (this.filter === "completed") this.setFilter("all");
      this.upsert(task);
      this.titleInput.focus();
    } catch (error) {
      this.addError.textContent = message(error);
      const field = error.field === "description" ? this.descInput : this.titleInput;
      field.setAttribute("aria-invalid", "true");
      if (error.field === "description") this.descInput.closest("details").open = true;
      field.focus();
    }
  }

  async setCompleted(task, completed, li) {
    const error = li.querySelector(".row-error");
    error.textContent = "";
    li.classList.add("saving");
    try {
      const updated = completed
        ? await api(`/api/tasks/${encodeURIComponent(task.id)}/complete`, { method: "POST" })
        : await api(`/api/tasks/${encodeURIComponent(task.id)}`, { method: "PATCH", body: { completed: false } });
      li.classList.remove("saving");
      this.upsert(updated || { ...task, completed });
      document.getElementById(`done-${task.id}`)?.focus();
    } catch (e) {
      li.classList.remove("saving");
      li.querySelector("input[type=checkbox]").checked = !completed;
      error.textContent = message(e);
    }
  }

  edit(task, li) {
    const title = h("input", { type: "text", value: task.title, maxlength: "200", "aria-label": "Title", required: true });
    const desc = h("textarea", { rows: "2", maxlength: "1000", "aria-label": "Notes" });
    desc.value = task.description || "";
    const error = h("p.row-error", { role: "alert" });
    const done = (focusId) => {
      li.classList.remove("editing");
      const current = this.tasks.find((t) => t.id === task.id) || task;
      const row = this.row(current);
      li.replaceWith(row);
      row.querySelector(focusId || ".icon-button")?.focus();
    };
    const save = async () => {
      error.textContent = "";
      const patch = {};
      if (title.value.trim() !== task.title) patch.title = title.value;
      if (desc.value.trim() !== (task.description || "")) patch.description = desc.value.trim();
      if (!Object.keys(patch).length) return done();
      if (patch.title !== undefined && !patch.title.trim()) {
        error.textContent = "A title cannot be empty.";
        title.setAttribute("aria-invalid", "true");
        title.focus();
        return;
      }
      try {
        const updated = await api(`/api/tasks/${encodeURIComponent(task.id)}`, { method: "PATCH", body: patch });
        const index = this.tasks.findIndex((t) => t.id === task.id);
        if (index !== -1 && updated) this.tasks[index] = updated;
        done();
        this.render();
      } catch (e) {
        error.textContent = message(e);
        const field = e.field === "description" ? desc : title;
        field.setAttribute("aria-invalid", "true");
        field.focus();
      }
    };
    const keys = (event) => {
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); done(); }
      if (event.key === "Enter" && event.target === title) { event.preventDefault(); save(); }
    };
    const form = h("form.edit-form", { onsubmit: (e) => { e.preventDefault(); save(); }, onkeydown: keys },
      title, desc, h("div.edit-actions", {}, h("button.primary", { type: "submit" }, "Save"), h("button", { type: "button", onclick: () => done() }, "Cancel")), error);
    li.classList.add("editing");
    clear(li).append(form);
    title.focus();
    title.select();
  }

  /** Hides the task at once and deletes it after the undo window. */
  remove(task, li) {
    const next = li.nextElementSibling || li.previousElementSibling;
    const timer = setTimeout(() => this.commitDelete(task), UNDO_MS);
    this.pendingDeletes.set(task.id, timer);
    this.render();
    (next?.querySelector("input, button") || this.titleInput).focus();
    this.undoToast = toast(`Deleted “${task.title}”.`, {
      action: "Undo", timeout: UNDO_MS,
      onAction: () => {
        clearTimeout(this.pendingDeletes.get(task.id));
        this.pendingDeletes.delete(task.id);
        this.render();
        document.getElementById(`done-${task.id}`)?.focus();
      },
    });
  }

  async commitDelete(task) {
    if (!this.pendingDeletes.has(task.id)) return;
    this.pendingDeletes.delete(task.id);
    try {
      await api(`/api/tasks/${encodeURIComponent(task.id)}`, { method: "DELETE" });
      this.tasks = this.tasks.filter((t) => t.id !== task.id);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) {
        this.listError.hidden = false;
        this.listError.textContent = `Could not delete “${task.title}”: ${message(e)}`;
      } else {
        this.tasks = this.tasks.filter((t) => t.id !== task.id);
      }
    }
    this.render();
  }

  /** Sends pending deletes when the page goes away (keepalive survives the unload). */
  flushDeletes() {
    for (const [id, timer] of this.pendingDeletes) {
      clearTimeout(timer);
      fetch(`/api/tasks/${encodeURIComponent(id)}`, { method: "DELETE", credentials: "same-origin", keepalive: true, headers: { "Content-Type": "application/json" } }).catch(() => {});
    }
    this.pendingDeletes.clear();
  }

  // MARK: Live updates

  /** Re-reads the whole list (after a reconnect, or an event we do not understand). */
  async refresh() {
    try {
      this.tasks = tasksFrom(await api("/api/tasks?status=all"));
      this.listError.hidden = true;
      this.render();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      this.listError.hidden = false;
      this.listError.textContent = `Could not refresh the list: ${message(e)}`;
    }
  }

  /** Follows GET /api/events (SSE) and reconnects with backoff; each change updates the list. */
  async listen() {
    let delay = 500;
    for (;;) {
      this.events = new AbortController();
      try {
        const response = await fetch("/api/events", { credentials: "same-origin", headers: { Accept: "text/event-stream" }, signal: this.events.signal });
        if (response.status === 401) { await errorFrom(response); return; }
        if (response.ok) {
          if (delay > 500) this.refresh(); // we may have missed changes while away
          delay = 500;
          for await (const message of readSSE(response)) this.applyEvent(message);
        }
      } catch (e) {
        if (e.name === "AbortError") return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  }

  applyEvent(message) {
    let change;
    try { change = JSON.parse(message.data); } catch { return; }
    const task = change?.task;
    const kind = change?.kind || change?.type || message.event;
    if (!task?.id) { this.scheduleRefresh(); return; }
    if (/delete|removed/.test(kind)) {
      this.tasks = this.tasks.filter((t) => t.id !== task.id);
      this.render();
    } else {
      this.upsert(task);
    }
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 100);
  }

  stop() {
    this.events?.abort();
    this.flushDeletes();
  }
}

function version(task) {
  return `${task.updated_at || ""}|${task.title}|${task.description || ""}|${task.completed}`;
}

function message(error) {
  if (error instanceof ApiError && error.status === 422 && error.field) return `${capitalize(error.field)}: ${error.message}`;
  return error.message || "Something went wrong.";
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
