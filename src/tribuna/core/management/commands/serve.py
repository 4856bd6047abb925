"""`tribuna serve`: the production server (Granian), never Django's development server."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Measured with `make bench` on a 2-core machine (README, "Sizing"): one process serves as
# many posts and pages as two, since SQLite takes one writer at a time and the load shares
# the cores, while each extra process costs its whole memory again. Two threads overlap the
# waits (database, client) without copying the application; four posted 15% slower than two
# (68 against 80-86 comments/s), the threads queueing for the interpreter and SQLite's lock.
DEFAULT_WORKERS = 1
DEFAULT_THREADS = 2


class Command(BaseCommand):
    help = "Serve Tribuna with Granian (WSGI; static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default=None, help="Address to bind, HOST:PORT (default 127.0.0.1:$PORT)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or DEFAULT_WORKERS),
            help=f"Worker processes (default $WEB_CONCURRENCY or {DEFAULT_WORKERS}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("TRIBUNA_THREADS") or DEFAULT_THREADS),
            help=f"Threads per worker (default $TRIBUNA_THREADS or {DEFAULT_THREADS}).",
        )
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run the worker (mail, periodic jobs) in a thread of each server process, "
            "instead of a separate `tribuna worker`: one process tree for a small site.",
        )

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        bind = options["bind"] or f"127.0.0.1:{settings.PORT}"
        host, _, port = bind.rpartition(":")
        argv = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "tribuna.wsgi:application",
            "--host",
            host.strip("[]") or "127.0.0.1",
            "--port",
            port,
            "--workers",
            str(max(1, options["workers"])),
            "--blocking-threads",
            str(max(1, options["threads"])),
            "--no-ws",
            "--log-level",
            "info" if options["verbosity"] > 1 else "warning",
            "--workers-kill-timeout",
            "20",
            "--respawn-failed-workers",
        ]
        if options["verbosity"] > 1:
            argv.append("--access-log")
        if options["with_worker"]:
            os.environ["TRIBUNA_SERVE_WORKER"] = "1"  # read by tribuna.wsgi in each server process
        self.stdout.write(
            f"Serving Tribuna on http://{bind}/ with {options['workers']} process(es) "
            f"of {options['threads']} threads" + (", with the worker" if options["with_worker"] else "")
        )
        self.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with the server
