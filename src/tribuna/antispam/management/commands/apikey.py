"""`tribuna apikey create --site URL`: a key for the Akismet-compatible service."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator

from tribuna.antispam.models import ApiKey


class Command(BaseCommand):
    help = "Manage keys for the Akismet-compatible spam service. `create --site URL` prints the key last."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a key for a site.")
        create.add_argument("--site", required=True, help="The site's URL (Akismet's `blog`).")
        create.add_argument("--dry-run", action="store_true")
        sub.add_parser("list", help="List keys.")
        revoke = sub.add_parser("revoke", help="Deactivate a key.")
        revoke.add_argument("key")

    def handle(self, *args, action: str, **options):
        if action == "create":
            site = options["site"]
            try:
                URLValidator(schemes=["http", "https"])(site)
            except ValidationError as exc:
                raise CommandError(f"--site must be an http(s) URL, not {site!r}") from exc
            if options["dry_run"]:
                self.stdout.write(f"Would create a key for {site}")
                return
            key = ApiKey.objects.create(key=secrets.token_hex(16), site=site)
            if options["verbosity"] > 1:
                self.stdout.write(f"Created a key for {site}")
            self.stdout.write(key.key)
        elif action == "list":
            for key in ApiKey.objects.order_by("created"):
                self.stdout.write(
                    f"{key.key}  {key.site}  {'active' if key.is_active else 'revoked'}  {key.calls} calls"
                )
        elif action == "revoke":
            if not ApiKey.objects.filter(key=options["key"]).update(is_active=False):
                raise CommandError("No such key.")
            self.stdout.write("Revoked.")
