"""/api/v1/docs renders Swagger UI from Tribuna's own files, with no CSP violation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def test_the_api_docs_render_without_a_csp_violation_or_a_third_party_request(live_server):
    """The bug: the page loaded Swagger UI from a CDN that Tribuna's CSP blocks, and stayed blank."""
    origin = urlsplit(live_server.url).netloc
    requested: list[str] = []
    console: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page()
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("request", lambda request: requested.append(request.url))
        page.on("console", lambda message: console.append(message.text))
        response = page.goto(live_server.url + "/api/v1/docs")
        assert "Content-Security-Policy" in response.headers or "content-security-policy" in response.headers
        # Swagger UI has fetched the OpenAPI document and drawn one block per operation.
        page.locator(".opblock-summary-path", has_text="/api/v1/comments").first.wait_for(timeout=15000)
        assert page.locator(".info .title", has_text="Tribuna API").count() == 1
        violations = page.evaluate("window.__cspViolations")
        browser.close()
    elsewhere = [url for url in requested if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != origin]
    assert elsewhere == []
    assert violations == []
    assert [line for line in console if "Content Security Policy" in line] == []
