"""The widget in a real browser: on statement pages, with the keyboard, and on other sites."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.embed.static_site import embedding_site
from tribuna.antispam.classifier import load_shipped_model
from tribuna.antispam.models import SpentChallenge
from tribuna.discussion.models import Comment, Thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FORM_DELAY_MS = 2100  # a form sent faster than a person could write it is screened as a bot's


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module. Playwright's sync API keeps an event loop in this thread,
    which Django takes for async code; the tests' own queries are plain synchronous ones."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    load_shipped_model()  # load the spam model now: the first post would otherwise wait seconds for it
    expect.set_options(timeout=15_000)  # the suite shares two cores; waits end as soon as the page is ready
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser
        browser.close()
    expect.set_options(timeout=5_000)
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def errors() -> list[str]:
    """Script errors and console errors of the page; a test expecting some takes them out."""
    return []


@pytest.fixture
def page(browser, errors):
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Script errors and CSP violations show up as console errors; failed requests are the tests' business.
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text
            and errors.append(message.text)
        ),
    )
    yield page
    context.close()
    assert errors == [], errors


def test_a_reader_comments_replies_votes_and_edits_on_a_statement_page_without_a_reload(
    live_server, statement, page
):
    page.goto(live_server.url + statement.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    form = page.locator("#reply-form")
    form.locator("#id_text").fill("The opening paragraph deserves a closer look.")
    form.locator("#id_name").fill("Ada")
    page.wait_for_timeout(FORM_DELAY_MS)
    form.get_by_role("button", name="Post comment").click()

    comment = page.locator("#comments > li.comment").first
    expect(comment).to_contain_text("The opening paragraph deserves a closer look.")
    expect(form.get_by_role("status")).to_have_text("Your comment is published.")
    expect(page.locator("#discussion-title .count")).to_have_text("(1)")
    expect(comment).to_have_text(
        re.compile(
            r"^Ada\s*\S+\s*The opening paragraph deserves a closer look\.\s*▲Score 0▼ReplyEditDeleteReport\s*$"
        )
    )

    comment.get_by_role("button", name="Reply to Ada").click()
    expect(comment.locator("#reply-form")).to_be_visible()
    expect(page.locator("#id_text")).to_be_focused()
    page.locator("#id_text").fill("Agreed, and the second section too.")
    page.locator("#id_name").fill("Grace")
    page.get_by_role("button", name="Post comment").click()
    reply = comment.locator("ol.replies > li.comment")
    expect(reply).to_contain_text("Agreed, and the second section too.")
    expect(page.locator("#comments > #reply-form")).to_have_count(0)  # back at the top, not under a comment

    reply.get_by_role("button", name="Vote up the comment by Grace").click()
    expect(reply.locator(".score-value")).to_have_text("1")
    reply.get_by_role("button", name="Edit").click()
    page.get_by_label("Edit your comment").fill("Agreed, and the second section even more.")
    reply.get_by_role("button", name="Save").click()
    expect(reply.locator(".comment-text")).to_have_text("Agreed, and the second section even more.")
    expect(reply.locator(".edited")).to_be_visible()

    assert page.evaluate("window.stillTheSamePage") is True
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#discussion").screenshot(path=str(ARTIFACTS / "statement-discussion.png"))
    first, second = Comment.objects.order_by("id")
    assert second.parent_id == first.pk and second.text == "Agreed, and the second section even more."
    assert second.score == 1


def test_a_reader_deletes_their_comment_and_sorts_and_pages_through_the_thread(
    live_server, thread, post_comment, settings, page
):
    settings.TRIBUNA_PAGE_SIZE = 2
    for i in range(3):
        post_comment(text=f"Comment number {i} on this statement.", name=f"Reader {i}")
    page.goto(live_server.url + thread.statement.get_absolute_url())
    comments = page.locator("#comments > li.comment")
    expect(comments).to_have_count(2)
    page.get_by_role("button", name="View more comments").click()
    expect(comments).to_have_count(3)
    expect(page.get_by_role("button", name="View more comments")).to_have_count(0)
    page.get_by_role("button", name="newest").click()
    expect(comments.first).to_contain_text("Comment number 2")
    expect(page.get_by_role("button", name="newest")).to_have_attribute("aria-pressed", "true")

    page.locator("#id_text").fill("On reflection the second section reads better than the first.")
    page.locator("#id_name").fill("Ada")
    page.wait_for_timeout(FORM_DELAY_MS)
    page.get_by_role("button", name="Post comment").click()
    mine = comments.filter(has_text="On reflection the second section reads better than the first.")
    expect(mine).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    mine.get_by_role("button", name="Delete").click()
    expect(mine).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("Your comment was deleted.")
    assert not Comment.objects.filter(text__startswith="On reflection").exists()
    assert Comment.objects.count() == 3


def test_a_held_comment_is_explained_and_field_errors_sit_beside_their_fields(live_server, statement, page):
    page.goto(live_server.url + statement.get_absolute_url())
    page.wait_for_timeout(FORM_DELAY_MS)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#id_text")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_text")).to_be_focused()
    expect(page.locator("#id_text + .field-error")).to_have_text("Write a comment (1 to 10,000 characters).")
    expect(page.locator("#id_name + .field-error")).to_have_text("Enter your name.")

    page.locator("#id_text").fill(
        "See http://one.example.com http://two.example.com http://three.example.com"
    )
    page.locator("#id_name").fill("Linker")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("status")).to_contain_text("moderat")
    expect(page.locator(".field-error")).to_have_count(0)
    assert Comment.objects.get().status in (Comment.Status.PENDING, Comment.Status.SPAM)
    expect(page.locator("#comments > li.comment")).to_have_count(0)


def test_a_passage_comment_carries_its_anchor_and_shows_its_quote(live_server, statement, page):
    page.goto(live_server.url + statement.get_absolute_url())
    # What inline.js does when a reader picks a passage.
    page.evaluate("""document.getElementById("reply-form").dataset.anchor =
        JSON.stringify([{type: "TextQuoteSelector", exact: "The first section's text."}])""")
    page.locator("#id_text").fill("This sentence could say more about the first section.")
    page.locator("#id_name").fill("Ada")
    page.wait_for_timeout(FORM_DELAY_MS)
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator("#comments > li.comment").first
    expect(comment.locator(".passage-quote")).to_have_text("The first section's text.")
    assert page.evaluate("'anchor' in document.getElementById('reply-form').dataset") is False
    assert Comment.objects.get().anchor


def test_a_keyboard_user_posts_with_tab_typing_and_enter_only(live_server, statement, page):
    page.goto(live_server.url + statement.get_absolute_url())
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_text":
            break
    else:
        pytest.fail("Tab never reached the comment field")
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")  # the formatting help sits between the text and the name
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_name"
    page.keyboard.type("Keyboard Reader")
    page.wait_for_timeout(FORM_DELAY_MS)
    page.keyboard.press("Enter")
    expect(page.locator("#comments > li.comment")).to_contain_text("Typed without a mouse.")
    expect(page.get_by_role("status")).to_have_text("Your comment is published.")
    assert page.evaluate(
        "document.activeElement.closest('li.comment') !== null"
    )  # focus follows the new comment
    assert Comment.objects.get().author_name == "Keyboard Reader"


def test_the_widget_discusses_on_a_page_of_another_allowed_site(live_server, settings, tmp_path, page):
    with embedding_site(tmp_path, live_server.url, "/blog/post-1/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        page.goto(site + "/index.html")
        widget = page.locator("#tribuna-thread")
        expect(widget.locator(".no-comments")).to_have_text("No comments yet. Be the first to reply.")
        widget.get_by_label("Comment (Markdown)").fill("Commenting from the blog itself.")
        widget.get_by_label("Name").fill("Blog Reader")
        widget.get_by_label("Email (optional").fill("reader@example.org")
        widget.get_by_label("Notify of").select_option("replies")
        page.wait_for_timeout(FORM_DELAY_MS)
        widget.get_by_role("button", name="Post comment").click()
        comment = widget.locator("ol.comments > li.comment")
        expect(comment).to_contain_text("Commenting from the blog itself.")
        expect(comment.locator("> article")).to_have_text(re.compile(r"^Blog Reader\s*now\s*Commenting"))

        comment.get_by_role("button", name="Reply to Blog Reader").click()
        widget.get_by_label("Comment (Markdown)").fill("And a reply, still on the blog.")
        widget.get_by_role("button", name="Post comment").click()
        expect(comment.locator("ol.replies > li.comment")).to_contain_text("And a reply, still on the blog.")
        # The host page's rules for bare elements stay outside.
        assert (
            comment.locator(".comment-text p").first.evaluate("p => getComputedStyle(p).textTransform")
            == "none"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "embedded-widget.png"), full_page=True)

        page.reload()
        expect(widget.locator("li.comment")).to_have_count(2)
        expect(widget.get_by_label("Name")).to_have_value("Blog Reader")  # remembered in this browser

    thread = Thread.objects.get(key=site + "/blog/post-1/")  # the page's address: its own key space
    assert (thread.title, thread.url) == ("A blog post", site + "/blog/post-1/")
    first, reply = thread.comments.order_by("id")
    assert reply.parent_id == first.pk and first.author_email == "reader@example.org"


def test_a_site_that_is_not_allowed_gets_an_error_and_creates_nothing(
    live_server, settings, tmp_path, page, errors
):
    with embedding_site(tmp_path, live_server.url, "/stolen/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = ["http://127.0.0.1:9"]
        page.goto(site + "/index.html")
        widget = page.locator("#tribuna-thread")
        status = widget.get_by_role("status")
        expect(status).to_contain_text("does not accept comments from this site")
        widget.get_by_label("Comment (Markdown)").fill("Trying from a site that may not embed.")
        widget.get_by_label("Name").fill("Outsider")
        widget.get_by_role("button", name="Post comment").click()
        expect(status).to_have_text(
            "The comment server could not be reached, or it does not accept comments from this site."
        )
    assert errors and all("blocked by CORS policy" in error for error in errors)
    errors.clear()
    assert not Thread.objects.exists()
    assert not Comment.objects.exists()


def _post_on_statement_page(page, text: str) -> None:
    form = page.locator("#reply-form")
    form.locator("#id_text").fill(text)
    form.locator("#id_name").fill("Ada")
    page.wait_for_timeout(FORM_DELAY_MS)
    form.get_by_role("button", name="Post comment").click()


def test_the_page_form_solves_the_proof_of_work_unseen_and_is_published(
    live_server, statement, settings, page
):
    """ALTCHA: the page's form gets a challenge, solves it while the reader writes, and sends the
    solution with the comment; nothing of it is seen, and the comment is published at once."""
    settings.TRIBUNA_POW = True
    page.goto(live_server.url + statement.get_absolute_url())
    expect(page.locator("#reply-form altcha-widget")).to_have_count(1)
    expect(page.locator("#reply-form altcha-widget .altcha")).to_be_hidden()  # nothing for the reader to do
    _post_on_statement_page(page, "The first section's figures deserve a closer look.")
    expect(page.locator("#reply-form").get_by_role("status")).to_have_text("Your comment is published.")
    comment = Comment.objects.get()
    assert comment.status == "approved", comment.spam_reasons
    assert not any("proof of work" in reason for reason in comment.spam_reasons)
    assert SpentChallenge.objects.count() == 1
    _post_on_statement_page(page, "And a second thought, on the second section.")
    expect(page.locator("#reply-form").get_by_role("status")).to_have_text("Your comment is published.")
    assert SpentChallenge.objects.count() == 2, "each comment solves a challenge of its own"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#reply-form").screenshot(path=str(ARTIFACTS / "form-with-proof-of-work.png"))


def test_the_widget_on_another_site_solves_the_proof_of_work(live_server, settings, tmp_path, page):
    settings.TRIBUNA_POW = True
    with embedding_site(tmp_path, live_server.url, "/blog/post-2/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        page.goto(site + "/index.html")
        widget = page.locator("#tribuna-thread")
        widget.get_by_label("Comment (Markdown)").fill(
            "A thought posted from the blog, with its proof of work."
        )
        widget.get_by_label("Name").fill("Blog Reader")
        page.wait_for_timeout(FORM_DELAY_MS)
        widget.get_by_role("button", name="Post comment").click()
        expect(widget.get_by_role("status")).to_have_text("Your comment is published.")
    comment = Comment.objects.get()
    assert comment.status == "approved", comment.spam_reasons
    assert SpentChallenge.objects.count() == 1


def test_the_widget_keeps_only_the_name_in_the_host_pages_storage(live_server, settings, tmp_path, page):
    """The review's finding: email and edit tokens sat in the host page's localStorage, readable by
    any script on that site. Only the name stays; tokens live in the page's memory."""
    with embedding_site(tmp_path, live_server.url, "/blog/post-3/") as site:
        settings.TRIBUNA_ALLOWED_ORIGINS = [site]
        page.goto(site + "/index.html")
        page.evaluate("""() => {
            localStorage.setItem("tribuna.author", JSON.stringify({name: "Old Name", email: "old@example.org"}));
            localStorage.setItem("tribuna.edit.5", JSON.stringify({token: "secret", expires: Date.now() + 60000}));
        }""")
        page.reload()
        widget = page.locator("#tribuna-thread")
        expect(widget.get_by_label("Name")).to_have_value("Old Name")  # carried over, nothing else
        widget.get_by_label("Comment (Markdown)").fill("Posted with an address and a website.")
        widget.get_by_label("Name").fill("Blog Reader")
        widget.get_by_label("Email (optional").fill("reader@example.org")
        widget.get_by_label("Website").fill("https://reader.example.org/")
        page.wait_for_timeout(FORM_DELAY_MS)
        widget.get_by_role("button", name="Post comment").click()
        comment = widget.locator("ol.comments > li.comment")
        expect(comment.get_by_role("button", name="Edit")).to_be_visible()  # the token is in memory
        stored = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
        assert stored == {"tribuna.name": "Blog Reader"}
        page.reload()
        expect(widget.get_by_label("Email (optional")).to_have_value("")
        expect(widget.get_by_label("Name")).to_have_value("Blog Reader")
