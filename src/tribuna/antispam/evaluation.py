"""How good is the spam classifier? Validation protocols, out-of-domain checks and screening time.

- Leave one source out: train on every other shipped source, test on the one left out. Each source is
  deduplicated within itself (``load_shipped_corpus``); a text repeated in another source stays in
  training, because spam campaigns really do repeat across sites. A stricter variant, which also drops
  from training every text that occurs in the left-out source, is reported on an extra line.
- The TubeSpam authors' protocol, for comparison with their published Matthews correlations: each
  video alone, within each class in file order the first 70% train and the rest test.
- Out of domain: the shipped model on hand-written blog/statement-site comments (data/blog-comments)
  that are never used for training. The ham set measures false positives, the spam set recall.
- Timing: median and 99th percentile of screening one comment with the model already loaded.

A comment counts as flagged (a positive) only when its verdict is "spam"; "hold" sends it to a
moderator and is reported separately: it is not a false positive, but it is work.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import classifier
from .classifier import Sample

# The targets for every left-out video, and for legitimate comments from an unseen site.
TARGET_F1, TARGET_FPR, TARGET_OUT_OF_DOMAIN_FPR = 0.95, 0.02, 0.05

# The best Matthews correlation per video reported by the TubeSpam authors on their 70/30 protocol (as
# given with the shared data; none was given for Eminem and Shakira).
AUTHORS_BEST_MCC = {"youtube-psy": 0.925, "youtube-katyperry": 0.893, "youtube-lmfao": 0.955}


@dataclass
class Metrics:
    """Confusion counts at the operating point; ``held_*`` are hold verdicts (not flagged)."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    held_ham: int = 0
    held_spam: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def mcc(self) -> float:
        tp, fp, tn, fn = self.tp, self.fp, self.tn, self.fn
        denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
        return (tp * tn - fp * fn) / denominator if denominator else 0.0

    def __add__(self, other: Metrics) -> Metrics:
        return Metrics(*(a + b for a, b in zip(self.counts(), other.counts(), strict=True)))

    def counts(self) -> tuple[int, ...]:
        return (self.tp, self.fp, self.tn, self.fn, self.held_ham, self.held_spam)


def confusion(labels: Iterable[int], probabilities: Iterable[float], spam: float | None = None,
              hold: float | None = None) -> Metrics:
    """Confusion counts where "spam" verdicts are the positives."""
    m = Metrics()
    for label, probability in zip(labels, probabilities, strict=True):
        verdict = classifier.verdict_for(probability, spam, hold)
        flagged = verdict == "spam"
        if label:
            m.tp += flagged
            m.fn += not flagged
            m.held_spam += verdict == "hold"
        else:
            m.fp += flagged
            m.tn += not flagged
            m.held_ham += verdict == "hold"
    return m


@dataclass
class OutOfDomain:
    ham: Metrics
    spam: Metrics
    flagged_ham: list[str] = field(default_factory=list)


@dataclass
class Report:
    model_version: str
    spam_threshold: float
    hold_threshold: float
    loso: dict[str, Metrics]
    loso_strict: dict[str, Metrics]  # the videos again, cross-source repeats dropped from training
    authors: dict[str, tuple[Metrics, float]]  # per video: metrics at the operating point, MCC at p >= 0.5
    authors_plus: dict[str, Metrics]  # same split, other shipped sources added to training
    out_of_domain: OutOfDomain
    youtube_only_ood: Metrics | None
    timing_ms: tuple[float, float, int]  # median, p99, comments timed
    notes: list[str] = field(default_factory=list)
    # Each video left out again, after its first k comments were labelled by "its moderators": {k: {video: m}}
    site_learning: dict[int, dict[str, Metrics]] = field(default_factory=dict)

    @property
    def loso_overall(self) -> Metrics:
        return sum(self.loso.values(), Metrics())


