"""Unit checks of the UI's pure modules, run inside Chromium on the served assets:
the Markdown renderer never lets markup through, the SSE decoder copes with any split,
updates apply like the protocol says, tool names and states come from the tasks' todod_tool badges,
and the page works under the strict Content-Security-Policy."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def page(browser, backend):
    context = browser.new_context()
    page = context.new_page()
    page.goto(backend.base_url + "/")
    page.wait_for_load_state("load")
    yield page
    context.close()


def test_markdown_never_renders_markup(page):
    result = page.evaluate("""async () => {
        const { renderMarkdown } = await import('/assets/markdown.js');
        const host = document.createElement('div');
        host.append(renderMarkdown([
            '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script>',
            '[click](javascript:window.__pwned=1) [ok](https://example.com/a?b=1)',
            '**bold <b>x</b>** and `<i>code</i>`',
            '- one', '- **two**', '',
            '```', '<svg onload=alert(1)>', '```',
        ].join('\\n')));
        document.body.append(host);
        const tags = [...host.querySelectorAll('*')].map((e) => e.tagName.toLowerCase());
        const links = [...host.querySelectorAll('a')].map((a) => a.getAttribute('href'));
        host.remove();
        return { tags, links, text: host.textContent, pwned: window.__pwned || 0 };
    }""")
    assert not {"img", "script", "b", "i", "svg"} & set(result["tags"]), result["tags"]
    assert result["links"] == ["https://example.com/a?b=1"]
    assert "<img src=x" in result["text"] and "<svg onload" in result["text"]
    assert {"strong", "code", "ul", "li", "pre", "p"} <= set(result["tags"])
    assert result["pwned"] == 0


def test_markdown_nested_inline_terminates(page):
    # regression: nested **bold** inside a line once looped forever (shared regex state)
    html = page.evaluate("""async () => {
        const { renderMarkdown } = await import('/assets/markdown.js');
        const host = document.createElement('div');
        host.append(renderMarkdown('Added **Meeting prep** and *one* and **two _three_** done.'));
        return host.innerHTML;
    }""")
    assert html == "<p>Added <strong>Meeting prep</strong> and <em>one</em> and <strong>two <em>three</em></strong> done.</p>"


def test_sse_decoder_handles_any_split(page):
    result = page.evaluate("""async () => {
        const { SSEDecoder } = await import('/assets/sse.js');
        const stream = 'data: {"a":1}\\n\\n: comment\\r\\ndata: {"b":\\r\\ndata: 2}\\r\\n\\r\\nevent: x\\ndata: three\\n\\n';
        const outputs = [];
        for (let size = 1; size <= stream.length; size++) {
            const d = new SSEDecoder();
            const events = [];
            for (let i = 0; i < stream.length; i += size) events.push(...d.push(stream.slice(i, i + size)));
            events.push(...d.end());
            outputs.push(JSON.stringify(events));
        }
        return [...new Set(outputs)];
    }""")
    assert result == ['[{"event":"message","data":"{\\"a\\":1}"},{"event":"message","data":"{\\"b\\":\\n2}"},{"event":"x","data":"three"}]']


def test_item_updates_and_tool_badges(page):
    result = page.evaluate("""async () => {
        const k = await import('/assets/chatkit.js');
        let item = { id: 'm', type: 'assistant_message', content: [] };
        item = k.applyUpdate(item, { type: 'assistant_message.content_part.added', content_index: 0, content: { type: 'output_text', text: '', annotations: [] } });
        item = k.applyUpdate(item, { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'Hel' });
        item = k.applyUpdate(item, { type: 'assistant_message.content_part.text_delta', content_index: 0, delta: 'lo' });
        const streamed = k.itemText(item);
        item = k.applyUpdate(item, { type: 'assistant_message.content_part.done', content_index: 0, content: { type: 'output_text', text: 'Hello!', annotations: [] } });
        const badge = (name, state) => ({ name, call_id: 'c1', state });
        let wf = { id: 'w', type: 'workflow', workflow: { type: 'custom', tasks: [] } };
        wf = k.applyUpdate(wf, { type: 'workflow.task.added', task_index: 0, task: { type: 'custom', title: "Adding task 'X'", status_indicator: 'loading', todod_tool: badge('add_task', 'running') } });
        const running = k.badgeFromTask(wf.workflow.tasks[0]);
        wf = k.applyUpdate(wf, { type: 'workflow.task.updated', task_index: 0, task: { type: 'custom', title: "Added task 'X'", status_indicator: 'complete', content: '{}', todod_tool: badge('add_task', 'done') } });
        return {
            streamed, final: k.itemText(item), tasks: wf.workflow.tasks.length, running,
            badge: k.badgeFromTask(wf.workflow.tasks[0]),
            // The title is for people: another wording or language changes neither the tool nor its state.
            translated: k.badgeFromTask({ type: 'custom', title: 'Aufgabe hinzugefügt', status_indicator: 'complete', content: 'Fehler', todod_tool: badge('add_task', 'error') }),
            englishLooking: k.badgeFromTask({ type: 'custom', title: 'Could not delete task', status_indicator: 'complete', content: 'Error: x', todod_tool: badge('list_tasks', 'done') }),
            // A task without todod's badge (another ChatKit server): its title, and ChatKit's status_indicator.
            foreign: [k.badgeFromTask({ type: 'custom', title: 'Searching', status_indicator: 'loading' }),
                      k.badgeFromTask({ type: 'custom', title: 'Could not add task', status_indicator: 'complete' })].map((b) => [b.tool, b.state]),
        };
    }""")
    assert result["streamed"] == "Hello" and result["final"] == "Hello!"
    assert result["tasks"] == 1
    assert result["running"] == {"tool": "add_task", "title": "Adding task 'X'", "state": "running", "detail": ""}
    assert result["badge"] == {"tool": "add_task", "title": "Added task 'X'", "state": "done", "detail": "{}"}
    assert result["translated"] == {"tool": "add_task", "title": "Aufgabe hinzugefügt", "state": "error", "detail": "Fehler"}
    assert result["englishLooking"]["tool"] == "list_tasks" and result["englishLooking"]["state"] == "done"
    assert result["foreign"] == [["Searching", "running"], ["Could not add task", "done"]]


def test_pages_send_a_strict_csp_and_have_no_inline_script(page, backend):
    import urllib.request
    for path in ("/", "/login"):
        with urllib.request.urlopen(backend.base_url + path) as r:
            csp = r.headers.get("Content-Security-Policy") or ""
            html = r.read().decode()
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, (path, csp)
        assert "unsafe-inline" not in csp and "http" not in csp.replace("'self'", ""), (path, csp)
        assert "<script>" not in html and not re.search(r"\son[a-z]+\s*=", html), f"{path} has inline script"
        assert "https://" not in html and "http://" not in html, f"{path} references an external URL"
