"""The pages behind email links: unsubscribe (one-click too), moderation links, subscribe form, mailbox."""

from __future__ import annotations

import pytest
from django.test import Client

from tribuna.discussion.models import Comment
from tribuna.notifications import tokens
from tribuna.notifications.models import Address, Event, Subscription

from .conftest import link_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(smtp, confirmed, publish, deliver):
    """Ada, confirmed, following the thread; returns the first notification she got."""
    confirmed("ada@example.org")
    publish(text="Following this discussion closely.", name="Ada", email="ada@example.org", notify="all")
    publish(text="A first comment for Ada to hear about.", name="Bob")
    deliver()
    [message] = smtp.to("ada@example.org")
    return message


def test_one_click_unsubscribe_works_without_a_csrf_token_and_stops_the_mail(
    smtp, follower, publish, deliver
):
    path = follower["List-Unsubscribe"].strip().strip("<>").removeprefix("https://tribuna.example")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscription.objects.filter(address__email="ada@example.org").exists()
    publish(text="Another comment Ada must not hear about.", name="Bob")
    deliver()
    assert len(smtp.to("ada@example.org")) == 1, "nothing is sent after unsubscribing"


def test_the_unsubscribe_page_changes_nothing_on_get_and_offers_both_choices(follower):
    path = link_in(follower, "https://tribuna.example/unsubscribe/")
    page = Client().get(path)
    assert page.status_code == 200
    assert b"Unsubscribe from everything" in page.content and b"Unsubscribe from" in page.content
    assert Subscription.objects.filter(address__email="ada@example.org").exists()


def test_unsubscribing_from_everything_withdraws_consent(follower):
    path = link_in(follower, "https://tribuna.example/unsubscribe/")
    assert Client().post(path, {"scope": "all"}).status_code == 200
    address = Address.objects.get(email="ada@example.org")
    assert address.confirmed_at is None and address.unsubscribed_at is not None
    assert not address.subscriptions.exists()


@pytest.mark.parametrize("route", ["unsubscribe", "confirm", "moderate"])
def test_an_altered_token_gets_a_clear_400_page(route, thread):
    token = tokens.unsubscribe_token("ada@example.org", thread.pk)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (
        forged,
        "not-a-token",
        tokens.confirm_token("ada@example.org") if route != "confirm" else forged,
    ):
        response = Client().post(f"/{route}/{bad}")
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    assert not Address.objects.exists()


def _held(settings, post_comment) -> Comment:
    settings.TRIBUNA_PREMODERATION = {"all"}
    return Comment.objects.get(pk=post_comment(text="A comment for the queue.", name="Bob")["id"])


def _link(settings, comment, action, user) -> str:
    return tokens.moderate_url(comment, action, user.pk).removeprefix(settings.BASE_URL)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_moderation_link_marks_spam_only_on_post(settings, post_comment, moderator):
    comment = _held(settings, post_comment)
    path = _link(settings, comment, "spam", moderator)
    client = _signed_in(moderator)
    assert client.get(path).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert client.post(path).status_code == 200
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
    second = client.post(path)
    assert b"already been handled" in second.content


def test_a_moderation_link_stops_working_when_its_moderator_is_no_longer_one(
    settings, post_comment, moderator
):
    comment = _held(settings, post_comment)
    path = _link(settings, comment, "approve", moderator)
    moderator.groups.clear()
    assert _signed_in(moderator).post(path).status_code == 400
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_moderation_link_does_nothing_for_someone_signed_out(settings, post_comment, moderator):
    """The review's attack: a forwarded approve link, used logged out, acted in the moderator's name."""
    comment = _held(settings, post_comment)
    response = Client().post(_link(settings, comment, "approve", moderator))
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_moderation_link_does_nothing_for_another_moderator_or_an_editor(
    settings, post_comment, moderator, administrator, editor
):
    comment = _held(settings, post_comment)
    path = _link(settings, comment, "approve", moderator)
    for someone in (administrator, editor):
        assert _signed_in(someone).post(path).status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_moderation_link_does_nothing_once_the_comment_was_edited(settings, post_comment, moderator):
    comment = _held(settings, post_comment)
    path = _link(settings, comment, "approve", moderator)
    Comment.objects.filter(pk=comment.pk).update(text="Now with a link to https://spam.example/")
    response = _signed_in(moderator).post(path)
    assert response.status_code == 409 and b"has changed since the email was sent" in response.content
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_a_moderation_link_does_nothing_once_the_comment_left_the_queue_and_came_back(
    settings, post_comment, moderator
):
    """Sent about a held comment; the comment was approved, then held again after an edit: old links are dead."""
    comment = _held(settings, post_comment)
    path = _link(settings, comment, "spam", moderator)
    Comment.objects.filter(pk=comment.pk).update(text="A comment for the queue, edited.")
    response = _signed_in(moderator).post(path)
    assert response.status_code == 409
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_the_subscribe_page_queues_a_confirmation(thread):
    client = Client()
    page = client.get(f"/subscribe/?thread={thread.key}")
    assert page.status_code == 200 and b"Subscribe" in page.content
    response = client.post(f"/subscribe/?thread={thread.key}", {"email": "New@Example.org", "mode": "all"})
    assert response.status_code == 202
    assert Subscription.objects.get().address.email == "new@example.org"
    assert Event.objects.get().kind == Event.Kind.CONFIRMATION


