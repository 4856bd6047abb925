"""`tribuna import SOURCE FILE`: bring comments (and WordPress posts) from another system."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tribuna.imports.files import DEFAULT_MAX_BYTES
from tribuna.imports.records import ImportFileError
from tribuna.imports.sources import SOURCES, parser_for
from tribuna.imports.writer import WriteOptions, write


def _pair(value: str) -> tuple[str, str]:
    old, sep, new = value.partition("=")
    if not sep:
        raise CommandError(f"expected OLD=NEW, got {value!r}")
    return old, new


class Command(BaseCommand):
    help = (
        "Import comments from wordpress, disqus, isso, remark42, commento, comentario or staticman, "
        "or restore a `tribuna export` file (source 'tribuna'). Running it again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", choices=[*SOURCES, "tribuna"])
        parser.add_argument("file", type=Path, help="The export file (a folder for staticman).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument(
            "--lenient",
            action="store_true",
            help="Import what can be read from a damaged file and list what was skipped.",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=DEFAULT_MAX_BYTES,
            help="Refuse files (or decompressed content) larger than this.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="OLD_PREFIX=NEW_PREFIX",
            help="Rewrite the start of page addresses before matching them to statements.",
        )
        parser.add_argument(
            "--statements",
            choices=["all", "none", "with-comments"],
            default="all",
            help="WordPress: which posts and pages become statements.",
        )
        parser.add_argument("--types", default="post,page", help="WordPress: post types to import.")
        parser.add_argument("--body", default="Imported", help="Issuing body of imported statements.")
        parser.add_argument(
            "--body-for",
            action="append",
            default=[],
            metavar="AUTHOR=BODY",
            help="WordPress: issuing body for an author's posts.",
        )

    def handle(self, *args, source: str, file: Path, **options) -> None:
        if source == "tribuna":
            from tribuna.imports.tribuna_format import restore

            try:
                report = restore(file, dry_run=options["dry_run"], max_bytes=options["max_bytes"])
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(report.text())
            return
        parse_options = {
            "max_bytes": options["max_bytes"],
            "lenient": options["lenient"],
            "statements": options["statements"],
            "types": [t.strip() for t in options["types"].split(",") if t.strip()],
        }
        try:
            parsed = parser_for(source)(file, parse_options)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        bar = _progress(len(parsed.comments))
        try:
            report = write(
                parsed,
                WriteOptions(
                    source=source,
                    file=str(file),
                    dry_run=options["dry_run"],
                    body=options["body"],
                    body_for=dict(_pair(v) for v in options["body_for"]),
                    url_map=[_pair(v) for v in options["map"]],
                    progress=bar.update if bar else None,
                ),
            )
        finally:
            if bar:
                bar.close()
        self.stdout.write(report.text())


def _progress(total: int):
    """A progress bar on a terminal only; logs and tests get the report alone."""
    if not sys.stderr.isatty() or total < 1000:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="comment", desc="Importing", file=sys.stderr)
