"""Emails never appear publicly, and public pages load nothing from other hosts."""

import re

import pytest

pytestmark = pytest.mark.django_db

SECRET = "hidden.person@example.org"


def test_a_posted_email_appears_in_no_page_api_answer_or_feed(client, api, thread, post_comment):
    posted = post_comment(email=SECRET, text="My address must stay private, whatever happens.")
    assert SECRET not in str(posted)
    pages = [
        thread.url,
        f"/api/v1/comments?thread={thread.key}",
        "/",
        "/feed/",
        "/privacy/",
        f"/api/v1/comments?thread={thread.key}&sort=newest",
    ]
    for path in pages:
        body = client.get(path).content.decode()
        assert SECRET not in body and "hidden.person" not in body, path


def test_a_form_posted_email_stays_private_too(client, statement, thread):
    response = client.post(
        f"/statements/{statement.slug}/comment",
        {"text": "Posted without JavaScript.", "name": "Plain", "email": SECRET},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "hidden.person" not in page


@pytest.mark.parametrize("path", ["/privacy/", "/my-data/", "statement"])
def test_public_pages_load_nothing_from_other_hosts(client, thread, path, settings):
    html = client.get(thread.url if path == "statement" else path).content.decode()
    loaded = re.findall(r'<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert loaded
    own = [
        url
        for url in loaded
        if url.startswith("/") and not url.startswith("//") or url.startswith(settings.BASE_URL)
    ]
    assert own == loaded
