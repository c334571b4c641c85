// chat-prompts.js: the start-screen prompts, shared by the built-in panel and the official component.

import { h } from "./dom.js";

/** What a new conversation offers: `label` is shown, `prompt` is sent (ChatKit's StartScreenPrompt shape). */
export const START_PROMPTS = [
  { label: "What's due today?", prompt: "What's due today?", icon: "calendar" },
  { label: "Add a task…", prompt: "Help me add a task.", icon: "plus" },
];

/** The greeting above the prompts. */
export const GREETING = "Ask me to add, list, complete, change or delete your tasks.";

/**
 * The built-in panel's start screen: the greeting and one button per prompt; a click calls `onPrompt(prompt)`.
 * @param {(prompt: string) => void} onPrompt
 */
export function renderStartScreen(onPrompt) {
  const buttons = START_PROMPTS.map(({ label, prompt }) =>
    h("button.start-prompt", { type: "button", dataset: { prompt }, onclick: () => onPrompt(prompt) }, label));
  return h("div.chat-empty", { id: "chat-start" },
    h("p.chat-greeting", { text: GREETING }),
    h("div.start-prompts", { role: "group", "aria-label": "Suggestions" }, ...buttons));
}
