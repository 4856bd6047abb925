"""`tribuna spam train`, `evaluate` and `build-shipped`: retrain on this site's labels, measure, rebuild."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Spam classifier tools: retrain site and key models, evaluate, rebuild the shipped model."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{train,evaluate,build-shipped}")
        sub.required = True
        train = sub.add_parser(
            "train",
            help="Retrain every model (the site's, each Akismet key's) that has new "
            "labels; activate each unless it scores worse than the one it replaces.",
        )
        train.add_argument(
            "--dry-run", action="store_true", help="Say which models would be retrained, change nothing."
        )
        train.add_argument(
            "--all", action="store_true", help="Retrain every model that has labels, new or not."
        )
        evaluate = sub.add_parser(
            "evaluate", help="Per left-out source: hidden, held, published; the learning curve; timing."
        )
        evaluate.add_argument("--quick", action="store_true", help="Skip the learning curve.")
        build = sub.add_parser(
            "build-shipped", help="Retrain on data/ and write the package's shipped model."
        )
        build.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write the model (default: the package's model/shipped.npz).",
        )
        build.add_argument("--dry-run", action="store_true", help="Train and report, but write nothing.")

    def handle(self, *args, action: str, **options):
        from tribuna.antispam import classifier, evaluation

        verbosity = options["verbosity"]
        if action == "train":
            if not _database_ready():
                raise CommandError("the database has no tables yet: run `tribuna migrate` first")
            self._train(dry_run=options["dry_run"], everything=options["all"], verbosity=verbosity)
        elif action == "evaluate":
            if verbosity:
                self.stderr.write(
                    "Training one model per left-out source and per step of the learning curve (--quick skips the curve)..."
                )
            try:
                report = evaluation.run(quick=options["quick"])
            except FileNotFoundError as error:
                raise CommandError(f"missing training data or model: {error}") from error
            self.stdout.write(evaluation.format_report(report))
            from tribuna.antispam import learning

            if not _database_ready():  # evaluation needs no database; a fresh data directory has none yet
                self.stdout.write("\nNo database yet (`tribuna migrate` creates it): no retrains to list.")
                return
            runs = learning.latest_runs()
            if runs:
                self.stdout.write("\nLast retrain of each site and key model:")
                for record in runs:
                    self.stdout.write("  " + learning.describe(record))
        elif action == "build-shipped":
            samples, labels, sources = classifier.load_shipped_corpus()
            if options["dry_run"]:
                model = classifier.train(samples, labels, classifier.corpus_weights(sources))
                self.stdout.write(f"would write model {model.version} ({len(samples)} training texts)")
                return
            path = options["output"] or classifier.SHIPPED_PATH
            model = classifier.build_shipped_model(path)
            if verbosity:
                self.stdout.write(
                    f"wrote {path} (model {model.version}, {len(samples)} training texts, "
                    f"{Path(path).stat().st_size // 1024} KiB)"
                )

    def _train(self, *, dry_run: bool, everything: bool, verbosity: int) -> None:
        from tribuna.antispam import learning

        scopes = learning.scopes_with_new_labels(minimum=0 if everything else 1)
        if not scopes:
            self.stdout.write("no model has new labels; nothing to retrain (--all retrains anyway)")
            return
        for scope in scopes:
            name = "site" if scope is None else f"key {scope.pk} ({scope.site})"
            total, new = learning.scope_labels(scope).count(), learning.new_labels_count(scope)
            if dry_run:
                self.stdout.write(f"would retrain {name} on the shipped data and {total} labels ({new} new)")
                continue
            record = learning.train_scope(scope, activate_anyway=learning.labels_erased_since_training(scope))
            if verbosity:
                self.stdout.write(learning.describe(record))


def _database_ready() -> bool:
    """Whether `tribuna migrate` has created the models' tables (asked before, not guessed from an error:
    any other database error must surface as itself)."""
    from tribuna.antispam.models import SpamModelVersion

    return SpamModelVersion._meta.db_table in connection.introspection.table_names()
