"""The privacy notice as data, built from the running configuration.

The page at /privacy/ only lays this structure out, so what it promises (retention,
cookie lifetimes, who else receives data) follows the settings the server actually runs
with: change TRIBUNA_IP_RETENTION_DAYS or EMAIL_URL and the notice changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings

from tribuna.lib import owned_addresses
from tribuna.privacy.models import PrivacyContact

LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "[::1]"}


@dataclass(frozen=True)
class StoredItem:
    name: str
    why: str
    who: str  # who can see it
    kept: str  # how long


@dataclass(frozen=True)
class BrowserItem:
    name: str
    kind: str  # "cookie", "local storage" or "page memory"
    purpose: str
    lifetime: str


@dataclass(frozen=True)
class Recipient:
    name: str
    host: str
    receives: str


@dataclass
class Notice:
    site_name: str
    controller: str
    contact: str
    extra_html: str
    ip_retention_days: int
    stored: list[StoredItem] = field(default_factory=list)
    browser: list[BrowserItem] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)  # empty: no third party receives anything
    embedding_sites: list[str] = field(default_factory=list)


def duration(seconds: int) -> str:
    """A lifetime in the largest whole unit that fits: '15 minutes', '12 hours', '52 weeks'."""
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


def _days(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def _remote_host(url: str) -> str:
    """The host a connection URL points at, or '' when it stays on this machine."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite") or parts.scheme in {"file", "unix"}:
        return ""
    host = (parts.hostname or "").lower()
    return "" if host in LOCAL_HOSTS or host.startswith("/") else host


def recipients() -> list[Recipient]:
    """Everything the configuration sends to another machine, named for the reader."""
    found = []
    email_host = getattr(settings, "EMAIL_HOST", "")
    if settings.EMAIL_BACKEND.endswith("smtp.EmailBackend") and email_host.lower() not in LOCAL_HOSTS:
        found.append(Recipient(
            name="Email relay", host=email_host,
            receives="the emails we send you (confirmations, notifications, links to your data): "
                     "your address and the text of those emails",
        ))
    database_host = _remote_host(getattr(settings, "DATABASE_URL", ""))
    if database_host:
        found.append(Recipient(
            name="Database server", host=database_host, receives="everything listed above, as our storage",
        ))
    redis_host = _remote_host(getattr(settings, "REDIS_URL", ""))
    if redis_host:
        found.append(Recipient(
            name="Cache server", host=redis_host,
            receives="cached discussion pages and rate-limit counters keyed by IP address and by a hash of "
                     "your email address, for at most an hour",
        ))
    return found


def build_notice() -> Notice:
    contact = PrivacyContact.current()
    retention = settings.TRIBUNA_IP_RETENTION_DAYS
    until_erased = "until the comment is deleted or you erase your data at /my-data/"
    stored = [
        StoredItem("Name", "to show who wrote a comment", "everyone who reads the discussion", until_erased),
        StoredItem(
            "Email address (optional)",
            "to send the notifications you ask for, to recognise returning authors for moderation, "
            "and to find your data when you ask for it",
            "moderators and administrators only; never shown on pages, in feeds or in the API",
            until_erased,
        ),
        StoredItem("Website (optional)", "to link your name", "everyone who reads the discussion", until_erased),
        StoredItem(
            "That you proved owning your email address", "when you press the button of a confirmation "
            "or my-data link we emailed you: your address and the time, so your comments are not held "
            "as a newcomer's", "moderators and administrators", until_erased,
        ),
        StoredItem("Comment text", "to publish it", "everyone once approved; moderators before that", until_erased),
        StoredItem(
            "IP address", "to prevent abuse: rate limits, spam screening and bans",
            "moderators and administrators",
            f"{_days(retention)}, then deleted; only the network it belongs to (the first three "
            "parts of an IPv4 address, the first half of an IPv6 one) stays with the comment, for bans",
        ),
        StoredItem(
            "Browser identification (user agent)", "to prevent abuse and spot automated posting",
            "moderators and administrators", f"{_days(retention)}, then deleted",
        ),
        StoredItem(
            "Votes", "to count each visitor once per comment",
            "nobody: only the totals are shown",
            "as long as the comment; stored as a keyed hash of your network address, never your email, "
            "so they cannot be tied to you",
        ),
        StoredItem(
            "Subscriptions", "to email you about replies or new comments when you ask for it",
            "moderators and administrators",
            "until you unsubscribe (every email has a one-click link) or erase your data",
        ),
        StoredItem(
            "Reports", "when you report a comment to the moderators: which comment, your reason and, "
            "if you give it, your email address",
            "moderators and administrators", "as long as the moderation record, or until you erase your data",
        ),
    ]
    browser = [
        BrowserItem("csrftoken", "cookie", "protects the comment form against forged submissions from other sites",
                    duration(settings.CSRF_COOKIE_AGE)),
        BrowserItem("messages", "cookie", "shows a one-time notice after you post (for example "
                    "“awaiting moderation”)", "until the notice is shown, at most the browser session"),
        BrowserItem("sessionid", "cookie", "keeps staff signed in; readers never get one",
                    duration(settings.SESSION_COOKIE_AGE)),
        BrowserItem(owned_addresses.COOKIE, "cookie",
                    "remembers, signed, the email addresses you proved are yours by a link we emailed you, "
                    "so comments you post from this browser are not held as a newcomer's and new "
                    "subscriptions need no new confirmation; set only when you press that link's button",
                    duration(owned_addresses.MAX_AGE)),
        BrowserItem("edit token", "page memory",
                    "lets you edit or delete a comment you just posted, until you leave or reload the page",
                    duration(settings.TRIBUNA_EDIT_WINDOW)),
        BrowserItem("tribuna.name", "local storage",
                    "fills in your name in the comment form next time; never sent anywhere until you post",
                    "until you clear your browser's site data"),
    ]
    return Notice(
        site_name=settings.TRIBUNA_SITE_NAME,
        controller=contact.controller_name or settings.TRIBUNA_PRIVACY_CONTROLLER,
        contact=contact.contact_email or settings.TRIBUNA_PRIVACY_CONTACT,
        extra_html=contact.extra_html,
        ip_retention_days=retention,
        stored=stored,
        browser=browser,
        recipients=recipients(),
        embedding_sites=list(settings.TRIBUNA_ALLOWED_ORIGINS),
    )
