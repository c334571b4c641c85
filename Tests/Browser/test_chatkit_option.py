"""`--ui chatkit`: the page tries OpenAI's <openai-chatkit> from the CDN and, when the CDN
cannot be reached (always, here: requests to it are aborted), falls back to the built-in panel.

The index page is served as todod serves it in chatkit mode: the `todod-ui` meta tag says
"chatkit" and the CSP also allows the CDN (EmbeddedAssets.contentSecurityPolicy(mode:)).
When the daemon under test was not started with --ui chatkit, the page is rewritten in
flight the same way (the rewrite is what TodoUI's UIMode.rewrite does)."""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import sign_in

CDN = "https://cdn.platform.openai.com"
CHATKIT_CSP = ("default-src 'self'; script-src 'self' {cdn}; style-src 'self' 'unsafe-inline' {cdn}; img-src 'self' data: {cdn}; "
               "font-src 'self' {cdn}; connect-src 'self' {cdn}; frame-src {cdn}; object-src 'none'; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'").format(cdn=CDN)


def test_chatkit_mode_falls_back_to_builtin_panel_when_cdn_unreachable(browser, backend):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    cdn_requests: list[str] = []

    def block_cdn(route):
        cdn_requests.append(route.request.url)
        route.abort("internetdisconnected")

    def chatkit_index(route):
        response = route.fetch()
        html = response.text()
        if 'content="chatkit"' not in html:
            html = html.replace('<meta name="todod-ui" content="builtin">', '<meta name="todod-ui" content="chatkit">')
        headers = {**response.headers, "content-security-policy": CHATKIT_CSP}
        headers.pop("content-length", None)
        headers.pop("content-encoding", None)
        route.fulfill(status=response.status, headers=headers, body=html)

    context.route(f"{CDN}/**", block_cdn)
    context.route(backend.base_url + "/", chatkit_index)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, backend)
    # the built-in panel took over
    expect(page.locator("#chat-toggle")).to_be_visible(timeout=15_000)
    assert page.evaluate("document.querySelector('meta[name=todod-ui]').content") == "chatkit"
    assert any(u.startswith(f"{CDN}/deployments/chatkit/chatkit.js") for u in cdn_requests), cdn_requests
    assert page.locator("openai-chatkit").count() == 0
    page.click("#chat-toggle")
    expect(page.locator("#chat-input")).to_be_focused()
    assert not errors, errors
    context.close()
