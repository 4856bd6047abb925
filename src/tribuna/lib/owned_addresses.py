"""A device's proof that its reader owns an email address: a signed cookie.

An address a stranger can type is not an identity. A reader proves ownership by following a
link mailed to the address (the notification confirmation, the my-data link) and pressing its
button; the response then sets this cookie, signed with the site's key, naming the address.
Pre-moderation trusts an address, and a new subscription starts without another confirmation,
only for a request that carries it (or from a signed-in account with that address).

The cookie is first-party and Lax: inside another site's page the widget's requests carry no
cookies (browsers block third-party cookies), so there the first-comment rule always applies.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from tribuna.lib.http import signed_in_user

COOKIE = "tribuna_addresses"
SALT = "tribuna.owned-addresses"
MAX_ADDRESSES = 5  # the newest proofs; enough for a shared family computer
MAX_AGE = 365 * 24 * 3600


def owned_addresses(request: HttpRequest) -> list[str]:
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if not value:
        return []
    return [address for address in value.split(",") if address]


def owns(request: HttpRequest, email: str) -> bool:
    """Whether this request proves its sender owns `email` (compared lower-case, exactly)."""
    email = email.strip().lower()
    if not email:
        return False
    user = signed_in_user(request)
    if user is not None and (user.email or "").strip().lower() == email:
        return True
    return email in owned_addresses(request)


def remember(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """Add `email` to the addresses this device has proved it owns."""
    email = email.strip().lower()
    kept = [address for address in owned_addresses(request) if address != email]
    addresses = [*kept, email][-MAX_ADDRESSES:]
    response.set_signed_cookie(
        COOKIE,
        ",".join(addresses),
        salt=SALT,
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
