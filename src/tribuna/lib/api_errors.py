"""Errors about the request itself (headers, shape), raised by API views; services raise tribuna.lib.errors."""

from __future__ import annotations

from django.http import HttpRequest

from tribuna.lib.origins import origin_allowed, same_origin


class ApiError(Exception):
    def __init__(self, status: int, detail: str = "", *, errors: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors

    def body(self) -> dict:
        return {"errors": self.errors} if self.errors is not None else {"detail": self.detail}


def require_json_write(request: HttpRequest, *, body: bool = True) -> None:
    """Writes must come as JSON with our custom header, from our origin or a configured one.

    Browsers cannot send a custom header or a JSON content type cross-origin without a
    preflight, and the preflight only succeeds for TRIBUNA_ALLOWED_ORIGINS: that is the
    CSRF defence for anonymous widget writes, which carry no cookies.
    """
    if request.headers.get("X-Tribuna") != "1":
        raise ApiError(403, "Writes need the header 'X-Tribuna: 1'.")
    origin = request.headers.get("Origin")
    if origin and not (same_origin(request, origin) or origin_allowed(origin)):
        raise ApiError(403, f"Origin {origin} may not write to this site.")
    if body and request.content_type != "application/json":
        raise ApiError(415, "Send the body as application/json.")