def leave_one_source_out(samples: Sequence[Sample], labels: Sequence[int], sources: Sequence[str],
                         only: Sequence[str] | None = None, strict: bool = False,
                         texts: classifier.TrainingSet | None = None) -> dict[str, Metrics]:
    """Train on every other source, test on the one left out. ``strict`` also drops from training
    every text that occurs in the left-out source (the stricter number; see the module docstring).
    ``texts``: the samples already tokenised, to share between evaluations."""
    weights = classifier.corpus_weights(sources)
    texts = texts or classifier.TrainingSet(samples)  # tokenised once for every fold
    results = {}
    for held_out in only or sorted(set(sources), key=list(sources).index):
        test = [i for i, s in enumerate(sources) if s == held_out]
        test_keys = {classifier.text_key(samples[i].text) for i in test} if strict else set()
        train = [i for i, s in enumerate(sources)
                 if s != held_out and not (strict and classifier.text_key(samples[i].text) in test_keys)]
        model = texts.fit(train, [labels[i] for i in train], [weights[i] for i in train])
        probabilities = model.probabilities(samples[i] for i in test)
        results[held_out] = confusion([labels[i] for i in test], probabilities)
    return results


def learning_on_a_new_site(samples: Sequence[Sample], labels: Sequence[int], sources: Sequence[str],
                           decisions: Sequence[int] = (25, 50, 100),
                           texts: classifier.TrainingSet | None = None) -> dict[int, dict[str, Metrics]]:
    """How fast a new site's moderators fix what the shipped data gets wrong there: each video is left out
    as in ``leave_one_source_out``, except that its first k comments (file order, as they would come in)
    are labels of the site, weighted as ``train_with_site_labels`` weighs them; the rest is the test."""
    weights = classifier.corpus_weights(sources)
    texts = texts or classifier.TrainingSet(samples)
    results: dict[int, dict[str, Metrics]] = {}
    for k in decisions:
        for video in (v for v in classifier.YOUTUBE_FILES if v in sources):
            own = [i for i, s in enumerate(sources) if s == video]
            site, test = own[:k], own[k:]
            train = [i for i, s in enumerate(sources) if s != video]
            model = texts.fit(train + site, [labels[i] for i in train + site],
                              [weights[i] for i in train] + [classifier.SITE_LABEL_WEIGHT] * len(site))
            probabilities = model.probabilities(samples[i] for i in test)
            results.setdefault(k, {})[video] = confusion([labels[i] for i in test], probabilities)
    return results


def authors_split(rows: Sequence[tuple[Sample, int]]) -> tuple[list[int], list[int]]:
    """Indices of the first 70% of each class in file order (train) and the rest (test)."""
    train, test = [], []
    for label in (0, 1):
        indices = [i for i, (_, y) in enumerate(rows) if y == label]
        cut = int(round(len(indices) * 0.7))
        train += indices[:cut]
        test += indices[cut:]
    return sorted(train), sorted(test)


def authors_protocol(extra: bool = False) -> dict[str, tuple[Metrics, float]]:
    """Each video on its own (``extra``: plus every other shipped source in training)."""
    results = {}
    samples, labels, sources = classifier.load_shipped_corpus() if extra else ([], [], [])
    for video in classifier.YOUTUBE_FILES:
        rows = classifier.read_youtube(video)
        train_idx, test_idx = authors_split(rows)
        train_s = [rows[i][0] for i in train_idx]
        train_y = [rows[i][1] for i in train_idx]
        train_w = [1.0] * len(train_s)
        if extra:
            test_keys = {classifier.text_key(rows[i][0].text) for i in test_idx}
            for s, y, src in zip(samples, labels, sources, strict=True):
                if src != video and classifier.text_key(s.text) not in test_keys:
                    train_s.append(s)
                    train_y.append(y)
                    train_w.append(classifier.SOURCE_WEIGHTS.get(src, 1.0))
        model = classifier.train(train_s, train_y, train_w)
        test_y = [rows[i][1] for i in test_idx]
        probabilities = model.probabilities(rows[i][0] for i in test_idx)
        binary = confusion(test_y, probabilities, spam=0.5, hold=0.5)
        results[video] = (confusion(test_y, probabilities), binary.mcc)
    return results


