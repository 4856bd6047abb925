"""axe-core finds no serious or critical accessibility problems in the discussion, light or dark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.axe import serious_violations
from tests.embed.static_site import embedding_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would take the
    # fixtures' plain queries for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser.new_page()
        browser.close()


def check_both_schemes(page, selector: str | None = None) -> None:
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert serious_violations(page, selector) == [], scheme


def test_the_statement_page_and_its_enhanced_discussion_pass_axe(live_server, thread, post_comment, page):
    first = post_comment(text="A first comment on this statement.", name="Ada")
    post_comment(text="A reply to the first comment.", name="Grace", parent=first["id"])
    page.goto(live_server.url + thread.statement.get_absolute_url())
    expect(page.get_by_role("button", name="Reply to Ada")).to_be_visible()
    check_both_schemes(page)

    page.get_by_role("button", name="Reply to Ada").click()  # the form in place, under the comment
    page.get_by_role("button", name="Report the comment by Grace").click()
    page.get_by_role("button", name="Post comment").click()  # field errors beside their fields
    expect(page.locator(".field-error").first).to_be_visible()
    check_both_schemes(page)


def test_the_embedded_widget_passes_axe(live_server, settings, tmp_path, page):
    with embedding_site(tmp_path, live_server.url, "/blog/accessible/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        page.goto(site + "/index.html")
        expect(page.locator("#tribuna-thread .no-comments")).to_be_visible()
        check_both_schemes(page, "#tribuna-thread")
