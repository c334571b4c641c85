#!/usr/bin/env python3
"""A small stand-in for todod's HTTP API, for developing the UI without the daemon.

Serves Sources/TodoUI/Assets at /, /login and /assets/* (with the same CSP the daemon
sends) and implements, in memory, the parts of the API the UI uses:
  POST /api/session {"code"} -> session cookie; POST /api/session/logout
  GET/POST /api/tasks, GET/PATCH/DELETE /api/tasks/{id}, POST /api/tasks/{id}/complete,
    POST /api/tasks/parse (p1-p4, @label and #project only; no dates), POST /api/undo
  GET /api/events (SSE: {"kind": created|updated|deleted, "task": {...}})
  POST /api/chatkit: threads.create/add_user_message/retry_after_item (SSE),
    threads.get_by_id/list/update/delete, items.list, items.feedback (JSON)
The scripted "assistant" answers like our agent would, with workflow badges for tools.

Usage: python3 mock_api.py --port 0 [--code CODE]   (prints "listening on PORT")
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import queue
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "TodoUI", "Assets")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
TYPES = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
         "svg": "image/svg+xml"}
_ids = itertools.count(1)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_id(prefix: str) -> str:
    return f"{prefix}_{next(_ids):08x}"


class State:
    def __init__(self, code: str):
        self.lock = threading.Lock()
        self.codes = {code}
        self.sessions: set[str] = set()
        self.tasks: list[dict] = []
        self.listeners: list[queue.Queue] = []
        self.threads: dict[str, dict] = {}  # id -> {"meta": {...}, "items": [...]}
        self.failed_once: set[str] = set()
        self.history: list[tuple[str, dict]] = []  # (kind, task before the change) for POST /api/undo

    def publish(self, kind: str, task: dict):
        for q in list(self.listeners):
            q.put({"kind": kind, "task": task})

    def add_task(self, title: str, description: str | None = None, **fields) -> dict:
        t = {"id": new_id("t"), "title": title, "completed": False, "created_at": now(), "updated_at": now()}
        if description:
            t["description"] = description
        t.update({k: v for k, v in fields.items() if v})
        self.tasks.append(t)
        self.history.append(("created", dict(t)))
        self.publish("created", t)
        return t


STATE: State


def quick_add(text: str) -> dict:
    """A tiny quick-add reader: p1-p4, @label and #project words; the rest is the title (no dates)."""
    out: dict = {"labels": []}
    words = []
    for word in text.split():
        if re.fullmatch(r"p[1-4]", word, re.I):
            out["priority"] = int(word[1])
        elif word.startswith("@") and len(word) > 1:
            out["labels"].append(word[1:].lower())
        elif word.startswith("#") and len(word) > 1:
            out["project"] = word[1:]
        else:
            words.append(word)
    out["title"] = " ".join(words)
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    # MARK: plumbing
    def send_json(self, status: int, body, headers: dict | None = None):
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status: int, message: str, field: str | None = None):
        body = {"error": {"message": message}}
        if field:
            body["error"]["field"] = field
        self.send_json(status, body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw) if raw else {}

    def session(self) -> bool:
        cookie = self.headers.get("Cookie") or ""
        m = re.search(r"(?:^|;\s*)todod_session=([^;]+)", cookie)
        return bool(m and m.group(1) in STATE.sessions)

    def sse_start(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def sse(self, event: dict):
        data = b"data: " + json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode() + b"\n\n"
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def sse_end(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # MARK: routes
    def do_GET(self):
        path = self.path.split("?")[0]
        if path in ("/", "/login") or path.startswith("/assets/"):
            return self.asset(path)
        if path == "/healthz":
            return self.send_json(200, {"status": "ok"})
        if not self.session():
            return self.error(401, "Sign in first.")
        if path == "/api/tasks":
            status = (re.search(r"status=(\w+)", self.path) or [None, "all"])[1]
            tasks = [t for t in STATE.tasks if status == "all" or (status == "completed") == t["completed"]]
            return self.send_json(200, tasks)
        if path == "/api/events":
            return self.events()
        m = re.fullmatch(r"/api/tasks/([\w-]+)", path)
        if m:
            t = self.find(m.group(1))
            return self.send_json(200, t) if t else self.error(404, "No such task.")
        self.error(404, "Not found.")

    def needs_json(self) -> bool:
        """Like todod: a state-changing request without application/json gets 415."""
        if "application/json" not in (self.headers.get("Content-Type") or ""):
            self.error(415, "Content-Type must be application/json")
            return True
        return False

    def do_POST(self):
        path = self.path.split("?")[0]
        if path != "/mock/code" and self.needs_json():
            return
        if path == "/mock/code":  # test hook: a fresh one-time code
            code = secrets.token_hex(8)
            STATE.codes.add(code)
            return self.send_json(200, {"code": code})
        if path == "/api/session":
            code = self.body().get("code")
            if code in STATE.codes:
                STATE.codes.discard(code)
                token = secrets.token_hex(16)
                STATE.sessions.add(token)
                return self.send_json(200, {"ok": True}, {"Set-Cookie": f"todod_session={token}; HttpOnly; SameSite=Strict; Path=/"})
            return self.error(401, "Invalid or expired code.")
        if not self.session():
            return self.error(401, "Sign in first.")
        if path == "/api/session/logout":
            return self.send_json(200, {}, {"Set-Cookie": "todod_session=; Max-Age=0; Path=/"})
        if path == "/api/tasks/parse":
            return self.send_json(200, quick_add(self.body().get("text") or ""))
        if path == "/api/undo":
            return self.undo()
        if path == "/api/tasks":
            b = self.body()
            fields = quick_add(b["text"]) if "text" in b else {"title": b.get("title") or ""}
            fields.update({k: b[k] for k in ("due", "priority", "labels", "project", "recurrence") if k in b})
            title = fields.pop("title").strip()
            if not title or len(title) > 200:
                return self.error(422, "title must be 1-200 characters", "title")
            with STATE.lock:
                t = STATE.add_task(title, (b.get("description") or "").strip() or None, **fields)
            return self.send_json(201, t)
        m = re.fullmatch(r"/api/tasks/([\w-]+)/complete", path)
        if m:
            return self.patch_task(m.group(1), {"completed": True})
        if path == "/api/chatkit":
            return self.chatkit(self.body())
        self.error(404, "Not found.")

    def do_PATCH(self):
        if self.needs_json():
            return
        if not self.session():
            return self.error(401, "Sign in first.")
        m = re.fullmatch(r"/api/tasks/([\w-]+)", self.path)
        if not m:
            return self.error(404, "Not found.")
        self.patch_task(m.group(1), self.body())

    def do_DELETE(self):
        if self.needs_json():
            return
        if not self.session():
            return self.error(401, "Sign in first.")
        m = re.fullmatch(r"/api/tasks/([\w-]+)", self.path)
        t = self.find(m.group(1)) if m else None
        if not t:
            return self.error(404, "No such task.")
        STATE.tasks.remove(t)
        STATE.history.append(("deleted", dict(t)))
        STATE.publish("deleted", t)
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # MARK: helpers
    def asset(self, path):
        name = {"/": "index.html", "/login": "login.html"}.get(path) or path[len("/assets/"):]
        full = os.path.join(ASSETS, name)
        if "/" in name or not os.path.isfile(full):
            return self.error(404, "Not found.")
        data = open(full, "rb").read()
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(data)

    def find(self, tid):
        return next((t for t in STATE.tasks if t["id"] == tid), None)

    def undo(self):
        if not STATE.history:
            return self.error(409, "nothing to undo")
        kind, before = STATE.history.pop()
        current = self.find(before["id"])
        if current:
            STATE.tasks.remove(current)
        if kind != "created":
            STATE.tasks.append(before)
        STATE.publish("deleted" if kind == "created" else "created" if kind == "deleted" else "updated", before)
        self.send_json(200, {"undone": kind, "task": before, "remaining": len(STATE.history)})

    def patch_task(self, tid, patch):
        t = self.find(tid)
        if not t:
            return self.error(404, "No such task.")
        STATE.history.append(("updated", dict(t)))
        for key in ("due", "priority", "labels", "project", "recurrence"):
            if key in patch:
                if patch[key] in (None, []):
                    t.pop(key, None)
                else:
                    t[key] = patch[key]
        if "title" in patch:
            title = (patch["title"] or "").strip()
            if not title or len(title) > 200:
                return self.error(422, "title must be 1-200 characters", "title")
            t["title"] = title
        if "description" in patch:
            if patch["description"]:
                t["description"] = patch["description"]
            else:
                t.pop("description", None)
        if "completed" in patch:
            t["completed"] = bool(patch["completed"])
        t["updated_at"] = now()
        STATE.publish("updated", t)
        self.send_json(200, t)

    def events(self):
        q: queue.Queue = queue.Queue()
        STATE.listeners.append(q)
        try:
            self.sse_start()
            while True:
                try:
                    ev = q.get(timeout=15)
                    self.sse(ev)
                except queue.Empty:
                    self.wfile.write(b"3\r\n:\n\n\r\n")
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            STATE.listeners.remove(q)

    # MARK: ChatKit
    def chatkit(self, req):
        kind, p = req.get("type"), req.get("params")
        if not isinstance(p, dict):
            return self.error(400, "params is required")
        threads = STATE.threads
        if kind == "threads.list":
            metas = sorted((t["meta"] for t in threads.values()), key=lambda m: m["created_at"])
            return self.send_json(200, self.page(metas, p, lambda m: {**m, "items": {"data": [], "has_more": False}}))
        if kind in ("threads.get_by_id", "threads.update", "threads.delete", "items.list", "threads.add_user_message", "threads.retry_after_item", "items.feedback"):
            th = threads.get(p.get("thread_id"))
            if not th:
                return self.error(404, "No such thread.")
        if kind == "threads.get_by_id":
            items = self.page(th["items"], {"limit": 20, "order": "asc"}, lambda i: i)
            return self.send_json(200, {**th["meta"], "items": items})
        if kind == "threads.update":
            th["meta"]["title"] = p.get("title")
            return self.send_json(200, {**th["meta"], "items": {"data": [], "has_more": False}})
        if kind == "threads.delete":
            del threads[p["thread_id"]]
            return self.send_json(200, {})
        if kind == "items.list":
            return self.send_json(200, self.page(th["items"], p, lambda i: i))
        if kind == "items.feedback":
            if p.get("kind") not in ("positive", "negative"):
                return self.error(400, "kind must be positive or negative")
            for item_id in p.get("item_ids") or []:
                th.setdefault("feedback", {})[item_id] = p["kind"]
            return self.send_json(200, {})
        if kind == "threads.create":
            tid = new_id("thr")
            th = threads[tid] = {"meta": {"id": tid, "created_at": now(), "status": {"type": "active"}, "metadata": {}}, "items": []}
            self.sse_start()
            self.sse({"type": "thread.created", "thread": {**th["meta"], "items": {"data": [], "has_more": False}}})
            return self.turn(th, p["input"])
        if kind == "threads.add_user_message":
            self.sse_start()
            return self.turn(th, p["input"])
        if kind == "threads.retry_after_item":
            idx = next((i for i, it in enumerate(th["items"]) if it["id"] == p.get("item_id")), None)
            self.sse_start()
            if idx is None:
                return self.sse_end()
            for it in th["items"][idx + 1:]:
                self.sse({"type": "thread.item.removed", "item_id": it["id"]})
            del th["items"][idx + 1:]
            self.sse({"type": "stream_options", "stream_options": {"allow_cancel": True}})
            return self.respond(th, th["items"][idx])
        self.error(400, f"unsupported request type {kind!r}")

    def page(self, items, p, f):
        items = list(items) if p.get("order", "desc") == "asc" else list(reversed(items))
        if p.get("after"):
            ids = [i["id"] for i in items]
            items = items[ids.index(p["after"]) + 1:] if p["after"] in ids else []
        limit = p.get("limit") or 20
        data, more = items[:limit], len(items) > limit
        out = {"data": [f(i) for i in data], "has_more": more}
        if more:
            out["after"] = data[-1]["id"]
        return out

    def turn(self, th, inp):
        user = {"id": new_id("msg"), "thread_id": th["meta"]["id"], "created_at": now(), "type": "user_message",
                "content": inp.get("content", []), "attachments": [], "inference_options": {}}
        th["items"].append(user)
        self.sse({"type": "thread.item.done", "item": user})
        self.sse({"type": "stream_options", "stream_options": {"allow_cancel": True}})
        self.respond(th, user)

    def respond(self, th, user):
        text = "".join(c.get("text", "") for c in user["content"])
        low = text.lower()
        tid = th["meta"]["id"]
        try:
            time.sleep(0.15)
            if "upstream error" in low and user["id"] not in STATE.failed_once:
                STATE.failed_once.add(user["id"])
                self.sse({"type": "error", "code": "custom", "message": "The assistant is unavailable (HTTP 503).", "allow_retry": True})
                return self.sse_end()
            tool, result = None, None
            if "upstream error" in low:
                text, low = "", "back"
            m = re.search(r"add a task called ['\"]?([^'\"]+)['\"]?", text, re.I)
            if m:
                tool = "add_task"
                t = STATE.add_task(m.group(1).strip())
                result, reply = json.dumps({"task_id": t["id"], "status": "created"}), f"Added **{t['title']}**."
                titles = (f"Adding task '{t['title']}'", f"Added task '{t['title']}'")
            elif re.search(r"\b(show|list)\b", low):
                tool = "list_tasks"
                result = json.dumps({"count": len(STATE.tasks)})
                titles = ("Listing tasks", f"Listed {len(STATE.tasks)} tasks")
                reply = "Here are your tasks:\n\n" + "\n".join(f"- {'[x]' if t['completed'] else '[ ]'} {t['title']}" for t in STATE.tasks)
            elif "done" in low or "complete" in low:
                tool = "complete_task"
                word = next((w for w in re.findall(r"\w+", low) if w not in {"mark", "my", "task", "as", "done", "the"}), "")
                t = next((t for t in STATE.tasks if word[:5] in t["title"].lower()), None)
                if t:
                    t["completed"] = True
                    STATE.publish("updated", t)
                    result, reply = json.dumps({"task_id": t["id"], "status": "completed"}), f"Marked **{t['title']}** as done."
                    titles = (f"Completing task {t['id']}", f"Completed task '{t['title']}'")
                else:
                    result, reply = "Error: no matching task", "I could not find that task."
                    titles = ("Completing task", "Could not complete task")
            else:
                reply = "The model service is back." if low == "back" else "I can add, list, complete, update and delete your tasks. " * (8 if "slowly" in low else 1)
            if tool:
                wid = new_id("wf")
                badge = {"name": tool, "call_id": new_id("call"), "state": "running"}
                task = {"type": "custom", "title": titles[0], "status_indicator": "loading", "content": "{}", "todod_tool": badge}
                wf = {"id": wid, "thread_id": tid, "created_at": now(), "type": "workflow", "workflow": {"type": "custom", "tasks": [], "expanded": False}}
                self.sse({"type": "thread.item.added", "item": wf})
                self.sse({"type": "thread.item.updated", "item_id": wid, "update": {"type": "workflow.task.added", "task_index": 0, "task": task}})
                time.sleep(0.1)
                state = "error" if result.startswith("Error") else "done"
                done_task = {**task, "title": titles[1], "status_indicator": "complete", "content": result, "todod_tool": {**badge, "state": state}}
                self.sse({"type": "thread.item.updated", "item_id": wid, "update": {"type": "workflow.task.updated", "task_index": 0, "task": done_task}})
                wf["workflow"]["tasks"] = [done_task]
                self.sse({"type": "thread.item.done", "item": wf})
                th["items"].append(wf)
            mid = new_id("msg")
            msg = {"id": mid, "thread_id": tid, "created_at": now(), "type": "assistant_message", "content": []}
            self.sse({"type": "thread.item.added", "item": msg})
            self.sse({"type": "thread.item.updated", "item_id": mid, "update": {"type": "assistant_message.content_part.added", "content_index": 0, "content": {"annotations": [], "text": "", "type": "output_text"}}})
            for piece in re.findall(r"\S+\s*", reply):
                self.sse({"type": "thread.item.updated", "item_id": mid, "update": {"type": "assistant_message.content_part.text_delta", "content_index": 0, "delta": piece}})
                time.sleep(0.01 if "slowly" not in low else 0.1)
            part = {"annotations": [], "text": reply, "type": "output_text"}
            self.sse({"type": "thread.item.updated", "item_id": mid, "update": {"type": "assistant_message.content_part.done", "content_index": 0, "content": part}})
            msg["content"] = [part]
            self.sse({"type": "thread.item.done", "item": msg})
            th["items"].append(msg)
            if not th["meta"].get("title"):
                th["meta"]["title"] = text[:40]
                self.sse({"type": "thread.updated", "thread": {**th["meta"], "items": {"data": [], "has_more": False}}})
            self.sse_end()
        except (BrokenPipeError, ConnectionResetError):
            pass


def seed_thread(n: int) -> str:
    """A thread with n messages (alternating user/assistant), for the long-thread figure."""
    tid = new_id("thr")
    th = STATE.threads[tid] = {"meta": {"id": tid, "title": f"{n} messages", "created_at": now(), "status": {"type": "active"}, "metadata": {}}, "items": []}
    for i in range(n):
        if i % 2 == 0:
            th["items"].append({"id": new_id("msg"), "thread_id": tid, "created_at": now(), "type": "user_message",
                                "content": [{"type": "input_text", "text": f"Question {i // 2}"}], "attachments": [], "inference_options": {}})
        else:
            th["items"].append({"id": new_id("msg"), "thread_id": tid, "created_at": now(), "type": "assistant_message",
                                "content": [{"annotations": [], "text": f"Answer **{i // 2}** with a list:\n- one\n- two", "type": "output_text"}]})
    return tid


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--code", default="devcode")
    ap.add_argument("--seed-thread", type=int, default=0)
    a = ap.parse_args()
    STATE = State(a.code)
    if a.seed_thread:
        STATE.add_task("Buy groceries", "Milk, eggs, bread")
    if a.seed_thread:
        print("seeded thread", seed_thread(a.seed_thread), flush=True)
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
