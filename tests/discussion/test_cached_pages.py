"""Warm thread pages leave from their cached bytes before sessions, auth and routing run,
with the same answer, headers and validation as the API view."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tribuna.discussion import middleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_url(thread, post_comment):
    post_comment("A first comment so the page has something in it.")
    return f"/api/v1/comments?thread={thread.key}"


def served_early(monkeypatch) -> list:
    """Records each response the middleware gave itself (None when it let the view answer)."""
    answered = []
    original = middleware.cached_page

    def recording(request):
        answered.append(original(request))
        return answered[-1]

    monkeypatch.setattr(middleware, "cached_page", recording)
    return answered


def test_a_warm_page_is_the_views_bytes_with_one_query(api, page_url, monkeypatch):
    built = api.get(page_url)
    answered = served_early(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        warm = api.get(page_url)
    assert answered[-1] is not None
    assert len(queries) == 1  # the thread's version; no session, no user
    assert warm.content == built.content and warm["ETag"] == built["ETag"]
    assert warm["Content-Type"] == "application/json"
    assert "Content-Security-Policy" in warm and warm["X-Content-Type-Options"] == "nosniff"
    assert "Origin" in warm["Vary"]


def test_a_cold_page_reads_the_thread_once_and_its_comments_with_two_queries(api, page_url, post_comment):
    api.get(page_url)
    post_comment("A new comment: the cached page is stale.")
    with CaptureQueriesContext(connection) as queries:
        cold = api.get(page_url)
    assert cold.status_code == 200 and "A new comment" in cold.content.decode()
    assert len(queries) == 3  # the thread's version (once), the top-level page, its replies


def test_it_answers_304_to_the_current_etag_and_not_to_an_old_one(api, page_url, post_comment, monkeypatch):
    etag = api.get(page_url)["ETag"]
    answered = served_early(monkeypatch)
    assert api.get(page_url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert answered[-1] is not None
    post_comment("A second comment: the thread has a new version.")
    fresh = api.get(page_url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert "A second comment" in fresh.content.decode()


def test_allowed_origins_get_cors_headers_on_early_answers(api, page_url, settings, monkeypatch):
    settings.TRIBUNA_ALLOWED_ORIGINS = ["https://blog.example.org"]
    api.get(page_url)
    answered = served_early(monkeypatch)
    warm = api.get(page_url, HTTP_ORIGIN="https://blog.example.org")
    assert answered[-1] is not None
    assert warm["Access-Control-Allow-Origin"] == "https://blog.example.org"


@pytest.mark.parametrize(
    "query",
    ["&limit=0", "&limit=201", "&sort=loudest", "&passages=maybe", "&extra=1", "&sort=best&sort=newest"],
)
def test_anything_but_a_plain_valid_request_goes_to_the_view(api, page_url, query, monkeypatch):
    api.get(page_url)
    answered = served_early(monkeypatch)
    direct = api.get(page_url + query)
    assert answered[-1] is None
    assert direct.status_code in (200, 400)


def test_a_host_not_allowed_is_refused_as_before(api, page_url, monkeypatch):
    api.get(page_url)
    answered = served_early(monkeypatch)
    assert api.get(page_url, HTTP_HOST="evil.example").status_code == 400
    assert answered[-1] is None
