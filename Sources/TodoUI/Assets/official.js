// official.js: `todod --ui chatkit` — OpenAI's <openai-chatkit> web component from OpenAI's CDN,
// pointed at our /api/chatkit with the session cookie. Returns false (so the page falls back
// to the built-in panel) when the CDN cannot be reached or the component does not start.

import { createShell } from "./chat-shell.js";
import { THREAD_KEY } from "./chat.js";
import { timeZone } from "./api.js";
import { START_PROMPTS, GREETING } from "./chat-prompts.js";

const SCRIPT = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js";
const TIMEOUT_MS = 5000;

function loadScript() {
  return new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = SCRIPT;
    script.async = true;
    script.crossOrigin = "anonymous";
    const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
    script.onload = () => { clearTimeout(timer); resolve(true); };
    script.onerror = () => { clearTimeout(timer); resolve(false); };
    document.head.append(script);
  });
}

/**
 * What the component offers beyond the API: thread history, thumbs up/down (sent as `items.feedback`, which
 * todod stores), retry on assistant messages, and the same start-screen prompts as the built-in panel.
 */
export function officialOptions() {
  return {
    history: { enabled: true, showDelete: true, showRename: true },
    threadItemActions: { feedback: true, retry: true },
    startScreen: { greeting: GREETING, prompts: START_PROMPTS.map(({ label, prompt, icon }) => ({ label, prompt, icon })) },
    composer: { placeholder: "Message the assistant" },
  };
}

/** Mounts the official component in our panel frame; false when it cannot be loaded. */
export async function mountOfficialChatKit({ domainKey }) {
  if (!(await loadScript())) return false;
  const defined = await Promise.race([
    customElements.whenDefined("openai-chatkit").then(() => true),
    new Promise((resolve) => setTimeout(() => resolve(false), TIMEOUT_MS)),
  ]);
  if (!defined) return false;
  const shell = createShell(document.body, { title: "Assistant" });
  const element = document.createElement("openai-chatkit");
  element.className = "official-chatkit";
  shell.body.append(element);
  const initialThread = localStorage.getItem(THREAD_KEY);
  element.setOptions({
    api: {
      url: "/api/chatkit",
      domainKey,
      // Our session is an HttpOnly cookie; same-origin requests carry it. The zone is the browser's.
      fetch: (url, options = {}) => {
        const headers = new Headers(options.headers || {});
        headers.set("X-Time-Zone", timeZone());
        return fetch(url, { ...options, headers, credentials: "same-origin" });
      },
    },
    initialThread: initialThread || null,
    ...officialOptions(),
  });
  element.addEventListener("chatkit.thread.change", (event) => {
    const id = event.detail?.threadId;
    if (id) localStorage.setItem(THREAD_KEY, id);
    else localStorage.removeItem(THREAD_KEY);
  });
  document.documentElement.dataset.chatUi = "chatkit";
  return true;
}
