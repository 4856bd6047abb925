"""The outbox under failure: crashes, retries, give-ups, and two workers at once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from tribuna.notifications import delivery, recipients, tokens
from tribuna.notifications.models import Delivery, Event, Subscription

from .conftest import free_port


@pytest.fixture
def followers(confirmed, publish):
    """`n` confirmed readers following the thread, then one new approved comment for them."""

    def make(n: int) -> list[str]:
        addresses = [f"reader{i}@example.org" for i in range(n)]
        for address in addresses:
            confirmed(address)
            publish(
                text=f"Reader {address} follows this discussion.",
                name="Follower",
                email=address,
                notify="all",
            )
        Delivery.objects.all().delete()  # only the last comment's notifications matter here
        Event.objects.update(fanned_out_at=timezone.now())
        # Only subscriptions older than an event hear of it: make them so without waiting.
        Subscription.objects.update(created=F("created") - timedelta(seconds=1))
        publish(text="The comment everyone is waiting for.", name="Author", email="author@example.org")
        recipients.fan_out()
        return addresses

    return make


def received(smtp) -> Counter:
    return Counter(str(m["To"]) for m in smtp.messages)


@pytest.mark.django_db
def test_a_worker_that_dies_between_claim_and_send_loses_nothing(smtp, followers, deliver):
    addresses = followers(5)
    token, rows = delivery.claim(10, worker="gone.example/0")
    assert len(rows) == 5 and all(r.status == Delivery.Status.SENDING for r in rows)
    # ... and the worker dies here, before sending anything, and its host never comes back.
    deliver()
    assert not smtp.messages, "the rows wait while their lease lasts"
    Delivery.objects.update(lease_until=timezone.now() - timedelta(seconds=1))
    deliver()
    assert received(smtp) == Counter(addresses), "each one exactly once"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


@pytest.mark.django_db
def test_a_restarted_worker_takes_its_own_rows_back_at_once(smtp, followers, deliver):
    addresses = followers(4)
    _, mine = delivery.claim(3, worker="host.example/0")
    _, theirs = delivery.claim(1, worker="host.example/1")
    Delivery.objects.filter(pk=mine[0].pk).update(status=Delivery.Status.HANDING)
    # host.example/0 is killed in the middle of mine[0]'s SMTP transaction and started again:
    assert delivery.take_back("host.example/0") == (2, 1)
    deliver()
    statuses = dict(Delivery.objects.values_list("email", "status"))
    assert statuses[mine[0].email] == Delivery.Status.UNKNOWN, "in doubt: never resent by itself"
    assert [statuses[r.email] for r in mine[1:]] == [Delivery.Status.SENT] * 2
    assert statuses[theirs[0].email] == Delivery.Status.SENDING, "another live worker's row is left alone"
    assert received(smtp) == Counter(a for a in addresses if a not in {mine[0].email, theirs[0].email})


@pytest.mark.django_db
def test_a_live_worker_renews_its_lease_while_it_sends(smtp, settings, followers):
    followers(3)
    token, rows = delivery.claim(10)
    batch = delivery._Claim(token)
    batch.renewed -= timedelta(seconds=settings.TRIBUNA_WORKER_LEASE)  # the batch has been sending a while
    Delivery.objects.update(lease_until=timezone.now())
    assert batch.handing(rows[0])
    assert Delivery.objects.get(pk=rows[0].pk).status == Delivery.Status.HANDING
    assert all(
        lease > timezone.now() + timedelta(seconds=settings.TRIBUNA_WORKER_LEASE - 5)
        for lease in Delivery.objects.values_list("lease_until", flat=True)
    )


@pytest.mark.django_db
def test_a_temporary_refusal_is_retried_later_with_backoff(smtp, settings, followers, deliver):
    followers(1)
    smtp.reject_code = "451 4.3.0 Try again later"
    deliver()
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.QUEUED and row.attempts == 1
    assert "451" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=settings.TRIBUNA_WORKER_RETRY_DELAY - 5)
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver()
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.next_attempt_at > timezone.now() + timedelta(
        seconds=2 * settings.TRIBUNA_WORKER_RETRY_DELAY - 5
    )
    smtp.reject_code = None
    Delivery.objects.update(next_attempt_at=timezone.now())
    deliver()
    assert Delivery.objects.get().status == Delivery.Status.SENT
    assert len(smtp.messages) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_delivery_stays_failed_with_its_error(smtp, settings, followers, deliver):
    followers(1)
    settings.TRIBUNA_WORKER_MAX_ATTEMPTS = 2
    smtp.reject_code = "451 4.3.0 Try again later"
    for _ in range(3):
        deliver()
        Delivery.objects.filter(status=Delivery.Status.QUEUED).update(next_attempt_at=timezone.now())
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.FAILED and row.attempts == 2
    assert "451" in row.last_error


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once(smtp, followers, deliver):
    followers(1)
    smtp.reject_code = "550 5.1.1 No such user"
    deliver()
    row = Delivery.objects.get()
    assert row.status == Delivery.Status.FAILED and "550" in row.last_error


@pytest.mark.django_db
def test_an_unreachable_mail_server_means_retrying_not_losing(smtp, settings, followers, deliver):
    followers(2)
    settings.EMAIL_PORT = free_port()  # nothing listens there
    deliver()
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.QUEUED}
    assert "Could not connect" in Delivery.objects.first().last_error


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time, so two concurrent workers cannot overlap; "
    "SKIP LOCKED claiming is a PostgreSQL feature (CI runs this with DATABASE_URL set)",
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_never_deliver_twice(smtp, followers):
    addresses = followers(60)
    errors: list[BaseException] = []

    def work() -> None:
        from django.db import connection as own

        try:
            while delivery.run_once(batch_size=7).handled:
                pass
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert received(smtp) == Counter(addresses)
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 60


@pytest.mark.django_db
def test_each_follower_gets_their_own_unsubscribe_link_and_message_id(smtp, followers, deliver):
    addresses = followers(3)
    deliver()
    ids = set()
    for message in smtp.messages:
        to = str(message["To"])
        token = str(message["List-Unsubscribe"]).strip().strip("<>").rsplit("/", 1)[1]
        assert tokens.read_unsubscribe_token(token).email == to
        assert f"/unsubscribe/{token}" in message.get_body(preferencelist=("plain",)).get_content()
        row = Delivery.objects.get(email=to)
        assert str(message["Message-ID"]) == f"<tribuna.{row.event_id}.{row.pk}@tribuna.example>"
        assert row.status == Delivery.Status.SENT and row.lease_until is None
        assert timezone.now() - timedelta(minutes=1) < row.sent_at <= timezone.now()
        ids.add(str(message["Message-ID"]))
    assert sorted(received(smtp)) == sorted(addresses) and len(ids) == 3


@pytest.mark.django_db
def test_backends_other_than_smtp_get_the_same_messages(smtp, settings, followers, deliver):
    from django.core import mail

    addresses = followers(2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    deliver()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(addresses)
    assert all("The comment everyone is waiting for." in m.body for m in mail.outbox)
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


@pytest.mark.django_db
def test_fanning_out_comments_nobody_follows_costs_the_same_queries_for_one_or_twenty(publish, followers):
    """A batch of events on threads without a confirmed subscription is answered by one query for the
    batch, not two or three per event; a followed thread in the same batch still gets its deliveries."""
    from django.test.utils import CaptureQueriesContext

    def queries_to_fan_out(n: int) -> int:
        for i in range(n):
            publish(text=f"Comment number {i} in a discussion nobody follows yet.", name="R")
        with CaptureQueriesContext(connection) as captured:
            recipients.fan_out(limit=100)  # one batch
        assert not Event.objects.filter(fanned_out_at__isnull=True).exists()
        return len(captured)

    assert queries_to_fan_out(1) == queries_to_fan_out(20)
    addresses = followers(3)
    assert sorted(Delivery.objects.values_list("email", flat=True)) == sorted(addresses)


@pytest.mark.django_db
def test_two_workers_fanning_out_the_same_events_queue_each_notification_once(followers, monkeypatch):
    """On SQLite a worker reads the pending events before it takes the write lock, so another worker can
    fan the same ones out in between: what it then writes must not queue anyone twice."""
    decide = recipients._deliveries
    raced = []

    def decide_while_another_worker_fans_out(events, now):
        decided = decide(events, now)
        if not raced:
            raced.append(True)
            assert recipients.fan_out() == len(events)  # the other worker, first to the write lock
        return decided

    monkeypatch.setattr(recipients, "_deliveries", decide_while_another_worker_fans_out)
    addresses = followers(3)
    assert raced
    assert sorted(Delivery.objects.values_list("email", flat=True)) == sorted(addresses)
    assert not Event.objects.filter(fanned_out_at__isnull=True).exists()


@pytest.mark.django_db
def test_held_comments_in_one_batch_look_up_the_moderators_once(thread):
    from django.test.utils import CaptureQueriesContext

    from tribuna.discussion.models import Comment

    def queries_to_fan_out(n: int) -> int:
        for i in range(n):
            held = Comment.objects.create(
                thread=thread, author_name="R", text=f"held {i}", html="", status=Comment.Status.PENDING
            )
            Event.objects.create(kind=Event.Kind.HELD, comment=held)
        with CaptureQueriesContext(connection) as captured:
            assert recipients.fan_out() == n
        return len(captured)

    assert queries_to_fan_out(1) == queries_to_fan_out(5)
