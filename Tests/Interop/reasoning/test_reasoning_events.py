"""A reasoning model's turn through a real todod, validated with openai-chatkit's own models (PyPI).

Run:  .build/venv-tests/bin/python -m pytest -q Tests/Interop/reasoning
Starts a tiny model server that replays the DeepSeek-shaped fixture (reasoning_content, then the answer) and answers
the agent's title call, then a real todod pointed at it; creates a thread and checks every SSE event against
`chatkit.types.ThreadStreamEvent`: the reasoning arrives as a `thought` task of a collapsed workflow, never as
answer text, and the model's title arrives as `thread.updated`.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from chatkit.types import ThoughtTask, ThreadStreamEvent
from pydantic import TypeAdapter

ROOT = Path(__file__).resolve().parents[3]
TODOD = os.environ.get("TODOD_BIN", str(ROOT / ".build/debug/todod"))
TODOCTL = os.environ.get("TODOCTL_BIN", str(Path(TODOD).parent / "todoctl"))
FIXTURE = ROOT / "Tests/TodoAgentTests/Fixtures/streams/deepseek-reasoning-content.sse"
TITLE = "Friendly greeting"


class Model(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        first = (body.get("messages") or [{}])[0]
        if "tools" not in body and str(first.get("content", "")).startswith("You name conversations."):
            chunk = {"id": "t", "object": "chat.completion.chunk", "created": 1, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": TITLE}, "finish_reason": "stop"}]}
            data = b"data: " + json.dumps(chunk).encode() + b"\n\ndata: [DONE]\n\n"
        else:
            data = FIXTURE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture()
def daemon():
    model = ThreadingHTTPServer(("127.0.0.1", 0), Model)
    threading.Thread(target=model.serve_forever, daemon=True).start()
    tmp = Path(tempfile.mkdtemp(prefix="todod-reasoning-"))
    port = free_port()
    sock = tmp / "ctl.sock"
    log = open(tmp / "todod.log", "wb")
    env = dict(os.environ, TODOD_LLM_BASE_URL=f"http://127.0.0.1:{model.server_address[1]}/v1", TODOD_LLM_MODEL="deepseek-reasoner")
    proc = subprocess.Popen([TODOD, "--data-dir", str(tmp / "data"), "--control-socket", str(sock), "--http", f"127.0.0.1:{port}",
                             "--chat-rate-limit", "0"], stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("todod did not start: " + (tmp / "todod.log").read_text())
            time.sleep(0.05)
    token = subprocess.run([TODOCTL, "token", "--socket", str(sock)], capture_output=True, text=True, check=True).stdout.strip()
    yield dict(base=f"http://127.0.0.1:{port}", token=token)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    model.shutdown()


def test_reasoning_is_a_thought_task_and_the_title_comes_from_the_model(daemon):
    request = {"type": "threads.create", "params": {"input": {"content": [{"type": "input_text", "text": "hi"}],
                                                             "attachments": [], "inference_options": {}}}}
    req = urllib.request.Request(daemon["base"] + "/api/chatkit", data=json.dumps(request).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {daemon['token']}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode()
    raw = [json.loads(frame[6:]) for frame in text.split("\n\n") if frame.startswith("data: ")]
    adapter = TypeAdapter(ThreadStreamEvent)
    events = [adapter.validate_python(e) for e in raw]  # every event is a valid ChatKit event

    deltas = "".join(e.update.delta for e in events if e.type == "thread.item.updated" and e.update.type == "assistant_message.content_part.text_delta")
    assert deltas == "Hello! How can I help?"
    workflows = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "workflow"]
    assert len(workflows) == 1
    thought = workflows[0].workflow.tasks[0]
    assert isinstance(thought, ThoughtTask)
    assert thought.content == "Nothing to do with tools; just greet."
    assert workflows[0].workflow.expanded is False
    updated = [e for e in events if e.type == "thread.updated"]
    assert updated and updated[-1].thread.title == TITLE
