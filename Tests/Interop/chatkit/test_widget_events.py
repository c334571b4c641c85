"""The task-list widget and its custom actions, validated with openai-chatkit's own pydantic models, against a
real todod (temp data dir, free port) whose agent talks to Tests/Browser/scripted_llm.py. The task's new state
is read back with todoctl over the control socket.

Environment: TODOD_BIN (default <repo>/.build/debug/todod; todoctl next to it).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from chatkit.types import (
    Page,
    SyncCustomActionResponse,
    ThreadItem,
    ThreadItemDoneEvent,
    ThreadItemReplacedEvent,
    ThreadsCustomActionReq,
    ThreadsSyncCustomActionReq,
    ThreadStreamEvent,
    WidgetItem,
)
from chatkit.widgets import ListView, StrictWidgetRoot

import chatkit.widgets as W

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
REPO = Path(__file__).resolve().parents[3]
EVENT = TypeAdapter(ThreadStreamEvent)
STRICT_ROOT = TypeAdapter(StrictWidgetRoot)
PAGE = TypeAdapter(Page[ThreadItem])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self) -> None:
        todod = Path(os.environ.get("TODOD_BIN", REPO / ".build" / "debug" / "todod"))
        self.todoctl = todod.parent / "todoctl"
        self.tmp = Path(tempfile.mkdtemp(prefix="todod-widgets-"))
        self.llm = subprocess.Popen([sys.executable, str(REPO / "Tests" / "Browser" / "scripted_llm.py"), "--port", "0"],
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.llm.stdout.readline()
        m = re.match(r"listening on (\d+)", line or "")
        assert m, f"scripted_llm.py did not start: {line!r}"
        self.port = free_port()
        self.socket = str(self.tmp / "todod.sock")
        env = {**os.environ, "TODOD_LLM_BASE_URL": f"http://127.0.0.1:{m.group(1)}/v1", "TODOD_LLM_API_KEY": "k",
               "TODOD_LLM_MODEL": "scripted", "TODOD_CHAT_RATE_LIMIT": "100000"}
        self.log = open(self.tmp / "todod.log", "w")
        self.proc = subprocess.Popen([str(todod), "--data-dir", str(self.tmp / "data"), "--control-socket", self.socket,
                                      "--http", f"127.0.0.1:{self.port}"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                break
            except OSError:
                assert self.proc.poll() is None, (self.tmp / "todod.log").read_text()[-2000:]
                assert time.time() < deadline, "todod did not answer /healthz within 60 s"
                time.sleep(0.1)

    def ctl(self, *args: str) -> str:
        out = subprocess.run([str(self.todoctl), *args, "--socket", self.socket], capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return out.stdout

    def token(self) -> str:
        return self.ctl("token").strip()

    def close(self) -> None:
        for p in (self.proc, self.llm):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def daemon():
    d = Daemon()
    yield d
    d.close()


def post(d: Daemon, token: str, body: dict | str, path: str = "/api/chatkit") -> tuple[int, bytes]:
    data = body if isinstance(body, str) else json.dumps(body)
    req = urllib.request.Request(f"http://127.0.0.1:{d.port}{path}", data=data.encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def events(body: bytes) -> list:
    """Every SSE event, validated with the SDK's ThreadStreamEvent union."""
    frames = [f[len("data: "):] for f in body.decode().split("\n\n") if f.startswith("data: ")]
    return [EVENT.validate_json(f) for f in frames]


def assert_documented(node: dict, path: str = "widget") -> None:
    """Every component, recursively, validates as the SDK's own named class (not the loose dynamic fallback
    WidgetRoot/WidgetComponent would accept) and carries only props that class declares."""
    kind = node.get("type")
    cls = W.BasicRoot if kind == "Basic" else getattr(W, str(kind), None)
    assert isinstance(cls, type) and issubclass(cls, W.WidgetComponentBase), f"{path}: {kind} is not a documented component"
    unknown = set(node) - set(cls.model_fields)
    assert not unknown, f"{path}: {kind} has undocumented props {unknown}"
    kids = node.get("children")
    stub = {**node, "children": []} if isinstance(kids, list) else node
    cls.model_validate(stub)
    for i, child in enumerate(kids if isinstance(kids, list) else []):
        assert_documented(child, f"{path}.children[{i}]")


def test_documented_check_can_fail():
    """The checker rejects what the loose models let through (a wrong Badge colour, an undocumented prop)."""
    with pytest.raises(Exception):
        assert_documented({"type": "ListView", "children": [{"type": "ListViewItem", "children": [{"type": "Badge", "label": "P1", "color": "purple"}]}]})
    with pytest.raises(AssertionError):
        assert_documented({"type": "Card", "children": [{"type": "Text", "value": "x", "bogus": 1}]})


