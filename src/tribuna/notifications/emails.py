"""The emails Tribuna sends: one named function each, with a text and an HTML template.

Everything a reader wrote (names, titles, comment text) is made plain first: one line for
header values, a short excerpt of the sanitised comment with every link's host shown, and
links of our own built from settings.BASE_URL. Every message carries RFC 8058 one-click
unsubscribe headers.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string

from tribuna.discussion.models import Comment, Thread
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
    if thread.statement_id:
        return tokens.absolute(thread.statement.get_absolute_url())
    parts = urlsplit(thread.url)
    if parts.scheme in {"http", "https"} and origin_allowed(f"{parts.scheme}://{parts.netloc}"):
        return thread.url
    return settings.BASE_URL + "/"


class _Email(EmailMultiAlternatives):
    """Sets a random MIME boundary itself: the standard library would otherwise compile a fresh
    regular expression per message to check its own random boundary. Random (not derived from
    ids) so no reader's text can contain it."""

    def message(self, *args, **kwargs):
        message = super().message(*args, **kwargs)
        message.set_boundary(f"==tribuna-{secrets.token_hex(16)}==")
        return message


def _message(to: str, subject: str, template: str, context: dict, *, unsubscribe: str,
             message_id: str) -> _Email:
    context = {**context, "site_name": settings.TRIBUNA_SITE_NAME, "unsubscribe_url": unsubscribe,
               "base_url": settings.BASE_URL}
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    message = _Email(
        subject=one_line(f"[{settings.TRIBUNA_SITE_NAME}] {subject}", 200),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # Derived from the delivery, so a message sent twice would at least carry one id.
            "Message-ID": f"<{message_id}@{host}>",
        },
    )
    message.attach_alternative(render_to_string(f"notifications/email/{template}.html", context), "text/html")
    return message


@dataclass(frozen=True)
class Wire:
    """A message as an SMTP client hands it over: envelope sender, recipients and bytes."""

    sender: str
    recipients: list[str]
    data: bytes


