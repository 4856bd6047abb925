"""`tribuna serve`: the production server (Granian), never Django's development server."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from tribuna.core import serving


class Command(BaseCommand):
    help = "Serve Tribuna with Granian (WSGI; static files through WhiteNoise)."

    def add_arguments(self, parser):
        serving.add_arguments(parser)

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        serving.exec_granian(options, write=self.stdout.write)