def test_the_subscribe_page_explains_bad_input(thread):
    response = Client().post(f"/subscribe/?thread={thread.key}", {"email": "nope", "mode": "everything"})
    assert response.status_code == 400
    assert b"Enter a valid email address." in response.content
    assert b"mode must be one of all, replies." in response.content


def test_the_mailbox_is_hidden_from_readers_outside_the_demo(settings, db):
    settings.DEBUG = False
    settings.TRIBUNA_DEMO_MAILBOX = False
    assert Client().get("/mailbox/").status_code == 404


def _file_mail(settings, tmp_path) -> None:
    settings.EMAIL_BACKEND = "tribuna.lib.mail.PrivateFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")


def test_the_mailbox_lists_the_file_backends_messages_and_opens_one(
    settings, tmp_path, moderator, publish, deliver
):
    _file_mail(settings, tmp_path)
    settings.TRIBUNA_DEMO_MAILBOX = True
    settings.TRIBUNA_PREMODERATION = {"all"}
    publish(text="Before the hold, to follow.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    client = Client()
    page = client.get("/mailbox/")
    assert page.status_code == 200
    assert b"Confirm your email address" in page.content
    ref = page.content.split(b'href="/mailbox/')[1].split(b'"')[0].decode()
    message = client.get(f"/mailbox/{ref}")
    assert message.status_code == 200
    assert b'href="http://127.0.0.1' in message.content or b"/confirm/" in message.content


def test_the_mailbox_page_shows_no_raw_mail_objects(settings, tmp_path, publish, deliver):
    """Issue 16: the template's "messages" was Django's messages framework, printing Mail(ref=..., text=...)."""
    _file_mail(settings, tmp_path)
    settings.TRIBUNA_DEMO_MAILBOX = True
    publish(text="Before the hold, to follow.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    page = Client().get("/mailbox/").content.decode()
    assert "Mail(" not in page and "text=" not in page and "/confirm/" not in page
    assert "Confirm your email address" in page


@pytest.mark.parametrize("role", ["moderator", "administrator", "editor"])
def test_no_staff_account_sees_the_mailbox_without_the_demo_switch(settings, tmp_path, request, role):
    """The review's attack: an Editor read 114 messages, moderators' approve links and my-data links among them."""
    settings.DEBUG = True  # not a back door either
    settings.TRIBUNA_DEMO_MAILBOX = False
    _file_mail(settings, tmp_path)
    client = Client()
    client.force_login(request.getfixturevalue(role))
    assert client.get("/mailbox/").status_code == 404
    assert client.get("/mailbox/x.log/0/").status_code == 404


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        {"REMOTE_ADDR": "::ffff:198.51.100.4"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
    ],
)
def test_the_demo_mailbox_answers_only_a_browser_on_this_machine(settings, tmp_path, db, meta):
    _file_mail(settings, tmp_path)
    settings.TRIBUNA_DEMO_MAILBOX = True
    assert Client(**meta).get("/mailbox/").status_code == 404
    assert Client(REMOTE_ADDR="::1").get("/mailbox/").status_code == 200
    assert Client(REMOTE_ADDR="::ffff:127.0.0.1").get("/mailbox/").status_code == 200


def test_mail_files_are_readable_by_their_owner_alone(settings, tmp_path, publish, deliver):
    _file_mail(settings, tmp_path)
    publish(text="Before the hold, to follow.", name="Ada", email="ada@example.org", notify="all")
    deliver()
    folder = tmp_path / "mail"
    files = list(folder.glob("*.log"))
    assert files
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.stat().st_mode & 0o777 for path in files} == {0o600}
