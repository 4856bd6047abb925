"""`kill -9` of the app server and of the worker: no acknowledged comment lost, no email sent twice.

Real processes (`tribuna serve`, `tribuna worker --loop`) on the test database, real SMTP.
The lease is set far longer than any test waits, so these pass only if a restarted worker
takes its predecessor's rows back at once.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tribuna.discussion.models import Comment
from tribuna.notifications.models import Delivery, Event
from tribuna.notifications.services import subscribe

from .conftest import free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ACTIVE = [Delivery.Status.QUEUED, Delivery.Status.SENDING, Delivery.Status.HANDING]


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def _database_url() -> str:
    """The test database, as a URL a subprocess can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def env(smtp, tmp_path) -> dict:
    """The processes' whole configuration: no TRIBUNA_ setting inherited from the test session (one
    left by another test once made the server run a second worker, and the counts below wrong)."""
    return {
        **{name: value for name, value in os.environ.items() if not name.startswith("TRIBUNA_")},
        "DATABASE_URL": _database_url(),
        "TRIBUNA_DATA_DIR": str(tmp_path),
        "TRIBUNA_TESTING": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "TRIBUNA_BASE_URL": "https://tribuna.example",
        "SECRET_KEY": "k" * 40,
        "TRIBUNA_WORKER_LEASE": "3600",
        "TRIBUNA_WORKER_INTERVAL": "0.1",
        "TRIBUNA_RATE_LIMIT": "0",
        "TRIBUNA_POW": "0",
    }


class Process:
    """A `tribuna` command in its own process group, so that `kill -9` takes gunicorn's workers too."""

    def __init__(self, env: dict, *args: str) -> None:
        self.env, self.args, self.popen = env, args, None

    def start(self) -> Process:
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tribuna.cli", *self.args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def start_worker(env: dict) -> Process:
    worker = Process(env, "worker", "--loop").start()
    assert worker.popen.stdout.readline() == b"Worker started.\n", worker.popen.stderr.read().decode()
    return worker


def post(port: int, payload: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(
            "POST",
            "/api/v1/comments",
            json.dumps(payload),
            {"Content-Type": "application/json", "X-Tribuna": "1"},
        )
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/api/v1/openapi.json")
        return conn.getresponse().status == 200
    except OSError:
        return False


class Burst:
    """Readers posting from several threads until `target` comments are acknowledged.

    A post that gets no answer (the server was killed) was never acknowledged: the reader
    tries again with a new comment, as a person would.
    """

    def __init__(self, port: int, thread_key: str, target: int, readers: int = 3) -> None:
        self.port, self.thread_key, self.target = port, thread_key, target
        self.acked: list[int] = []
        self.refused: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._post, args=(n,)) for n in range(readers)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(60)

    def _post(self, reader: int) -> None:
        for n in range(10_000):
            with self.lock:
                if len(self.acked) >= self.target or self.refused:
                    return
            payload = {
                "thread": self.thread_key,
                "name": f"Reader {reader}",
                "notify": "all",
                "email": f"poster{reader}-{n}@example.org",
                "text": f"Reader {reader} adds point {n}: the consultation period should be longer.",
            }
            try:
                status, body = post(self.port, payload)
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)  # killed mid-request, or not listening yet
                continue
            with self.lock:
                if status == 201:
                    self.acked.append(body["id"])
                else:
                    self.refused.append((status, body))


def test_a_worker_killed_mid_transaction_is_restarted_and_neither_loses_nor_duplicates(
    smtp, env, thread, confirmed
):
    from tribuna.discussion import services

    addresses = [f"reader{i}@example.org" for i in range(8)]
    for address in addresses:
        confirmed(address)
        subscribe(thread, address, "all")
    comment = Comment.objects.create(
        thread=thread,
        author_name="Author",
        author_email="author@example.org",
        text="The comment everyone waits for.",
        status=Comment.Status.PENDING,
    )
    services.set_status(comment, Comment.Status.APPROVED)
    smtp.stall_at = 3  # the server holds its answer to the third message while we kill the worker
    worker = start_worker(env)
    try:
        assert smtp.stalled.wait(30), "the worker never reached the third message"
        worker.kill()
        statuses = Counter(Delivery.objects.values_list("status", flat=True))
        assert statuses == {Delivery.Status.SENT: 2, Delivery.Status.HANDING: 1, Delivery.Status.SENDING: 5}
        smtp.release.set()
        worker = start_worker(env)  # same host, same data directory: the same name
        wait_for(lambda: not Delivery.objects.filter(status__in=ACTIVE).exists(), "the restarted worker")
    finally:
        worker.stop()
    in_doubt = Delivery.objects.get(status=Delivery.Status.UNKNOWN)
    assert "not resent automatically" in in_doubt.last_error
    assert Counter(str(m["To"]) for m in smtp.messages) == Counter(addresses), "no loss, no duplicate"
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 7


