"""Every shipped language, walked in a real browser: no English left on the reader's pages, Arabic right to left.

For each language the reader-facing pages are opened with that language chosen, and every
English interface string that the language's catalogue translates is looked for in the
page's visible text: finding one means a string escaped translation. Screenshots of the
discussion in each language are saved for a reviewer (test-artifacts/languages/).
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from playwright.sync_api import expect, sync_playwright

from tribuna.discussion.models import Comment
from tribuna.lib.markup import render_comment
from tribuna.notifications import emails, services
from tribuna.notifications.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "languages"
LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _ in settings.SHIPPED_LANGUAGES.items() if code != "en"]


def english_strings(language: str) -> set[str]:
    """English interface strings long enough to be unmistakable, which this language's catalogues translate."""
    folder = LOCALE / language.replace("-br", "_BR") / "LC_MESSAGES"
    found: set[str] = set()
    for domain in ("django", "djangojs"):
        with open(folder / f"{domain}.mo", "rb") as catalogue:
            entries = gettext.GNUTranslations(catalogue)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in entries.items():
            if (
                isinstance(msgid, str)
                and msgid
                and msgstr
                and msgstr != msgid
                and len(msgid) >= 14
                and "%" not in msgid
                and "<" not in msgid
                and "\x04" not in msgid
            ):
                found.add(msgid)
    return found


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_reader_pages_are_fully_translated(live_server, thread, browser, language):
    text = "A reader's comment, written in whatever language the reader likes."
    comment = Comment.objects.create(
        thread=thread, author_name="Reader", text=text, html=render_comment(text), status="approved"
    )
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timezone.timedelta(hours=3))
    thread.comment_count = 1
    thread.save(update_fields=["comment_count"])
    english = english_strings(language)
    assert len(english) > 50, "the catalogue is nearly empty"
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale=language)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": "/",
        "statement": thread.statement.get_absolute_url(),
        "privacy": "/privacy/",
        "my-data": "/my-data/",
        "subscribe": f"/subscribe/?thread={thread.key}",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if name == "statement":
            expect(page.locator(f"#c{comment.pk} .vote").first).to_be_visible()  # the widget has taken over
            page.screenshot(path=str(SHOTS / f"discussion-{language}.png"), full_page=True)
        visible = page.locator("body").inner_text()
        left = sorted(s for s in english if s in visible)
        assert left == [], (language, name, left)
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    if language == "ar":  # the page lays out right to left
        assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    # The confirmation email as the reader receives it, in this language, for a reviewer to read.
    with translation.override(language):
        services.subscribe(thread, "reader@example.org", Subscription.Mode.REPLIES)
        message = emails.confirmation_email("reader@example.org", message_id="languages")
    html = message.alternatives[0][0]
    assert f'lang="{language}"' in html and not (set(english) & {message.subject})
    page.set_content(html)
    page.screenshot(path=str(SHOTS / f"email-{language}.png"), full_page=True)
    context.close()
