"""`tribuna spam evaluate` and `tribuna spam build-shipped`: measure and rebuild the shipped classifier."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Spam classifier tools: evaluate the shipped model, or rebuild it from the shipped data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{evaluate,build-shipped}")
        sub.required = True
        evaluate = sub.add_parser("evaluate", help="Leave-one-source-out, authors' protocol, out-of-domain, timing.")
        evaluate.add_argument("--quick", action="store_true",
                              help="Skip the authors' protocol and the YouTube-only baseline (about 3x faster).")
        build = sub.add_parser("build-shipped", help="Retrain on data/ and write the package's shipped model.")
        build.add_argument("--output", type=Path, default=None,
                           help="Where to write the model (default: the package's model/shipped.joblib).")
        build.add_argument("--dry-run", action="store_true", help="Train and report, but write nothing.")

    def handle(self, *args, action: str, **options):
        from tribuna.antispam import classifier, evaluation

        verbosity = options["verbosity"]
        if action == "evaluate":
            if verbosity:
                self.stderr.write("Training one model per left-out source; this takes a minute or two...")
            try:
                report = evaluation.run(quick=options["quick"])
            except FileNotFoundError as error:
                raise CommandError(f"missing training data or model: {error}") from error
            self.stdout.write(evaluation.format_report(report))
        elif action == "build-shipped":
            samples, labels, sources = classifier.load_shipped_corpus()
            if options["dry_run"]:
                model = classifier.train(samples, labels, classifier.corpus_weights(sources))
                self.stdout.write(f"would write model {model.version} ({len(samples)} training texts)")
                return
            path = options["output"] or classifier.SHIPPED_PATH
            model = classifier.build_shipped_model(path)
            if verbosity:
                self.stdout.write(f"wrote {path} (model {model.version}, {len(samples)} training texts, "
                                  f"{Path(path).stat().st_size // 1024} KiB)")
