"""`tribuna worker`: deliver the notification outbox and run registered periodic jobs."""

from __future__ import annotations

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from tribuna.notifications import delivery, schedule
from tribuna.notifications.models import Delivery, Event


class Command(BaseCommand):
    help = "Send queued notification emails and run periodic jobs (--loop to keep running until SIGTERM)."

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--loop", action="store_true", help="Keep running; stop cleanly on SIGTERM or SIGINT.")
        mode.add_argument("--once", action="store_true", help="Work until nothing is due, then exit (the default).")
        parser.add_argument("--batch-size", type=int, default=None,
                            help="Deliveries per SMTP connection (default TRIBUNA_WORKER_BATCH).")
        parser.add_argument("--dry-run", action="store_true", help="Only report what is waiting; send nothing.")

    def handle(self, *args, loop: bool = False, batch_size: int | None = None, dry_run: bool = False,
               **options) -> None:
        self.verbosity = options["verbosity"]
        if dry_run:
            self._report()
            return
        self.stopping = False
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        if self.verbosity >= 1 and loop:
            self.stdout.write("Worker started.")
            self.stdout.flush()
        try:
            while not self.stopping:
                schedule.run_due()
                busy = self._drain(batch_size)
                if not loop:
                    break
                if not busy:
                    self._sleep(settings.TRIBUNA_WORKER_INTERVAL)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.verbosity >= 1 and loop:
            self.stdout.write("Worker stopped.")

    def _stop(self, signum, frame) -> None:
        """Finish the message in hand, give the rest of the batch back, then exit."""
        self.stopping = True

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.1, seconds))

    def _drain(self, batch_size: int | None) -> bool:
        """Send batches until none is due; True if anything was handled."""
        busy = False
        while not self.stopping:
            result = delivery.run_once(batch_size, should_stop=lambda: self.stopping)
            if not result.handled:
                return busy
            busy = True
            if self.verbosity >= 1:
                self.stdout.write(f"sent {result.sent}, skipped {result.skipped}, "
                                  f"retrying {result.retried}, failed {result.failed}")
            if self.verbosity >= 2:
                for error in result.errors:
                    self.stderr.write(f"  {error}")
        return busy

    def _report(self) -> None:
        events = Event.objects.filter(fanned_out_at__isnull=True).count()
        by_status = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
        self.stdout.write(f"events waiting for fan-out: {events}")
        for status, _ in Delivery.Status.choices:
            self.stdout.write(f"deliveries {status}: {by_status.get(status, 0)}")
