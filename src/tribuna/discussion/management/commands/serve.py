"""`tribuna serve`: the production server (gunicorn), never Django's development server."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Tribuna with gunicorn (static files through WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="Address to bind (default 127.0.0.1:$PORT).")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 0)) or None,
                            help="Worker processes (default: 2 per core + 1).")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("TRIBUNA_THREADS", 1)),
                            help="Threads per worker (default 1: the work is CPU-bound under the GIL).")
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        workers = options["workers"] or (os.cpu_count() or 1) * 2 + 1
        bind = options["bind"] or f"127.0.0.1:{settings.PORT}"
        argv = [
            sys.executable, "-m", "gunicorn", "tribuna.wsgi:application", "--bind", bind, "--workers", str(workers),
            "--threads", str(options["threads"]), "--worker-class", "gthread",
            "--access-logfile", "-" if options["verbosity"] > 1 else "/dev/null",
            "--forwarded-allow-ips", ",".join(settings.TRIBUNA_TRUSTED_PROXIES) or "127.0.0.1",
            "--graceful-timeout", "20", "--keep-alive", "5", "--preload",
        ]
        self.stdout.write(f"Serving Tribuna on http://{bind}/ with {workers} workers")
        self.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - replaces this process with gunicorn
