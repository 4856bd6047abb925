"""Security headers on every response, and requests refused before anything parses them."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse

# No inline script or style anywhere: every script and stylesheet is a file we serve.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Permissions-Policy", "interest-cohort=()")
        if settings.SECURE_HSTS_SECONDS:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}"
            )
        if request.path.startswith(("/moderation/", "/admin/")):
            response.headers["Cache-Control"] = "private, no-store"
        return response


class BodySizeLimitMiddleware:
    """Refuse oversized bodies from their declared length, before anything parses them."""

    LIMITED = ("/api/", "/1.1/", "/1.2/", "/statements/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.LIMITED):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.TRIBUNA_MAX_BODY_BYTES:
                limit_kb = settings.TRIBUNA_MAX_BODY_BYTES // 1024
                return JsonResponse({"detail": f"The request body may be at most {limit_kb} KB."}, status=413)
        return self.get_response(request)


def _json_strings_hold_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_strings_hold_nul(k) or _json_strings_hold_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_strings_hold_nul(v) for v in value)
    return False


def carries_nul(request) -> bool:
    """Whether the path, query or body carries U+0000, raw, %-encoded or as a JSON escape."""
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    body = request.body  # bounded by BodySizeLimitMiddleware; Django keeps it for the form parser
    form = request.META.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
    if b"\x00" in body or (form and b"%00" in body):
        return True
    if b"\\u0000" in body:  # maybe an escaped backslash before it, so look at the decoded strings
        try:
            return _json_strings_hold_nul(json.loads(body))
        except ValueError:
            return False
    return False


class RejectNulMiddleware:
    """Refuse any request whose text carries U+0000 with a precise 400.

    No form field, query or JSON string of Tribuna's has a use for it, and PostgreSQL cannot
    store it in a text column: let through, it would fail deep inside a query as a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            if request.path.startswith(("/1.1/", "/1.2/")):  # the Akismet protocol's way to refuse input
                response = HttpResponse("invalid", content_type="text/plain; charset=utf-8")
                response["X-akismet-debug-help"] = "Text may not contain the NUL character (U+0000)."
                return response
            # The shape of every 400 the JSON API documents: errors by field.
            return JsonResponse(
                {"errors": {"request": ["Text may not contain the NUL character (U+0000)."]}}, status=400
            )
        return self.get_response(request)
