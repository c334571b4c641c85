// task-row.js: one task row (title, notes, due label, chips, actions) and its edit form.

import { h, clear } from "./dom.js";
import { relativeDue, absoluteDue, isOverdue, recurrenceSummary, dueInputs, dueFromInputs } from "./due.js";

/**
 * A row for a task.
 * @param {object} task - the task JSON
 * @param {{onToggle(task, checked, li), onEdit(task, li), onDelete(task, li), onLabel?(label), onProject?(project)}} actions
 */
export function taskRow(task, actions) {
  const overdue = isOverdue(task);
  const check = h("input", { type: "checkbox", id: `done-${task.id}`, checked: Boolean(task.completed), "aria-label": `${task.completed ? "Reopen" : "Complete"} “${task.title}”`, onchange: (e) => actions.onToggle(task, e.target.checked, li) });
  const body = h("div.task-body", {},
    h("span.task-title", { text: task.title }),
    task.description ? h("p.task-desc", { text: task.description }) : null,
    meta(task, overdue, actions));
  const edit = h("button.icon-button", { type: "button", "aria-label": `Edit “${task.title}”`, onclick: () => actions.onEdit(task, li) }, "Edit");
  const del = h("button.icon-button.danger", { type: "button", "aria-label": `Delete “${task.title}”`, onclick: () => actions.onDelete(task, li) }, "Delete");
  const li = h("li.task", { dataset: { id: task.id, version: rowVersion(task) }, class: [task.completed ? "done" : "", overdue ? "overdue" : ""].filter(Boolean).join(" ") },
    check, body, h("span.row-actions", {}, edit, del), h("p.row-error", { role: "alert" }));
  return li;
}

/** What a row shows; a row is rebuilt when this changes (including the due label as days pass). */
export function rowVersion(task) {
  return `${JSON.stringify(task)}|${relativeDue(task)}`;
}

function meta(task, overdue, actions) {
  const items = [];
  if (task.due) {
    items.push(h("time.chip.due", { datetime: task.due, title: absoluteDue(task), class: overdue ? "overdue" : "" },
      h("span.visually-hidden", { text: "Due " }), relativeDue(task)));
  }
  if (task.recurrence) {
    const summary = recurrenceSummary(task.recurrence);
    items.push(h("span.chip.recurrence", { title: `Repeats ${summary}` }, h("span", { "aria-hidden": "true", text: "↻ " }), h("span.visually-hidden", { text: "Repeats " }), summary));
  }
  if (task.priority) items.push(h(`span.chip.priority.p${task.priority}`, { title: `Priority ${task.priority}` }, h("span.visually-hidden", { text: "Priority " }), `p${task.priority}`));
  for (const label of task.labels || []) {
    items.push(h("button.chip.label", { type: "button", title: `Show tasks labelled @${label}`, onclick: () => actions.onLabel?.(label) }, `@${label}`));
  }
  if (task.project) items.push(h("button.chip.project", { type: "button", title: `Show project #${task.project}`, onclick: () => actions.onProject?.(task.project) }, `#${task.project}`));
  return items.length ? h("div.task-meta", {}, ...items) : null;
}

// MARK: - Edit form

const PRIORITIES = [["", "None"], ["1", "p1 (highest)"], ["2", "p2"], ["3", "p3"], ["4", "p4"]];

/**
 * Replaces the row's content with a form for every field. `save(patch)` sends the change (throws an
 * ApiError naming the field on 422); `close()` puts the row back.
 */
