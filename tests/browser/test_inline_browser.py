"""Inline feedback in a real browser: commenting on a passage, markers, re-anchoring after an edit."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from tests.browser.axe import serious_violations
from tribuna.discussion.models import Comment
from tribuna.discussion.services import Submission, post_comment, thread_for_statement
from tribuna.inline.models import InlineQuestion
from tribuna.inline.services import question_selectors, validate_anchor
from tribuna.statements.models import Statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FORM_DELAY_MS = 2100  # a form sent faster than a person could write it is screened as a bot's
TEXT = (
    "We propose a public water fund for every district.\n\n"
    "## Funding\n\n"
    "The fund is paid for by a levy on bottled water sold in the city. "
    "The levy is reviewed every year by the council.\n\n"
    "## Oversight\n\n"
    "An independent board reviews the fund, and the board publishes its accounts."
)
SELECT = """(exact) => {
  const body = document.getElementById("statement-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const at = node.data.indexOf(exact);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + exact.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return true;
  }
  return false;
}"""


@pytest.fixture(scope="module")
def browser():
    """Playwright's sync API keeps an event loop in this thread; Django's sync queries are fine."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and "Failed to load resource" not in message.text
            and errors.append(message.text)
        ),
    )
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
    yield page
    context.close()
    assert errors == [], errors  # script errors and CSP violations


@pytest.fixture
def water_fund(body):
    statement = Statement(
        slug="water-fund",
        title="A public water fund",
        body=body,
        text=TEXT,
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    statement.save()
    return statement


def on_passage(statement: Statement, exact: str, text: str, name: str = "Reader") -> Comment:
    thread = thread_for_statement(statement)
    anchor = validate_anchor(thread, [{"type": "TextQuoteSelector", "exact": exact}])
    return post_comment(
        Submission(thread=thread, text=text, name=name, anchor=anchor), rate_limit=False
    ).comment


def paragraph(page, words: str):
    return page.locator("#statement-body p", has_text=words)


def test_a_reader_selects_a_passage_comments_on_it_and_sees_its_marker(live_server, water_fund, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(live_server.url + water_fund.get_absolute_url())
    marker = paragraph(page, "An independent board").locator(".inline-marker")
    expect(marker).to_have_attribute("data-count", "+")

    assert page.evaluate(SELECT, "independent board")
    page.get_by_role("button", name="Comment on this passage").click()
    form = page.locator("#reply-form")
    expect(form.locator(".inline-chosen .passage-quote")).to_have_text("independent board")
    expect(page.locator("#id_text")).to_be_focused()
    page.locator("#id_text").fill("Who appoints the board, and for how long?")
    page.locator("#id_name").fill("Ada")
    page.wait_for_timeout(FORM_DELAY_MS)
    form.get_by_role("button", name="Post comment").click()

    posted = page.locator("#comments > li.comment", has_text="Who appoints the board")
    expect(posted.locator(".passage-quote")).to_have_text("independent board", timeout=30000)
    expect(marker).to_have_attribute("data-count", "1")
    expect(form.locator(".inline-chosen")).to_have_count(0)
    comment = Comment.objects.get()
    start = water_fund.plain_text.index("independent board")
    assert comment.anchor[1] == {"type": "TextPositionSelector", "start": start, "end": start + 17}

    marker.click()
    panel = page.locator("#inline-panel")
    expect(panel).to_be_focused()
    expect(panel).to_contain_text("Who appoints the board, and for how long?")
    expect(page.locator("#statement-body mark.inline-mark")).to_have_text("independent board")
    page.screenshot(path=str(ARTIFACTS / "passage-marker.png"))
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(marker).to_be_focused()
    expect(page.locator("#statement-body mark")).to_have_count(0)
    assert page.evaluate("document.getElementById('statement-body').textContent") == water_fund.plain_text

    page.get_by_role("button", name="Only passage comments").click()
    expect(posted).to_be_visible()


def test_a_keyboard_user_comments_on_a_paragraph_through_its_marker(live_server, water_fund, page):
    page.goto(live_server.url + water_fund.get_absolute_url())
    marker = paragraph(page, "The fund is paid for").locator(".inline-marker")
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#inline-panel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Comment on this paragraph", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#reply-form .inline-chosen .passage-quote")).to_have_text(
        "The fund is paid for by a levy on bottled water sold in the city. The levy is reviewed every year by the council."
    )
    expect(page.locator("#id_text")).to_be_focused()


def test_passages_follow_an_edit_and_a_removed_one_moves_to_the_earlier_version(
    live_server, water_fund, page
):
    ARTIFACTS.mkdir(exist_ok=True)
    on_passage(water_fund, "public water fund", "Why public rather than municipal?", name="Ada")
    on_passage(water_fund, "a levy on bottled water", "Tap water should stay free.", name="Grace")
    on_passage(water_fund, "the board publishes its accounts", "Monthly would be better.", name="Linus")
    InlineQuestion.objects.create(
        statement=water_fund,
        question="Is a levy fair?",
        selectors=question_selectors(water_fund, "The levy is reviewed every year"),
    )

    water_fund.text = (
        ("A short preface.\n\n" + TEXT)
        .replace("a levy on bottled water", "a small levy on bottled water")
        .replace(", and the board publishes its accounts", "")
    )
    water_fund.save()
    page.goto(live_server.url + water_fund.get_absolute_url())

    expect(paragraph(page, "We propose").locator(".inline-marker")).to_have_attribute("data-count", "1")
    funding = paragraph(page, "The fund is paid for").locator(".inline-marker")
    expect(funding).to_have_attribute("data-count", "1")
    expect(funding).to_have_class("inline-marker has-comments has-question")
    expect(paragraph(page, "An independent board").locator(".inline-marker")).to_have_attribute(
        "data-count", "+"
    )

    orphans = page.locator("#inline-orphans")
    expect(orphans.get_by_role("heading")).to_have_text("Comments on an earlier version")
    expect(orphans.locator(".passage-quote")).to_have_text("the board publishes its accounts")
    expect(orphans).to_contain_text("Monthly would be better.")

    page.screenshot(path=str(ARTIFACTS / "statement-page.png"), full_page=True)
    funding.click()
    panel = page.locator("#inline-panel")
    expect(panel).to_contain_text("Question: Is a levy fair?")
    expect(panel.locator(".passage-quote").nth(1)).to_have_text("a small levy on bottled water")
    assert serious_violations(page, "#statement") == []
    panel.get_by_role("button", name="Answer this question").click()
    expect(page.locator("#reply-form .inline-chosen .passage-quote")).to_have_text(
        "The levy is reviewed every year"
    )
