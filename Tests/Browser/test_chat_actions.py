"""The built-in panel's message actions and start screen (issue 12, "the rest of the ChatKit surface"):
start-screen prompts send; thumbs up/down on an assistant message are stored by todod (counted in
`todoctl status`, latest verdict per message); the copy button puts the message's text on the clipboard."""
from __future__ import annotations

import json
import subprocess

import pytest
from playwright.sync_api import expect

TIMEOUT = 30_000


def wait_idle(page) -> None:
    page.wait_for_function("() => window.todod && window.todod.chat.busy === false && !document.querySelector('.msg.local')",
                           timeout=TIMEOUT)


def feedback_counts(backend) -> dict:
    """`todoctl status --json`'s feedback counts for the signed-in user (the user running the tests)."""
    out = subprocess.run([str(backend.todoctl), "status", "--json"], env=backend.env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout).get("feedback") or {"positive": 0, "negative": 0}


def human_status(backend) -> str:
    out = subprocess.run([str(backend.todoctl), "status"], env=backend.env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout


SNAPSHOT = """async () => {
    const threads = await fetch('/api/chatkit', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({type: 'threads.list', params: {limit: 100}})}).then((r) => r.json());
    const tasks = await fetch('/api/tasks?status=all').then((r) => r.json());
    return {threads: threads.data.map((t) => t.id), tasks: (Array.isArray(tasks) ? tasks : tasks.tasks).map((t) => t.id)};
}"""

CLEANUP = """async ({threads, tasks}) => {
    for (const id of threads) {
        await fetch('/api/chatkit', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({type: 'threads.delete', params: {thread_id: id}})});
    }
    const failed = [];
    for (const id of tasks) {
        const r = await fetch('/api/tasks/' + id, {method: 'DELETE', headers: {'Content-Type': 'application/json'}});
        if (!r.ok) failed.push(id + ': ' + r.status + ' ' + await r.text());
    }
    return failed;
}"""


@pytest.fixture(scope="module")
def chat(session):
    """The open panel on a new chat. Afterwards the threads and tasks this module made are deleted again
    (the backend and the signed-in user are shared with the other modules, which count threads and tasks)."""
    page, errors = session
    before = page.evaluate(SNAPSHOT)
    page.click("#chat-toggle")
    expect(page.locator("#chat-panel")).to_be_visible()
    page.click("#chat-new")
    yield page, errors
    after = page.evaluate(SNAPSHOT)
    failed = page.evaluate(CLEANUP, {"threads": [t for t in after["threads"] if t not in before["threads"]],
                            "tasks": [t for t in after["tasks"] if t not in before["tasks"]]})
    assert failed == []
    page.click("#chat-new")
    page.click("#chat-close")
    assert page.evaluate(SNAPSHOT) == before


def test_start_screen_prompts_send(chat):
    page, errors = chat
    start = page.locator("#chat-start")
    expect(start).to_be_visible()
    prompts = start.locator("button.start-prompt")
    expect(prompts).to_have_count(2)
    expect(prompts.nth(0)).to_have_text("What's due today?")
    expect(prompts.nth(1)).to_have_text("Add a task…")
    prompts.nth(0).click()
    expect(page.locator("#chat-log .msg.user").last).to_have_text("What's due today?", timeout=TIMEOUT)
    wait_idle(page)
    expect(page.locator("#chat-log .msg.assistant").last.locator(".bubble")).not_to_have_text("", timeout=TIMEOUT)
    expect(start).to_be_hidden()
    # The thread exists on the server with that message as its first item.
    thread = page.evaluate("() => window.todod.chat.threadId")
    assert thread
    items = page.evaluate("""async (id) => {
        const r = await fetch('/api/chatkit', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({type: 'items.list', params: {thread_id: id, order: 'asc'}})});
        return (await r.json()).data;
    }""", thread)
    first_user = next(i for i in items if i["type"] == "user_message")
    assert first_user["content"][0]["text"] == "What's due today?"
    # A new chat shows the start screen again; the second prompt sends too.
    page.click("#chat-new")
    expect(start).to_be_visible()
    start.locator("button.start-prompt").nth(1).click()
    expect(page.locator("#chat-log .msg.user").last).to_have_text("Help me add a task.", timeout=TIMEOUT)
    wait_idle(page)
    assert not errors, errors


def test_feedback_is_stored_and_counted(chat, backend):
    if backend.name != "daemon":
        pytest.skip("todoctl status needs the real daemon")
    page, errors = chat
    before = feedback_counts(backend)
    reply = page.locator("#chat-log .msg.assistant").last
    actions = reply.locator(".msg-actions")
    expect(actions).to_be_visible()
    up, down = actions.locator("[data-kind=positive]"), actions.locator("[data-kind=negative]")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    after = feedback_counts(backend)
    assert after == {"positive": before["positive"] + 1, "negative": before["negative"]}, (before, after)
    # Changing one's mind replaces the verdict on that message: still one rated message.
    down.click()
    expect(down).to_have_attribute("aria-pressed", "true")
    expect(up).to_have_attribute("aria-pressed", "false")
    changed = feedback_counts(backend)
    assert changed == {"positive": before["positive"], "negative": before["negative"] + 1}, (before, changed)
    assert "chat feedback" in human_status(backend)
    assert not errors, errors


def test_actions_hidden_while_streaming(chat):
    page, _ = chat
    page.fill("#chat-input", "tell me a story slowly")
    page.press("#chat-input", "Enter")
    streaming = page.locator("#chat-log .msg.assistant[data-streaming]")
    expect(streaming).to_have_count(1, timeout=TIMEOUT)
    expect(streaming.locator(".msg-actions")).to_be_hidden()
    wait_idle(page)
    expect(page.locator("#chat-log .msg.assistant[data-streaming]")).to_have_count(0)
    expect(page.locator("#chat-log .msg.assistant").last.locator(".msg-actions")).to_be_visible()


def test_copy_puts_the_message_on_the_clipboard(chat, backend):
    page, errors = chat
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=backend.base_url)
    reply = page.locator("#chat-log .msg.assistant").last
    text = page.evaluate("""() => {
        const node = [...document.querySelectorAll('#chat-log .msg.assistant')].pop();
        return window.todod.chat.items.get(node.dataset.itemId).item.content.map((p) => p.text).join('');
    }""")
    assert text.strip()
    copy = reply.locator("[data-action=copy]")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == text
    assert not errors, errors