def load_handwritten(kind: str) -> list[Sample]:
    """The hand-written blog-style comments, ``kind`` "ham" or "spam" (never used for training)."""
    path = classifier.project_data_dir() / "blog-comments" / f"blog_{kind}.json"
    return [Sample(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


def out_of_domain(model: classifier.SpamModel) -> OutOfDomain:
    ham, spam = load_handwritten("ham"), load_handwritten("spam")
    ham_p = model.probabilities(ham)
    spam_p = model.probabilities(spam)
    flagged = [s.text for s, p in zip(ham, ham_p, strict=True) if classifier.verdict_for(p) == "spam"]
    return OutOfDomain(confusion([0] * len(ham), ham_p), confusion([1] * len(spam), spam_p), flagged)


def timing(model: classifier.SpamModel, samples: Sequence[Sample], repeat: int = 1) -> tuple[float, float, int]:
    """Median and p99 milliseconds to screen one comment (``predict``, reasons included)."""
    model.predict(samples[0])  # warm caches (analysers, reason names)
    durations = []
    for _ in range(repeat):
        for sample in samples:
            start = time.perf_counter()
            model.predict(sample)
            durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations), float(np.percentile(durations, 99)), len(durations)


def run(quick: bool = False, model: classifier.SpamModel | None = None) -> Report:
    """The whole evaluation. ``quick`` skips the slower comparisons (authors' protocol, baselines)."""
    samples, labels, sources = classifier.load_shipped_corpus()
    model = model or classifier.load_shipped_model()
    texts = classifier.TrainingSet(samples)  # tokenising is the slow part: once for every evaluation below
    loso = leave_one_source_out(samples, labels, sources, texts=texts)
    loso_strict = leave_one_source_out(samples, labels, sources, only=list(classifier.YOUTUBE_FILES), strict=True,
                                       texts=texts)
    authors, authors_plus, youtube_only, site_learning = {}, {}, None, {}
    if not quick:
        authors = authors_protocol()
        authors_plus = {video: m for video, (m, _) in authors_protocol(extra=True).items()}
        # The baseline the issue describes: a model that has only ever seen YouTube comments.
        yt = [i for i, s in enumerate(sources) if s in classifier.YOUTUBE_FILES]
        yt_model = classifier.train([samples[i] for i in yt], [labels[i] for i in yt])
        youtube_only = out_of_domain(yt_model).ham
        site_learning = learning_on_a_new_site(samples, labels, sources, texts=texts)
    report = Report(
        model_version=model.version,
        spam_threshold=classifier.SPAM_THRESHOLD,
        hold_threshold=classifier.HOLD_THRESHOLD,
        loso=loso,
        loso_strict=loso_strict,
        authors=authors,
        authors_plus=authors_plus,
        out_of_domain=out_of_domain(model),
        youtube_only_ood=youtube_only,
        timing_ms=timing(model, samples),
        site_learning=site_learning,
    )
    report.notes.append(
        f"corpus: {len(samples)} distinct texts per source "
        + ", ".join(f"{s} {sources.count(s)}" for s in dict.fromkeys(sources))
    )
    return report


def _row(name: str, m: Metrics) -> str:
    return (f"  {name:<20} {m.n:>5} {m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>6.3f} {m.mcc:>6.3f} "
            f"{m.fpr * 100:>5.1f}% {m.held_ham:>5} {m.held_spam:>5}")


def target_line(report: Report) -> str:
    """Whether every left-out video meets F1 >= 0.95 at a false-positive rate <= 2%, said plainly."""
    missed = [f"{video.removeprefix('youtube-')} (F1 {m.f1:.3f}, FPR {m.fpr * 100:.1f}%)"
              for video, m in report.loso.items()
              if video in classifier.YOUTUBE_FILES and (m.f1 < TARGET_F1 or m.fpr > TARGET_FPR)]
    goal = f"Target, every left-out video at F1 >= {TARGET_F1} and FPR <= {TARGET_FPR:.0%}:"
    return f"{goal} {'met' if not missed else 'NOT met by ' + ', '.join(missed)}"


def format_report(report: Report) -> str:
    header = (f"  {'source':<20} {'n':>5} {'prec':>6} {'recall':>6} {'F1':>6} {'MCC':>6} {'FPR':>6} "
              f"{'hold0':>5} {'hold1':>5}")
    lines = [
        f"Spam classifier evaluation (shipped model {report.model_version})",
        f"Verdicts: spam at p >= {report.spam_threshold}, hold at p >= {report.hold_threshold}; only spam verdicts "
        "count as flagged. hold0/hold1 = legitimate/spam comments held for a moderator.",
        *report.notes,
        "",
        "Leave one source out (train on all other sources, test on the one left out):",
        header,
        *(_row(name, m) for name, m in report.loso.items()),
        _row("overall, videos", sum((m for k, m in report.loso.items() if k in classifier.YOUTUBE_FILES), Metrics())),
        _row("overall, all", report.loso_overall),
        target_line(report),
    ]
    if report.loso_strict:
        lines += ["Stricter: texts that also occur in the left-out video dropped from training:",
                  *(_row(name, m) for name, m in report.loso_strict.items())]
    if report.authors:
        lines += [
            "",
            "Authors' protocol (each video alone; per class in file order, first 70% train, rest test):",
            f"  {'video':<20} {'F1':>6} {'FPR':>6} {'MCC':>6} {'MCC@0.5':>8} {'authors':>8} {'+other sources':>15}",
        ]
        for video, (m, binary_mcc) in report.authors.items():
            plus = report.authors_plus.get(video)
            authors = f"{AUTHORS_BEST_MCC[video]:.3f}" if video in AUTHORS_BEST_MCC else "-"
            lines.append(
                f"  {video:<20} {m.f1:>6.3f} {m.fpr * 100:>5.1f}% {m.mcc:>6.3f} {binary_mcc:>8.3f} "
                f"{authors:>8} {f'MCC {plus.mcc:.3f}' if plus else '':>15}"
            )
        lines.append("  MCC = at our spam threshold; MCC@0.5 = plain binary decision, as the authors' classifiers; "
                     "+other sources = MCC when the other videos and the emails are added to training.")
    ood = report.out_of_domain
    lines += [
        "",
        "Out of domain (hand-written blog/statement-site comments, never used in training; shipped model):",
        f"  legitimate: {ood.ham.n} comments, {ood.ham.fp} flagged spam ({ood.ham.fpr * 100:.1f}%), "
        f"{ood.ham.held_ham} held ({ood.ham.held_ham / max(ood.ham.n, 1) * 100:.1f}%); target, at most "
        f"{TARGET_OUT_OF_DOMAIN_FPR:.0%} flagged: {'met' if ood.ham.fpr <= TARGET_OUT_OF_DOMAIN_FPR else 'NOT met'}",
        f"  spam:       {ood.spam.n} comments, {ood.spam.tp} flagged spam (recall {ood.spam.recall:.3f}), "
        f"{ood.spam.held_spam} held, {ood.spam.fn - ood.spam.held_spam} approved",
    ]
    for text in ood.flagged_ham:
        lines.append(f"    flagged: {text[:100]!r}")
    if report.youtube_only_ood is not None:
        y = report.youtube_only_ood
        lines.append(f"  baseline, a model trained on the YouTube comments alone: {y.fp}/{y.n} legitimate flagged "
                     f"({y.fpr * 100:.1f}%), {y.held_ham} held")
    if report.site_learning:
        videos = list(next(iter(report.site_learning.values())))
        lines += ["", "Learning on a new site: each video left out again, its first k comments labelled by its "
                      "moderators (weight " f"{classifier.SITE_LABEL_WEIGHT:g}), the rest tested; F1 / FPR:",
                  "  " + f"{'k':>5} " + " ".join(f"{v.removeprefix('youtube-'):>15}" for v in videos)]
        for k, per_video in report.site_learning.items():
            cells = " ".join(f"{f'{m.f1:.3f} / {m.fpr * 100:.1f}%':>15}" for m in per_video.values())
            lines.append(f"  {k:>5} {cells}")
    median, p99, n = report.timing_ms
    lines += ["", f"Screening time, one comment at a time with the model loaded ({n} comments): "
              f"median {median:.3f} ms, p99 {p99:.3f} ms"]
    return "\n".join(lines)
