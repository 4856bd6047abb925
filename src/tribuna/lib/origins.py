"""Which other sites may embed the discussion: exact origins from TRIBUNA_ALLOWED_ORIGINS.

The CORS middleware, the API's write check, thread creation for embedding pages and the
links in emails all ask the same question; this is the one answer.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def origin_allowed(origin: str) -> bool:
    """An exact match only: no wildcard, no scheme or port guessing."""
    return origin in settings.TRIBUNA_ALLOWED_ORIGINS


def same_origin(request: HttpRequest, origin: str) -> bool:
    return origin in {f"{request.scheme}://{request.get_host()}", settings.BASE_URL}
