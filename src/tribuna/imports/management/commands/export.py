"""`tribuna export FILE`: the whole site as documented JSON lines (see tribuna.imports.tribuna_format)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from tribuna.imports.tribuna_format import export


class Command(BaseCommand):
    help = (
        "Write statements with revisions, threads, comments, subscriptions, bans and moderation history "
        "as JSON lines; restore with `tribuna import tribuna FILE`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--with-personal-data",
            action="store_true",
            help="Include commenters' emails and addresses, subscriptions and address bans.",
        )

    def handle(self, *args, file: Path, with_personal_data: bool, **options) -> None:
        counts = export(file, personal=with_personal_data)
        self.stdout.write(
            f"Exported {sum(counts.values())} objects to {file}"
            + ("" if with_personal_data else " (without personal data)")
            + ":"
        )
        for label, n in counts.items():
            self.stdout.write(f"  {label}: {n}")
