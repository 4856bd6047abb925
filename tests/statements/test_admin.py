"""Editing statements in the admin: a Markdown preview before saving, and the passages readers commented on."""

import pytest

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


def test_the_preview_renders_unsaved_markdown_as_the_page_would(client, administrator, statement):
    client.force_login(administrator)
    response = client.post(
        "/admin/statements/statement/preview/",
        {"text": "## A heading\n\nSome *text* <script>alert(1)</script>"},
    )
    assert response.status_code == 200
    html = response.json()["html"]
    assert '<h2 id="a-heading">A heading</h2>' in html and "<em>text</em>" in html
    assert "<script" not in html
    statement.refresh_from_db()
    assert "A heading" not in statement.text  # nothing was saved


def test_the_preview_is_for_staff_only(client, outsider):
    assert (
        client.post("/admin/statements/statement/preview/", {"text": "x"}).status_code == 302
    )  # to the login
    client.force_login(outsider)
    assert client.post("/admin/statements/statement/preview/", {"text": "x"}).status_code == 302


def test_the_change_page_lists_the_passages_readers_commented_on(client, administrator, statement, thread):
    quote = [{"type": "TextQuoteSelector", "exact": "The first section's text."}]
    for _ in range(2):
        Comment.objects.create(
            thread=thread, author_name="R", text="t", html="<p>t</p>", status="approved", anchor=quote
        )
    Comment.objects.create(
        thread=thread,
        author_name="S",
        text="s",
        html="<p>s</p>",
        status="spam",
        anchor=[{"type": "TextQuoteSelector", "exact": "More text."}],
    )
    client.force_login(administrator)
    html = client.get(f"/admin/statements/statement/{statement.pk}/change/").content.decode()
    assert "<li><q>The first section&#x27;s text.</q> <span>(2)</span></li>" in html
    assert "More text." not in html.split("commented-passages")[1][:500]
    assert "tribuna/admin-preview.js" in html
