"""Privacy operations: export and erasure per address, the retention purge, and "my data" links.

Export and erasure walk tribuna.core.personal_data, so each app answers for its own tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tribuna.core import personal_data
from tribuna.discussion.models import Comment
from tribuna.lib.errors import InvalidInput
from tribuna.lib.http import keyed_hash, rate_key_of
from tribuna.lib.ratelimit import hit

EXPORT_FORMAT = "tribuna.personal-data/1"
COMMENTS = "comments"  # the discussion's provider, registered by PrivacyConfig
LINK_SALT = "tribuna.privacy.my-data"


def normalise(email: str) -> str:
    """Addresses are stored lower-cased and stripped (CommentForm.clean_email); match them the same way."""
    return email.strip().lower()


def export_data(email: str) -> dict:
    """Everything tied to the address, one section per registered provider (format in README.md)."""
    email = normalise(email)
    return {
        "format": EXPORT_FORMAT,
        "site": settings.BASE_URL,
        "email": email,
        "generated": timezone.now().isoformat(),
        "sections": {provider.name: provider.export(email) for provider in personal_data.providers()},
    }


def erase_data(email: str) -> dict[str, int]:
    """Remove everything tied to the address in one transaction; returns rows touched per provider.

    Comments go last: other apps may find their rows through Comment.author_email, which
    the comments provider deletes or blanks.
    """
    email = normalise(email)
    ordered = sorted(personal_data.providers(), key=lambda provider: provider.name == COMMENTS)
    with transaction.atomic():
        return {provider.name: provider.erase(email) for provider in ordered}


def audit_note(email: str) -> str:
    """What the audit log keeps about whose data it was: a keyed hash, never the address."""
    return f"address hash {keyed_hash(normalise(email), 'privacy-audit')}"


# --- Retention ----------------------------------------------------------------------------------


@dataclass
class Purged:
    comments: int
    cutoff: datetime


def purge_expired(*, now: datetime | None = None, dry_run: bool = False) -> Purged:
    """Drop full IP addresses and user agents older than TRIBUNA_IP_RETENTION_DAYS, and nothing else.

    The truncated network (Comment.ip_network) stays: bans and abuse statistics key on it.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRIBUNA_IP_RETENTION_DAYS)
    expired = Comment.objects.filter(created__lt=cutoff).exclude(ip_address__isnull=True, user_agent="")
    if dry_run:
        return Purged(comments=expired.count(), cutoff=cutoff)
    # Privacy owns these two fields' life cycle; no page shows them, so no cached page changes.
    return Purged(comments=expired.update(ip_address=None, user_agent=""), cutoff=cutoff)


def purge_job() -> None:
    """The worker's periodic task."""
    purge_expired()


# --- "My data" links ----------------------------------------------------------------------------


class BadLink(InvalidInput):
    """A my-data link that is forged, for another purpose, or too old."""


def make_link_token(email: str) -> str:
    return signing.dumps({"e": normalise(email)}, salt=LINK_SALT, compress=False)


def check_link_token(token: str) -> str:
    """The address a link was made for, if it is genuine and younger than TRIBUNA_MY_DATA_LINK_HOURS."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=settings.TRIBUNA_MY_DATA_LINK_HOURS * 3600)
    except signing.SignatureExpired as exc:
        raise BadLink("This link has expired. Ask for a new one below.") from exc
    except signing.BadSignature as exc:
        raise BadLink("This link is not valid. Ask for a new one below.") from exc
    email = data.get("e") if isinstance(data, dict) else None
    if not isinstance(email, str) or not email:
        raise BadLink("This link is not valid. Ask for a new one below.")
    return email


def request_link(email: str, ip: str) -> None:
    """Email the address a link to its data, whether or not we hold anything for it.

    Sending to unknown addresses too means the answer, and the time it takes, is the same
    either way: nobody learns from this form who has commented. Limits per address and per
    client keep it from being used to flood a mailbox.
    """
    email = normalise(email)
    limits = settings.TRIBUNA_MY_DATA_LIMITS
    hit("mydata-ip", rate_key_of(ip), *limits["mydata-ip"])
    hit("mydata-email", keyed_hash(email, "mydata"), *limits["mydata-email"])
    token = make_link_token(email)
    context = {
        "site_name": settings.TRIBUNA_SITE_NAME,
        "link": settings.BASE_URL + reverse("privacy:my_data_manage", args=[token]),
        "hours": settings.TRIBUNA_MY_DATA_LINK_HOURS,
    }
    subject = " ".join(render_to_string("privacy/email/my_data_link_subject.txt", context).split())
    body = render_to_string("privacy/email/my_data_link.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
