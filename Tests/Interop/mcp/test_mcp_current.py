"""MCP as current clients expect it (protocol revision 2025-11-25), with the official Python client (PyPI `mcp`),
over stdio (`todoctl mcp`) AND streamable HTTP (`POST /mcp`):

- tool annotations (Todoist's values), a title per tool, an outputSchema per tool, and every tool called
  successfully so the client validates its structuredContent against that schema (and we check it with jsonschema);
- input errors come back as tool results with isError, never as protocol errors;
- tools/list in a fixed order;
- resources: list, templates, read (today, upcoming, one task), and resources/subscribe → notifications/resources/updated;
- HTTP only: a foreign Origin gets 403 (POST and GET), an unknown MCP-Protocol-Version 400 with a JSON-RPC error.

Run:  python -m pytest -q Tests/Interop/mcp   (see test_mcp_stdio.py for TODOD_BIN / TODOCTL_BIN)
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
import warnings
from contextlib import asynccontextmanager

import anyio
import httpx2
import jsonschema
import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client

from test_mcp_http import http_daemon  # noqa: F401  (fixture)
from test_mcp_stdio import TODOCTL, attr, daemon, is_error, structured  # noqa: F401  (fixture)

ORDER = ["add_task", "list_tasks", "complete_task", "delete_task", "update_task"]
# (readOnlyHint, destructiveHint, idempotentHint): the values Todoist's MCP server uses.
HINTS = {
    "list_tasks": (True, False, True),
    "add_task": (False, False, False),
    "complete_task": (False, True, False),
    "update_task": (False, True, False),
    "delete_task": (False, True, True),
}


@asynccontextmanager
async def stdio_session(sock, handler):
    params = StdioServerParameters(command=TODOCTL, args=["mcp", "--socket", str(sock)])
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write, message_handler=handler) as session:
            yield session


@asynccontextmanager
async def http_session(url, token, handler):
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as streams:
            async with ClientSession(streams[0], streams[1], message_handler=handler) as session:
                yield session


async def exercise(open_session) -> dict:
    updates: list[str] = []
    got_update = anyio.Event()

    async def handler(message):
        if isinstance(message, types.ResourceUpdatedNotification):
            updates.append(str(message.params.uri))
            got_update.set()

    async with open_session(handler) as session:
        init = await session.initialize()
        tools = (await session.list_tools()).tools
        schemas = {t.name: attr(t, "output_schema", "outputSchema") for t in tools}
        # Every tool, successfully: call_tool raises if structuredContent does not validate against the outputSchema.
        results = {}
        results["add_task"] = await session.call_tool("add_task", {"title": "Current MCP", "due": "today", "priority": 1, "labels": ["x"]})
        task_id = structured(results["add_task"])["task_id"]
        results["list_tasks"] = await session.call_tool("list_tasks", {"view": "today"})
        results["update_task"] = await session.call_tool("update_task", {"task_id": task_id, "description": "notes"})
        results["complete_task"] = await session.call_tool("complete_task", {"task_id": task_id})
        results["delete_task"] = await session.call_tool("delete_task", {"task_id": task_id})
        # Input errors: tool results with isError, never protocol errors (call_tool would raise McpError).
        errors = [
            await session.call_tool("add_task", {"title": ""}),
            await session.call_tool("add_task", {"title": "x", "priority": 9}),
            await session.call_tool("add_task", {"title": "x", "due": "when pigs fly"}),
            await session.call_tool("list_tasks", {"status": "done"}),
            await session.call_tool("complete_task", {}),
            await session.call_tool("update_task", {"task_id": "t_missing", "title": "x"}),
            await session.call_tool("delete_task", {"task_id": "not an id!"}),
            await session.call_tool("add_task", {"title": "x", "owner": "bob"}),
        ]
        # Resources.
        resources = (await session.list_resources()).resources
        templates = attr(await session.list_resource_templates(), "resource_templates", "resourceTemplates")
        kept = structured(await session.call_tool("add_task", {"title": "Watched", "due": "tomorrow"}))
        today = await session.read_resource("todo://tasks/today")
        upcoming = await session.read_resource("todo://tasks/upcoming")
        one = await session.read_resource(f"todo://task/{kept['task_id']}")
        with pytest.raises(Exception):
            await session.read_resource("todo://task/t_missing")
        # Subscriptions (deprecated in the 2026 client API, still the 2025-11-25 way).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            await session.subscribe_resource(f"todo://task/{kept['task_id']}")
        await session.call_tool("update_task", {"task_id": kept["task_id"], "title": "Watched, renamed"})
        with anyio.fail_after(15):
            await got_update.wait()
        return dict(init=init, tools=tools, schemas=schemas, results=results, errors=errors, resources=resources,
                    templates=templates, today=today, upcoming=upcoming, one=one, kept=kept, updates=updates)


def check(r: dict) -> None:
    capabilities = attr(r["init"], "capabilities", "capabilities")
    assert capabilities.resources is not None and capabilities.resources.subscribe is True
    assert [t.name for t in r["tools"]] == ORDER
    for tool in r["tools"]:
        a = tool.annotations
        hints = (attr(a, "read_only_hint", "readOnlyHint"), attr(a, "destructive_hint", "destructiveHint"),
                 attr(a, "idempotent_hint", "idempotentHint"))
        assert hints == HINTS[tool.name], tool.name
        assert attr(a, "open_world_hint", "openWorldHint") is False
        assert tool.title, tool.name
        assert r["schemas"][tool.name]["type"] == "object", tool.name
    for name, result in r["results"].items():
        assert not is_error(result), (name, result.content)
        value = attr(result, "structured_content", "structuredContent")
        jsonschema.validate(value, r["schemas"][name])
        assert json.loads(result.content[0].text) == value  # the text form the model and old clients read
    for result in r["errors"]:
        assert is_error(result) and result.content[0].text, result
    assert [str(x.uri) for x in r["resources"]] == ["todo://tasks/today", "todo://tasks/upcoming"]
    assert [attr(t, "uri_template", "uriTemplate") for t in r["templates"]] == ["todo://task/{task_id}"]
    assert json.loads(r["today"].contents[0].text)["count"] == 0
    assert [t["title"] for t in json.loads(r["upcoming"].contents[0].text)["tasks"]] == ["Watched"]
    one = r["one"].contents[0]
    assert attr(one, "mime_type", "mimeType") == "application/json"
    assert json.loads(one.text)["task_id"] == r["kept"]["task_id"]
    assert r["updates"] and set(r["updates"]) == {f"todo://task/{r['kept']['task_id']}"}


def test_current_mcp_over_stdio(daemon):  # noqa: F811
    check(anyio.run(exercise, lambda handler: stdio_session(daemon, handler)))


def test_current_mcp_over_http(http_daemon):  # noqa: F811
    url, token = http_daemon
    check(anyio.run(exercise, lambda handler: http_session(url, token, handler)))


# MARK: - HTTP: Origin and MCP-Protocol-Version

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}}


def post(url, token, body, **headers):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json",
        "Accept": "application/json, text/event-stream", **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def sse_json(text: str) -> dict:
    data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:") and line[5:].strip()]
    return json.loads(data[-1] if data else text)


def test_http_origin_and_protocol_version(http_daemon):  # noqa: F811
    url, token = http_daemon
    host = url.split("/")[2]
    # A foreign Origin: 403 for POST (initialize) and for GET (the notification stream).
    status, _, _ = post(url, token, INIT, Origin="http://evil.example")
    assert status == 403
    req = urllib.request.Request(url, method="GET", headers={"Authorization": f"Bearer {token}", "Accept": "text/event-stream",
                                                             "Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 403
    # Our own Origin is fine; initialize negotiates 2025-11-25.
    status, headers, body = post(url, token, INIT, Origin=f"http://{host}")
    assert status == 200, body
    assert sse_json(body)["result"]["protocolVersion"] == "2025-11-25"
    session = next(v for k, v in headers.items() if k.lower() == "mcp-session-id")
    post(url, token, {"jsonrpc": "2.0", "method": "notifications/initialized"}, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"})
    listing = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
    status, _, body = post(url, token, listing, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"})
    assert status == 200 and [t["name"] for t in sse_json(body)["result"]["tools"]] == ORDER
    # An unknown protocol version: 400 with a JSON-RPC error naming the supported ones.
    status, _, body = post(url, token, listing, **{"Mcp-Session-Id": session, "MCP-Protocol-Version": "1999-01-01"})
    assert status == 400
    error = json.loads(body)["error"]
    assert "1999-01-01" in error["message"] and "2025-11-25" in error["message"]
