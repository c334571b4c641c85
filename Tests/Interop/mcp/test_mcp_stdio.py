"""The official MCP Python client (PyPI `mcp`) against `todoctl mcp` (stdio) and a running todod.

Run:  /work/.venv-mcp/bin/python -m pytest -q Tests/Interop/mcp
Env:  TODOD_BIN / TODOCTL_BIN (default .build/debug/todod and .build/debug/todoctl, relative to the repo root).
The test starts its own todod (temp data dir, temp control socket, HTTP off) and stops it.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = Path(__file__).resolve().parents[3]
TODOD = os.environ.get("TODOD_BIN", str(ROOT / ".build/debug/todod"))
TODOCTL = os.environ.get("TODOCTL_BIN", str(ROOT / ".build/debug/todoctl"))
TOOLS = {"add_task", "list_tasks", "complete_task", "delete_task", "update_task"}


@pytest.fixture()
def daemon():
    tmp = Path(tempfile.mkdtemp(prefix="todod-agent-mcp-"))
    sock = tmp / "ctl.sock"
    log = open(tmp / "todod.log", "wb")
    proc = subprocess.Popen(
        [TODOD, "--data-dir", str(tmp / "data"), "--control-socket", str(sock), "--http", "off"],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("todod did not start: " + (tmp / "todod.log").read_text())
        time.sleep(0.05)
    yield sock
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def attr(obj, snake: str, camel: str):
    """mcp 2.x uses snake_case attributes, 1.x camelCase: accept both."""
    return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, camel)


def structured(result):
    value = attr(result, "structured_content", "structuredContent")
    return value if value is not None else json.loads(result.content[0].text)


def is_error(result) -> bool:
    return bool(attr(result, "is_error", "isError"))


async def exercise(sock: Path) -> dict:
    params = StdioServerParameters(command=TODOCTL, args=["mcp", "--socket", str(sock)])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            listed = await session.list_tools()
            tools = {t.name: t for t in listed.tools}
            added = await session.call_tool("add_task", {"title": "Meeting prep", "description": "slides"})
            task_id = structured(added)["task_id"]
            updated = await session.call_tool("update_task", {"task_id": task_id, "title": "Meeting prep v2"})
            pending = await session.call_tool("list_tasks", {"status": "pending"})
            completed = await session.call_tool("complete_task", {"task_id": task_id})
            done = await session.call_tool("list_tasks", {"status": "completed"})
            missing = await session.call_tool("complete_task", {"task_id": "t_doesnotexist"})
            invalid = await session.call_tool("add_task", {"title": "x" * 201})
            deleted = await session.call_tool("delete_task", {"task_id": task_id})
            after = await session.call_tool("list_tasks", {})
            bad_due = await session.call_tool("add_task", {"title": "x", "due": "someday soon"})
            rent = await session.call_tool("add_task", {"title": "Pay rent", "recurrence": "every month on the 1st", "labels": ["Bills"]})
            dated = await session.call_tool("list_tasks", {"due": "any", "label": "bills", "sort": "due"})
            return dict(init=init, tools=tools, added=added, task_id=task_id, updated=updated, pending=pending,
                        completed=completed, done=done, missing=missing, invalid=invalid, deleted=deleted, after=after,
                        bad_due=bad_due, rent=rent, dated=dated)


def test_official_client_lists_and_calls_all_five_tools(daemon):
    r = anyio.run(exercise, daemon)
    assert attr(r["init"], "server_info", "serverInfo").name == "todod-tasks"
    assert set(r["tools"]) == TOOLS
    assert attr(r["tools"]["list_tasks"].annotations, "read_only_hint", "readOnlyHint") is True
    assert attr(r["tools"]["delete_task"].annotations, "destructive_hint", "destructiveHint") is True
    assert attr(r["tools"]["add_task"], "input_schema", "inputSchema")["properties"]["title"]["maxLength"] == 200
    for tool in r["tools"].values():
        assert "user" not in attr(tool, "input_schema", "inputSchema").get("properties", {})

    assert not is_error(r["added"])
    added = structured(r["added"])
    assert {k: added[k] for k in ("task_id", "status", "title", "completed")} == {
        "task_id": r["task_id"], "status": "created", "title": "Meeting prep", "completed": False}
    assert "due" not in added
    assert structured(r["updated"])["title"] == "Meeting prep v2"
    pending = structured(r["pending"])
    assert pending["count"] == 1 and pending["tasks"][0]["description"] == "slides"
    assert structured(r["completed"])["status"] == "completed"
    assert [t["task_id"] for t in structured(r["done"])["tasks"]] == [r["task_id"]]
    assert is_error(r["missing"]) and "not found" in r["missing"].content[0].text.lower()
    assert is_error(r["invalid"]) and "title" in r["invalid"].content[0].text
    assert structured(r["deleted"])["status"] == "deleted"
    assert structured(r["after"])["count"] == 0

    # Dates in words are resolved by the server; the result carries the ISO value and its words.
    for name in ("add_task", "update_task", "list_tasks"):
        assert attr(r["tools"][name], "output_schema", "outputSchema")["type"] == "object"
    assert "due_before" in attr(r["tools"]["list_tasks"], "input_schema", "inputSchema")["properties"]
    assert is_error(r["bad_due"]) and "Invalid due" in r["bad_due"].content[0].text
    rent = structured(r["rent"])
    assert rent["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1" and rent["recurrence_text"] == "every month on the 1st"
    assert rent["due"].endswith("-01") and " 1 " in rent["due_text"] and rent["labels"] == ["bills"]
    assert [t["title"] for t in structured(r["dated"])["tasks"]] == ["Pay rent"]


def test_changes_are_visible_to_todoctl(daemon):
    async def add() -> str:
        params = StdioServerParameters(command=TODOCTL, args=["mcp", "--socket", str(daemon)])
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return structured(await session.call_tool("add_task", {"title": "Seen by todoctl"}))["task_id"]

    task_id = anyio.run(add)
    out = subprocess.run([TODOCTL, "list", "--json", "--socket", str(daemon)], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    assert task_id in out.stdout and "Seen by todoctl" in out.stdout
