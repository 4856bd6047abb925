"""CORS for the embeddable widget: only the exact origins in TRIBUNA_ALLOWED_ORIGINS.

Written by hand because the rule is five lines and must be exactly ours: no wildcard, no
credentials (the widget never relies on third-party cookies), Vary: Origin always.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from tribuna.lib.origins import origin_allowed

CORS_PATHS = ("/api/v1/",)
ALLOWED_HEADERS = "Content-Type, X-Tribuna, X-Edit-Token"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"


class CorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(CORS_PATHS):
            return self.get_response(request)
        origin = request.headers.get("Origin", "")
        allowed = bool(origin) and origin_allowed(origin)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204 if allowed else 403)
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Origin"])
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
            response["Access-Control-Max-Age"] = "600"
        return response
