"""Warm thread pages answered at the WSGI edge, before Django builds a request.

A warm page costs Django's handler and middleware chain several times what the page itself
costs (a one-row query and a cache read): about 0.6 ms of CPU per request, where nginx serves
the same bytes in a tenth of that (`make bench`). No library does this for WSGI (Django's own
cache middleware runs inside the chain), so it is written here, and kept small by never
deciding anything itself:

- the first request for a page goes through Django; when `CachedPageMiddleware` answered it
  (a valid, plain page request), the status line and headers Django produced — security and
  cache headers included — are remembered for that host, scheme and query string;
- a later request with the same host, scheme and query string, and no Origin (CORS answers
  differ by origin), is answered with those headers and the cached bytes of the thread's
  current version, read exactly as the middleware reads them (one query for the version);
- anything else — another version not cached yet, a conditional request never seen, a
  database error — goes through Django, which answers it and teaches the edge.

So the edge serves only what Django has just served for the same request, at the version
the database says is current: a write is visible at the next request, as without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import DatabaseError

from tribuna.discussion import services
from tribuna.discussion.api import page_etag
from tribuna.lib.http import cached_body
from tribuna.lib.pagekeys import thread_key

PAGE_PATH = "/api/v1/comments"
MARK = "tribuna.page"  # set in the WSGI environ by CachedPageMiddleware: the page it answered
MAX_PAGES = 1024  # remembered (host, scheme, query) keys per process; headers only, a few hundred bytes each

Page = tuple[str, str, str | None, int | None, bool]  # thread key, sort, cursor, limit, passages
Headers = list[tuple[str, str]]


class PageEdge:
    """WSGI middleware around Django's application (see the module docstring)."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        # (host, scheme, query) -> the page, and Django's headers per status (200, 304)
        self.known: dict[tuple[str, str, str], tuple[Page, dict[int, Headers]]] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != PAGE_PATH:
            return self.app(environ, start_response)
        if "HTTP_ORIGIN" in environ:
            return self.app(environ, start_response)
        key = (
            environ.get("HTTP_HOST", ""),
            environ.get("wsgi.url_scheme", ""),
            environ.get("QUERY_STRING", ""),
        )
        known = self.known.get(key)
        if known is not None:
            answer = self._answer(known, environ, start_response)
            if answer is not None:
                return answer
        return self._through_django(key, environ, start_response)

    def _answer(self, known, environ: dict, start_response: Callable) -> list[bytes] | None:
        (thread, sort, cursor, limit, passages), by_status = known
        try:
            found = services.page_thread(thread_key(thread))
        except DatabaseError:
            # Django's request that follows closes the broken connection (request_started) and opens
            # another; the edge leaves the connection's life to those requests.
            return None
        if found is None:
            return None
        etag = page_etag(found, sort, cursor, limit, passages)
        body: bytes | None = b""
        if environ.get("HTTP_IF_NONE_MATCH") == etag:
            status = 304
        else:
            status, body = 200, cached_body(etag)
        headers = by_status.get(status)
        if headers is None or body is None:
            return None
        headers = [(name, etag if name == "ETag" else value) for name, value in headers]
        if status == 200:
            headers = [(n, str(len(body)) if n.lower() == "content-length" else v) for n, v in headers]
        start_response("200 OK" if status == 200 else "304 Not Modified", headers)
        return [body] if body else []

    def _through_django(self, key, environ: dict, start_response: Callable) -> Iterable[bytes]:
        seen: list = []

        def remember(status: str, headers: Headers, exc_info=None):
            seen[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        result = self.app(environ, remember)
        page = environ.get(MARK)
        if page is not None and seen and seen[0][:3] in ("200", "304"):
            status = int(seen[0][:3])
            # The per-version values (ETag, Content-Length) are filled in at each answer.
            kept = [("ETag" if name.lower() == "etag" else name, value) for name, value in seen[1]]
            if len(self.known) >= MAX_PAGES:
                self.known.clear()
            previous = self.known.get(key)
            by_status = dict(previous[1]) if previous is not None and previous[0] == page else {}
            by_status[status] = kept
            self.known[key] = (page, by_status)
        return result
