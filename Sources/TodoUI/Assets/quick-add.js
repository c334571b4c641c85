// quick-add.js: the add box. What is typed is quick-add text ("Pay rent every month on the 1st p1
// @bills #home"); while typing, POST /api/tasks/parse shows what todod understood; Enter saves it
// with POST /api/tasks {"text": …}.

import { h, clear } from "./dom.js";
import { api } from "./api.js";
import { message } from "./task-row.js";

const PREVIEW_DELAY_MS = 250;

/** The add form; `send(body)` posts the task, `onAdded(task)` runs after a save. */
export class QuickAdd {
  constructor({ send, onAdded }) {
    this.send = send;
    this.onAdded = onAdded;
    this.input = h("input", {
      id: "new-title", name: "text", type: "text", required: true, maxlength: "500", autocomplete: "off",
      placeholder: "e.g. Pay rent every month on the 1st p1 @bills #home", "aria-describedby": "new-help new-preview new-error",
      oninput: () => this.schedulePreview(),
    });
    this.descInput = h("textarea", { id: "new-description", name: "description", rows: "2", maxlength: "1000", placeholder: "Notes (optional)" });
    this.preview = h("div.preview", { id: "new-preview", "aria-live": "polite", "aria-atomic": "true", hidden: true });
    this.error = h("p.field-error", { id: "new-error", role: "alert" });
    this.form = h("form.add-task", { onsubmit: (e) => { e.preventDefault(); this.add(); } },
      h("label", { for: "new-title", text: "New task" }),
      h("p.hint", { id: "new-help", text: "Dates, repeats, p1–p4, @labels and #project are understood as you type." }),
      h("div.add-row", {}, this.input, h("button.primary", { type: "submit" }, "Add")),
      this.preview,
      h("details.add-more", {}, h("summary", { text: "Add notes" }), h("label.visually-hidden", { for: "new-description", text: "Notes" }), this.descInput),
      this.error);
  }

  focus() {
    this.input.focus();
  }

  schedulePreview() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.updatePreview(), PREVIEW_DELAY_MS);
  }

  /** Asks todod what the text means; nothing is saved. */
  async updatePreview() {
    this.previewRequest?.abort();
    const text = this.input.value.trim();
    if (!text) {
      this.showPreview(null);
      return;
    }
    const request = new AbortController();
    this.previewRequest = request;
    try {
      const parsed = await api("/api/tasks/parse", { method: "POST", body: { text }, signal: request.signal });
      if (this.previewRequest === request) this.showPreview(parsed);
    } catch (e) {
      if (e.name === "AbortError" || this.previewRequest !== request) return;
      if (e.status === 401) return;
      clear(this.preview).append(h("p.preview-error", { text: message(e) }));
      this.preview.hidden = false;
    }
  }

  /** Chips for what was understood (or nothing for null). */
  showPreview(parsed) {
    clear(this.preview);
    this.preview.hidden = !parsed;
    if (!parsed) return;
    const chip = (kind, label, value, extra = "") => h(`span.chip.${kind}`, { dataset: { kind }, class: extra }, h("span.chip-key", { text: `${label} ` }), value);
    const chips = [chip("title", "Title", parsed.title || "")];
    if (parsed.due) chips.push(chip("due", "Due", parsed.due_text || parsed.due));
    if (parsed.recurrence) chips.push(chip("recurrence", "Repeats", parsed.recurrence_text || parsed.recurrence));
    if (parsed.priority) chips.push(chip("priority", "Priority", `p${parsed.priority}`, `p${parsed.priority}`));
    for (const label of parsed.labels || []) chips.push(chip("label", "Label", `@${label}`));
    if (parsed.project) chips.push(chip("project", "Project", `#${parsed.project}`));
    this.preview.append(h("span.visually-hidden", { text: "Will add: " }), ...chips);
  }

  async add() {
    const text = this.input.value.trim();
    const description = this.descInput.value.trim();
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
    this.descInput.removeAttribute("aria-invalid");
    if (!text) {
      this.error.textContent = "Give the task a title.";
      this.input.setAttribute("aria-invalid", "true");
      this.input.focus();
      return;
    }
    clearTimeout(this.timer);
    this.previewRequest?.abort();
    try {
      const task = await this.send(description ? { text, description } : { text });
      this.input.value = "";
      this.descInput.value = "";
      this.showPreview(null);
      this.onAdded(task);
      this.input.focus();
    } catch (e) {
      this.error.textContent = message(e);
      const field = e.field === "description" ? this.descInput : this.input;
      field.setAttribute("aria-invalid", "true");
      if (e.field === "description") this.descInput.closest("details").open = true;
      field.focus();
    }
  }
}
