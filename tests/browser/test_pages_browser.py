"""Every page a reader or moderator touches, at phone and desktop widths, in a real Chromium.

Each page is screenshotted into test-artifacts/pages/ for a reviewer to open, checked with
axe-core (no serious or critical violation) and watched for Content-Security-Policy
violations, which would mean something on it is blocked or loaded from elsewhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from tests.browser.axe import serious_violations
from tribuna.discussion.models import Comment
from tribuna.lib.markup import render_comment
from tribuna.notifications import services as notifications
from tribuna.notifications import tokens
from tribuna.notifications.models import Subscription
from tribuna.privacy.services import make_link_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


def _comment(thread, name, text, *, parent=None, hours_ago=1, status="approved", email=""):
    comment = Comment.objects.create(
        thread=thread,
        author_name=name,
        author_email=email,
        text=text,
        html=render_comment(text),
        status=status,
        parent=parent,
        root=(parent.root or parent) if parent else None,
        depth=parent.depth + 1 if parent else 0,
    )
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timezone.timedelta(hours=hours_ago))
    if status == "approved":
        thread.comment_count += 1
        thread.save(update_fields=["comment_count"])
    return comment


def _deep_thread(thread):
    first = _comment(
        thread, "Maren Holt", "Thank you for this. Sunday afternoons will help families.", hours_ago=30
    )
    reply = first
    for depth, name in enumerate(
        ["Jonas Ek", "Priya Raman", "Henrik Salo", "Ayşe Demir", "Walter Brooks"], 1
    ):
        reply = _comment(
            thread,
            name,
            f"A reply at depth {depth}: the evening hours matter most to me.",
            parent=reply,
            hours_ago=30 - depth,
        )
    _comment(thread, "Lea Novak", "Could the self-service kiosk stay on during the new hours?", hours_ago=200)
    return first, reply


def _tour(browser, url, name, *, cookies=(), check=None):
    """Open `url` at each width; screenshot, axe and CSP checks; `check(page)` asserts what the page must show."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        if cookies:
            context.add_cookies(list(cookies))
        page = context.new_page()
        blocked: list[str] = []
        page.on(
            "console",
            lambda msg, blocked=blocked: (
                blocked.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        page.goto(url)
        page.wait_for_load_state("networkidle")
        if check:
            check(page, width)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        assert serious_violations(page) == [], (name, label)
        assert blocked == [], (name, label, blocked)
        context.close()


def test_the_reader_pages_at_phone_and_desktop_widths(live_server, thread, browser):
    statement = thread.statement
    _, deepest = _deep_thread(thread)

    def statement_page(page, width):
        expect(page.locator(".comment").first).to_be_visible()
        assert page.locator(f"#c{deepest.pk} time[datetime][title]").first.inner_text().endswith("ago")
        body = page.locator(f"#c{deepest.pk} .comment-text").bounding_box()
        if width == WIDTHS["phone"]:  # deep replies keep at least ~80% of the screen
            assert body["width"] >= 0.75 * width, body
        for target in page.locator("button:visible, .reply-link:visible").all()[:6]:
            box = target.bounding_box()
            assert box["height"] >= 44, target.inner_text()

    _tour(browser, live_server.url + statement.get_absolute_url(), "statement", check=statement_page)
    _tour(browser, live_server.url + "/", "home")
    _tour(browser, live_server.url + "/privacy/", "privacy-notice")
    _tour(browser, live_server.url + "/my-data/", "my-data")
    _tour(browser, f"{live_server.url}/subscribe/?thread={thread.key}", "subscribe")

    # The pages behind the links Tribuna emails: confirming a subscription, and one's own data.

    notifications.subscribe(thread, "reader@example.org", Subscription.Mode.REPLIES)
    confirm = tokens.confirm_url("reader@example.org").split("/confirm/", 1)[1]
    _tour(browser, f"{live_server.url}/confirm/{confirm}", "confirm-subscription")
    _tour(browser, f"{live_server.url}/my-data/{make_link_token('reader@example.org')}/", "my-data-manage")
    _tour(browser, f"{live_server.url}/account/password-reset/", "password-reset")


def test_a_permalink_opens_a_later_page_scrolled_to_the_comment(live_server, thread, settings, browser):
    settings.TRIBUNA_PAGE_SIZE = 3
    comments = [
        _comment(thread, f"Reader {i}", f"Comment number {i} on the statement.", hours_ago=50 - i)
        for i in range(8)
    ]
    target = comments[6]
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 700})
        page = context.new_page()
        page.goto(f"{live_server.url}/c/{target.pk}/")
        assert page.url.endswith(f"#c{target.pk}") and "cursor=" in page.url
        comment = page.locator(f"#c{target.pk}")
        expect(comment).to_be_in_viewport()
        outline = comment.locator("article").evaluate("el => getComputedStyle(el).outlineStyle")
        assert outline == "solid"
        page.screenshot(path=str(SHOTS / f"permalink-{'js' if javascript else 'nojs'}.png"))
        context.close()


def test_the_moderation_queue_and_sign_in_page(live_server, thread, moderator, browser, client):
    _comment(
        thread,
        "Careful Reader",
        "Please reconsider the Sunday hours.",
        status="pending",
        email="reader@example.org",
    )
    _tour(browser, live_server.url + "/moderation/", "sign-in")
    client.force_login(moderator)
    session = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}

    def queue(page, width):
        expect(page.locator(".mod-row").first).to_be_visible()

    _tour(browser, live_server.url + "/moderation/", "moderation-queue", cookies=[session], check=queue)