def test_kill_9_of_app_server_and_worker_mid_burst_loses_no_comment_and_sends_nothing_twice(
    smtp, env, thread, confirmed, moderator
):
    for address in ("reader0@example.org", "reader1@example.org"):
        confirmed(address)
        subscribe(thread, address, "all")
    port = free_port()
    server = Process(env, "serve", "--no-migrate", "--bind", f"127.0.0.1:{port}", "--workers", "1").start()
    worker = start_worker(env)
    burst = Burst(port, thread.key, target=16)
    smtp.stall_at = 6  # the worker is inside an SMTP transaction when it is killed
    try:
        wait_for(lambda: answers(port), "the app server")
        burst.start()
        wait_for(lambda: len(burst.acked) >= 5 or burst.refused, "the first acknowledged comments")
        server.kill()
        server.start()
        assert smtp.stalled.wait(30), "no mail reached the server"
        worker.kill()
        smtp.release.set()
        worker = start_worker(env)
        burst.join()
        assert not burst.refused
        assert len(burst.acked) >= 16
        wait_for(
            lambda: (
                not Event.objects.filter(fanned_out_at__isnull=True).exists()
                and not Delivery.objects.filter(status__in=ACTIVE).exists()
            ),
            "the outbox to drain",
        )
    finally:
        burst.target = 0
        server.stop()
        worker.stop()
    assert set(burst.acked) <= set(Comment.objects.values_list("pk", flat=True)), (
        "an acknowledged comment is lost"
    )

    ids = Counter(str(m["Message-ID"]) for m in smtp.messages)
    assert [i for i, n in ids.items() if n > 1] == [], "a notification was sent twice"
    rows = Delivery.objects.values_list("status", "event_id", "pk")
    by_status: dict[str, set[str]] = {}
    for status, event_id, pk in rows:
        by_status.setdefault(status, set()).add(f"<tribuna.{event_id}.{pk}@tribuna.example>")
    sent, in_doubt = by_status.get(Delivery.Status.SENT, set()), by_status.get(Delivery.Status.UNKNOWN, set())
    assert len(in_doubt) <= 1, "one row in doubt for the one worker killed inside an SMTP transaction"
    assert sent <= set(ids), "every row recorded as sent reached the mail server"
    assert set(ids) <= sent | in_doubt, "nothing reached the mail server that the outbox does not account for"
    assert len(sent) >= len(burst.acked), "each comment asked for at least a confirmation"


def test_serve_with_worker_delivers_without_a_worker_process_and_stops_cleanly(
    smtp, env, thread, confirmed, moderator
):
    """`tribuna serve --with-worker` (the demo's one process tree): the server's own thread sends the
    follow-ups, and SIGTERM lets it finish instead of cutting a delivery in two."""
    confirmed("reader@example.org")
    subscribe(thread, "reader@example.org", "all")
    port = free_port()
    server = Process(env, "serve", "--no-migrate", "--bind", f"127.0.0.1:{port}", "--with-worker").start()
    try:
        wait_for(lambda: answers(port), "the app server")
        status, body = post(port, {"thread": thread.key, "name": "Ana", "text": "A question on section two."})
        assert status == 201, body
        wait_for(lambda: "reader@example.org" in [str(m["To"]) for m in smtp.messages], "the follow-up mail")
        server.popen.send_signal(signal.SIGTERM)
        assert server.popen.wait(30) == 0
    finally:
        server.stop()
    assert not Delivery.objects.filter(status__in=ACTIVE).exists()
    assert Counter(str(m["Message-ID"]) for m in smtp.messages).most_common(1)[0][1] == 1
