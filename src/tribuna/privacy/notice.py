"""The privacy notice as data, built from the running configuration.

The page at /privacy/ only lays this structure out, so what it promises (retention,
cookie lifetimes, who else receives data) follows the settings the server actually runs
with: change TRIBUNA_IP_RETENTION_DAYS or EMAIL_URL and the notice changes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    units = (
        (604800, lambda n: ngettext("%(n)d week", "%(n)d weeks", n)),
        (86400, lambda n: ngettext("%(n)d day", "%(n)d days", n)),
        (3600, lambda n: ngettext("%(n)d hour", "%(n)d hours", n)),
        (60, lambda n: ngettext("%(n)d minute", "%(n)d minutes", n)),
    )
    for size, words in units:
        if seconds >= size and seconds % size == 0:
            return words(seconds // size) % {"n": seconds // size}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def _days(days: int) -> str:
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


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
        found.append(
            Recipient(
                name=_("Email relay"),
                host=email_host,
                receives=_(
                    "the emails we send you (confirmations, notifications, links to your data): "
                    "your address and the text of those emails"
                ),
            )
        )
    database_host = _remote_host(getattr(settings, "DATABASE_URL", ""))
    if database_host:
        found.append(
            Recipient(
                name=_("Database server"),
                host=database_host,
                receives=_("everything listed above, as our storage"),
            )
        )
    redis_host = _remote_host(getattr(settings, "REDIS_URL", ""))
    if redis_host:
        found.append(
            Recipient(
                name=_("Cache server"),
                host=redis_host,
                receives=_(
                    "cached discussion pages and rate-limit counters keyed by IP address and by a hash of "
                    "your email address, for at most an hour"
                ),
            )
        )
    return found


def build_notice() -> Notice:
    contact = PrivacyContact.current()
    retention = settings.TRIBUNA_IP_RETENTION_DAYS
    until_erased = _("until the comment is deleted or you erase your data at /my-data/")
    stored = [
        StoredItem(
            _("Name"), _("to show who wrote a comment"), _("everyone who reads the discussion"), until_erased
        ),
        StoredItem(
            _("Email address (optional)"),
            _(
                "to send the notifications you ask for, to recognise returning authors for moderation, "
                "and to find your data when you ask for it"
            ),
            _("moderators and administrators only; never shown on pages, in feeds or in the API"),
            until_erased,
        ),
        StoredItem(
            _("Website (optional)"),
            _("to link your name"),
            _("everyone who reads the discussion"),
            until_erased,
        ),
        StoredItem(
            _("That you proved owning your email address"),
            _(
                "when you press the button of a confirmation "
                "or my-data link we emailed you: your address and the time, so your comments are not held "
                "as a newcomer's"
            ),
            _("moderators and administrators"),
            until_erased,
        ),
        StoredItem(
            _("Comment text"),
            _("to publish it"),
            _("everyone once approved; moderators before that"),
            until_erased,
        ),
        StoredItem(
            _("IP address"),
            _("to prevent abuse: rate limits, spam screening and bans"),
            _("moderators and administrators"),
            _(
                "%(days)s, then deleted; only the network it belongs to (the first three parts of an IPv4 address, "
                "the first half of an IPv6 one) stays with the comment, for bans"
            )
            % {"days": _days(retention)},
        ),
        StoredItem(
            _("Browser identification (user agent)"),
            _("to prevent abuse and spot automated posting"),
            _("moderators and administrators"),
            _("%(days)s, then deleted") % {"days": _days(retention)},
        ),
        StoredItem(
            _("Votes"),
            _("to count each visitor once per comment"),
            _("nobody: only the totals are shown"),
            _(
                "as long as the comment; stored as a keyed hash of your network address, never your email, "
                "so they cannot be tied to you"
            ),
        ),
        StoredItem(
            _("Subscriptions"),
            _("to email you about replies or new comments when you ask for it"),
            _("moderators and administrators"),
            _("until you unsubscribe (every email has a one-click link) or erase your data"),
        ),
        StoredItem(
            _("Reports"),
            _(
                "when you report a comment to the moderators: which comment, your reason and, "
                "if you give it, your email address"
            ),
            _("moderators and administrators"),
            _("as long as the moderation record, or until you erase your data"),
        ),
    ]
    browser = [
        BrowserItem(
            settings.CSRF_COOKIE_NAME,
            _("cookie"),
            _("protects the comment form against forged submissions from other sites"),
            duration(settings.CSRF_COOKIE_AGE),
        ),
        BrowserItem(
            "messages",
            _("cookie"),
            _("shows a one-time notice after you post (for example “awaiting moderation”)"),
            _("until the notice is shown, at most the browser session"),
        ),
        BrowserItem(
            settings.SESSION_COOKIE_NAME,
            _("cookie"),
            _("keeps staff signed in; readers never get one"),
            duration(settings.SESSION_COOKIE_AGE),
        ),
        BrowserItem(
            owned_addresses.COOKIE,
            _("cookie"),
            _(
                "remembers, signed, the email addresses you proved are yours by a link we emailed you, "
                "so comments you post from this browser are not held as a newcomer's and new "
                "subscriptions need no new confirmation; set only when you press that link's button"
            ),
            duration(owned_addresses.MAX_AGE),
        ),
        BrowserItem(
            _("edit token"),
            _("page memory"),
            _("lets you edit or delete a comment you just posted, until you leave or reload the page"),
            duration(settings.TRIBUNA_EDIT_WINDOW),
        ),
        BrowserItem(
            "tribuna.name",
            _("local storage"),
            _("fills in your name in the comment form next time; never sent anywhere until you post"),
            _("until you clear your browser's site data"),
        ),
        BrowserItem(
            settings.LANGUAGE_COOKIE_NAME,
            _("cookie"),
            _("remembers the language you chose for this site's pages; set only when you choose one"),
            duration(settings.LANGUAGE_COOKIE_AGE),
        ),
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
