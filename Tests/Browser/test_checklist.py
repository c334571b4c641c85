"""The validation checklist of issue 5, walked in order in one signed-in browser context:
sign in, chat button, panel, list/add/complete through chat with tool badges, persistence
across close/reopen/reload, New chat + history, upstream error + Retry, panel sizes."""
from __future__ import annotations

import re

from playwright.sync_api import expect

TIMEOUT = 30_000


def send(page, text: str) -> None:
    """Types a message, sends it with Enter and waits for the reply stream to end."""
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_function("() => window.todod && window.todod.chat.busy === false && !document.querySelector('.msg.local')",
                           timeout=TIMEOUT)


def add_task_by_api(page, title: str) -> dict:
    return page.evaluate("""async (title) => {
        const r = await fetch('/api/tasks', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({title})});
        if (!r.ok) throw new Error('POST /api/tasks ' + r.status + ' ' + await r.text());
        return r.json();
    }""", title)


def badge(page, tool: str):
    return page.locator(f"#chat-log .badge[data-tool='{tool}']")


def last_reply(page):
    return page.locator("#chat-log .msg.assistant").last


def test_sign_in_shows_tasks_and_chat_button(session):
    page, errors = session
    expect(page.locator("#tasks-heading")).to_be_visible()
    expect(page.locator("#sign-out")).to_be_visible()
    expect(page.locator("#chat-toggle")).to_be_visible()
    expect(page.locator("#chat-panel")).to_be_hidden()
    assert "#" not in page.url, "the one-time code must not stay in the address bar"
    add_task_by_api(page, "Buy groceries")
    expect(page.locator(".task-title", has_text="Buy groceries")).to_be_visible(timeout=TIMEOUT)
    assert not errors, errors


def test_open_panel_focuses_composer(session):
    page, _ = session
    page.click("#chat-toggle")
    expect(page.locator("#chat-panel")).to_be_visible()
    expect(page.locator("#chat-input")).to_be_focused()
    expect(page.locator("#chat-toggle")).to_have_attribute("aria-expanded", "true")


def test_show_tasks_gets_list_tasks_badge(session):
    page, errors = session
    send(page, "Show me my tasks")
    expect(page.locator("#chat-log .msg.user").last).to_have_text("Show me my tasks")
    expect(badge(page, "list_tasks").last).to_be_visible()
    expect(badge(page, "list_tasks").last).to_have_attribute("data-state", "done")
    expect(last_reply(page)).to_contain_text("Buy groceries")
    # the reply is Markdown rendered as elements (a list), not raw text
    expect(last_reply(page).locator("li")).not_to_have_count(0)
    expect(page.locator("#chat-announcer")).to_contain_text("Buy groceries")
    assert not errors, errors


