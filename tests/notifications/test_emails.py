"""What our emails say and, above all, what readers' text cannot make them say."""

from __future__ import annotations

import email
from email.policy import default as default_policy

import pytest

from tribuna.discussion.models import Comment
from tribuna.lib.markup import render_comment
from tribuna.notifications import emails, fast, tokens

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
    return Comment.objects.create(
        thread=thread,
        author_name=name,
        author_email="a@example.org",
        text=text,
        html=render_comment(text),
        status=Comment.Status.APPROVED,
    )


def _wire(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.message().as_bytes(), policy=default_policy)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_and_titles_never_add_headers(settings, thread, name):
    settings.BASE_URL = "https://tribuna.example"
    comment = _comment(thread, name=name[:100])  # the columns' limits; the email must cope with more
    comment.author_name = comment.thread.title = name
    message = _wire(emails.comment_email("reply", "ada@example.org", comment, message_id="t.1"))
    assert set(message.keys()) == {
        "Content-Type",
        "MIME-Version",
        "Subject",
        "From",
        "To",
        "Date",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "Auto-Submitted",
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
    message = emails.comment_email(
        "follow_up", "ada@example.org", _comment(thread, text=text), message_id="t.2"
    )
    body, html = text_of(_wire(message)), html_of(_wire(message))
    assert "the official site [phish.example.net]" in body
    assert "<img" not in html and "https://track.example" not in html, "no pixel can load"
    assert 'href="https://phish.example.net' not in html, "readers' links are shown, not linked"
    assert "https://tribuna.example/c/" in body  # the permalink, which opens the page that holds it


def test_links_come_from_the_base_url_not_the_request(settings, thread, rf):
    settings.BASE_URL = "https://configured.example"
    message = emails.confirmation_email("ada@example.org", message_id="t.3")
    assert "https://configured.example/confirm/" in message.body
    assert "<https://configured.example/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_a_long_excerpt_is_cut(thread):
    assert len(emails.excerpt_of(_comment(thread, text="word " * 1000))) <= emails.EXCERPT_LENGTH


def _unsubscribe_token(message) -> str:
    return str(message["List-Unsubscribe"]).strip("<>").rsplit("/", 1)[1]


@pytest.mark.parametrize("name", emails.COMMENT_EMAILS)
def test_each_reader_gets_their_own_unsubscribe_link_in_headers_and_both_parts(settings, thread, name):
    settings.BASE_URL = "https://tribuna.example"
    comment = _comment(thread, name="Zoë", text="Ünïcode, **bold** and [a link](https://x.example).")
    for to in ["ada@example.org", "bob.smith+news@mail.example.net"]:
        message = _wire(emails.comment_email(name, to, comment, message_id=f"t.{to}"))
        token = _unsubscribe_token(message)
        # The body's alert comes from the body's own address list: its link stops everything.
        thread_id = None if name == "body" else thread.pk
        assert tokens.read_unsubscribe_token(token) == tokens.Unsubscribe(to, thread_id)
        assert f"/unsubscribe/{token}" in text_of(message) and f"/unsubscribe/{token}" in html_of(message)
        assert message["To"] == to and "Zoë" in str(message["Subject"]) and "Ünïcode" in text_of(message)


def test_a_line_too_long_for_smtp_arrives_whole(smtp, thread):
    from django.core.mail import get_connection

    # One line of over 998 bytes: the text part must go out quoted-printable, where a link may be split.
    comment = _comment(thread, text="ж" * 600)
    assert fast.Copies("follow_up", comment).for_reader("ada@example.org", message_id="t.4") is None, (
        "a quoted-printable part may split a placeholder: not copied"
    )
    message = emails.comment_email("follow_up", "ada@example.org", comment, message_id="t.4")
    get_connection().send_messages([message])
    [received] = smtp.messages
    token = _unsubscribe_token(received)
    assert "ж" * 400 in text_of(received) and f"/unsubscribe/{token}" in text_of(received)


def _without_token(message) -> tuple[dict, str, str]:
    """What the reader sees (header values unfolded), with the signed token, which carries a timestamp, taken out."""
    token = _unsubscribe_token(message)
    headers = {
        k: str(v).strip().replace(token, "TOKEN")
        for k, v in message.items()
        if k not in {"Date", "Content-Type"}
    }
    return headers, text_of(message).replace(token, "TOKEN"), html_of(message).replace(token, "TOKEN")


@pytest.mark.parametrize("name", emails.COMMENT_EMAILS)
def test_a_readers_copy_is_what_building_their_email_in_full_gives(settings, thread, name):
    settings.BASE_URL = "https://tribuna.example"
    comment = _comment(thread, name="Zoë", text="Ünïcode, **bold** and [a link](https://x.example).")
    copies = fast.Copies(name, comment)
    for to in ["ada@example.org", "bob.smith+news@mail.example.net"]:
        copy = copies.for_reader(to, message_id=f"t.{to}")
        full = emails.comment_email(name, to, comment, message_id=f"t.{to}")
        assert copy.recipients == [to] and copy.sender == "Tribuna <tribuna@localhost>", (
            "as Django's backend sends them"
        )
        received = email.message_from_bytes(copy.data, policy=default_policy)
        sent_in_full = full.message().as_bytes(linesep="\r\n")  # what Django's SMTP backend sends
        assert _without_token(received) == _without_token(
            email.message_from_bytes(sent_in_full, policy=default_policy)
        )
        token = _unsubscribe_token(received)
        assert tokens.read_unsubscribe_token(token) == tokens.Unsubscribe(
            to, None if name == "body" else thread.pk
        )
        assert f"/unsubscribe/{token}" in text_of(received) and f"/unsubscribe/{token}" in html_of(received)


def test_an_address_that_needs_quoting_is_never_copied(thread):
    assert (
        fast.Copies("follow_up", _comment(thread)).for_reader("o'brien@example.org", message_id="t.5") is None
    )
