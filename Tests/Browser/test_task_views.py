"""Task model v2 in the page (issue 9): quick add with a preview, the browser's zone on every request,
Today / Upcoming / All with counts and the project filter, editing every field (and clearing it),
undo of a delete, an edit and an assistant's change, and the open chat panel leaving the rows'
buttons uncovered at 1280 px."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import sign_in

TIMEOUT = 30_000
ZONE = "America/New_York"


@pytest.fixture(scope="module")
def session(browser, backend):
    """A signed-in desktop context in a zone far from UTC (so a zone mix-up shows)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id=ZONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, backend)
    yield page, errors
    context.close()


def row(page, title: str):
    return page.locator("#task-list .task", has=page.locator(".task-title", has_text=re.compile(f"^{re.escape(title)}$")))


def add_by_api(page, body: dict) -> dict:
    return page.evaluate("""async (body) => {
        const r = await fetch('/api/tasks', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-Time-Zone': Intl.DateTimeFormat().resolvedOptions().timeZone}, body: JSON.stringify(body)});
        if (!r.ok) throw new Error('POST /api/tasks ' + r.status + ' ' + await r.text());
        return r.json();
    }""", body)


def get_task(page, task_id: str) -> dict:
    return page.evaluate("""async (id) => (await fetch('/api/tasks/' + id)).json()""", task_id)


def local_date(page, days: int) -> str:
    """The browser's local date `days` from today, as YYYY-MM-DD."""
    return page.evaluate("""(days) => { const d = new Date(); d.setDate(d.getDate() + days);
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`; }""", days)


def view(page, key: str) -> None:
    page.click(f"#view-{key}")
    expect(page.locator(f"#view-{key}")).to_have_attribute("aria-selected", "true")


def show_all(page) -> None:
    """All tasks, no project or label filter (whatever an earlier test left)."""
    page.select_option("#filter-project", "")
    page.select_option("#filter-label", "")
    view(page, "all")
    page.select_option("#filter-status", "all")


