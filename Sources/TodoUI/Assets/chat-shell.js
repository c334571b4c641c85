// chat-shell.js: the floating button and the panel frame (open/close, Esc, focus).
// Shared by the built-in panel and the official <openai-chatkit> option.

import { h } from "./dom.js";

const ICON = "M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.2 3.6A.5.5 0 0 1 5 19.2V16h.5A1.5 1.5 0 0 1 4 14.5z";

function icon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICON);
  svg.append(path);
  return svg;
}

/**
 * Creates the button and the hidden panel.
 * @returns {{button, panel, header, body, titleEl, closeButton, open(), close(), isOpen(), initialFocus}}
 */
export function createShell(parent, { title, onOpen, onClose }) {
  const button = h("button.chat-fab", {
    type: "button", id: "chat-toggle", "aria-controls": "chat-panel", "aria-expanded": "false", "aria-label": "Open the assistant",
  }, icon());
  const titleEl = h("h2.chat-title", { id: "chat-title", text: title });
  const closeButton = h("button.icon-button.close", { type: "button", id: "chat-close", "aria-label": "Close the assistant" }, "✕");
  const header = h("header.chat-header", {}, titleEl, closeButton);
  const body = h("div.chat-body");
  const panel = h("section.chat-panel", { id: "chat-panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "chat-title", hidden: true }, header, body);
  parent.append(panel, button);

  const shell = {
    button, panel, header, body, titleEl, closeButton, initialFocus: null,
    isOpen: () => !panel.hidden,
    open() {
      if (!panel.hidden) return;
      panel.hidden = false;
      document.documentElement.classList.add("chat-open");
      button.setAttribute("aria-expanded", "true");
      button.setAttribute("aria-label", "Close the assistant");
      (shell.initialFocus || closeButton).focus();
      onOpen?.();
    },
    close() {
      if (panel.hidden) return;
      panel.hidden = true;
      document.documentElement.classList.remove("chat-open");
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-label", "Open the assistant");
      button.focus();
      onClose?.();
    },
  };
  button.addEventListener("click", () => (panel.hidden ? shell.open() : shell.close()));
  closeButton.addEventListener("click", () => shell.close());
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !event.defaultPrevented) {
      event.preventDefault();
      shell.close();
    }
  });
  return shell;
}
