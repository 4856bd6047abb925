"""End to end over real SMTP: choose notifications when commenting, confirm, get replies."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import ApiClient
from tribuna.discussion.models import Comment
from tribuna.notifications.models import Address, Delivery

from .conftest import link_in, text_of

pytestmark = pytest.mark.django_db


def test_a_new_address_gets_one_confirmation_and_nothing_else_until_it_confirms(smtp, publish, deliver):
    first = publish(
        text="I would like to hear about replies.", name="Ada", email="ada@example.org", notify="replies"
    )
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
    assert b'<form method="post">' in page.content
    assert Address.objects.get(email="ada@example.org").confirmed_at is None, "GET must not confirm"
    token = page.cookies["csrftoken"].value
    assert client.post(path, {"csrfmiddlewaretoken": token}).status_code == 200
    assert Address.objects.get(email="ada@example.org").confirmed_at is not None


def test_a_confirmed_reader_is_told_of_a_reply_with_unsubscribe_headers(smtp, publish, deliver, confirmed):
    confirmed("ada@example.org")
    first = publish(
        text="My first thoughts on this statement.", name="Ada", email="ada@example.org", notify="replies"
    )
    publish(
        text="A reply, see [my notes](https://notes.example.net/x).",
        name="Bob",
        email="bob@example.org",
        parent=first["id"],
    )
    deliver()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ada@example.org"
    assert "Bob replied to your comment" in message["Subject"]
    assert message["List-Unsubscribe"].strip().startswith("<https://tribuna.example/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = text_of(message)
    assert "my notes [notes.example.net]" in body, "links show their host"
    assert f"https://tribuna.example/c/{first['id'] + 1}/" in body  # opens the page that holds it


def test_all_subscribers_hear_of_every_comment_but_their_own(smtp, publish, deliver, confirmed):
    for address in ("ada@example.org", "cy@example.org"):
        confirmed(address)
    publish(text="Following this discussion closely.", name="Ada", email="ada@example.org", notify="all")
    publish(text="Me too, following along with interest.", name="Cy", email="cy@example.org", notify="all")
    deliver()
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"], "Cy's comment goes to Ada, not to Cy"


def test_a_held_comment_reaches_only_moderators_until_it_is_approved(
    smtp, settings, publish, post_comment, deliver, confirmed, moderator
):
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


def _other_thread():
    from tribuna.discussion.models import Thread

    return Thread.objects.create(
        key="https://blog.example.org/other/",
        title="Another discussion",
        url="https://blog.example.org/other/",
    )


def test_a_stranger_cannot_extend_a_confirmed_address_to_more_threads(smtp, publish, deliver, thread):
    """The review's attack: after Ada confirmed one thread, a third party subscribed her address to two
    more from another IP with no new confirmation, and she got mail about them."""
    from tribuna.notifications.models import Subscription

    publish(text="Tell me about replies please.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    ada = Client()
    ada.post(link_in(smtp.messages[0], "https://tribuna.example/confirm/"))
    other = _other_thread()
    Address.objects.update(confirmation_sent_at=None)  # past the one-confirmation-per-window limit
    stranger = ApiClient()
    response = stranger.post_json(
        "/api/v1/subscriptions",
        {"thread": other.key, "email": "ada@example.org", "mode": "all"},
        REMOTE_ADDR="198.51.100.66",
    )
    assert response.status_code == 202
    deliver()
    asked = smtp.to("ada@example.org")[-1]
    assert "Confirm your email address" in asked["Subject"] and "Another discussion" in text_of(asked)
    stranger.post_json(
        "/api/v1/comments", {"thread": other.key, "name": "Bob", "text": "News on the other thread."}
    )
    deliver()
    assert not [m for m in smtp.to("ada@example.org") if "Another discussion" in m["Subject"]]
    assert Subscription.objects.get(thread=other).confirmed_at is None


def test_a_confirmation_confirms_only_what_its_email_named(smtp, publish, deliver, thread, settings):
    from tribuna.notifications import services
    from tribuna.notifications.models import Subscription

    publish(text="Tell me about replies please.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    link = link_in(smtp.messages[0], "https://tribuna.example/confirm/")
    services.subscribe(_other_thread(), "ada@example.org", "all")  # added by someone after the email went out
    assert Client().post(link).status_code == 200
    confirmed_at = dict(Subscription.objects.values_list("thread__key", "confirmed_at"))
    assert confirmed_at[thread.key] is not None and confirmed_at["https://blog.example.org/other/"] is None


def test_the_owners_browser_subscribes_without_another_email(smtp, publish, deliver, api, thread):
    """Confirming in a browser remembers it as the owner's: a later subscription from it starts at once."""
    from tribuna.notifications.models import Subscription

    publish(text="Tell me about replies please.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    api.post(link_in(smtp.messages[0], "https://tribuna.example/confirm/"))
    other = _other_thread()
    response = api.post_json(
        "/api/v1/subscriptions", {"thread": other.key, "email": "Ada@Example.org", "mode": "all"}
    )
    assert response.status_code == 202
    deliver()
    assert len(smtp.to("ada@example.org")) == 1, "no second confirmation"
    assert Subscription.objects.get(thread=other).confirmed_at is not None


def test_a_stranger_cannot_widen_a_confirmed_subscription(smtp, publish, deliver, thread):
    from tribuna.notifications.models import Subscription

    publish(text="Tell me about replies please.", name="Ada", email="ada@example.org", notify="replies")
    deliver()
    Client().post(link_in(smtp.messages[0], "https://tribuna.example/confirm/"))
    ApiClient().post_json(
        "/api/v1/subscriptions", {"thread": thread.key, "email": "ada@example.org", "mode": "all"}
    )
    assert Subscription.objects.get().mode == "replies"


def _post(client, thread, email: str, ip: str):
    return client.post_json(
        "/api/v1/comments",
        {
            "thread": thread.key,
            "name": "Ada",
            "email": email,
            "text": "Another thought on the second section.",
        },
        REMOTE_ADDR=ip,
    )


def test_the_owner_on_the_browser_that_confirmed_is_known(thread, settings, smtp, deliver):
    """Ada confirms a subscription from her browser (the emailed link, the button): her next comments
    from that browser are a known commenter's; the same address typed elsewhere is not."""

    settings.TRIBUNA_PREMODERATION = {"first"}
    Comment.objects.create(
        thread=thread,
        author_name="Ada",
        author_email="ada@example.org",
        text="Earlier.",
        html="<p>Earlier.</p>",
        status="approved",
    )
    ada = ApiClient()
    assert (
        ada.post(
            f"/subscribe/?thread={thread.key}", {"email": "ada@example.org", "mode": "replies"}
        ).status_code
        == 202
    )
    deliver()
    [mail] = smtp.to("ada@example.org")
    assert ada.post(link_in(mail, "https://tribuna.example/confirm/")).status_code == 200
    assert _post(ada, thread, "ada@example.org", "198.51.100.9").json()["status"] == "approved"
    assert _post(ApiClient(), thread, "ada@example.org", "198.51.100.10").json()["status"] == "pending"
