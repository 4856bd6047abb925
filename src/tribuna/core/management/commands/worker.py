"""`tribuna worker`: run the periodic jobs and drain the queues that apps register with core."""

from __future__ import annotations

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from tribuna.core import worker


class Command(BaseCommand):
    help = "Send queued notification emails and run periodic jobs (--loop to keep running until SIGTERM)."

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--loop", action="store_true", help="Keep running; stop cleanly on SIGTERM or SIGINT."
        )
        mode.add_argument(
            "--once", action="store_true", help="Work until nothing is due, then exit (the default)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Deliveries per SMTP connection (default TRIBUNA_WORKER_BATCH).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what is waiting; send nothing."
        )

    def handle(
        self, *args, loop: bool = False, batch_size: int | None = None, dry_run: bool = False, **options
    ) -> None:
        self.verbosity = options["verbosity"]
        if dry_run:
            for queue in worker.queues():
                for line in queue.report():
                    self.stdout.write(line)
            return
        self.stopping = False
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        name = worker.Name(settings.DATA_DIR / "worker")
        try:
            worker.run(
                name.value,
                lambda: self.stopping,
                loop=loop,
                batch_size=batch_size,
                on_turn=self._report,
                on_ready=self._started if loop else lambda: None,
            )
        finally:
            name.release()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if self.verbosity >= 1 and loop:
            self.stdout.write("Worker stopped.")

    def _stop(self, signum, frame) -> None:
        """Finish the message in hand, give the rest of the batch back, then exit."""
        self.stopping = True

    def _started(self) -> None:
        if self.verbosity >= 1:
            self.stdout.write("Worker started.")
            self.stdout.flush()

    def _report(self, turn: worker.Turn) -> None:
        if turn.handled and self.verbosity >= 1:
            self.stdout.write(turn.summary())
        if self.verbosity >= 2:
            for error in turn.errors:
                self.stderr.write(f"  {error}")
