"""Thread pages answered from their cached bytes before the rest of Django's stack runs.

A page is the same for every reader and carries no cookie, so sessions, authentication,
CSRF, messages and URL routing have nothing to add: skipping them is most of a warm page's
cost. Only the plain case is answered here (a known thread, valid parameters, a cached
page or a 304); anything else goes on to the API view, which validates, builds and caches.
The middlewares placed before this one (security headers, CORS) still apply.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import DisallowedHost

from tribuna.discussion import edge, services
from tribuna.discussion.api import page_etag
from tribuna.lib.http import cached_response
from tribuna.lib.pagekeys import thread_key

PARAMS = {"thread", "sort", "cursor", "limit", "passages"}
LIMIT = re.compile(r"[1-9][0-9]{0,2}")
BOOLEANS = {None: False, "false": False, "0": False, "true": True, "1": True}


class CachedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and request.path_info == edge.PAGE_PATH:
            response = cached_page(request)
            if response is not None:
                return response
        return self.get_response(request)


def cached_page(request):
    """The cached page or a 304 for a plain, valid page request, else None."""
    try:
        request.get_host()  # ALLOWED_HOSTS still holds; the view answers the error
    except DisallowedHost:
        return None
    query = request.GET
    if not query.keys() <= PARAMS or any(len(query.getlist(name)) > 1 for name in query):
        return None
    key, sort, cursor, limit = (
        query.get("thread"),
        query.get("sort", "oldest"),
        query.get("cursor"),
        query.get("limit"),
    )
    passages = BOOLEANS.get(query.get("passages"))
    if not key or sort not in services.SORTS or passages is None:
        return None
    if limit is not None:
        if not LIMIT.fullmatch(limit) or int(limit) > settings.TRIBUNA_MAX_PAGE_SIZE:
            return None
        limit = int(limit)
    normalised = thread_key(key)
    found = services.page_thread(normalised)
    request.page_thread = (normalised, found)  # a cold page's view reads this row, not the database
    if found is None:
        return None
    response = cached_response(request, page_etag(found, sort, cursor or None, limit, passages))
    if response is not None:
        request.META[edge.MARK] = (key, sort, cursor or None, limit, passages)  # the edge may answer it next
    return response
