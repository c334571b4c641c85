"""The official MCP Python client (PyPI `mcp`) over streamable HTTP: `POST /mcp` with the bearer token.

Run:  /work/.venv-mcp/bin/python -m pytest -q Tests/Interop/mcp
Starts its own todod (temp dir, free port) and takes a token from `todoctl token`.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from test_mcp_stdio import TODOD, TODOCTL, TOOLS, is_error, structured


@pytest.fixture()
def http_daemon():
    tmp = Path(tempfile.mkdtemp(prefix="todod-agent-mcp-http-"))
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    sock = tmp / "ctl.sock"
    log = open(tmp / "todod.log", "wb")
    proc = subprocess.Popen([TODOD, "--data-dir", str(tmp / "data"), "--control-socket", str(sock), "--http", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("todod did not start: " + (tmp / "todod.log").read_text())
            time.sleep(0.05)
    token = subprocess.run([TODOCTL, "token", "--socket", str(sock)], capture_output=True, text=True, check=True).stdout.strip()
    yield f"http://127.0.0.1:{port}/mcp", token
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


async def exercise(url: str, token: str | None) -> dict:
    headers = {"Authorization": f"Bearer {token}", "X-Time-Zone": "Pacific/Kiritimati"} if token else {}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            read, write = streams[0], streams[1]
            async with ClientSession(read, write) as session:
                await session.initialize()
                tools = {t.name for t in (await session.list_tools()).tools}
                added = await session.call_tool("add_task", {"title": "Over HTTP"})
                task_id = structured(added)["task_id"]
                listed = await session.call_tool("list_tasks", {"status": "pending"})
                updated = await session.call_tool("update_task", {"task_id": task_id, "description": "via streamable HTTP"})
                completed = await session.call_tool("complete_task", {"task_id": task_id})
                deleted = await session.call_tool("delete_task", {"task_id": task_id})
                missing = await session.call_tool("delete_task", {"task_id": task_id})
                dated = await session.call_tool("add_task", {"title": "Dated", "due": "today"})
                listed_today = await session.call_tool("list_tasks", {"due": "today"})
                rent = await session.call_tool("add_task", {"title": "Pay rent", "recurrence": "every month on the 1st", "priority": 2})
                cleared = await session.call_tool("update_task", {"task_id": structured(rent)["task_id"], "clear": ["priority"]})
                return dict(tools=tools, added=added, listed=listed, updated=updated, completed=completed, deleted=deleted, missing=missing,
                            dated=dated, listed_today=listed_today, rent=rent, cleared=cleared)


def test_official_client_over_streamable_http(http_daemon):
    url, token = http_daemon
    r = anyio.run(exercise, url, token)
    assert r["tools"] == TOOLS
    assert structured(r["added"])["status"] == "created"
    assert structured(r["listed"])["count"] == 1
    assert structured(r["updated"])["status"] == "updated"
    assert structured(r["completed"])["status"] == "completed"
    assert structured(r["deleted"])["status"] == "deleted"
    assert is_error(r["missing"])
    # "today" is read in the X-Time-Zone the client sends (UTC+14), not the daemon's zone.
    kiritimati = datetime.now(timezone(timedelta(hours=14))).date().isoformat()
    assert structured(r["dated"])["due"] == kiritimati
    assert [t["title"] for t in structured(r["listed_today"])["tasks"]] == ["Dated"]
    rent = structured(r["rent"])
    assert rent["recurrence"] == "FREQ=MONTHLY;BYMONTHDAY=1" and rent["recurrence_text"] == "every month on the 1st"
    assert rent["due"].endswith("-01") and " 1 " in rent["due_text"] and rent["priority"] == 2
    assert "priority" not in structured(r["cleared"]) and structured(r["cleared"])["recurrence"] == rent["recurrence"]


def test_mcp_http_requires_the_token(http_daemon):
    url, _ = http_daemon
    body = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}'
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 401
