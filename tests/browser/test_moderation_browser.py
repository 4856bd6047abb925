"""A moderator signs in, finds a pending comment in the queue and approves it, in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.mark.browser
def test_a_moderator_approves_a_pending_comment(live_server, transactional_db, moderator, thread):
    from playwright.sync_api import sync_playwright

    from tribuna.discussion.models import Comment
    from tribuna.lib.markup import render_comment

    text = "Please reconsider the opening hours on Sundays."
    comment = Comment.objects.create(
        thread=thread,
        author_name="Careful Reader",
        author_email="reader@example.org",
        text=text,
        html=render_comment(text),
        status="pending",
        spam_score=0.41,
        spam_reasons=["spam filter unsure"],
    )
    ARTIFACTS.mkdir(exist_ok=True)
    violations: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        page = browser.new_page()
        page.on(
            "console",
            lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )
        page.goto(f"{live_server.url}/moderation/")
        assert "/admin/login/" in page.url
        page.fill("#id_username", "moderator")
        page.fill("#id_password", "correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/moderation/")
        row = page.locator(f"#m{comment.pk}")
        assert text in row.inner_text()
        assert "spam filter unsure" in row.inner_text().lower()
        page.screenshot(path=str(ARTIFACTS / "moderation-queue.png"), full_page=True)
        page.keyboard.press("j")  # the keyboard shortcuts: move to the first row ...
        with page.expect_navigation():
            page.keyboard.press("a")  # ... and approve it
        assert f"Comment #{comment.pk} approved." in page.locator(".messages").inner_text()
        assert page.locator(f"#m{comment.pk}").count() == 0
        page.goto(f"{live_server.url}/statements/{thread.key}/")
        assert text in page.content()
        browser.close()
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert violations == []
