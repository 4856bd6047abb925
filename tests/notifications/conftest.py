"""A real SMTP server on 127.0.0.1 for every notifications test, and helpers to read what it got."""

from __future__ import annotations

import email
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sink:
    """The aiosmtpd handler: keeps every accepted message; can refuse or stall on request."""

    messages: list[EmailMessage] = field(default_factory=list)
    reject_code: str | None = None  # e.g. "451 4.3.0 Try later" or "550 5.1.1 No such user"
    stall_at: int | None = None  # the n-th message (1-based) waits for `release` before answering
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reject_code:
            return self.reject_code
        with self.lock:
            self.seen += 1
            number = self.seen
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self.lock:
            self.messages.append(message)
        if number == self.stall_at:
            self.stalled.set()
            # Blocking the loop on purpose: the client waits for our 250 while the test kills it.
            self.release.wait(20)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


@pytest.fixture
def smtp(settings):
    """Start the server and point Django's SMTP backend at it."""
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    settings.BASE_URL = "https://tribuna.example"
    sink.port = port
    yield sink
    sink.release.set()
    controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_in(message: EmailMessage, prefix: str) -> str:
    """The first link in the text part starting with `prefix`, as a path."""
    for word in text_of(message).split():
        if word.startswith(prefix):
            return word.removeprefix("https://tribuna.example")
    raise AssertionError(f"no {prefix} link in {text_of(message)!r}")


@pytest.fixture
def deliver():
    """Run the worker's steps until nothing is due, as `tribuna worker --once` does."""
    from tribuna.notifications import delivery

    def run() -> None:
        while delivery.run_once().handled:
            pass

    return run


@pytest.fixture
def confirmed(db, api):
    """Make an address confirmed, as if its owner had pressed the button in the `api` client's browser:
    that browser then carries the signed proof, so its comments' subscriptions need no new email."""
    from django.core.signing import get_cookie_signer

    from tribuna.lib import owned_addresses
    from tribuna.notifications import services

    owned: list[str] = []

    def confirm(email_address: str):
        owned.append(email_address.lower())
        signer = get_cookie_signer(salt=owned_addresses.COOKIE + owned_addresses.SALT)
        api.cookies[owned_addresses.COOKIE] = signer.sign(",".join(owned))
        return services.confirm(email_address)

    return confirm


@pytest.fixture
def publish(post_comment):
    """Post through the API and, if screening held the comment, approve it as a moderator would.

    The classifier's judgement of test sentences is not what these tests are about.
    """
    from tribuna.discussion import services
    from tribuna.discussion.models import Comment

    def post(**fields) -> dict:
        posted = post_comment(**fields)
        comment = Comment.objects.get(pk=posted["id"])
        if comment.status != Comment.Status.APPROVED:
            services.set_status(comment, Comment.Status.APPROVED)
        return posted

    return post
