"""The emails Tribuna sends: one named function each, built from three templates.

notifications/email/<name>_subject.txt, <name>.txt and <name>.html hold every word a reader
sees, so translating an email means translating its templates.

Everything a reader wrote (names, titles, comment text) is made plain first: one line for
header values, a short excerpt of the sanitised comment with every link's host shown, and
links of our own built from settings.BASE_URL. Every message carries RFC 8058 one-click
unsubscribe headers.
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.permalinks import url_of as permalink_url
from tribuna.lib.markup import render_email_html
from tribuna.lib.origins import origin_allowed
from tribuna.lib.text import clean_line
from tribuna.notifications import tokens
from tribuna.notifications.services import pending_subscriptions

EXCERPT_LENGTH = 500
NAME_LENGTH = 60
TITLE_LENGTH = 80


def one_line(value: str, limit: int) -> str:
    """A reader's text fit for a header: no line breaks of any kind, bounded length."""
    value = clean_line(value)
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


class _Readable(HTMLParser):
    """Sanitised comment HTML as plain text, each link followed by its host."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hosts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "a":
            self.hosts.append(urlsplit(dict(attrs).get("href") or "").hostname or "")
        elif tag in {"p", "br", "li", "blockquote", "pre"}:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.hosts:
            host = self.hosts.pop()
            if host:
                self.parts.append(f" [{host}]")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def excerpt_of(comment: Comment, length: int = EXCERPT_LENGTH) -> str:
    return _excerpt(comment.html, length)


@lru_cache(maxsize=256)
def _excerpt(html: str, length: int) -> str:
    """Cached: a fan-out renders the same comment for every recipient."""
    parser = _Readable()
    parser.feed(render_email_html(html))
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def thread_url(thread: Thread) -> str:
    """The page of the discussion: ours, or the embedding page if its origin is still allowed."""
    if thread.statement is not None:
        return tokens.absolute(thread.statement.get_absolute_url())
    parts = urlsplit(thread.url)
    if parts.scheme in {"http", "https"} and origin_allowed(f"{parts.scheme}://{parts.netloc}"):
        return thread.url
    return settings.BASE_URL + "/"


def _email(name: str, to: str, context: dict, *, unsubscribe: str, message_id: str) -> EmailMultiAlternatives:
    """One message from the templates notifications/email/<name>_subject.txt, <name>.txt and <name>.html."""
    context = {
        **context,
        "site_name": settings.TRIBUNA_SITE_NAME,
        "unsubscribe_url": unsubscribe,
        "base_url": settings.BASE_URL,
    }
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    message = EmailMultiAlternatives(
        subject=one_line(render_to_string(f"notifications/email/{name}_subject.txt", context), 200),
        body=render_to_string(f"notifications/email/{name}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # Derived from the delivery, so a message sent twice would at least carry one id.
            "Message-ID": f"<{message_id}@{host}>",
        },
    )
    message.attach_alternative(render_to_string(f"notifications/email/{name}.html", context), "text/html")
    return message


def _comment_context(comment: Comment) -> dict:
    thread = comment.thread
    return {
        "name": one_line(comment.author_name, NAME_LENGTH),
        "title": one_line(thread.title or thread.key, TITLE_LENGTH),
        "excerpt": excerpt_of(comment),
        "comment_url": permalink_url(comment.pk),  # opens the page of the thread that holds it
        "thread_url": thread_url(thread),
    }


CONFIRM_AT_ONCE = 20  # subscriptions one confirmation email names at most


def confirmation_email(to: str, *, message_id: str) -> EmailMultiAlternatives:
    """Names the discussions it confirms; its link confirms those alone, not any added later."""
    pending = list(pending_subscriptions(to)[:CONFIRM_AT_ONCE])
    context = {
        "confirm_url": tokens.confirm_url(to, [s.pk for s in pending]),
        "threads": [one_line(str(s.thread), 200) for s in pending],
        "hours": settings.TRIBUNA_CONFIRM_MAX_AGE // 3600,
    }
    return _email(
        "confirmation", to, context, unsubscribe=tokens.unsubscribe_url(to, None), message_id=message_id
    )


COMMENT_EMAILS = ("follow_up", "reply", "body")


def unsubscribe_scope(name: str, comment: Comment) -> int | None:
    """The thread a comment email's link unsubscribes from; None (everything) for the body's alert,
    which comes from the body's own address, not from a subscription."""
    return None if name == "body" else comment.thread_id


def comment_email(
    name: str, to: str, comment: Comment, *, message_id: str, unsubscribe_token: str | None = None
) -> EmailMultiAlternatives:
    """A new comment, told to a follower (follow_up), to the author it answers (reply) or to the
    statement's body (body): the same context in each one's own templates."""
    token = unsubscribe_token or tokens.unsubscribe_token(to, unsubscribe_scope(name, comment))
    return _email(
        name,
        to,
        _comment_context(comment),
        unsubscribe=tokens.unsubscribe_url_for(token),
        message_id=message_id,
    )


def held_email(to: str, comment: Comment, *, moderator_id: int, message_id: str) -> EmailMultiAlternatives:
    context = {
        **_comment_context(comment),
        "approve_url": tokens.moderate_url(comment, "approve", moderator_id),
        "spam_url": tokens.moderate_url(comment, "spam", moderator_id),
        "reasons": [one_line(str(reason), 200) for reason in (comment.spam_reasons or [])][:10],
        "queue_url": tokens.absolute("/moderation/"),
    }
    return _email("held", to, context, unsubscribe=tokens.unsubscribe_url(to, None), message_id=message_id)