def test_quick_add_previews_what_it_understood_then_saves(session):
    page, errors = session
    zones: list[str | None] = []
    page.on("request", lambda r: zones.append(r.headers.get("x-time-zone")) if "/api/" in r.url else None)
    show_all(page)
    page.fill("#new-title", "Pay rent every month on the 1st p1 @bills #home")
    preview = page.locator("#new-preview")
    expect(preview.locator("[data-kind=title]")).to_contain_text("Pay rent", timeout=TIMEOUT)
    expect(preview.locator("[data-kind=due]")).to_contain_text(re.compile(r"\b1\b"))
    expect(preview.locator("[data-kind=recurrence]")).to_contain_text("every month on the 1st")
    expect(preview.locator("[data-kind=priority]")).to_have_text(re.compile(r"p1$"))
    expect(preview.locator("[data-kind=label]")).to_have_text(re.compile(r"@bills$"))
    expect(preview.locator("[data-kind=project]")).to_have_text(re.compile(r"#home$"))
    # nothing was saved by the preview
    expect(row(page, "Pay rent")).to_have_count(0)
    page.press("#new-title", "Enter")
    saved = row(page, "Pay rent")
    expect(saved).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("#new-title")).to_have_value("")
    expect(preview).to_be_hidden()
    expect(saved.locator(".chip.due")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-01$"))
    expect(saved.locator(".chip.recurrence")).to_contain_text("every month on the 1st")
    expect(saved.locator(".chip.priority")).to_have_text(re.compile(r"p1$"))
    expect(saved.locator(".chip.label")).to_have_text("@bills")
    expect(saved.locator(".chip.project")).to_have_text("#home")
    assert zones and all(z == ZONE for z in zones), zones
    assert not errors, errors


def test_quick_add_reads_times_in_the_browsers_zone(session):
    page, _ = session
    page.fill("#new-title", "Call the bank tomorrow at 5pm")
    expect(page.locator("#new-preview [data-kind=due]")).to_contain_text("17:00", timeout=TIMEOUT)
    page.press("#new-title", "Enter")
    expect(row(page, "Call the bank").locator(".chip.due")).to_have_text(re.compile(r"tomorrow 17:00$"), timeout=TIMEOUT)


def test_preview_shows_the_servers_complaint(session):
    page, _ = session
    page.fill("#new-title", "Renew visa every 0 days")
    expect(page.locator("#new-preview .preview-error")).to_be_visible(timeout=TIMEOUT)
    page.fill("#new-title", "")
    expect(page.locator("#new-preview")).to_be_hidden(timeout=TIMEOUT)


def test_today_view_counts_and_project_filter(session):
    page, _ = session
    for title, due in [("Overdue bill", local_date(page, -3)), ("Today call", local_date(page, 0)), ("Later trip", local_date(page, 3))]:
        add_by_api(page, {"title": title, "due": due, "project": "viewcheck"})
    add_by_api(page, {"title": "Someday idea", "project": "viewcheck"})
    show_all(page)
    page.select_option("#filter-project", "viewcheck")
    view(page, "today")
    expect(row(page, "Overdue bill")).to_be_visible(timeout=TIMEOUT)
    expect(row(page, "Today call")).to_be_visible()
    expect(row(page, "Later trip")).to_have_count(0)
    expect(row(page, "Someday idea")).to_have_count(0)
    # overdue first, marked in words and with a class
    expect(page.locator("#task-list .task-title")).to_have_text(["Overdue bill", "Today call"])
    expect(row(page, "Overdue bill")).to_have_class(re.compile(r"\boverdue\b"))
    expect(row(page, "Overdue bill").locator(".chip.due")).to_have_text(re.compile(r"3 days overdue$"))
    expect(row(page, "Today call").locator(".chip.due")).to_have_text(re.compile(r"today$"))
    expect(page.locator("#view-today .count")).to_have_text(" 2")
    expect(page.locator("#view-upcoming .count")).to_have_text(" 1")
    expect(page.locator("#view-all .count")).to_have_text(" 4")
    # the server's Today view (same zone) agrees
    titles = page.evaluate("""async () => {
        const r = await fetch('/api/tasks?view=today&project=viewcheck', {headers: {'X-Time-Zone': Intl.DateTimeFormat().resolvedOptions().timeZone}});
        const body = await r.json();
        return (Array.isArray(body) ? body : body.tasks).map((t) => t.title);
    }""")
    assert titles == ["Overdue bill", "Today call"], titles
    # arrow keys move between the tabs
    page.focus("#view-today")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#view-upcoming")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#view-upcoming")).to_be_focused()
    expect(row(page, "Later trip")).to_be_visible()
    expect(page.locator("#task-list .task")).to_have_count(1)


def test_edit_every_field_then_clear_them(session):
    page, _ = session
    task = add_by_api(page, {"title": "Dentist"})
    show_all(page)
    row(page, "Dentist").get_by_role("button", name=re.compile("^Edit")).click()
    form = page.locator("#task-list .edit-form")
    form.get_by_label("Due date").fill(local_date(page, 1))
    form.get_by_label("Time").fill("09:30")
    form.get_by_label("Priority").select_option("2")
    form.get_by_label("Labels").fill("Health, @errands")
    form.get_by_label("Project").fill("#Personal")
    form.get_by_label("Repeats").fill("every week")
    form.get_by_role("button", name="Save").click()
    edited = row(page, "Dentist")
    expect(edited.locator(".chip.due")).to_have_text(re.compile(r"tomorrow 09:30$"), timeout=TIMEOUT)
    expect(edited.locator(".chip.priority")).to_have_text(re.compile(r"p2$"))
    expect(edited.locator(".chip.label")).to_have_text(["@errands", "@health"])
    expect(edited.locator(".chip.project")).to_have_text("#Personal")
    expect(edited.locator(".chip.recurrence")).to_contain_text("every week")
    stored = get_task(page, task["id"])
    assert stored["time_zone"] == ZONE and stored["recurrence"].startswith("FREQ=WEEKLY"), stored
    # the date moves: the relative label follows
    edited.get_by_role("button", name=re.compile("^Edit")).click()
    form.get_by_label("Due date").fill(local_date(page, 0))
    form.get_by_label("Time").fill("")
    form.get_by_role("button", name="Save").click()
    expect(edited.locator(".chip.due")).to_have_text(re.compile(r"today$"), timeout=TIMEOUT)
    # a bad value is refused at its field
    edited.get_by_role("button", name=re.compile("^Edit")).click()
    form.get_by_label("Repeats").fill("FREQ=HOURLY")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".row-error")).to_contain_text(re.compile("recurrence", re.I), timeout=TIMEOUT)
    expect(form.get_by_label("Repeats")).to_have_attribute("aria-invalid", "true")
    # clearing every field
    form.get_by_role("button", name="No date").click()
    form.get_by_label("Priority").select_option("")
    form.get_by_label("Labels").fill("")
    form.get_by_label("Project").fill("")
    form.get_by_label("Repeats").fill("")
    form.get_by_label("Notes").fill("")
    form.get_by_role("button", name="Save").click()
    expect(edited.locator(".task-meta")).to_have_count(0, timeout=TIMEOUT)
    stored = get_task(page, task["id"])
    for key in ("due", "priority", "labels", "project", "recurrence", "description"):
        assert key not in stored, stored


