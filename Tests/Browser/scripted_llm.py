#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat-completions server (streaming) for the browser tests.

POST {base}/chat/completions with "stream": true. Deterministic script, decided from the
conversation the agent sends (the same idea as shared/peers/fake_llm.py, extended for the
UI checklist):

  last message from the user:
    contains "upstream error"   -> HTTP 503 the first FAIL_TIMES times for that text, then a reply
                                   (so the agent gives up with a retryable error and Retry works)
    "add a task called 'X'" / "add X"   -> tool call add_task {"title": X}
    "mark/complete ... done"            -> tool call list_tasks (to find the id)
    contains "show" or "list"           -> tool call list_tasks {"status": "all"}
    otherwise                           -> a short streamed text reply
  the agent's title call (no tools, a system prompt starting "You name conversations.")
                                -> the first six words of the thread's first user message
  last message is a tool result:
    list_tasks while the user asked to complete something -> complete_task {"task_id": <match>}
    list_tasks                 -> "Here are your tasks:" + a Markdown checklist
    add_task / complete_task   -> a one-line confirmation

Usage: python3 scripted_llm.py --port 0   (prints "listening on PORT")
"""
from __future__ import annotations

import argparse
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAIL_TIMES = 3  # the agent makes 1 + 2 retried attempts per turn
_lock = threading.Lock()
_failures: dict[str, int] = {}
_seq = [0]
STOP = {"mark", "my", "task", "as", "done", "the", "complete", "please", "finished", "set"}


def text_of(content) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "".join(str(p.get("text") or "") if isinstance(p, dict) else str(p) for p in content)


def last_user(messages) -> str:
    for m in reversed(messages):
        if m.get("role") == "user":
            return text_of(m.get("content"))
    return ""


def tool_name_for(messages, call_id) -> str:
    for m in messages:
        for call in m.get("tool_calls") or []:
            if call.get("id") == call_id:
                return call.get("function", {}).get("name", "")
    return ""


def wants_complete(text: str) -> bool:
    low = text.lower()
    return bool(re.search(r"\b(done|complete|completed|finished)\b", low)) and bool(re.search(r"\b(mark|complete|set|finish)\b", low))


def tasks_from(content: str) -> list[dict]:
    try:
        body = json.loads(content)
    except ValueError:
        return []
    if isinstance(body, dict):
        body = body.get("tasks") or body.get("structuredContent", {}).get("tasks") or []
    return body if isinstance(body, list) else []


TITLE_PROMPT = "You name conversations."  # the start of TodoAgent's title prompt (AgentTitles.instruction)


def plan(req: dict):
    """("fail",) | ("tool", name, args) | ("text", reply)."""
    messages = req.get("messages") or []
    last = messages[-1] if messages else {}
    first = messages[0] if messages else {}
    if "tools" not in req and first.get("role") == "system" and text_of(first.get("content")).startswith(TITLE_PROMPT):
        asked = next((text_of(m.get("content")) for m in messages if m.get("role") == "user"), "")
        return ("text", " ".join(asked.split()[:6]) or "New chat")
    user = last_user(messages)
    if last.get("role") == "user":
        low = user.lower()
        if "upstream error" in low:
            with _lock:
                n = _failures.get(user, 0)
                _failures[user] = n + 1
            if n < FAIL_TIMES:
                return ("fail",)
            return ("text", "The model service is back. How can I help with your tasks?")
        m = re.search(r"add (?:a )?task (?:called|named) ['\"‘“]?(.+?)['\"’”]?\s*$", user, re.I) or re.search(r"\badd\s+(.+)", user, re.I)
        if m:
            return ("tool", "add_task", {"title": m.group(1).strip().strip("'\"")})
        if wants_complete(user):
            return ("tool", "list_tasks", {"status": "all"})
        if "show" in low or "list" in low:
            return ("tool", "list_tasks", {"status": "all"})
        if "slowly" in low:
            return ("text", "Once upon a time there was a very long list of tasks. " * 4)
        return ("text", "I can add, list, complete, update and delete your tasks. What would you like to do?")
    if last.get("role") == "tool":
        name = tool_name_for(messages, last.get("tool_call_id"))
        content = text_of(last.get("content"))
        if content.startswith("Error"):
            return ("text", f"That did not work: {content[:120]}")
        if name == "list_tasks" and wants_complete(user):
            words = [w for w in re.findall(r"[a-z]+", user.lower()) if w not in STOP and len(w) >= 4]
            for task in tasks_from(content):
                title = str(task.get("title", "")).lower()
                if any(w[:5] in title for w in words) and not task.get("completed"):
                    return ("tool", "complete_task", {"task_id": task.get("task_id") or task.get("id")})
            return ("text", "I could not find a matching open task.")
        if name == "list_tasks":
            tasks = tasks_from(content)
            if not tasks:
                return ("text", "You have no tasks yet.")
            lines = [f"- [{'x' if t.get('completed') else ' '}] {t.get('title')}" for t in tasks]
            return ("text", "Here are your tasks:\n\n" + "\n".join(lines))
        if name == "add_task":
            return ("text", "Added it to your list.")
        if name == "complete_task":
            return ("text", "Done — I marked it as completed.")
        return ("text", "Done.")
    return ("text", "Hello!")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        try:
            req = json.loads(self.rfile.read(n) or b"{}")
        except ValueError:
            return self.reply(400, {"error": {"message": "bad json"}})
        if not self.path.rstrip("/").endswith("/chat/completions"):
            return self.reply(404, {"error": {"message": "not found"}})
        p = plan(req)
        if p[0] == "fail":
            return self.reply(503, {"error": {"message": "scripted upstream failure", "type": "server_error"}})
        with _lock:
            _seq[0] += 1
            cid = f"chatcmpl-scripted{_seq[0]:06d}"
        model = req.get("model") or "scripted"
        chunks: list[dict] = []

        def chunk(delta, finish=None):
            chunks.append({"id": cid, "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                           "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

        if p[0] == "tool":
            args = json.dumps(p[2])
            chunk({"role": "assistant", "content": None, "tool_calls": [
                {"index": 0, "id": f"call_{_seq[0]:06d}", "type": "function", "function": {"name": p[1], "arguments": ""}}]})
            half = len(args) // 2
            for frag in (args[:half], args[half:]):
                chunk({"tool_calls": [{"index": 0, "function": {"arguments": frag}}]})
            chunk({}, "tool_calls")
        else:
            chunk({"role": "assistant", "content": ""})
            for piece in re.findall(r"\S+\s*|\n+", p[1]):
                chunk({"content": piece})
            chunk({}, "stop")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            delay = 0.1 if "slowly" in last_user(req.get("messages") or []).lower() else 0.01
            for c in chunks:
                self.write_chunk(b"data: " + json.dumps(c).encode() + b"\n\n")
                time.sleep(delay)
            self.write_chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def write_chunk(self, data: bytes):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    a = ap.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