def wire_of(message: EmailMessage) -> Wire:
    """Exactly what Django's SMTP backend sends for `message`."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return Wire(sanitize_address(message.from_email, encoding),
                [sanitize_address(address, encoding) for address in message.recipients()],
                message.message().as_bytes(linesep="\r\n"))


# Addresses that every layer (header, envelope) writes verbatim: no quoting, encoding or folding.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)+", re.ASCII)


def _comment_context(comment: Comment) -> dict:
    thread = comment.thread
    return {
        "name": one_line(comment.author_name, NAME_LENGTH) or "Someone",
        "title": one_line(thread.title or thread.key, TITLE_LENGTH),
        "excerpt": excerpt_of(comment),
        "comment_url": f"{thread_url(thread)}#c{comment.pk}",
        "thread_url": thread_url(thread),
    }


class Broadcast:
    """One comment's email of one kind (follow-up, reply, body) to any number of readers.

    Rendering the templates and serialising MIME per recipient was most of a fan-out's CPU.
    The messages differ only in the address, the Message-ID and the unsubscribe token, so the
    message is built once, by the same code as a single email, with unique random
    placeholders in those places; each reader's bytes are that message with the placeholders
    replaced. It is used only if every placeholder came through serialisation verbatim (no
    quoted-printable body, no encoded header) and the address is one written as-is
    everywhere; otherwise the reader's message is built in full. The MIME boundary and the
    Date header are shared by the messages of one Broadcast (one worker batch).
    """

    SUBJECTS = {
        "follow_up": '{name} commented on "{title}"',
        "reply": '{name} replied to your comment on "{title}"',
        "body": 'New comment by {name} on "{title}"',
    }

    def __init__(self, template: str, comment: Comment) -> None:
        self.template = template
        self.context = _comment_context(comment)
        self.subject = self.SUBJECTS[template].format(**self.context)
        # The body's link unsubscribes from everything; the others from this thread.
        self.thread_id = None if template == "body" else comment.thread_id
        self._pieces: list[bytes] | None = None
        self._sender = ""

    def email(self, to: str, *, message_id: str) -> EmailMultiAlternatives:
        """The message for one reader, built in full."""
        return _message(to, self.subject, self.template, self.context,
                        unsubscribe=tokens.unsubscribe_url(to, self.thread_id), message_id=message_id)

    def wire(self, to: str, *, message_id: str) -> Wire:
        """The bytes for one reader, from the shared rendering when that is safe."""
        if self._pieces is None:
            self._prepare()
        if not self._pieces or not _PLAIN_ADDRESS.fullmatch(to):
            return wire_of(self.email(to, message_id=message_id))
        values = {self._to: to.encode(), self._id: message_id.encode(),
                  self._token: tokens.unsubscribe_token(to, self.thread_id).encode()}
        data = b"".join(values.get(piece, piece) for piece in self._pieces)
        return Wire(self._sender, [to], data)

    def _prepare(self) -> None:
        # Random, so no reader's text can contain them; the token as long as real ones, so the
        # List-Unsubscribe header is folded the same way.
        slot = secrets.token_hex(8)
        self._to, self._id = f"to{slot}@tribuna.invalid".encode(), f"id{slot}".encode()
        self._token = f"tok{slot}".ljust(90, "x").encode()
        token = self._token.decode()
        message = _message(self._to.decode(), self.subject, self.template, self.context,
                           unsubscribe=tokens.unsubscribe_url_for(token), message_id=self._id.decode())
        mime = message.message()
        data = mime.as_bytes(linesep="\r\n")
        written = 1 + message.body.count(token) + message.alternatives[0].content.count(token)  # 1: the header
        verbatim = all(part.get("Content-Transfer-Encoding", "7bit") in {"7bit", "8bit"} for part in mime.walk())
        if not verbatim or (data.count(self._to), data.count(self._id), data.count(self._token)) != (1, 1, written):
            self._pieces = []
            return
        self._sender = sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET)
        placeholders = b"|".join(re.escape(p) for p in (self._to, self._id, self._token))
        self._pieces = re.split(b"(" + placeholders + b")", data)


CONFIRM_AT_ONCE = 20  # subscriptions one confirmation email names at most


def confirmation_email(to: str, *, message_id: str) -> EmailMultiAlternatives:
    """Names the discussions it confirms; its link confirms those alone, not any added later."""
    pending = list(pending_subscriptions(to)[:CONFIRM_AT_ONCE])
    context = {"confirm_url": tokens.confirm_url(to, [s.pk for s in pending]),
               "threads": [one_line(str(s.thread), 200) for s in pending],
               "hours": settings.TRIBUNA_CONFIRM_MAX_AGE // 3600}
    return _message(to, "Confirm your email address", "confirmation", context,
                    unsubscribe=tokens.unsubscribe_url(to, None), message_id=message_id)


def follow_up_email(to: str, comment: Comment, *, message_id: str) -> EmailMultiAlternatives:
    return Broadcast("follow_up", comment).email(to, message_id=message_id)


def reply_email(to: str, comment: Comment, *, message_id: str) -> EmailMultiAlternatives:
    return Broadcast("reply", comment).email(to, message_id=message_id)


def body_email(to: str, comment: Comment, *, message_id: str) -> EmailMultiAlternatives:
    return Broadcast("body", comment).email(to, message_id=message_id)


def held_email(to: str, comment: Comment, *, moderator_id: int, message_id: str) -> EmailMultiAlternatives:
    context = {
        **_comment_context(comment),
        "approve_url": tokens.moderate_url(comment, "approve", moderator_id),
        "spam_url": tokens.moderate_url(comment, "spam", moderator_id),
        "reasons": [one_line(str(reason), 200) for reason in (comment.spam_reasons or [])][:10],
        "queue_url": tokens.absolute("/moderation/"),
    }
    subject = f"Held for moderation: {context['name']} on \"{context['title']}\""
    return _message(to, subject, "held", context, unsubscribe=tokens.unsubscribe_url(to, None), message_id=message_id)
