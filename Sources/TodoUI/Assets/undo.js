// undo.js: undo through todod (POST /api/undo undoes the account's latest change, whoever made it):
// a toast "Deleted “X”. Undo" after each change, a persistent Undo button and Ctrl/Cmd+Z.

import { h, toast } from "./dom.js";
import { ApiError } from "./api.js";
import { message } from "./task-row.js";

const TOAST_MS = 8000;

/** The Undo button and the undo toasts. */
export class UndoControl {
  /**
   * @param {{request(): Promise<object>, apply(result): string, focusFallback(): void}} options -
   *   `request` sends POST /api/undo; `apply` updates the page and says what was undone.
   */
  constructor({ request, apply, focusFallback }) {
    this.request = request;
    this.apply = apply;
    this.focusFallback = focusFallback;
    this.button = h("button.undo-button", {
      type: "button", id: "undo", title: "Undo the last change (Ctrl+Z)", "aria-keyshortcuts": "Control+Z Meta+Z",
      onclick: () => this.run(),
    }, "Undo");
  }

  /** Shows a toast for a change that can be undone now, replacing the previous one. */
  offer(text) {
    this.button.disabled = false;
    this.toast?.close();
    this.toast = toast(text, { action: "Undo", timeout: TOAST_MS, onAction: () => this.run() });
  }

  /** Undoes the latest change and shows what happened. */
  async run() {
    if (this.busy) return;
    this.busy = true;
    this.toast?.close();
    let text;
    try {
      const result = await this.request();
      text = this.apply(result);
      this.button.disabled = result.remaining === 0;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        this.button.disabled = true;
        text = "Nothing to undo.";
      } else {
        text = `Could not undo: ${message(e)}`;
      }
    } finally {
      this.busy = false;
    }
    const active = document.activeElement;
    if (!active || active === document.body || active.disabled) this.focusFallback();
    this.toast = toast(text, { timeout: TOAST_MS });
  }

  /** Ctrl+Z / Cmd+Z outside text fields. */
  shortcut(event) {
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || event.key.toLowerCase() !== "z") return;
    const target = event.target;
    if (target?.closest?.("input, textarea, select, [contenteditable], .chat-panel")) return;
    event.preventDefault();
    this.run();
  }

  close() {
    this.toast?.close();
  }
}
