// app.js: the page's entry point — signed-in check, tasks page, chat panel, sign-out.

import { h, clear } from "./dom.js";
import { api, ApiError, onUnauthorized, tasksFrom } from "./api.js";
import { TasksPage } from "./tasks.js";
import { ChatPanel, THREAD_KEY } from "./chat.js";

const main = document.getElementById("main");
const signOutButton = document.getElementById("sign-out");
let tasksPage = null;
let chat = null;

/** What a signed-out visitor sees: how to get a sign-in link, nothing else. */
function showSignedOut(reason) {
  tasksPage?.stop();
  tasksPage = null;
  document.querySelectorAll(".chat-panel, .chat-fab, .toasts").forEach((n) => n.remove());
  document.documentElement.classList.remove("chat-open");
  localStorage.removeItem(THREAD_KEY);
  signOutButton.hidden = true;
  clear(main).append(h("section.signin", { "aria-labelledby": "signin-heading" },
    h("h2", { id: "signin-heading", text: "Sign in to todod" }),
    reason ? h("p.notice", { role: "status", text: reason }) : null,
    h("p", { text: "In a terminal on this computer, run:" }),
    h("pre.command", {}, h("code", { text: "todoctl open" })),
    h("p", { text: "It prints (and opens, when it can) a one-time sign-in link for this browser. The link works once, for one minute." })));
  document.title = "Sign in — todod";
}

async function signOut() {
  signOutButton.disabled = true;
  try {
    await api("/api/session/logout", { method: "POST" });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      signOutButton.disabled = false;
      alertMessage(`Could not sign out: ${error.message}`);
      return;
    }
  }
  signOutButton.disabled = false;
  showSignedOut("You are signed out.");
}

function alertMessage(text) {
  const p = h("p.list-error", { role: "alert", text });
  main.prepend(p);
  setTimeout(() => p.remove(), 8000);
}

async function showSignedIn(tasks) {
  signOutButton.hidden = false;
  document.title = "Tasks — todod";
  tasksPage = new TasksPage().mount(main, tasks);
  const mode = document.querySelector('meta[name="todod-ui"]')?.content || "builtin";
  if (mode === "chatkit") {
    const { mountOfficialChatKit } = await import("./official.js");
    const domainKey = document.querySelector('meta[name="todod-chatkit-domain-key"]')?.content || "";
    const ok = await mountOfficialChatKit({ domainKey });
    if (ok) return;
  }
  chat = new ChatPanel({ onTasksChanged: () => tasksPage?.scheduleRefresh() }).mount(document.body);
  window.todod = { chat, tasks: tasksPage }; // handles for tests and the curious
}

async function boot() {
  onUnauthorized(() => showSignedOut("Your session ended. Sign in again."));
  signOutButton.addEventListener("click", signOut);
  try {
    const body = await api("/api/tasks?status=all");
    await showSignedIn(tasksFrom(body));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showSignedOut();
      return;
    }
    clear(main).append(h("section.signin", {},
      h("h2", { text: "todod is not answering" }),
      h("p", { role: "alert", text: error.message }),
      h("button.primary", { type: "button", onclick: () => location.reload() }, "Try again")));
  }
}

boot();
