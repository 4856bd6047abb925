"""A thread for an embedding page is created on its first comment, from a configured origin only."""

from __future__ import annotations

import json

import pytest

from tribuna.discussion.models import Comment, Thread

pytestmark = pytest.mark.django_db


def post_from(api, origin: str | None, **fields):
    payload = {"thread": "/2026/05/a-post/", "name": "Reader", "text": "A first comment on the blog post.",
               "title": "A post", "page_url": "https://blog.example.org/2026/05/a-post/", **fields}
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    return api.post_json("/api/v1/comments", payload, **extra)


def test_it_creates_the_thread_on_the_first_post_from_an_allowed_origin(api, blog):
    response = post_from(api, blog)
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == blog
    thread = Thread.objects.get(key="/2026/05/a-post/")
    assert (thread.title, thread.url) == ("A post", f"{blog}/2026/05/a-post/")
    assert Comment.objects.get(pk=response.json()["id"]).thread == thread


def test_it_reuses_the_thread_on_later_posts(api, blog):
    post_from(api, blog)
    assert post_from(api, blog, text="A second comment on the same post.").status_code == 201
    assert Thread.objects.filter(key="/2026/05/a-post/").count() == 1


def test_it_creates_no_thread_for_a_foreign_origin(api, blog, stranger):
    response = post_from(api, stranger)
    assert response.status_code in (403, 404)
    assert not Thread.objects.filter(key="/2026/05/a-post/").exists()
    assert not Comment.objects.exists()


def test_it_creates_no_thread_without_an_origin(api, blog):
    assert post_from(api, None).status_code == 404
    assert not Thread.objects.exists()


def test_it_keeps_a_page_address_on_the_embedding_site(api, blog):
    post_from(api, blog, page_url="https://elsewhere.example.com/phish")
    assert Thread.objects.get(key="/2026/05/a-post/").url == f"{blog}/2026/05/a-post/"


def test_it_refuses_writes_from_a_foreign_origin_to_an_existing_thread(api, thread, blog, stranger):
    response = api.post_json("/api/v1/comments", {"thread": thread.key, "name": "Reader", "text": "Hello there."},
                             HTTP_ORIGIN=stranger)
    assert response.status_code == 403
    assert "may not write" in json.loads(response.content)["detail"]
    assert not Comment.objects.exists()
