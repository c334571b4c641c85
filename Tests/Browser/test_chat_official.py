"""`--ui chatkit` configures OpenAI's <openai-chatkit> with feedback, retry, history and the built-in
panel's start-screen prompts. The CDN is not reachable here, so its script is replaced in flight by a
stand-in element that records the options it is given through the component's `setOptions`."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import sign_in
from test_chatkit_option import CDN, CHATKIT_CSP

STAND_IN = """
class StandIn extends HTMLElement {
  setOptions(options) { window.__chatkitOptions = options; this.dataset.configured = 'true'; }
}
customElements.define('openai-chatkit', StandIn);
"""


def test_official_component_gets_feedback_retry_history_and_prompts(browser, backend):
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def chatkit_index(route):
        response = route.fetch()
        html = response.text().replace('<meta name="todod-ui" content="builtin">', '<meta name="todod-ui" content="chatkit">')
        headers = {**response.headers, "content-security-policy": CHATKIT_CSP}
        headers.pop("content-length", None)
        headers.pop("content-encoding", None)
        route.fulfill(status=response.status, headers=headers, body=html)

    context.route(f"{CDN}/**", lambda route: route.fulfill(status=200, content_type="text/javascript", body=STAND_IN,
                                                            headers={"access-control-allow-origin": "*"}))
    context.route(backend.base_url + "/", chatkit_index)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, backend)
    expect(page.locator("openai-chatkit[data-configured=true]")).to_have_count(1, timeout=15_000)
    options = page.evaluate("""() => {
        const o = window.__chatkitOptions;
        return {history: o.history, threadItemActions: o.threadItemActions, startScreen: o.startScreen,
                url: o.api.url, hasFetch: typeof o.api.fetch === 'function'};
    }""")
    assert options["url"] == "/api/chatkit" and options["hasFetch"]
    assert options["history"]["enabled"] is True
    assert options["threadItemActions"] == {"feedback": True, "retry": True}
    assert [p["label"] for p in options["startScreen"]["prompts"]] == ["What's due today?", "Add a task…"]
    assert options["startScreen"]["prompts"][0]["prompt"] == "What's due today?"
    assert all(p["icon"] in ("calendar", "plus") for p in options["startScreen"]["prompts"])
    # The prompts are the built-in panel's (one list for both).
    builtin = page.evaluate("async () => (await import('/assets/chat-prompts.js')).START_PROMPTS.map((p) => p.label)")
    assert builtin == [p["label"] for p in options["startScreen"]["prompts"]]
    assert not errors, errors
    context.close()
