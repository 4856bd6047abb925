"""The WSGI edge answers a warm thread page exactly as Django just did, and never a stale one."""

from __future__ import annotations

import io
import sys

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from tribuna.discussion.edge import PageEdge

pytestmark = pytest.mark.django_db


class CountingDjango:
    """Django's own WSGI application, counting the requests that reach it. As Django's test client
    does, requests do not close the database connection, which holds the test's transaction."""

    def __init__(self) -> None:
        self.django, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            return list(self.django(environ, start_response))
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


def get(app, query: str, **headers: str):
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/api/v1/comments",
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        **{"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()},
    }
    answer: list = []
    body = b"".join(app(environ, lambda status, headers, exc_info=None: answer.extend([status, headers])))
    return answer[0], dict(answer[1]), body


@pytest.fixture
def edge():
    django = CountingDjango()
    return PageEdge(django), django


def test_a_warm_page_is_answered_at_the_edge_exactly_as_django_answered_it(edge, thread, post_comment):
    app, django = edge
    post_comment(text="The first comment on the library's opening hours.")
    query = f"thread={thread.key}"
    get(app, query)  # builds and caches the page
    by_django = get(app, query)  # served from the cache by Django's CachedPageMiddleware: the edge learns
    assert django.calls == 2
    at_the_edge = get(app, query)
    assert django.calls == 2, "the edge answered without Django"
    assert at_the_edge[1] == by_django[1], (at_the_edge[1], by_django[1])
    assert at_the_edge == by_django
    assert by_django[0] == "200 OK" and b"opening hours" in by_django[2]
    assert "X-Content-Type-Options" in at_the_edge[1], "Django's security headers are kept"


def test_a_write_is_seen_at_the_next_request(edge, thread, post_comment):
    app, django = edge
    post_comment(text="The first comment on the library's opening hours.")
    query = f"thread={thread.key}"
    get(app, query), get(app, query)
    before = get(app, query)
    post_comment(text="A second comment about weekend staffing.")
    after = get(app, query)
    assert after[1]["ETag"] != before[1]["ETag"]
    assert b"weekend staffing" in after[2]


def test_a_conditional_request_gets_the_304_django_gives(edge, thread, post_comment):
    app, django = edge
    post_comment()
    query = f"thread={thread.key}"
    get(app, query)
    etag = get(app, query)[1]["ETag"]
    by_django = get(app, query, if_none_match=etag)
    calls = django.calls
    at_the_edge = get(app, query, if_none_match=etag)
    assert django.calls == calls and at_the_edge == by_django
    assert at_the_edge[0] == "304 Not Modified" and at_the_edge[2] == b""


def test_cross_origin_and_other_requests_always_go_through_django(edge, thread, post_comment):
    app, django = edge
    post_comment()
    query = f"thread={thread.key}"
    get(app, query), get(app, query)
    calls = django.calls
    get(app, query, origin="https://elsewhere.example")
    get(app, f"thread={thread.key}&sort=newest")
    get(app, "thread=no-such-thread")
    assert django.calls == calls + 3