def test_add_task_by_chat_appears_without_reload(session):
    page, _ = session
    page.evaluate("window.__noReload = true")
    send(page, "Add a task called 'Meeting prep'")
    expect(badge(page, "add_task").last).to_have_attribute("data-state", "done")
    expect(page.locator("#task-list .task-title", has_text="Meeting prep")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("window.__noReload") is True, "the page reloaded"


def test_complete_grocery_task_by_chat(session):
    page, _ = session
    send(page, "Mark my grocery task as done")
    expect(badge(page, "complete_task").last).to_have_attribute("data-state", "done")
    row = page.locator("#task-list .task", has=page.locator(".task-title", has_text="Buy groceries"))
    expect(row).to_have_class(re.compile(r"\bdone\b"), timeout=TIMEOUT)
    expect(row.locator("input[type=checkbox]")).to_be_checked()


def test_messages_survive_close_reopen_and_reload(session):
    page, _ = session
    count = page.locator("#chat-log .msg.user").count()
    assert count == 3
    page.click("#chat-close")
    expect(page.locator("#chat-panel")).to_be_hidden()
    expect(page.locator("#chat-toggle")).to_be_focused()
    page.click("#chat-toggle")
    expect(page.locator("#chat-log .msg.user")).to_have_count(count)
    page.reload()
    page.wait_for_selector("#tasks-heading")
    page.click("#chat-toggle")
    expect(page.locator("#chat-log .msg.user")).to_have_count(count, timeout=TIMEOUT)
    expect(page.locator("#chat-log .msg.user").first).to_have_text("Show me my tasks")
    expect(badge(page, "add_task")).to_have_count(1)
    expect(badge(page, "complete_task")).to_have_count(1)


def test_new_chat_is_empty_and_history_lists_both(session):
    page, _ = session
    first_thread = page.evaluate("localStorage.getItem('todod.chat.thread')")
    assert first_thread
    page.click("#chat-new")
    expect(page.locator("#chat-log .item")).to_have_count(0)
    expect(page.locator(".chat-empty")).to_be_visible()
    assert page.evaluate("localStorage.getItem('todod.chat.thread')") is None
    send(page, "Hello there")
    expect(last_reply(page)).to_be_visible()
    second_thread = page.evaluate("localStorage.getItem('todod.chat.thread')")
    assert second_thread and second_thread != first_thread
    page.click("button[aria-controls=chat-history]")
    rows = page.locator("#chat-history .thread-row")
    expect(rows).to_have_count(2, timeout=TIMEOUT)
    # newest first; both threads open from the list
    assert rows.nth(0).get_attribute("data-thread-id") == second_thread
    assert rows.nth(1).get_attribute("data-thread-id") == first_thread
    rows.nth(1).locator(".thread-open").click()
    expect(page.locator("#chat-log .msg.user").first).to_have_text("Show me my tasks", timeout=TIMEOUT)
    assert page.evaluate("localStorage.getItem('todod.chat.thread')") == first_thread


def test_rename_thread_from_history(session):
    page, _ = session
    page.click("button[aria-controls=chat-history]")
    row = page.locator("#chat-history .thread-row").nth(1)
    row.get_by_role("button", name=re.compile("^Rename")).click()
    page.locator("#chat-history .rename-form input").fill("Groceries and meetings")
    page.keyboard.press("Enter")
    expect(page.locator("#chat-history .thread-title", has_text="Groceries and meetings")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#chat-title")).to_have_text("Groceries and meetings")
    page.click("button[aria-controls=chat-history]")


def test_upstream_error_shows_retry_and_retry_works(session):
    page, _ = session
    page.click("#chat-new")
    send(page, "Trigger an upstream error please")
    error = page.locator("#chat-log .msg.error")
    expect(error).to_have_count(1)
    expect(error.get_by_role("button", name="Retry")).to_be_visible()
    error.get_by_role("button", name="Retry").click()
    page.wait_for_function("() => window.todod.chat.busy === false", timeout=TIMEOUT)
    expect(page.locator("#chat-log .msg.error")).to_have_count(0, timeout=TIMEOUT)
    expect(last_reply(page)).to_contain_text("back", timeout=TIMEOUT)
    expect(page.locator("#chat-log .msg.user")).to_have_count(1)


def test_panel_is_400px_on_desktop_and_full_screen_on_phone(session):
    page, _ = session
    page.set_viewport_size({"width": 1280, "height": 800})
    box = page.locator("#chat-panel").bounding_box()
    assert round(box["width"]) == 400, box
    toggle = page.locator("#chat-toggle").bounding_box()
    assert box["y"] + box["height"] <= toggle["y"], "the panel sits above the button"
    page.set_viewport_size({"width": 390, "height": 844})
    box = page.locator("#chat-panel").bounding_box()
    assert (round(box["x"]), round(box["y"]), round(box["width"]), round(box["height"])) == (0, 0, 390, 844), box
    expect(page.locator("#chat-close")).to_be_visible()
    page.focus("#chat-input")
    page.keyboard.press("Escape")
    expect(page.locator("#chat-panel")).to_be_hidden()
    expect(page.locator("#chat-toggle")).to_be_focused()
    page.set_viewport_size({"width": 1280, "height": 800})


def test_stop_cancels_a_streaming_reply(session):
    page, _ = session
    page.click("#chat-toggle")
    page.fill("#chat-input", "Please answer slowly with a long story")
    page.press("#chat-input", "Enter")
    expect(page.locator("#chat-stop")).to_be_visible()
    expect(page.locator(".thinking")).to_be_visible()
    # the first delta replaces the thinking indicator
    expect(last_reply(page)).not_to_have_text("", timeout=TIMEOUT)
    expect(page.locator(".thinking")).to_be_hidden()
    page.click("#chat-stop")
    page.wait_for_function("() => window.todod.chat.busy === false", timeout=TIMEOUT)
    expect(page.locator("#chat-log .msg.stopped")).to_have_count(1)
    expect(page.locator("#chat-send")).to_be_visible()


def test_shift_enter_is_a_newline(session):
    page, _ = session
    page.fill("#chat-input", "line one")
    page.press("#chat-input", "Shift+Enter")
    page.keyboard.type("line two")
    assert page.input_value("#chat-input") == "line one\nline two"
    assert page.evaluate("window.todod.chat.busy") is False
    page.fill("#chat-input", "")


def test_delete_thread_from_history(session):
    page, _ = session
    if page.locator("#chat-panel").is_hidden():
        page.click("#chat-toggle")
    page.click("#chat-new")
    send(page, "Hello, short-lived thread")
    doomed = page.evaluate("localStorage.getItem('todod.chat.thread')")
    page.click("button[aria-controls=chat-history]")
    row = page.locator(f"#chat-history .thread-row[data-thread-id='{doomed}']")
    expect(row).to_be_visible(timeout=TIMEOUT)
    before = page.locator("#chat-history .thread-row").count()
    row.get_by_role("button", name=re.compile("^Delete")).click()
    # an inline confirmation; "Keep" is focused so Enter cannot delete by accident
    expect(page.locator("#chat-history .confirm-text")).to_be_visible()
    page.locator("#chat-history").get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator("#chat-history .thread-row")).to_have_count(before - 1, timeout=TIMEOUT)
    expect(row).to_have_count(0)
    # the open thread was the deleted one: the panel starts a new chat
    assert page.evaluate("localStorage.getItem('todod.chat.thread')") is None
    listed = page.evaluate("""async () => (await (await fetch('/api/chatkit', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'threads.list', params: { limit: 100 } }) })).json()).data.map((t) => t.id)""")
    assert doomed not in listed
