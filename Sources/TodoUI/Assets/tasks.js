// tasks.js: the tasks page — quick add, Today / Upcoming / All views with counts, project and label
// filters, edit in place, complete/reopen, delete, undo (POST /api/undo), live updates from /api/events.

import { h, clear, fillOptions } from "./dom.js";
import { api, ApiError, tasksFrom } from "./api.js";
import { inView, byDue } from "./due.js";
import { taskRow, rowVersion, editForm, message } from "./task-row.js";
import { QuickAdd } from "./quick-add.js";
import { UndoControl } from "./undo.js";
import { LiveUpdates } from "./live.js";

const VIEWS = [["today", "Today"], ["upcoming", "Upcoming"], ["all", "All"]];
const STATUS = [["all", "All tasks"], ["pending", "Open"], ["completed", "Completed"]];
const NOUN = { created: "added", updated: "changed", deleted: "deleted" };

/** The tasks page. */
export class TasksPage {
  constructor() {
    this.tasks = [];
    this.view = sessionStorage.getItem("todod.view") || "all";
    this.status = sessionStorage.getItem("todod.status") || "all";
    this.project = "";
    this.label = "";
  }

  // MARK: Mounting

  /** Renders into `parent` with the first list already fetched. */
  mount(parent, tasks) {
    this.tasks = tasks;
    this.quickAdd = new QuickAdd({
      send: (body) => this.own(null, () => api("/api/tasks", { method: "POST", body })),
      onAdded: (task) => this.added(task),
    });
    this.undo = new UndoControl({
      request: () => this.own(null, () => api("/api/undo", { method: "POST" })),
      apply: (result) => this.undone(result),
      focusFallback: () => (this.undo.button.disabled ? this.quickAdd.focus() : this.undo.button.focus()),
    });
    this.tabs = VIEWS.map(([key, label]) => h("button.view-tab", {
      type: "button", role: "tab", id: `view-${key}`, dataset: { view: key }, "aria-controls": "task-list",
      onclick: () => this.setView(key), onkeydown: (e) => this.tabKeys(e, key),
    }, label, h("span.count")));
    this.projectSelect = h("select", { id: "filter-project", onchange: () => { this.project = this.projectSelect.value; this.render(); } });
    this.labelSelect = h("select", { id: "filter-label", onchange: () => { this.label = this.labelSelect.value; this.render(); } });
    this.statusSelect = h("select", { id: "filter-status", onchange: () => this.setStatus(this.statusSelect.value) },
      ...STATUS.map(([value, text]) => h("option", { value, text })));
    this.statusField = h("span.filter-field", {}, h("label", { for: "filter-status", text: "Show" }), this.statusSelect);
    this.listError = h("p.list-error", { role: "alert", hidden: true });
    this.list = h("ul.task-list", { id: "task-list", role: "tabpanel" });
    this.empty = h("div.empty-state", { hidden: true });
    this.section = h("section.tasks", { "aria-labelledby": "tasks-heading" },
      h("h2", { id: "tasks-heading", text: "Tasks" }), this.quickAdd.form,
      h("div.views", { role: "tablist", "aria-label": "Views" }, ...this.tabs),
      h("div.toolbar", {},
        h("span.filter-field", {}, h("label", { for: "filter-project", text: "Project" }), this.projectSelect),
        h("span.filter-field", {}, h("label", { for: "filter-label", text: "Label" }), this.labelSelect),
        this.statusField, this.undo.button),
      this.listError, this.list, this.empty);
    clear(parent).append(this.section);
    this.render();
    this.live = new LiveUpdates({ onChange: (change) => this.changed(change), onReconnect: () => this.refresh() });
    this.live.start();
    this.clock = setInterval(() => this.render(), 60_000); // relative labels and Today move with time
    document.addEventListener("keydown", this.shortcut = (e) => this.undo.shortcut(e));
    return this;
  }

  setView(key) {
    this.view = key;
    sessionStorage.setItem("todod.view", key);
    this.render();
  }

  setStatus(key) {
    this.status = key;
    sessionStorage.setItem("todod.status", key);
    this.render();
  }