def test_undo_a_delete_and_an_edit(session):
    page, _ = session
    add_by_api(page, {"title": "Undo me"})
    show_all(page)
    expect(row(page, "Undo me")).to_be_visible(timeout=TIMEOUT)
    row(page, "Undo me").get_by_role("button", name=re.compile("^Delete")).click()
    expect(row(page, "Undo me")).to_have_count(0, timeout=TIMEOUT)
    toast = page.locator(".toast", has_text="Deleted “Undo me”")
    expect(toast).to_be_visible()
    toast.get_by_role("button", name="Undo").click()
    expect(row(page, "Undo me")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".toast", has_text="Restored “Undo me”")).to_be_visible()
    # an edit, undone with the persistent button from the keyboard
    row(page, "Undo me").get_by_role("button", name=re.compile("^Edit")).click()
    page.locator("#task-list .edit-form").get_by_label("Title").fill("Undo me changed")
    page.keyboard.press("Enter")
    expect(row(page, "Undo me changed")).to_be_visible(timeout=TIMEOUT)
    page.focus("#undo")
    page.keyboard.press("Enter")
    expect(row(page, "Undo me")).to_be_visible(timeout=TIMEOUT)
    expect(row(page, "Undo me changed")).to_have_count(0)


def test_undo_offered_after_the_assistants_change(session):
    page, _ = session
    show_all(page)
    page.click("#chat-toggle")
    page.fill("#chat-input", "Add a task called 'Made by the assistant'")
    page.press("#chat-input", "Enter")
    expect(row(page, "Made by the assistant")).to_be_visible(timeout=TIMEOUT)
    toast = page.locator(".toast", has_text="Made by the assistant")
    expect(toast).to_be_visible(timeout=TIMEOUT)
    page.wait_for_function("() => window.todod.chat.busy === false", timeout=TIMEOUT)
    toast.get_by_role("button", name="Undo").click()
    expect(row(page, "Made by the assistant")).to_have_count(0, timeout=TIMEOUT)
    page.click("#chat-close")


def test_open_chat_panel_does_not_cover_row_buttons(session):
    page, _ = session
    page.set_viewport_size({"width": 1280, "height": 800})
    add_by_api(page, {"title": "Reachable with the panel open"})
    show_all(page)
    target = row(page, "Reachable with the panel open")
    expect(target).to_be_visible(timeout=TIMEOUT)
    page.click("#chat-toggle")
    expect(page.locator("#chat-panel")).to_be_visible()
    target.scroll_into_view_if_needed()
    for name in ("Edit", "Delete"):
        button = target.get_by_role("button", name=re.compile(f"^{name}"))
        hit = button.evaluate("""(b) => { const r = b.getBoundingClientRect();
            return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === b; }""")
        assert hit, f"the {name} button is covered with the chat panel open"
    panel = page.locator("#chat-panel").bounding_box()
    main = page.locator("main").bounding_box()
    assert main["x"] + main["width"] <= panel["x"], (main, panel)
    page.click("#chat-close")
    expect(page.locator("#chat-panel")).to_be_hidden()
