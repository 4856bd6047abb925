"""`tribuna spam train`, `evaluate` and `build-shipped`: retrain on this site's labels, measure, rebuild."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Spam classifier tools: evaluate the shipped model, or rebuild it from the shipped data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{train,evaluate,build-shipped}")
        sub.required = True
        train = sub.add_parser("train", help="Retrain on the shipped data plus this site's labels and activate it.")
        train.add_argument("--dry-run", action="store_true", help="Say how many labels would be used, change nothing.")
        evaluate = sub.add_parser("evaluate", help="Per left-out source: hidden, held, published; the learning curve; timing.")
        evaluate.add_argument("--quick", action="store_true",
                              help="Skip the learning curve.")
        build = sub.add_parser("build-shipped", help="Retrain on data/ and write the package's shipped model.")
        build.add_argument("--output", type=Path, default=None,
                           help="Where to write the model (default: the package's model/shipped.npz).")
        build.add_argument("--dry-run", action="store_true", help="Train and report, but write nothing.")

    def handle(self, *args, action: str, **options):
        from tribuna.antispam import classifier, evaluation

        verbosity = options["verbosity"]
        if action == "train":
            from tribuna.antispam import learning
            from tribuna.antispam.models import TrainingLabel

            total, new = TrainingLabel.objects.count(), learning.new_labels_count()
            if options["dry_run"]:
                self.stdout.write(f"would train on the shipped data and {total} site labels ({new} new)")
                return
            record = learning.train_site_model()
            if verbosity:
                self.stdout.write(f"activated model {record.version} ({record.labels} site labels)")
        elif action == "evaluate":
            if verbosity:
                self.stderr.write("Training one model per left-out source and per step of the learning curve (--quick skips the curve)...")
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