  /** Arrow keys, Home and End move between the view tabs (roving tab stop). */
  tabKeys(event, key) {
    const keys = VIEWS.map(([k]) => k);
    const at = keys.indexOf(key);
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.setView(keys[(next + keys.length) % keys.length]);
    this.tabs[keys.indexOf(this.view)].focus();
  }

  /** Tasks passing the project, label and (in All) status filters, for a view. */
  shown(view) {
    const matching = this.tasks.filter((t) => inView(t, view) &&
      (!this.project || (t.project || "").toLowerCase() === this.project) &&
      (!this.label || (t.labels || []).includes(this.label)) &&
      (view !== "all" || this.status === "all" || (this.status === "completed") === Boolean(t.completed)));
    return view === "all" ? matching : byDue(matching);
  }

  // MARK: Rendering

  render() {
    for (const tab of this.tabs) {
      const key = tab.dataset.view;
      const selected = key === this.view;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.querySelector(".count").textContent = ` ${this.shown(key).length}`;
    }
    this.list.setAttribute("aria-labelledby", `view-${this.view}`);
    this.statusField.hidden = this.view !== "all";
    this.statusSelect.value = this.status;
    fillOptions(this.projectSelect, "All projects", this.tasks.map((t) => t.project).filter(Boolean).map((p) => p.toLowerCase()), this.project, "#");
    fillOptions(this.labelSelect, "All labels", this.tasks.flatMap((t) => t.labels || []), this.label, "@");
    const shown = this.shown(this.view);
    const existing = new Map([...this.list.children].map((li) => [li.dataset.id, li]));
    const rows = shown.map((task) => {
      const old = existing.get(task.id);
      if (old && (old.classList.contains("editing") || old.classList.contains("saving"))) return old; // keep work in progress
      if (old && old.dataset.version === rowVersion(task)) return old;
      return this.row(task);
    });
    // Replace children only where needed so focus stays where it was.
    rows.forEach((row, index) => {
      if (this.list.children[index] !== row) this.list.insertBefore(row, this.list.children[index] || null);
    });
    while (this.list.children.length > rows.length) this.list.lastElementChild.remove();
    this.empty.hidden = shown.length > 0;
    if (!shown.length) this.renderEmpty();
  }

  renderEmpty() {
    const filtered = this.project || this.label;
    const text = !this.tasks.length ? ["Nothing to do yet.", "Add a task above, or ask the assistant — “Add a task called Meeting prep”."]
      : filtered ? ["Nothing here.", "No task matches the project or label filter."]
      : this.view === "today" ? ["Nothing due today.", "Tasks due today or overdue show up here."]
      : this.view === "upcoming" ? ["Nothing upcoming.", "Tasks due after today show up here."]
      : this.status === "pending" ? ["All done!", "Every task is completed."] : ["No completed tasks yet.", "Tick a task when it is done."];
    clear(this.empty).append(h("p.empty-title", { text: text[0] }), h("p", { text: text[1] }));
  }

  row(task) {
    return taskRow(task, {
      onToggle: (t, checked, li) => this.setCompleted(t, checked, li),
      onEdit: (t, li) => this.edit(t, li),
      onDelete: (t, li) => this.remove(t, li),
      onLabel: (label) => { this.label = label; this.render(); this.labelSelect.focus(); },
      onProject: (project) => { this.project = project.toLowerCase(); this.render(); this.projectSelect.focus(); },
    });
  }

  // MARK: Changes

  upsert(task) {
    const index = this.tasks.findIndex((t) => t.id === task.id);
    if (index === -1) this.tasks.push(task);
    else this.tasks[index] = task;
    this.render();
  }

  drop(id) {
    this.tasks = this.tasks.filter((t) => t.id !== id);
    this.render();
  }

  /** Runs one of our own changes: live events for it are not announced a second time. */
  async own(id, request) {
    this.live.begin(id);
    try {
      const result = await request();
      const task = result?.task || result;
      if (task?.id) this.live.mark(task.id);
      return result;
    } finally {
      this.live.end();
    }
  }