export function editForm(task, li, { save, close, projects = [] }) {
  const id = task.id;
  const field = (name, label, input, hint) => {
    if (hint) input.setAttribute("aria-describedby", `${input.id}-hint`);
    return h("div.field", { class: `field-${name}` },
      h("label", { for: input.id, text: label }), input, hint ? h("span.hint", { id: `${input.id}-hint`, text: hint }) : null);
  };
  const inputs = {
    title: h("input", { type: "text", id: `edit-title-${id}`, value: task.title, maxlength: "200", required: true }),
    description: h("textarea", { id: `edit-notes-${id}`, rows: "2", maxlength: "1000" }),
    date: h("input", { type: "date", id: `edit-date-${id}` }),
    time: h("input", { type: "time", id: `edit-time-${id}` }),
    priority: h("select", { id: `edit-priority-${id}` }, ...PRIORITIES.map(([value, text]) => h("option", { value, text }))),
    labels: h("input", { type: "text", id: `edit-labels-${id}`, autocomplete: "off" }),
    project: h("input", { type: "text", id: `edit-project-${id}`, autocomplete: "off", list: `edit-projects-${id}` }),
    recurrence: h("input", { type: "text", id: `edit-repeat-${id}`, autocomplete: "off" }),
  };
  const start = dueInputs(task.due);
  inputs.description.value = task.description || "";
  inputs.date.value = start.date;
  inputs.time.value = start.time;
  inputs.priority.value = task.priority ? String(task.priority) : "";
  inputs.labels.value = (task.labels || []).join(", ");
  inputs.project.value = task.project || "";
  inputs.recurrence.value = task.recurrence || "";
  const error = h("p.row-error", { role: "alert" });
  const clearDue = h("button.icon-button", { type: "button", onclick: () => { inputs.date.value = ""; inputs.time.value = ""; inputs.date.focus(); } }, "No date");

  const patch = () => {
    const out = {};
    const title = inputs.title.value.trim();
    if (title !== task.title) out.title = title;
    const description = inputs.description.value.trim();
    if (description !== (task.description || "")) out.description = description || null;
    if (inputs.date.value !== start.date || inputs.time.value !== start.time) {
      if (inputs.time.value && !inputs.date.value) throw Object.assign(new Error("Pick a date for the time."), { field: "due" });
      out.due = dueFromInputs(inputs.date.value, inputs.time.value);
    }
    const priority = inputs.priority.value ? Number(inputs.priority.value) : null;
    if (priority !== (task.priority ?? null)) out.priority = priority;
    const labels = [...new Set(inputs.labels.value.split(",").map((l) => l.trim().replace(/^@/, "").toLowerCase()).filter(Boolean))];
    if (labels.join(",") !== (task.labels || []).join(",")) out.labels = labels;
    const project = inputs.project.value.trim().replace(/^#/, "");
    if (project !== (task.project || "")) out.project = project || null;
    const recurrence = inputs.recurrence.value.trim();
    if (recurrence !== (task.recurrence || "")) out.recurrence = recurrence || null;
    return out;
  };
  const fieldInput = (name) => ({ title: inputs.title, description: inputs.description, due: inputs.date, priority: inputs.priority, labels: inputs.labels, project: inputs.project, recurrence: inputs.recurrence }[name] || inputs.title);
  const fail = (name, text) => {
    error.textContent = text;
    const input = fieldInput(name);
    input.setAttribute("aria-invalid", "true");
    input.focus();
  };
  const submit = async () => {
    error.textContent = "";
    form.querySelectorAll("[aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    let change;
    try {
      change = patch();
    } catch (e) {
      return fail(e.field, e.message);
    }
    if (change.title === "") return fail("title", "A title cannot be empty.");
    if (!Object.keys(change).length) return close();
    try {
      await save(change);
    } catch (e) {
      fail(e.field, message(e));
    }
  };
  const keys = (event) => {
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); close(); }
    if (event.key === "Enter" && event.target.tagName === "INPUT") { event.preventDefault(); submit(); }
  };
  const form = h("form.edit-form", { "aria-label": `Edit “${task.title}”`, onsubmit: (e) => { e.preventDefault(); submit(); }, onkeydown: keys },
    field("title", "Title", inputs.title),
    field("notes", "Notes", inputs.description),
    h("div.field-row", {},
      field("date", "Due date", inputs.date),
      field("time", "Time (optional)", inputs.time),
      h("div.field.field-clear", {}, clearDue)),
    h("div.field-row", {},
      field("priority", "Priority", inputs.priority),
      field("project", "Project", inputs.project),
      h("datalist", { id: `edit-projects-${id}` }, ...projects.map((p) => h("option", { value: p })))),
    field("labels", "Labels", inputs.labels, "comma-separated, e.g. bills, home"),
    field("repeat", "Repeats", inputs.recurrence, "words (every Monday) or an RRULE; empty: does not repeat"),
    h("div.edit-actions", {}, h("button.primary", { type: "submit" }, "Save"), h("button", { type: "button", onclick: () => close() }, "Cancel")),
    error);
  li.classList.add("editing");
  clear(li).append(form);
  inputs.title.focus();
  inputs.title.select();
  return form;
}

/** A user-facing message for an error; a 422 names its field. */
export function message(error) {
  if (error && error.status === 422 && error.field) return `${capitalize(error.field)}: ${error.message}`;
  return error?.message || "Something went wrong.";
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
