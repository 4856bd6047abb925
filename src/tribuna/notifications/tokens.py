"""Signed links in emails: confirm an address, unsubscribe, approve or reject a held comment.

Each purpose has its own salt, so a token made for one can never be used for another.
Unsubscribe tokens do not expire (RFC 8058 links must keep working in old mail); the others do.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "tribuna.notifications.confirm"
UNSUBSCRIBE_SALT = "tribuna.notifications.unsubscribe"
MODERATE_SALT = "tribuna.notifications.moderate"
MODERATE_ACTIONS = ("approve", "spam")
_SLOT = "token-slot"


class BadToken(Exception):
    """The link was altered, forged, made for something else, or has expired."""


def absolute(path: str) -> str:
    """Links in email come from the configured base URL, never from a request's Host header."""
    return settings.BASE_URL + path


def _load(token: str, salt: str, max_age: int | None = None) -> dict:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken("This link has expired.") from exc
    except signing.BadSignature as exc:
        raise BadToken("This link is not valid: it may have been altered or copied incompletely.") from exc
    if not isinstance(data, dict):
        raise BadToken("This link is not valid.")
    return data


def confirm_token(email: str) -> str:
    return signing.dumps({"e": email}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> str:
    data = _load(token, CONFIRM_SALT, settings.TRIBUNA_CONFIRM_MAX_AGE)
    if not isinstance(data.get("e"), str):
        raise BadToken("This link is not valid.")
    return data["e"]


def confirm_url(email: str) -> str:
    return absolute(reverse("notifications:confirm", args=[confirm_token(email)]))


@dataclass(frozen=True)
class Unsubscribe:
    email: str
    thread_id: int | None  # None: the email was not about one thread (moderation, body, confirmation)


def unsubscribe_token(email: str, thread_id: int | None) -> str:
    return signing.dumps({"e": email, "t": thread_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> Unsubscribe:
    data = _load(token, UNSUBSCRIBE_SALT)
    email, thread_id = data.get("e"), data.get("t")
    if not isinstance(email, str) or not (thread_id is None or isinstance(thread_id, int)):
        raise BadToken("This link is not valid.")
    return Unsubscribe(email=email, thread_id=thread_id)


def unsubscribe_url(email: str, thread_id: int | None) -> str:
    return unsubscribe_url_for(unsubscribe_token(email, thread_id))


def unsubscribe_url_for(token: str) -> str:
    return absolute(_unsubscribe_path().replace(_SLOT, token))


@lru_cache(maxsize=1)
def _unsubscribe_path() -> str:
    """Reversed once: URL resolving costs more than signing, and a fan-out needs a link per reader.
    Tokens are URL-safe, so putting one in place of the slot is what reverse() would do."""
    return reverse("notifications:unsubscribe", args=[_SLOT])


@dataclass(frozen=True)
class Moderate:
    comment_id: int
    action: str
    user_id: int


def moderate_token(comment_id: int, action: str, user_id: int) -> str:
    """Bound to one comment, one action and the moderator it was sent to (who is checked again on use)."""
    return signing.dumps({"c": comment_id, "a": action, "u": user_id}, salt=MODERATE_SALT, compress=True)


def read_moderate_token(token: str) -> Moderate:
    data = _load(token, MODERATE_SALT, settings.TRIBUNA_MODERATION_LINK_MAX_AGE)
    if data.get("a") not in MODERATE_ACTIONS or not isinstance(data.get("c"), int) or not isinstance(data.get("u"), int):
        raise BadToken("This link is not valid.")
    return Moderate(comment_id=data["c"], action=data["a"], user_id=data["u"])


def moderate_url(comment_id: int, action: str, user_id: int) -> str:
    return absolute(reverse("notifications:moderate", args=[moderate_token(comment_id, action, user_id)]))
