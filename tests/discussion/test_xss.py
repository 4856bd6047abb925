"""Hostile input in every field, posted through the API and shown on the page and in the API.

The payloads are a public list (tests/fixtures/README.md) plus Markdown-specific vectors.
Every comment is approved after posting so that all of them are rendered.
"""

import re
from pathlib import Path

import pytest

from tests.lib.test_markup import MARKDOWN_VECTORS, PAYLOADS, ElementAudit
from tribuna.discussion import services
from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")


def audit_page(html: str) -> None:
    audit = ElementAudit()
    audit.feed(html)
    for tag, attrs in audit.elements:
        if (
            tag == "script" and attrs.get("id") == "tribuna-i18n"
        ):  # data, never run: the scripts' translations
            assert attrs == {"id": "tribuna-i18n", "type": "application/json"}, attrs
        elif tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs  # only our own files
        if tag == "img":  # only the avatars this server draws
            assert attrs.get("class") == "avatar" and re.fullmatch(
                r"/avatar/[0-9a-f]{32}\.svg", attrs["src"]
            ), attrs
            continue
        assert tag not in {"iframe", "object", "embed", "svg", "base"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert not value.strip().lower().startswith(DANGEROUS_SCHEMES), (tag, name, value)


def test_payloads_in_text_name_and_website_are_inert_on_the_page_and_in_the_api(
    api, client, thread, statement
):
    posted = 0
    for i, payload in enumerate(PAYLOADS + MARKDOWN_VECTORS):
        data = {
            "thread": thread.key,
            "text": payload,
            "name": payload[:100] or "x",
            "url": f"https://ok.example/{i}",
        }
        response = api.post_json("/api/v1/comments", data)
        if response.status_code == 400:  # e.g. a name that is only invisible characters
            assert "errors" in response.json()
            continue
        assert response.status_code == 201, response.content
        posted += 1
    for comment in Comment.objects.exclude(status="approved"):
        services.set_status(comment, "approved")
    assert posted > len(PAYLOADS) // 2
    thread.refresh_from_db()
    page = client.get(statement.get_absolute_url() + "?sort=newest").content.decode()
    audit_page(page)
    body = api.get(f"/api/v1/comments?thread={thread.key}&limit=200").json()
    assert len(body["comments"]) == posted
    for comment in body["comments"]:
        audit_page(comment["html"])  # names stay plain text in JSON; the widget sets them with textContent


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example",
        'https://ok.example/" onmouseover="x',
        "vbscript:x",
    ],
)
def test_hostile_websites_are_refused(api, thread, url):
    response = api.post_json(
        "/api/v1/comments", {"thread": thread.key, "name": "A", "text": "Hello", "url": url}
    )
    assert response.status_code == 400
    assert "url" in response.json()["errors"]


def test_fixture_attribution_is_kept():
    readme = Path(__file__).resolve().parents[1] / "fixtures" / "README.md"
    assert "MIT" in readme.read_text()
