"""The tasks page: add, validation, edit in place, complete/reopen, status filter, delete + undo,
live updates from another tab, sign-out and the signed-out view."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from conftest import sign_in

TIMEOUT = 30_000


def row(page, title: str):
    return page.locator("#task-list .task", has=page.locator(".task-title", has_text=re.compile(f"^{re.escape(title)}$")))


def test_signed_out_visitor_sees_only_how_to_sign_in(browser, backend):
    context = browser.new_context()
    page = context.new_page()
    page.goto(backend.base_url + "/")
    expect(page.get_by_role("heading", name="Sign in to todod")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("pre.command")).to_have_text("todoctl open")
    expect(page.locator("#task-list")).to_have_count(0)
    expect(page.locator("#chat-toggle")).to_have_count(0)
    expect(page.locator("#sign-out")).to_be_hidden()
    context.close()


def test_bad_login_code_says_so(browser, backend):
    context = browser.new_context()
    page = context.new_page()
    page.goto(backend.base_url + "/login#not-a-real-code")
    expect(page.locator("#login-status")).to_contain_text("invalid", timeout=TIMEOUT)
    assert "#" not in page.url
    context.close()


def test_add_validate_edit_complete_filter(session):
    page, errors = session
    # an empty title is refused where it was typed
    page.fill("#new-title", "   ")
    page.click(".add-task button[type=submit]")
    expect(page.locator("#new-error")).to_have_text(re.compile("title", re.I))
    expect(page.locator("#new-title")).to_have_attribute("aria-invalid", "true")
    # a too-long title gets the server's 422 at the same place
    page.evaluate("document.getElementById('new-title').removeAttribute('maxlength')")
    page.fill("#new-title", "x" * 201)
    page.press("#new-title", "Enter")
    expect(page.locator("#new-error")).to_contain_text(re.compile("title", re.I), timeout=TIMEOUT)
    # add
    page.fill("#new-title", "Write report")
    page.press("#new-title", "Enter")
    expect(row(page, "Write report")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#new-error")).to_be_hidden()
    expect(page.locator("#new-title")).to_have_value("")
    # edit title and notes in place
    row(page, "Write report").get_by_role("button", name=re.compile("^Edit")).click()
    form = page.locator("#task-list .edit-form")
    form.get_by_label("Title").fill("Write the report")
    form.get_by_label("Notes").fill("Due Friday")
    form.get_by_role("button", name="Save").click()
    expect(row(page, "Write the report")).to_be_visible(timeout=TIMEOUT)
    expect(row(page, "Write the report").locator(".task-desc")).to_have_text("Due Friday")
    # Escape cancels an edit
    row(page, "Write the report").get_by_role("button", name=re.compile("^Edit")).click()
    page.locator("#task-list .edit-form").get_by_label("Title").fill("Something else")
    page.keyboard.press("Escape")
    expect(row(page, "Write the report")).to_be_visible()
    # complete, filter, reopen
    row(page, "Write the report").locator("input[type=checkbox]").check()
    expect(row(page, "Write the report")).to_have_class(re.compile(r"\bdone\b"), timeout=TIMEOUT)
    page.select_option("#filter-status", "pending")
    expect(row(page, "Write the report")).to_have_count(0)
    page.select_option("#filter-status", "completed")
    expect(row(page, "Write the report")).to_be_visible()
    row(page, "Write the report").locator("input[type=checkbox]").click()
    expect(row(page, "Write the report")).to_have_count(0, timeout=TIMEOUT)
    page.select_option("#filter-status", "pending")
    expect(row(page, "Write the report")).to_be_visible()
    page.select_option("#filter-status", "all")
    assert not [e for e in errors if "Refused" in e], errors


def test_delete_with_undo_then_delete(session):
    page, _ = session
    page.fill("#new-title", "Temporary task")
    page.press("#new-title", "Enter")
    expect(row(page, "Temporary task")).to_be_visible(timeout=TIMEOUT)
    row(page, "Temporary task").get_by_role("button", name=re.compile("^Delete")).click()
    expect(row(page, "Temporary task")).to_have_count(0)
    page.locator(".toast").get_by_role("button", name="Undo").click()
    expect(row(page, "Temporary task")).to_be_visible()
    row(page, "Temporary task").get_by_role("button", name=re.compile("^Delete")).click()
    expect(row(page, "Temporary task")).to_have_count(0)
    # after the undo window the server really deleted it
    page.wait_for_function("""async () => {
        const r = await fetch('/api/tasks?status=all');
        const body = await r.json();
        const list = Array.isArray(body) ? body : (body.tasks || body.data || []);
        return !list.some((t) => t.title === 'Temporary task');
    }""", timeout=TIMEOUT, polling=500)


def test_live_update_from_another_tab(session):
    page, _ = session
    other = page.context.new_page()
    other.goto(page.url)
    other.wait_for_selector("#tasks-heading")
    other.fill("#new-title", "Added in another tab")
    other.press("#new-title", "Enter")
    expect(row(other, "Added in another tab")).to_be_visible(timeout=TIMEOUT)
    # the first tab gets it from /api/events, without a reload
    expect(row(page, "Added in another tab")).to_be_visible(timeout=TIMEOUT)
    row(other, "Added in another tab").locator("input[type=checkbox]").check()
    expect(row(page, "Added in another tab")).to_have_class(re.compile(r"\bdone\b"), timeout=TIMEOUT)
    other.close()


def test_sign_out_clears_session_and_thread(browser, backend):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, backend)
    page.evaluate("localStorage.setItem('todod.chat.thread', 'thr_x')")
    page.click("#sign-out")
    expect(page.get_by_role("heading", name="Sign in to todod")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("localStorage.getItem('todod.chat.thread')") is None
    page.reload()
    expect(page.get_by_role("heading", name="Sign in to todod")).to_be_visible(timeout=TIMEOUT)
    status = page.evaluate("fetch('/api/tasks').then((r) => r.status)")
    assert status == 401
    context.close()


def test_chat_after_the_session_ended_goes_back_to_sign_in(browser, backend):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, backend)
    other = context.new_page()
    other.goto(backend.base_url + "/")
    other.click("#sign-out")
    expect(other.get_by_role("heading", name="Sign in to todod")).to_be_visible(timeout=TIMEOUT)
    # the first tab still shows the tasks; its next chat request gets 401 and shows sign-in
    page.click("#chat-toggle")
    page.fill("#chat-input", "Show me my tasks")
    page.press("#chat-input", "Enter")
    expect(page.get_by_role("heading", name="Sign in to todod")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#chat-panel")).to_have_count(0)
    context.close()
