"""Security headers on every response."""

from __future__ import annotations

from django.conf import settings

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
                from django.http import JsonResponse

                limit_kb = settings.TRIBUNA_MAX_BODY_BYTES // 1024
                return JsonResponse({"detail": f"The request body may be at most {limit_kb} KB."}, status=413)
        return self.get_response(request)
