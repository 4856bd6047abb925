"""The outbox under failure: crashes, retries, give-ups, and two workers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tribuna.notifications import delivery, tokens
from tribuna.notifications.models import Delivery

from .conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def followers(confirmed, publish):
    """`n` confirmed readers following the thread, then one new approved comment for them."""

    def make(n: int) -> list[str]:
        addresses = [f"reader{i}@example.org" for i in range(n)]
        for address in addresses:
            confirmed(address)
            publish(text=f"Reader {address} follows this discussion.", name="Follower", email=address,
                    notify="all")
        Delivery.objects.all().delete()  # only the last comment's notifications matter here
        from tribuna.notifications.models import Event

        Event.objects.update(fanned_out_at=timezone.now())
        time.sleep(0.01)  # the new comment's event comes strictly after every subscription
        publish(text="The comment everyone is waiting for.", name="Author", email="author@example.org")
        delivery.fan_out()
        return addresses

    return make


def received(smtp) -> Counter:
    return Counter(str(m["To"]) for m in smtp.messages)


@pytest.mark.django_db
def test_a_worker_that_dies_between_claim_and_send_loses_nothing(smtp, settings, followers, deliver):
    addresses = followers(5)
    settings.TRIBUNA_WORKER_LEASE = 0  # the dead worker's lease is over at once
    token, rows = delivery.claim(10)
    assert len(rows) == 5 and all(r.status == Delivery.Status.SENDING for r in rows)
    # ... and the worker dies here, before sending anything.
    time.sleep(0.01)
    deliver()
    assert received(smtp) == Counter(addresses), "each one exactly once"
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}


def _database_url() -> str:
    """The test database, as a URL a subprocess can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_neither_loses_nor_duplicates(smtp, followers, deliver, tmp_path):
    addresses = followers(8)
    smtp.stall_at = 3  # the server holds its answer to the third message while we kill the worker
    env = {
        **os.environ, "DATABASE_URL": _database_url(), "TRIBUNA_DATA_DIR": str(tmp_path),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}", "TRIBUNA_WORKER_LEASE": "1", "TRIBUNA_TESTING": "1",
        "TRIBUNA_BASE_URL": "https://tribuna.example", "SECRET_KEY": "k" * 40,
    }
    worker = subprocess.Popen([sys.executable, "-m", "tribuna.cli", "worker", "--loop", "--batch-size", "20"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert smtp.stalled.wait(60), worker.stderr.read1().decode() if worker.poll() is not None else "no stall"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        smtp.release.set()
        if worker.poll() is None:
            worker.kill()
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {Delivery.Status.SENT: 2, Delivery.Status.HANDING: 1, Delivery.Status.SENDING: 5}
    time.sleep(1.1)  # the dead worker's lease runs out
    deliver()
    in_doubt = Delivery.objects.get(status=Delivery.Status.UNKNOWN)
    assert "not resent automatically" in in_doubt.last_error
    assert received(smtp) == Counter(addresses), "no loss, no duplicate"
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 7


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
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=2 * settings.TRIBUNA_WORKER_RETRY_DELAY - 5)
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


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_postgresql_never_deliver_twice(smtp, followers):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time, so two concurrent workers cannot overlap; "
                    "SKIP LOCKED claiming is a PostgreSQL feature (CI runs this with DATABASE_URL set)")
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
