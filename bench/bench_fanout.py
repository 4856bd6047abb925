"""Notification fan-out benchmark: one approved comment, 10,000 confirmed followers, real SMTP.

Creates a throwaway SQLite database in a temporary TRIBUNA_DATA_DIR, starts an aiosmtpd sink
in its own process (so it does not share the worker's GIL), approves one comment on a thread
with N confirmed "all" subscribers, and runs the worker's steps until the outbox is empty.
Prints the time, messages per second, and the duplicates and missing messages counted at the
sink (both must be zero). Asserts nothing.

    .venv/bin/python bench/bench_fanout.py [--subscribers 10000] [--batch-size 200]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_sink(port: int, log_path: str, ready) -> None:
    """An SMTP server that writes each accepted recipient to a file, one per line."""
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self) -> None:
            self.log = open(log_path, "a", buffering=1)  # noqa: SIM115 - lives as long as the process

        async def handle_DATA(self, server, session, envelope) -> str:
            for rcpt in envelope.rcpt_tos:
                self.log.write(rcpt + "\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="tribuna-bench-fanout-")
    port = free_port()
    sink_log = Path(data_dir) / "received.txt"
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, str(sink_log), ready), daemon=True)
    sink.start()
    ready.wait(10)

    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "TRIBUNA_DATA_DIR": data_dir,
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "DJANGO_SETTINGS_MODULE": "tribuna.settings",
            "TRIBUNA_BASE_URL": "https://tribuna.example",
            "TRIBUNA_WORKER_BATCH": str(args.batch_size),
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tribuna.discussion import services
    from tribuna.discussion.models import Comment
    from tribuna.lib.markup import render_comment
    from tribuna.notifications import delivery, recipients
    from tribuna.notifications.models import Address, Delivery, Subscription
    from tribuna.statements.models import Body, Statement

    call_command("migrate", verbosity=0)
    body = Body.objects.create(name="Bench body", slug="bench-body")
    statement = Statement.objects.create(
        slug="bench", title="Bench statement", body=body, text="Text.", status=Statement.Status.PUBLISHED
    )
    thread = services.thread_for_statement(statement)
    now = timezone.now()
    expected = [f"reader{i}@example.org" for i in range(args.subscribers)]
    Address.objects.bulk_create([Address(email=e, confirmed_at=now) for e in expected], batch_size=1000)
    Subscription.objects.bulk_create(
        [Subscription(address=a, thread=thread, mode="all", confirmed_at=now) for a in Address.objects.all()],
        batch_size=1000,
    )
    time.sleep(0.01)
    text = "A comment that **everyone** follows, with a [link](https://example.net/page)."
    comment = Comment.objects.create(
        thread=thread,
        author_name="Author",
        author_email="author@example.org",
        text=text,
        html=render_comment(text),
        status=Comment.Status.PENDING,
    )
    services.set_status(comment, Comment.Status.APPROVED)  # records the outbox event, as moderation does

    started, cpu_started = time.perf_counter(), time.process_time()
    while recipients.fan_out():
        pass
    fanned = time.perf_counter() - started
    while delivery.run_once(args.batch_size).handled:
        pass
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    deadline = time.time() + 10  # the sink writes asynchronously; let it catch up
    while time.time() < deadline and len(sink_log.read_text().splitlines()) < args.subscribers:
        time.sleep(0.1)
    got = Counter(sink_log.read_text().splitlines())
    duplicates = sum(n - 1 for n in got.values() if n > 1)
    missing = len(set(expected) - set(got))
    sent = Delivery.objects.filter(status=Delivery.Status.SENT).count()
    sink.terminate()
    shutil.rmtree(data_dir, ignore_errors=True)

    print(f"subscribers:        {args.subscribers}")
    print(f"batch size:         {args.batch_size} messages per SMTP connection")
    print(f"fan-out:            {fanned:.2f} s ({args.subscribers} Delivery rows)")
    print(f"total time:         {elapsed:.2f} s (fan-out + sending)")
    print(f"messages/second:    {sent / elapsed:.0f}")
    print(f"worker CPU time:    {cpu:.2f} s ({1000 * cpu / max(sent, 1):.2f} ms per message)")
    print(f"load average:       {os.getloadavg()[0]:.1f} (2 cores; other work slows this figure)")
    print(f"received at sink:   {sum(got.values())}")
    print(f"duplicates:         {duplicates}")
    print(f"missing:            {missing}")
    sys.exit(0)


if __name__ == "__main__":
    main()
