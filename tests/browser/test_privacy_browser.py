"""A reader comments and asks for their data; the browser talks to nobody but this site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import sync_playwright

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_a_reader_comments_and_opens_my_data_without_any_third_party_request(
    live_server, statement, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = live_server.url
    mail.outbox = []
    origin = urlsplit(live_server.url).netloc
    requested: list[str] = []
    failed: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        page = browser.new_page()
        page.on("request", lambda request: requested.append(request.url))
        page.on(
            "response",
            lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"),
        )

        page.goto(live_server.url + statement.get_absolute_url())
        form = page.locator("form.comment-form")
        form.locator("textarea[name=text]").fill("Reading this closely: a question on the second section.")
        form.locator("input[name=name]").fill("Grace")
        form.locator("input[name=email]").fill("grace@example.org")
        page.wait_for_timeout(2100)  # a form sent faster than a person could write is screened as a bot's
        form.get_by_role("button", name="Post comment").click()
        page.wait_for_load_state("load")
        page.locator("text=a question on the second section").first.wait_for()

        page.goto(live_server.url + "/my-data/")
        page.fill("input[name=email]", "grace@example.org")
        page.click("form.my-data-form button[type=submit]")
        page.locator("h1", has_text="Check your email").wait_for()
        assert len(mail.outbox) == 1
        link = re.search(r"http://\S+/my-data/\S+/", mail.outbox[0].body).group(0)

        page.goto(link)
        page.locator("text=a question on the second section").first.wait_for()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "privacy-my-data.png"), full_page=True)
        browser.close()

    assert requested
    elsewhere = [
        url for url in requested if urlsplit(url).scheme != "data" and urlsplit(url).netloc != origin
    ]
    assert elsewhere == []
    assert [f for f in failed if not f.endswith("/favicon.ico")] == []  # stylesheets and scripts all loaded
