"""End to end over real SMTP: choose notifications when commenting, confirm, get replies."""

from __future__ import annotations

import pytest
from django.test import Client

from tribuna.notifications.models import Address, Delivery

from .conftest import link_in, text_of

pytestmark = pytest.mark.django_db


def test_a_new_address_gets_one_confirmation_and_nothing_else_until_it_confirms(smtp, publish, deliver):
    first = publish(text="I would like to hear about replies.", name="Ada", email="ada@example.org",
                         notify="replies")
    deliver()
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"]
    assert "Confirm your email address" in smtp.messages[0]["Subject"]
    publish(text="An answer Ada would like to read.", name="Bob", parent=first["id"])
    deliver()
    assert len(smtp.messages) == 1, "an unconfirmed address gets nothing but the confirmation"


def test_the_confirmation_link_shows_a_button_and_only_the_post_confirms(smtp, publish, deliver):
    publish(text="Tell me about replies please.", name="Ada", email="ada@example.org", notify="replies")
    deliver()
    path = link_in(smtp.messages[0], "https://tribuna.example/confirm/")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert b"<form method=\"post\">" in page.content
    assert Address.objects.get(email="ada@example.org").confirmed_at is None, "GET must not confirm"
    token = page.cookies["csrftoken"].value
    assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Address.objects.get(email="ada@example.org").confirmed_at is not None


def test_a_confirmed_reader_is_told_of_a_reply_with_unsubscribe_headers(smtp, publish, deliver, confirmed):
    confirmed("ada@example.org")
    first = publish(text="My first thoughts on this statement.", name="Ada", email="ada@example.org",
                         notify="replies")
    publish(text="A reply, see [my notes](https://notes.example.net/x).", name="Bob", email="bob@example.org",
                 parent=first["id"])
    deliver()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ada@example.org"
    assert "Bob replied to your comment" in message["Subject"]
    assert message["List-Unsubscribe"].strip().startswith("<https://tribuna.example/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = text_of(message)
    assert "my notes [notes.example.net]" in body, "links show their host"
    assert f"https://tribuna.example/statements/test-statement/#c{first['id'] + 1}" in body


def test_all_subscribers_hear_of_every_comment_but_their_own(smtp, publish, deliver, confirmed):
    for address in ("ada@example.org", "cy@example.org"):
        confirmed(address)
    publish(text="Following this discussion closely.", name="Ada", email="ada@example.org", notify="all")
    publish(text="Me too, following along with interest.", name="Cy", email="cy@example.org", notify="all")
    deliver()
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"], "Cy's comment goes to Ada, not to Cy"


def test_a_held_comment_reaches_only_moderators_until_it_is_approved(smtp, settings, publish, post_comment, deliver,
                                                                     confirmed, moderator):
    confirmed("ada@example.org")
    publish(text="Following this discussion closely.", name="Ada", email="ada@example.org", notify="all")
    settings.TRIBUNA_PREMODERATION = {"all"}
    post_comment(text="A comment that waits for a moderator.", name="Bob", email="bob@example.org")
    deliver()
    assert [m["To"] for m in smtp.messages] == ["moderator@example.org"]
    alert = smtp.messages[0]
    assert "Held for moderation" in alert["Subject"]
    approve = link_in(alert, "https://tribuna.example/moderate/")
    client = Client()
    client.force_login(moderator)
    assert client.get(approve).status_code == 200
    assert not smtp.to("ada@example.org")
    assert client.post(approve).status_code == 200
    deliver()
    assert len(smtp.to("ada@example.org")) == 1, "approval notifies the subscribers"
    from tribuna.moderation.models import AuditEntry

    entry = AuditEntry.objects.get(action="discussion.comment.approved")
    assert entry.username == "moderator"


def test_the_issuing_body_is_told_of_new_comments(smtp, body, publish, deliver):
    body.notify_email = "commission@example.org"
    body.save()
    publish(text="A comment for the commission to read.", name="Ada")
    deliver()
    assert [m["To"] for m in smtp.messages] == ["commission@example.org"]


def test_each_notification_is_sent_once_even_if_the_worker_runs_again(smtp, publish, deliver, confirmed):
    confirmed("ada@example.org")
    publish(text="Following this discussion closely.", name="Ada", email="ada@example.org", notify="all")
    publish(text="Another reader chimes in here.", name="Bob")
    deliver()
    deliver()
    assert len(smtp.messages) == 1
    assert Delivery.objects.get().status == Delivery.Status.SENT
