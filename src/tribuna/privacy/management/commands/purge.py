"""`tribuna purge`: forget full IP addresses and user agents older than the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from tribuna.privacy.services import purge_expired


class Command(BaseCommand):
    help = (
        "Remove full IP addresses and user agents from comments older than TRIBUNA_IP_RETENTION_DAYS. "
        "The truncated network stays. The worker runs this hourly."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options) -> None:
        purged = purge_expired(dry_run=dry_run)
        if verbosity >= 1:
            verb = "Would remove" if dry_run else "Removed"
            self.stdout.write(
                f"{verb} IP addresses and user agents from {purged.comments} comment(s) older than "
                f"{settings.TRIBUNA_IP_RETENTION_DAYS} days (before {purged.cutoff:%Y-%m-%d %H:%M} UTC)."
            )
