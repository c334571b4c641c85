"""The task-list widget in the built-in chat panel: "What's on my list?" renders a ChatKit widget (list view,
checkbox, title, badge, button); ticking a row's checkbox sends threads.custom_action, the task is done
(over the API and in the page) and the widget shows it; after a reload the stored widget shows it done.
Unknown widget parts render as a plain fallback."""
from __future__ import annotations

import re

from playwright.sync_api import expect

TIMEOUT = 30_000


def send(page, text: str) -> None:
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    page.wait_for_function("() => window.todod && window.todod.chat.busy === false && !document.querySelector('.msg.local')",
                           timeout=TIMEOUT)


def add_task(page, title: str, priority: int | None = None) -> dict:
    return page.evaluate("""async ([title, priority]) => {
        const r = await fetch('/api/tasks', {method: 'POST', headers: {'Content-Type': 'application/json'},
            body: JSON.stringify(priority ? {title, priority} : {title})});
        if (!r.ok) throw new Error('POST /api/tasks ' + r.status + ' ' + await r.text());
        return r.json();
    }""", [title, priority])


def completed_titles(page) -> list[str]:
    return page.evaluate("""async () => {
        const r = await fetch('/api/tasks?status=completed');
        const body = await r.json();
        return (Array.isArray(body) ? body : body.tasks || []).map((t) => t.title);
    }""")


def widget_row(page, title: str):
    return page.locator("#chat-log .widget .w-item", has=page.locator(".w-text", has_text=title)).last


def test_list_renders_widget_and_toggle_completes(session):
    page, errors = session
    task = add_task(page, "Water the plants", priority=2)
    page.click("#chat-toggle")
    send(page, "What's on my list?")
    widget = page.locator("#chat-log .widget-item .widget").last
    expect(widget.locator(".w-listview")).to_be_visible(timeout=TIMEOUT)
    row = widget_row(page, "Water the plants")
    expect(row).to_be_visible()
    expect(row.locator(".w-badge")).to_have_text("P2")
    expect(row.locator("button.w-button")).to_have_text("Open")
    box = row.locator("input[type=checkbox]")
    expect(box).not_to_be_checked()

    box.check()
    # The replaced widget (re-rendered from thread.item.replaced) shows the task done.
    expect(widget_row(page, "Water the plants").locator(".w-text.w-strike")).to_be_visible(timeout=TIMEOUT)
    expect(widget_row(page, "Water the plants").locator("input[type=checkbox]")).to_be_checked()
    assert "Water the plants" in completed_titles(page)
    page_row = page.locator("#task-list .task", has=page.locator(".task-title", has_text="Water the plants"))
    if page_row.count():
        expect(page_row).to_have_class(re.compile(r"\bdone\b"), timeout=TIMEOUT)
    assert not page.locator("#chat-log .widget .w-error").count()
    # "Open" (a client action) shows that task in the page.
    widget_row(page, "Water the plants").locator("button.w-button").click()
    expect(page.locator(f"#task-list li.task[data-id='{task['id']}']")).to_have_class(re.compile(r"\bw-highlight\b"), timeout=5_000)
    assert not errors, errors


def test_reload_shows_the_stored_widget_done_and_untick_reopens(session):
    page, errors = session
    page.reload()
    page.wait_for_selector("#tasks-heading")
    page.click("#chat-toggle")
    row = widget_row(page, "Water the plants")
    expect(row.locator("input[type=checkbox]")).to_be_checked(timeout=TIMEOUT)
    row.locator("input[type=checkbox]").uncheck()
    expect(widget_row(page, "Water the plants").locator(".w-text.w-strike")).to_have_count(0, timeout=TIMEOUT)
    page.wait_for_function("""async () => {
        const r = await fetch('/api/tasks?status=completed');
        const body = await r.json();
        return !(Array.isArray(body) ? body : body.tasks || []).some((t) => t.title === 'Water the plants');
    }""", timeout=TIMEOUT)
    assert not errors, errors


def test_documented_subset_and_unknown_parts_render(session):
    page, _ = session
    result = page.evaluate("""async () => {
        const { renderWidgetItem } = await import('/assets/widgets.js');
        const el = renderWidgetItem({ id: 'msg_x', thread_id: 'thr_x', type: 'widget', widget: { type: 'Card', children: [
            { type: 'Text', value: 'Hello' }, { type: 'Badge', label: 'P1', color: 'danger' },
            { type: 'Button', label: 'Go', onClickAction: { type: 'todod.tasks.show_all', handler: 'client' } },
            { type: 'Checkbox', name: 'c', defaultChecked: true },
            { type: 'Chart', data: [], series: [], xAxis: 'x' },
            { type: 'Fancy', label: 'Fancy label', children: [{ type: 'Caption', value: 'inside' }] },
        ] } });
        return {
            card: !!el.querySelector('.w-card'), text: el.textContent,
            badge: el.querySelector('.w-badge')?.textContent, button: el.querySelector('button')?.textContent,
            checked: el.querySelector('input[type=checkbox]')?.checked,
            fallbacks: [...el.querySelectorAll('.w-fallback')].map((n) => n.dataset.widgetType),
        };
    }""")
    assert result["card"] and result["badge"] == "P1" and result["button"] == "Go" and result["checked"] is True
    assert result["fallbacks"] == ["Chart", "Fancy"], result
    assert "[Chart]" in result["text"] and "Fancy label" in result["text"] and "inside" in result["text"]
