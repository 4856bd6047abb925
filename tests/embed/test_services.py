"""A thread for an embedding page is created on its first comment, from a configured origin only,
and keyed by the page's address: statement slugs are never an embed's to open."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread
from tribuna.lib.pagekeys import page_key
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db

PAGE = "https://blog.example.org/2026/05/a-post/"


def post_from(api, origin: str | None, **fields):
    payload = {
        "thread": PAGE,
        "name": "Reader",
        "text": "A first comment on the blog post.",
        "title": "A post",
        **fields,
    }
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    return api.post_json("/api/v1/comments", payload, **extra)


def test_it_creates_the_thread_on_the_first_post_from_an_allowed_origin(api, blog):
    response = post_from(api, blog)
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == blog
    thread = Thread.objects.get(key=PAGE)
    assert (thread.title, thread.url) == ("A post", PAGE)
    assert Comment.objects.get(pk=response.json()["id"]).thread == thread


def test_it_reuses_the_thread_on_later_posts_whatever_the_spelling_of_the_address(api, blog):
    post_from(api, blog)
    again = post_from(
        api,
        blog,
        thread="HTTPS://Blog.Example.org:443/2026/05/a-post/#comments",
        text="A second comment on the same post.",
    )
    assert again.status_code == 201
    assert Thread.objects.get().key == PAGE
    listed = api.get("/api/v1/comments", {"thread": "https://BLOG.example.org/2026/05/a-post/"})
    assert listed.status_code == 200 and len(listed.json()["comments"]) == 2
    counts = api.post_json("/api/v1/counts", {"threads": ["https://blog.example.org:443/2026/05/a-post/"]})
    assert counts.json()["counts"] == {"https://blog.example.org:443/2026/05/a-post/": 2}


def test_it_creates_no_thread_for_a_foreign_origin(api, blog, stranger):
    response = post_from(api, stranger)
    assert response.status_code in (403, 404)
    assert not Thread.objects.exists()
    assert not Comment.objects.exists()


def test_it_creates_no_thread_without_an_origin(api, blog):
    assert post_from(api, None).status_code == 404
    assert not Thread.objects.exists()


def test_an_allowed_origin_opens_threads_only_for_its_own_pages(api, blog, settings):
    settings.TRIBUNA_ALLOWED_ORIGINS = [blog, "https://news.example.org"]
    response = post_from(api, "https://news.example.org")
    assert response.status_code == 404
    assert not Thread.objects.exists()


@pytest.mark.parametrize(
    "key", ["budget-statement-2027", "/2026/05/a-post/", "javascript:alert(1)", "ftp://blog.example.org/x"]
)
def test_an_embed_opens_no_thread_under_anything_but_a_page_address(api, blog, key):
    assert post_from(api, blog, thread=key).status_code == 404
    assert not Thread.objects.exists()


def test_a_future_statements_thread_cannot_be_seeded(api, blog, body):
    """The review's attack: a client sending an allowed Origin created thread `budget-statement-2027`,
    and the seeded comment appeared under the statement once it was published."""
    seeded = post_from(api, blog, thread="budget-statement-2027", text="Seeded before the statement existed.")
    assert seeded.status_code == 404
    statement = Statement(
        slug="budget-statement-2027",
        title="Budget 2027",
        body=body,
        text="Text",
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    statement.save()
    thread = services.thread_for_statement(statement)
    page = api.get("/api/v1/comments", {"thread": "budget-statement-2027"}).json()
    assert page["comments"] == [] and thread.comment_count == 0
    assert not Comment.objects.exists()


def test_a_thread_left_under_a_slug_does_not_become_the_statements(body):
    stray = Thread.objects.create(key="future-statement", title="Someone else's title")
    Comment.objects.create(
        thread=stray, author_name="Seeder", text="Seeded", html="<p>Seeded</p>", status="approved"
    )
    statement = Statement(
        slug="future-statement",
        title="The real title",
        body=body,
        text="Text",
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    statement.save()
    thread = services.thread_for_statement(statement)
    assert thread.pk != stray.pk and thread.statement_id == statement.pk and thread.title == "The real title"
    assert not thread.comments.exists()
    stray.refresh_from_db()
    assert stray.key == f"future-statement#stray-{stray.pk}" and stray.comments.count() == 1


def test_it_refuses_writes_from_a_foreign_origin_to_an_existing_thread(api, thread, blog, stranger):
    response = api.post_json(
        "/api/v1/comments",
        {"thread": thread.key, "name": "Reader", "text": "Hello there."},
        HTTP_ORIGIN=stranger,
    )
    assert response.status_code == 403
    assert "may not write" in json.loads(response.content)["detail"]
    assert not Comment.objects.exists()


def test_an_allowed_origin_may_still_embed_a_published_statements_thread(api, thread, blog):
    response = api.post_json(
        "/api/v1/comments",
        {"thread": thread.key, "name": "Reader", "text": "Commenting on the statement from the blog."},
        HTTP_ORIGIN=blog,
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("https://Blog.Example.org", "https://blog.example.org/"),
        ("http://blog.example.org:80/a?b=1#c", "http://blog.example.org/a?b=1"),
        ("https://user:pw@blog.example.org:8443/a", "https://blog.example.org:8443/a"),
        ("https://[2001:DB8::1]/x", "https://[2001:db8::1]/x"),
        ("budget-statement-2027", None),
        ("/a/b/", None),
        ("https://", None),
        ("https://x:notaport/", None),
    ],
)
def test_page_keys_are_normalised_addresses(raw, key):
    assert page_key(raw) == key
