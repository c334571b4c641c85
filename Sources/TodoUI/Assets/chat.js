// chat.js: the built-in chat panel — a ChatKit-protocol client over POST /api/chatkit.

import { h } from "./dom.js";
import { ApiError } from "./api.js";
import { request, stream, userInput, applyUpdate, itemText } from "./chatkit.js";
import { renderItem, updateItemNode, renderError, renderNotice } from "./chat-render.js";
import { HistoryList } from "./chat-history.js";
import { createShell } from "./chat-shell.js";
import { attachMessageActions } from "./chat-actions.js";
import { renderStartScreen } from "./chat-prompts.js";

export const THREAD_KEY = "todod.chat.thread";
const PAGE = 40;

/** The chat panel: floating button, panel, conversation, composer, history. */
export class ChatPanel {
  /** @param {{onTasksChanged?: () => void}} options */
  constructor({ onTasksChanged } = {}) {
    this.onTasksChanged = onTasksChanged || (() => {});
    this.threadId = null;
    this.items = new Map(); // id → { item, node }
    this.busy = false;
    this.abort = null;
    this.olderCursor = null;
    this.loaded = false;
  }

  // MARK: Mounting

  /** Builds the button and the (hidden) panel; loads the remembered thread in the background. */
  mount(parent = document.body) {
    this.shell = createShell(parent, { title: "Assistant", onClose: () => this.close(), onOpen: () => this.opened() });
    const { header, body } = this.shell;
    this.titleEl = this.shell.titleEl;
    this.historyButton = h("button.icon-button", { type: "button", "aria-expanded": "false", "aria-controls": "chat-history", onclick: () => this.toggleHistory() }, "History");
    this.newButton = h("button.icon-button", { type: "button", id: "chat-new", onclick: () => this.newChat() }, "New chat");
    header.insertBefore(this.newButton, this.shell.closeButton);
    header.insertBefore(this.historyButton, this.newButton);
    this.history = new HistoryList({
      currentId: () => this.threadId,
      onOpen: (id) => { this.toggleHistory(false); this.openThread(id); this.input.focus(); },
      onDeleted: (id) => { if (id === this.threadId) this.newChat(); },
      onRenamed: (id, title) => { if (id === this.threadId) this.setTitle(title); },
    });
    this.olderButton = h("button.load-older", { type: "button", hidden: true, onclick: () => this.loadOlder() }, "Show earlier messages");
    this.emptyState = renderStartScreen((prompt) => { if (!this.busy) this.send(prompt); });
    this.thinking = h("div.thinking", { hidden: true, "aria-hidden": "true" }, h("span.dots"), h("span.thinking-label", { text: "Thinking…" }));
    this.log = h("div.chat-log", { id: "chat-log", role: "log", "aria-live": "off", "aria-label": "Conversation", tabindex: "0" },
      this.olderButton, this.emptyState, this.thinking);
    this.announcer = h("div.visually-hidden", { id: "chat-announcer", "aria-live": "polite", "aria-atomic": "true" });
    this.input = h("textarea", { id: "chat-input", rows: "2", placeholder: "Message the assistant", "aria-label": "Message the assistant", maxlength: "16000" });
    this.sendButton = h("button.primary", { type: "submit", id: "chat-send" }, "Send");
    this.stopButton = h("button", { type: "button", id: "chat-stop", hidden: true, onclick: () => this.stop() }, "Stop");
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    const composer = h("form.composer", { onsubmit: (event) => { event.preventDefault(); this.submit(); } }, this.input, this.sendButton, this.stopButton);
    body.append(this.history.element, this.log, this.announcer, composer);
    attachMessageActions(this);
    // Esc inside the history closes the history first, then (again) the panel.
    this.history.element.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.defaultPrevented) {
        event.preventDefault();
        this.toggleHistory(false);
        this.historyButton.focus();
      }
    });
    // Scrolling up to the top of a long thread loads the next older page by itself.
    if ("IntersectionObserver" in window) {
      new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting) && !this.olderFailed) this.loadOlder();
      }, { root: this.log, rootMargin: "200px 0px 0px 0px" }).observe(this.olderButton);
    }
    this.shell.initialFocus = this.input;
    const stored = localStorage.getItem(THREAD_KEY);
    if (stored) {
      const load = () => this.openThread(stored);
      ("requestIdleCallback" in window ? requestIdleCallback : setTimeout)(load);
    }
    return this;
  }

  open() { this.shell.open(); }
  close() { this.shell.close(); }
  opened() { this.scrollToEnd(true); }

  setTitle(title) {
    this.titleEl.textContent = title || (this.threadId ? "Untitled chat" : "Assistant");
  }

  // MARK: Threads

  /** Starts an empty conversation; the thread is created with its first message. */
  newChat() {
    if (this.busy) this.stop();
    this.threadId = null;
    localStorage.removeItem(THREAD_KEY);
    this.resetLog();
    this.setTitle(null);
    this.toggleHistory(false);
    this.input.focus();
  }

  resetLog() {
    for (const { node } of this.items.values()) node?.remove();
    this.log.querySelectorAll(".msg.error, .msg.notice, .msg.local, .msg.stopped").forEach((n) => n.remove());
    this.items.clear();
    this.olderCursor = null;
    this.olderFailed = false;
    this.olderButton.hidden = true;
    this.emptyState.hidden = false;
    this.lastUserItemId = null;
  }

  /** Opens a thread: its title and newest page of items; older pages on demand. */
  async openThread(id) {
    if (this.busy) this.stop();
    this.resetLog();
    this.threadId = id;
    localStorage.setItem(THREAD_KEY, id);
    try {
      // Both at once: the thread (title, and for a short thread all its items) and the newest page.
      const [thread, newest] = await Promise.all([
        request("threads.get_by_id", { thread_id: id }),
        request("items.list", { thread_id: id, order: "desc", limit: PAGE }),
      ]);
      if (this.threadId !== id) return;
      this.setTitle(thread.title);
      const page = newest;
      if (this.threadId !== id) return;
      this.prependPage(page);
      this.scrollToEnd(true);
    } catch (error) {
      if (this.threadId !== id) return;
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
        this.newChat();
      } else if (!(error instanceof ApiError && error.status === 401)) {
        this.showError(`Could not load the conversation: ${error.message}`, () => this.openThread(id));
      }
    }
  }

  /** Adds a desc-ordered page of items above what is shown. */
  prependPage(page) {
    const anchor = this.olderButton.nextSibling;
    for (const item of [...page.data].reverse()) {
      if (this.items.has(item.id)) continue;
      const node = renderItem(item);
      this.items.set(item.id, { item, node });
      if (node) this.log.insertBefore(node, anchor);
      if (item.type === "user_message" && !this.lastUserItemId) this.lastUserItemId = item.id;
    }
    const users = [...this.items.values()].filter((e) => e.item.type === "user_message");
    if (users.length) this.lastUserItemId = users[users.length - 1].item.id;
    this.olderCursor = page.has_more ? (page.after || page.data[page.data.length - 1]?.id) : null;
    this.olderButton.hidden = !this.olderCursor;
    this.emptyState.hidden = this.items.size > 0;
  }

  /** Loads the next older page (items.list, order desc, after the oldest shown). */
  loadOlder() {
    if (!this.olderPromise && this.olderCursor && this.threadId) {
      this.olderPromise = this.fetchOlder().finally(() => { this.olderPromise = null; });
    }
    return this.olderPromise || Promise.resolve();
  }

  async fetchOlder() {
    this.loadingOlder = true;
    const id = this.threadId;
    const before = this.log.scrollHeight - this.log.scrollTop;
    this.olderButton.disabled = true;
    try {
      const page = await request("items.list", { thread_id: id, order: "desc", limit: PAGE, after: this.olderCursor });
      if (this.threadId !== id) return;
      this.prependPage(page);
      this.log.scrollTop = this.log.scrollHeight - before; // keep the reader's place
    } catch (error) {
      this.olderFailed = true; // no automatic retries; the button still works
      this.showError(`Could not load earlier messages: ${error.message}`);
    } finally {
      this.olderButton.disabled = false;
      this.loadingOlder = false;
    }
  }

  toggleHistory(show = this.history.element.hidden) {
    this.history.element.hidden = !show;
    this.historyButton.setAttribute("aria-expanded", String(show));
    if (show) this.history.load();
  }

  // MARK: Sending

  submit() {
    const text = this.input.value.trim();
    if (!text || this.busy) return;
    this.input.value = "";
    this.send(text);
  }

  /** Sends a user message (creating the thread on the first one). */
  send(text) {
    this.lastInput = text;
    const local = h("div.item.msg.user.local", {}, h("div.bubble", { text }));
    this.log.insertBefore(local, this.thinking);
    this.emptyState.hidden = true;
    const params = { input: userInput(text) };
    if (this.threadId) params.thread_id = this.threadId;
    return this.run(this.threadId ? "threads.add_user_message" : "threads.create", params, { local, text });
  }

  /** Retries after an error: re-answers the last stored user message, or resends the text. */
  retry(errorNode) {
    errorNode?.remove();
    if (this.threadId && this.lastUserItemId && this.items.has(this.lastUserItemId)) {
      // Drop what followed that message here too; the server removes it from the thread.
      let after = false;
      for (const [id, entry] of [...this.items]) {
        if (after) { entry.node?.remove(); this.items.delete(id); }
        if (id === this.lastUserItemId) after = true;
      }
      this.log.querySelectorAll(".msg.error, .msg.stopped").forEach((n) => n.remove());
      return this.run("threads.retry_after_item", { thread_id: this.threadId, item_id: this.lastUserItemId }, {});
    }
    if (this.lastInput) {
      this.log.querySelectorAll(".msg.local").forEach((n) => n.remove());
      return this.send(this.lastInput);
    }
  }

  /** Cancels the streaming reply (the server keeps what was already streamed). */
  stop() {
    this.abort?.abort();
  }

  setBusy(busy) {
    this.busy = busy;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    this.thinking.hidden = !busy;
    if (!busy) this.thinking.querySelector(".thinking-label").textContent = "Thinking…";
    if (busy) this.scrollToEnd(true);
  }

  /** Runs one streaming request and applies its events to the conversation. */
  async run(type, params, { local, text }) {
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.turn = { local, toolsUsed: false, sawText: false };
    this.setBusy(true);
    const stopFocus = document.activeElement === this.input;
    try {
      await stream(type, params, { signal, onEvent: (event) => this.handle(event) });
    } catch (error) {
      if (error.name === "AbortError") {
        this.log.insertBefore(h("div.item.msg.stopped", {}, h("div.bubble", { text: "Stopped." })), this.thinking);
      } else if (error instanceof ApiError && error.status === 401) {
        return; // the app shows the sign-in page
      } else {
        const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.status === 429;
        this.showError(error.message, retryable ? (node) => this.retry(node) : null);
        if (!retryable && text && !this.turn.local?.isConnected) this.input.value ||= text;
      }
    } finally {
      this.setBusy(false);
      this.abort = null;
      if (this.turn.toolsUsed) this.onTasksChanged();
      if (stopFocus || document.activeElement === document.body) this.input.focus();
    }
  }

  /** Applies one ChatKit stream event. */
  handle(event) {
    switch (event.type) {
      case "thread.created":
        this.threadId = event.thread.id;
        localStorage.setItem(THREAD_KEY, event.thread.id);
        this.setTitle(event.thread.title);
        break;
      case "thread.updated":
        if (event.thread?.id === this.threadId) this.setTitle(event.thread.title);
        break;
      case "thread.item.added":
      case "thread.item.done":
      case "thread.item.replaced":
        this.upsert(event.item, event.type === "thread.item.done", event.type === "thread.item.added");
        break;
      case "thread.item.updated": {
        const entry = this.items.get(event.item_id);
        if (!entry) break;
        entry.item = applyUpdate(entry.item, event.update);
        if (event.update?.type === "assistant_message.content_part.text_delta") this.firstText();
        this.scheduleRender(entry);
        break;
      }
      case "thread.item.removed": {
        const entry = this.items.get(event.item_id);
        entry?.node?.remove();
        this.items.delete(event.item_id);
        break;
      }
      case "error": {
        const message = event.message || (event.code === "stream.error" ? "The assistant could not answer." : "The assistant reported an error.");
        this.showError(message, event.allow_retry ? (node) => this.retry(node) : null);
        break;
      }
      case "notice":
        this.log.insertBefore(renderNotice(event), this.thinking);
        break;
      case "progress_update":
        this.thinking.querySelector(".thinking-label").textContent = event.text || "Working…";
        break;
      default:
        break; // stream_options, client_effect: nothing to show
    }
    this.scrollToEnd();
  }

  upsert(item, done, streaming = false) {
    if (item.type === "user_message" && this.turn?.local?.isConnected) {
      this.turn.local.remove();
      this.turn.local = null;
    }
    if (item.type === "user_message") this.lastUserItemId = item.id;
    if (["workflow", "task", "client_tool_call"].includes(item.type)) this.turn.toolsUsed = true;
    if (item.type === "assistant_message" && itemText(item)) this.firstText();
    let entry = this.items.get(item.id);
    if (entry) {
      entry.item = item;
      if (entry.node) updateItemNode(entry.node, item);
    } else {
      entry = { item, node: renderItem(item) };
      this.items.set(item.id, entry);
      if (entry.node) this.log.insertBefore(entry.node, this.thinking);
    }
    // Copy and feedback appear once the message is complete.
    if (entry.node && item.type === "assistant_message") entry.node.toggleAttribute("data-streaming", streaming);
    this.emptyState.hidden = true;
    if (done && item.type === "assistant_message") this.announcer.textContent = itemText(item);
  }

  firstText() {
    if (!this.turn.sawText) {
      this.turn.sawText = true;
      this.thinking.hidden = true;
    }
  }

  /** Renders streamed text at most once per frame. */
  scheduleRender(entry) {
    entry.dirty = true;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      for (const e of this.items.values()) {
        if (e.dirty && e.node) updateItemNode(e.node, e.item);
        e.dirty = false;
      }
      this.scrollToEnd();
    });
  }

  showError(message, onRetry) {
    const node = renderError(message, onRetry ? () => onRetry(node) : null);
    this.log.insertBefore(node, this.thinking);
    this.emptyState.hidden = true;
    this.scrollToEnd(true);
    return node;
  }

  /** Keeps the newest text in view unless the reader scrolled up. */
  scrollToEnd(force = false) {
    const log = this.log;
    if (force || log.scrollHeight - log.scrollTop - log.clientHeight < 80) log.scrollTop = log.scrollHeight;
  }
}