  added(task) {
    this.upsert(task);
    const where = inView(task, this.view) ? "" : ` It is in ${VIEWS.find(([k]) => inView(task, k) && k !== "all")?.[1] || "All"}.`;
    this.undo.offer(`Added “${task.title}”.${where}`);
  }

  async setCompleted(task, completed, li) {
    const error = li.querySelector(".row-error");
    error.textContent = "";
    li.classList.add("saving");
    try {
      const path = `/api/tasks/${encodeURIComponent(task.id)}`;
      const updated = await this.own(task.id, () => api(completed ? `${path}/complete` : path, completed ? { method: "POST" } : { method: "PATCH", body: { completed: false } }));
      li.classList.remove("saving");
      this.upsert(updated || { ...task, completed });
      document.getElementById(`done-${task.id}`)?.focus();
      const repeated = completed && updated && !updated.completed;
      this.undo.offer(repeated ? `Completed “${task.title}”; next one is due.` : `${completed ? "Completed" : "Reopened"} “${task.title}”.`);
    } catch (e) {
      li.classList.remove("saving");
      li.querySelector("input[type=checkbox]").checked = !completed;
      error.textContent = message(e);
    }
  }

  edit(task, li) {
    const close = (current) => {
      li.classList.remove("editing");
      const row = this.row(current || this.tasks.find((t) => t.id === task.id) || task);
      li.replaceWith(row);
      this.render();
      // The row may have left the view (a new due date): then the view's tab keeps the focus.
      (row.isConnected ? row.querySelector(".icon-button") : this.tabs.find((t) => t.dataset.view === this.view))?.focus();
    };
    const projects = [...new Set(this.tasks.map((t) => t.project).filter(Boolean))].sort();
    editForm(task, li, {
      projects,
      close: () => close(),
      save: async (patch) => {
        const updated = await this.own(task.id, () => api(`/api/tasks/${encodeURIComponent(task.id)}`, { method: "PATCH", body: patch }));
        const index = this.tasks.findIndex((t) => t.id === task.id);
        if (index !== -1 && updated) this.tasks[index] = updated;
        close(updated);
        this.undo.offer(`Saved “${updated?.title || task.title}”.`);
      },
    });
  }

  async remove(task, li) {
    const next = li.nextElementSibling || li.previousElementSibling;
    const error = li.querySelector(".row-error");
    li.classList.add("saving");
    try {
      await this.own(task.id, () => api(`/api/tasks/${encodeURIComponent(task.id)}`, { method: "DELETE" }));
    } catch (e) {
      li.classList.remove("saving");
      if (!(e instanceof ApiError && e.status === 404)) {
        error.textContent = `Could not delete: ${message(e)}`;
        return;
      }
    }
    const focusTarget = next?.querySelector("input, button");
    this.drop(task.id);
    (focusTarget?.isConnected ? focusTarget : this.undo.button).focus();
    this.undo.offer(`Deleted “${task.title}”.`);
  }

  /** Applies what POST /api/undo answered: {undone, task, remaining}. */
  undone({ undone, task }) {
    if (undone === "created") {
      this.drop(task.id);
      return `Removed “${task.title}” again.`;
    }
    this.upsert(task);
    document.getElementById(`done-${task.id}`)?.focus();
    return undone === "deleted" ? `Restored “${task.title}”.` : `Undid the change to “${task.title}”.`;
  }

  /** A change from /api/events: ours (already shown) or someone else's, the assistant's say. */
  changed({ kind, task, external, applied }) {
    if (!task?.id) { this.scheduleRefresh(); return; }
    if (!applied) { // (applied: shown already, now known to be someone else's)
      if (/delete|removed/.test(kind)) this.drop(task.id);
      else this.upsert(task);
    }
    if (external) this.undo.offer(`“${task.title}” was ${NOUN[kind] || "changed"}.`);
  }

  // MARK: Refresh

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

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 100);
  }

  stop() {
    this.live?.stop();
    clearInterval(this.clock);
    document.removeEventListener("keydown", this.shortcut);
    this.undo?.close();
  }
}
