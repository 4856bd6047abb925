"""Signed links in emails: confirm an address, unsubscribe, approve or reject a held comment.

Each purpose has its own salt, so a token made for one can never be used for another.
Unsubscribe tokens do not expire (RFC 8058 links must keep working in old mail); the others do.
"""

from __future__ import annotations

import hashlib
import hmac
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


@dataclass(frozen=True)
class Confirm:
    email: str
    subscription_ids: list[int] | None  # what the email asked about; None in links mailed before they said


def confirm_token(email: str, subscription_ids: list[int] | None = None) -> str:
    """Bound to the address and to the subscriptions the email named, not to later ones."""
    return signing.dumps({"e": email, "s": subscription_ids or []}, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> Confirm:
    data = _load(token, CONFIRM_SALT, settings.TRIBUNA_CONFIRM_MAX_AGE)
    ids = data.get("s")
    if not isinstance(data.get("e"), str) or not (
        ids is None or (isinstance(ids, list) and all(isinstance(i, int) for i in ids))
    ):
        raise BadToken("This link is not valid.")
    return Confirm(email=data["e"], subscription_ids=ids)


def confirm_url(email: str, subscription_ids: list[int] | None = None) -> str:
    return absolute(reverse("notifications:confirm", args=[confirm_token(email, subscription_ids)]))


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
    state: str  # digest of the comment's status and text when the email was made


def comment_state(comment) -> str:
    """What a moderation email was about: an edit after sending makes its links stop acting."""
    digest = hashlib.sha256(f"{comment.status}\n{comment.text}".encode()).hexdigest()
    return digest[:32]


def describes(link: Moderate, comment) -> bool:
    return hmac.compare_digest(link.state, comment_state(comment))


def moderate_token(comment, action: str, user_id: int) -> str:
    """Bound to one comment as it is now, one action and the moderator it is sent to."""
    return signing.dumps(
        {"c": comment.pk, "a": action, "u": user_id, "s": comment_state(comment)},
        salt=MODERATE_SALT,
        compress=True,
    )


def read_moderate_token(token: str) -> Moderate:
    data = _load(token, MODERATE_SALT, settings.TRIBUNA_MODERATION_LINK_MAX_AGE)
    if (
        data.get("a") not in MODERATE_ACTIONS
        or not isinstance(data.get("c"), int)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("s"), str)
    ):
        raise BadToken("This link is not valid.")
    return Moderate(comment_id=data["c"], action=data["a"], user_id=data["u"], state=data["s"])


def moderate_url(comment, action: str, user_id: int) -> str:
    return absolute(reverse("notifications:moderate", args=[moderate_token(comment, action, user_id)]))
