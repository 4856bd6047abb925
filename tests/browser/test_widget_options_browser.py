"""The widget's options on other sites' pages: data-theme, data-lang, and the count script for listing pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.embed.static_site import embedding_site
from tribuna.discussion.models import Comment, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="{style}"><main><h1>{title}</h1>{body}</main>
<script src="{server}/{script}" {attributes} async></script></body></html>"""


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


def _page(
    directory,
    name,
    server,
    *,
    lang="en",
    style="",
    body='<div id="tribuna-thread"></div>',
    script="embed.js",
    attributes="",
):
    (directory / name).write_text(
        PAGE.format(
            lang=lang, title=name, style=style, body=body, server=server, script=script, attributes=attributes
        )
    )


def test_the_theme_follows_the_host_page_unless_the_page_chooses(live_server, settings, tmp_path, browser):
    with embedding_site(tmp_path, live_server.url, "/blog/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        _page(tmp_path, "dark.html", live_server.url, style="background:#121212;color:#eee")
        _page(
            tmp_path,
            "forced.html",
            live_server.url,
            style="background:#121212;color:#eee",
            attributes='data-theme="light"',
        )
        _page(
            tmp_path, "light.html", live_server.url, style="background:#fff", attributes='data-theme="auto"'
        )
        page = browser.new_page(color_scheme="light")
        for name, expected in (
            ("dark.html", "tribuna-dark"),
            ("forced.html", "tribuna-light"),
            ("light.html", "tribuna-light"),
        ):
            page.goto(f"{site}/{name}")
            expect(page.locator(f"#tribuna-thread.tribuna-embedded.{expected}")).to_be_visible()
            page.screenshot(path=str(tmp_path / f"{name}.png"))


def test_the_count_script_fills_in_every_count_with_one_get(live_server, settings, tmp_path, browser):
    with embedding_site(tmp_path, live_server.url, "/blog/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        thread = Thread.objects.create(key=f"{site}/blog/one/", url=f"{site}/blog/one/", comment_count=2)
        for text in ("First", "Second"):
            Comment.objects.create(
                thread=thread, author_name="R", text=text, html=f"<p>{text}</p>", status="approved"
            )
        spans = (
            '<p>One: <span data-tribuna-count="/blog/one/">comments</span></p>'
            '<p>Two: <span data-tribuna-count="/blog/two/">comments</span></p>'
        )
        _page(tmp_path, "list.html", live_server.url, body=spans, script="count.js")
        page = browser.new_page()
        requests: list[str] = []
        page.on(
            "request", lambda request: requests.append(request.url) if "/api/v1/" in request.url else None
        )
        page.goto(f"{site}/list.html")
        expect(page.locator('[data-tribuna-count="/blog/one/"]')).to_have_text("2 comments")
        expect(page.locator('[data-tribuna-count="/blog/two/"]')).to_have_text("0 comments")
        assert len(requests) == 1 and "/api/v1/counts?" in requests[0]


def test_the_widget_speaks_the_host_pages_language(live_server, settings, tmp_path, browser):
    with embedding_site(tmp_path, live_server.url, "/blog/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        _page(tmp_path, "ar.html", live_server.url, lang="ar")
        page = browser.new_page()
        catalogues: list[str] = []
        page.on(
            "request", lambda request: catalogues.append(request.url) if "/i18n/" in request.url else None
        )
        page.goto(f"{site}/ar.html")
        expect(page.locator("#tribuna-thread form.comment-form")).to_be_visible()
        assert catalogues == [f"{live_server.url}/i18n/ar.json"]


def test_writing_helps_preview_counter_and_a_kept_draft(live_server, thread, browser):
    page = browser.new_page()
    page.goto(live_server.url + thread.statement.get_absolute_url())
    text = page.locator("#reply-form textarea")
    expect(page.locator("#reply-form details.format-help summary")).to_be_visible()
    text.fill("A **bold** claim with <script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#reply-form .comment-preview .comment-text")
    expect(preview.locator("strong")).to_have_text("bold")
    assert preview.locator("script").count() == 0
    counter = page.locator("#reply-form .char-count")
    expect(counter).to_be_hidden()
    text.fill("x" * 9_500)
    expect(counter).to_have_text("500 characters left")
    text.fill("y" * 10_000)  # the field's maxlength stops typing at the limit
    expect(counter).to_have_text("0 characters left")
    page.get_by_role("button", name="Post comment").click()  # refused: no name
    expect(page.locator("#reply-form .field-error").first).to_be_visible()
    assert text.input_value() == "y" * 10_000  # the draft is kept when posting fails
