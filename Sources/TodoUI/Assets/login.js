// login.js: /login#<code> — trade the one-time code for a session cookie, then go to /.

import { h } from "./dom.js";

const status = document.getElementById("login-status");
const main = document.getElementById("main");

function fail(text) {
  document.title = "Sign-in failed — todod";
  main.querySelector("h2").textContent = "Sign-in failed";
  status.textContent = text;
  main.append(
    h("p", { text: "Get a new link: in a terminal on this computer, run" }),
    h("pre.command", {}, h("code", { text: "todoctl open" })));
}

async function signIn() {
  const code = decodeURIComponent(location.hash.slice(1)).trim();
  // Never leave the code in the address bar or the history.
  history.replaceState(null, "", location.pathname);
  if (!code) {
    fail("This page needs the one-time code from a sign-in link.");
    return;
  }
  let response;
  try {
    response = await fetch("/api/session", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-Time-Zone": zone() },
      body: JSON.stringify({ code }),
    });
  } catch {
    fail("Cannot reach todod. Is the daemon running?");
    return;
  }
  if (response.ok) {
    localStorage.removeItem("todod.chat.thread"); // a new session starts with a new chat
    location.replace("/");
    return;
  }
  let message = "The sign-in link is invalid, expired (links last one minute) or already used.";
  if (response.status >= 500) message = `todod could not sign you in (HTTP ${response.status}).`;
  if (response.status === 429) message = "Too many sign-in attempts. Wait a moment and try again.";
  fail(message);
}

signIn();

/** The browser's IANA zone, sent on every request (like api.js does). */
function zone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}
