"""Atom feeds of a statement's comments and of the whole site's."""

from xml.etree import ElementTree  # our own output, not untrusted input

import pytest

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


def test_a_statements_feed_lists_its_approved_comments_only(client, statement, thread):
    Comment.objects.create(
        thread=thread, author_name="Ada", text="Shown", html="<p>Shown</p>", status="approved"
    )
    Comment.objects.create(
        thread=thread, author_name="Sp", text="Hidden", html="<p>Hidden</p>", status="spam"
    )
    Comment.objects.create(
        thread=thread,
        author_name="Pe",
        text="Held",
        html="<p>Held</p>",
        status="pending",
        author_email="held@example.org",
    )
    response = client.get(f"/statements/{statement.slug}/feed/")
    entries = _entries(response)
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "Ada"
    body = response.content.decode()
    assert "Hidden" not in body and "Held" not in body and "held@example.org" not in body
    assert "/c/" in entries[0].find(f"{ATOM}link").get("href")


def test_the_sites_feed_leaves_out_drafts_and_embedded_pages(client, statement, thread, body):
    from tribuna.discussion.models import Thread
    from tribuna.statements.models import Statement

    draft = Statement(slug="draft", title="Draft", body=body, text="x")
    draft.save()
    draft_thread = Thread.objects.create(key="draft", statement=draft)
    Comment.objects.create(
        thread=draft_thread, author_name="D", text="On a draft", html="<p>On a draft</p>", status="approved"
    )
    Comment.objects.create(
        thread=thread, author_name="Ada", text="Public", html="<p>Public</p>", status="approved"
    )
    entries = _entries(client.get("/comments/feed/"))
    assert [e.find(f"{ATOM}author/{ATOM}name").text for e in entries] == ["Ada"]


def test_an_unknown_or_draft_statement_has_no_feed(client, body):
    from tribuna.statements.models import Statement

    Statement(slug="draft", title="Draft", body=body, text="x").save()
    assert client.get("/statements/draft/feed/").status_code == 404
    assert client.get("/statements/nothing-here/feed/").status_code == 404
