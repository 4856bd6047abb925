"""What our emails say and, above all, what readers' text cannot make them say."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest

from tribuna.discussion.models import Comment
from tribuna.lib.markup import render_comment
from tribuna.notifications import emails, tokens

from .conftest import html_of, text_of

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "Eve\r\nBcc: victim@example.org",
    "Eve\nX-Injected: yes",
    "Eve\u2028X-Injected: yes\u2029Bcc: victim@example.org",
    "Eve\rSubject: forged",
    "E" * 5000,
]


def _comment(thread, *, name="Ada", text="Hello there.") -> Comment:
    return Comment.objects.create(thread=thread, author_name=name, author_email="a@example.org", text=text,
                                  html=render_comment(text), status=Comment.Status.APPROVED)


def _wire(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=default_policy)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_and_titles_never_add_headers(settings, thread, name):
    settings.BASE_URL = "https://tribuna.example"
    comment = _comment(thread, name=name[:100])  # the columns' limits; the email must cope with more
    comment.author_name = comment.thread.title = name
    message = _wire(emails.reply_email("ada@example.org", comment, message_id="t.1"))
    assert set(message.keys()) == {
        "Content-Type", "MIME-Version", "Subject", "From", "To", "Date", "Message-ID", "List-Unsubscribe",
        "List-Unsubscribe-Post", "Auto-Submitted",
    }
    assert message["To"] == "ada@example.org"
    subject = str(message["Subject"])
    assert "\n" not in subject and "\r" not in subject and "\u2028" not in subject
    assert len(subject) <= 200


@pytest.mark.parametrize("name", HOSTILE_NAMES[:3])
def test_hostile_names_sent_over_smtp_arrive_with_only_our_headers(smtp, thread, name, confirmed, deliver):
    from tribuna.discussion import services
    from tribuna.notifications.services import subscribe

    confirmed("ada@example.org")
    subscribe(thread, "ada@example.org", "all")
    comment = _comment(thread, name=name)
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    comment.refresh_from_db()
    services.set_status(comment, Comment.Status.APPROVED)
    deliver()
    [message] = smtp.messages
    assert "Bcc" not in message and "X-Injected" not in message
    assert [str(m) for m in message.get_all("To")] == ["ada@example.org"]


def test_the_excerpt_drops_images_and_shows_where_links_go(settings, thread):
    settings.BASE_URL = "https://tribuna.example"
    text = "See [the official site](https://phish.example.net/login) and ![x](https://track.example/p.gif)."
    message = emails.follow_up_email("ada@example.org", _comment(thread, text=text), message_id="t.2")
    body, html = text_of(_wire(message)), html_of(_wire(message))
    assert "the official site [phish.example.net]" in body
    assert "<img" not in html and "https://track.example" not in html, "no pixel can load"
    assert 'href="https://phish.example.net' not in html, "readers' links are shown, not linked"
    assert "https://tribuna.example/statements/test-statement/#c" in body


def test_links_come_from_the_base_url_not_the_request(settings, thread, rf):
    settings.BASE_URL = "https://configured.example"
    message = emails.confirmation_email("ada@example.org", message_id="t.3")
    assert "https://configured.example/confirm/" in message.body
    assert "<https://configured.example/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_long_excerpt_is_cut(thread):
    assert len(emails.excerpt_of(_comment(thread, text="word " * 1000))) <= emails.EXCERPT_LENGTH


def _from_wire(wire: emails.Wire) -> email.message.EmailMessage:
    return email.message_from_bytes(wire.data, policy=default_policy)


def _unsubscribe_token(message) -> str:
    return str(message["List-Unsubscribe"]).strip("<>").rsplit("/", 1)[1]


def _without_token(message) -> tuple[dict, str, str]:
    """What the reader sees (header values unfolded), with the signed token, which carries a timestamp, taken out."""
    token = _unsubscribe_token(message)
    headers = {k: str(v).strip().replace(token, "TOKEN") for k, v in message.items() if k not in {"Date", "Content-Type"}}
    return headers, text_of(message).replace(token, "TOKEN"), html_of(message).replace(token, "TOKEN")


@pytest.mark.parametrize("kind", ["follow_up", "reply", "body"])
def test_a_broadcast_gives_each_reader_what_building_their_email_in_full_gives(settings, thread, kind):
    settings.BASE_URL = "https://tribuna.example"
    broadcast = emails.Broadcast(kind, _comment(thread, name="Zoë", text="Ünïcode, **bold** and [a link](https://x.example)."))
    for to in ["ada@example.org", "bob.smith+news@mail.example.net"]:
        fast = broadcast.wire(to, message_id=f"t.{to}")
        full = emails.wire_of(broadcast.email(to, message_id=f"t.{to}"))
        assert (fast.sender, fast.recipients) == (full.sender, full.recipients) == (full.sender, [to])
        assert _without_token(_from_wire(fast)) == _without_token(_from_wire(full))
        token = _unsubscribe_token(_from_wire(fast))
        assert tokens.read_unsubscribe_token(token) == tokens.Unsubscribe(to, None if kind == "body" else thread.pk)
        assert f"/unsubscribe/{token}" in text_of(_from_wire(fast)) and f"/unsubscribe/{token}" in html_of(_from_wire(fast))


def test_a_broadcast_builds_in_full_what_it_cannot_substitute_verbatim(settings, thread):
    settings.BASE_URL = "https://tribuna.example"
    # One line of over 998 bytes: the text part must go out quoted-printable, where a link may be split.
    broadcast = emails.Broadcast("follow_up", _comment(thread, text="ж" * 600))
    for to in ["ada@example.org", "o'brien@example.org"]:
        wire = broadcast.wire(to, message_id="t.4")
        message = _from_wire(wire)
        assert b"quoted-printable" in wire.data
        assert wire.recipients == [to] and message["To"] == to
        assert "ж" * 400 in text_of(message)
        token = _unsubscribe_token(message)
        assert tokens.read_unsubscribe_token(token).email == to and f"/unsubscribe/{token}" in text_of(message)