def raw_items(body: bytes, event_type: str) -> list[dict]:
    """The raw JSON items of the events of one type (as sent, before any model touched them)."""
    frames = [json.loads(f[len("data: "):]) for f in body.decode().split("\n\n") if f.startswith("data: ")]
    return [f["item"] for f in frames if f.get("type") == event_type]


def rows(root) -> dict[str, bool]:
    """task id → checked, from a strictly validated ListView."""
    assert isinstance(root, ListView), type(root)
    out = {}
    for item in root.children:
        if item.id and item.id.startswith("task-"):
            box = item.children[0]
            assert box.type == "Checkbox" and box.onChangeAction is not None
            out[item.id[len("task-"):]] = bool(box.defaultChecked)
    return out


def completed_titles(d: Daemon) -> list[str]:
    """The titles `todoctl list --status completed --json` prints."""
    listed = json.loads(d.ctl("list", "--status", "completed", "--json"))
    return [t["title"] for t in (listed.get("tasks", []) if isinstance(listed, dict) else listed)]


def test_widget_and_actions_validate_with_openai_chatkit(daemon):
    token = daemon.token()
    ids = {}
    for title in ("Buy milk", "Call mum"):
        status, body = post(daemon, token, {"title": title, "priority": 1}, path="/api/tasks")
        assert status == 201, body
        ids[title] = json.loads(body)["id"]

    status, body = post(daemon, token, {"type": "threads.create", "params": {"input": {
        "content": [{"type": "input_text", "text": "What's on my list?"}], "attachments": [], "inference_options": {}}}})
    assert status == 200, body
    stream = events(body)
    done = [e for e in stream if isinstance(e, ThreadItemDoneEvent) and isinstance(e.item, WidgetItem)]
    assert len(done) == 1, [e.type for e in stream]
    widget = done[0].item
    assert_documented([i for i in raw_items(body, "thread.item.done") if i["type"] == "widget"][0]["widget"])
    root = STRICT_ROOT.validate_python(widget.widget.model_dump(exclude_none=True))
    assert rows(root) == {ids["Buy milk"]: False, ids["Call mum"]: False}
    action = root.children[0].children[0].onChangeAction
    assert action.type == "todod.task.complete" and action.payload == {"task_id": ids["Buy milk"]}

    # The request as the SDK's own model builds it.
    req = ThreadsCustomActionReq(params={"thread_id": widget.thread_id, "item_id": widget.id,
                                         "action": {"type": action.type, "payload": action.payload}})
    status, body = post(daemon, token, req.model_dump_json())
    assert status == 200, body
    stream = events(body)
    assert [e.type for e in stream] == ["stream_options", "thread.item.replaced"]
    replaced = stream[1]
    assert isinstance(replaced, ThreadItemReplacedEvent) and isinstance(replaced.item, WidgetItem)
    assert replaced.item.id == widget.id
    assert_documented(raw_items(body, "thread.item.replaced")[0]["widget"])
    assert rows(STRICT_ROOT.validate_python(replaced.item.widget.model_dump(exclude_none=True)))[ids["Buy milk"]] is True

    # todoctl sees it done.
    assert completed_titles(daemon) == ["Buy milk"]

    # A reload (items.list) shows the stored widget done.
    status, body = post(daemon, token, {"type": "items.list", "params": {"thread_id": widget.thread_id, "order": "asc"}})
    page = PAGE.validate_json(body)
    stored = [i for i in page.data if isinstance(i, WidgetItem)]
    assert rows(STRICT_ROOT.validate_python(stored[0].widget.model_dump(exclude_none=True)))[ids["Buy milk"]] is True

    # The sync variant (reopen) answers with SyncCustomActionResponse.
    reopen = ThreadsSyncCustomActionReq(params={"thread_id": widget.thread_id, "item_id": widget.id,
                                                "action": {"type": "todod.task.reopen", "payload": {"task_id": ids["Buy milk"]}}})
    status, body = post(daemon, token, reopen.model_dump_json())
    assert status == 200, body
    sync = SyncCustomActionResponse.model_validate_json(body)
    assert isinstance(sync.updated_item, WidgetItem)
    assert rows(STRICT_ROOT.validate_python(sync.updated_item.widget.model_dump(exclude_none=True)))[ids["Buy milk"]] is False
    assert completed_titles(daemon) == []
