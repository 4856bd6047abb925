"""Training one scope's model in a child process, and judging it against the model it would replace.

Runs without Django: the parent (``learning.train_scope``) reads the labels and the models now in
use from the database and hands them over as plain data. The child process is started fresh and
exits afterwards, so scikit-learn and the training matrices never stay in a worker's memory.
"""

from __future__ import annotations

import io
import math
import os
import pickle
import subprocess
import sys
import time
from dataclasses import dataclass, field

from tribuna.antispam import classifier

HELD_BACK_EVERY = 5  # every fifth label of a scope (by id) judges retrains and is never trained on
# What a wrong verdict on a held-back label costs the site: a legitimate comment hidden loses a reader, so it
# counts as this many lesser mistakes (a legitimate comment held, a spam published).
HIDDEN_LEGITIMATE_COST = 5


@dataclass
class Job:
    samples: list[classifier.Sample]  # the scope's labels the model learns from
    labels: list[int]
    held_samples: list[classifier.Sample]  # the scope's labels kept out of training, to judge it
    held_labels: list[int]
    # The models screening for the scope now, in the order the registry falls back through them
    # (the key's, the site's), as SpamModel.save() bytes; the shipped model comes after them.
    current: list[bytes] = field(default_factory=list)


@dataclass
class Result:
    model: bytes
    version: str
    score: float | None  # Brier score of the new model on the held-back labels (None: there are none)
    previous_score: float | None  # the same for the model it would replace
    seconds: float
    pid: int
    comparison: Comparison | None = None  # the two models' verdicts on the held-back labels

    @property
    def is_worse(self) -> bool:
        return is_worse(self.score, self.previous_score, self.comparison)


# A retrain is refused when its verdicts on the held-back labels are worse beyond chance: a paired test on
# the labels the two models judge differently (McNemar's when every cost is one), one-sided, by the normal
# approximation at 5%. On a handful of labels that approximation refuses sooner than the exact test would
# (three labels newly misjudged and none put right: exact p = 0.125), which errs towards the model in use.
WORSE_BEYOND_CHANCE_Z = 1.645


@dataclass(frozen=True)
class Comparison:
    """What two models' verdicts on the same held-back labels cost the site (``costs``), in all and where
    they differ."""

    misjudged: int  # the new model's whole cost
    previous_misjudged: int  # the replaced model's
    only_new: int  # what the new model's verdicts cost more, summed over the labels where they cost more
    only_previous: int  # the same for the replaced model (a comment it hid and the new one holds: 5 - 1)
    squared: int  # the differences in cost label by label, squared and summed: how far chance could go

    @property
    def is_worse(self) -> bool:
        """Worse beyond chance. A few dozen held-back labels cannot tell two models apart by one or two
        comments: refusing on any difference (or on the Brier score, before) kept the older model in three
        of five left-out videos whose retrain, after 70% of their labels, published half the spam it did
        (``spam evaluate``'s learning tables). The sum of the label-by-label differences in cost must pass
        1.645 times its spread under chance (the square root of the summed squares). A label counts once
        however much its verdict costs: one legitimate comment newly hidden (5 - 0) is within chance, as a
        moderator's slip on one label would be (it kept a left-out video's fresh-thread retrain, MCC 0.896,
        from replacing its cold model, 0.840); three are not, nor is one with four more comments misjudged."""
        difference = self.only_new - self.only_previous
        return difference > WORSE_BEYOND_CHANCE_Z * math.sqrt(self.squared)


def is_worse(score: float | None, previous: float | None, comparison: Comparison | None = None) -> bool:
    """Does a retrain judge the held-back labels worse than the model it would replace? By its verdicts
    (``Comparison``) when they are known: what a site sees are verdicts, and a model that has learnt the
    site also judges by other thresholds (``classifier.SpamModel.site_taught``), which scores alone do not
    show. Otherwise by the Brier score. Without held-back labels there is nothing to judge by, and the
    retrain goes ahead."""
    if comparison is not None:
        return comparison.is_worse
    return score is not None and previous is not None and score > previous


def costs(model: classifier.SpamModel, samples: list[classifier.Sample], labels: list[int]) -> list[int]:
    """What the model's verdict on each labelled comment costs the site: 0 when right; 1 for a legitimate
    comment held or a spam published; ``HIDDEN_LEGITIMATE_COST`` for a legitimate comment hidden."""
    result = []
    for prediction, label in zip(model.predict_many(samples), labels, strict=True):
        verdict = prediction.verdict
        if label:
            result.append(int(verdict == "approve"))
        else:
            result.append({"approve": 0, "hold": 1}.get(verdict, HIDDEN_LEGITIMATE_COST))
    return result


def misjudged(model: classifier.SpamModel, samples: list[classifier.Sample], labels: list[int]) -> int | None:
    """The sum of ``costs``; None without labels."""
    return sum(costs(model, samples, labels)) if samples else None


def compare(
    new: classifier.SpamModel,
    previous: classifier.SpamModel,
    samples: list[classifier.Sample],
    labels: list[int],
) -> Comparison | None:
    """The two models' verdicts on the same labelled comments; None without labels."""
    if not samples:
        return None
    pairs = list(zip(costs(new, samples, labels), costs(previous, samples, labels), strict=True))
    return Comparison(
        misjudged=sum(n for n, _ in pairs),
        previous_misjudged=sum(p for _, p in pairs),
        only_new=sum(n - p for n, p in pairs if n > p),
        only_previous=sum(p - n for n, p in pairs if p > n),
        squared=sum((n - p) ** 2 for n, p in pairs),
    )


def brier(model: classifier.SpamModel, samples: list[classifier.Sample], labels: list[int]) -> float | None:
    """Mean squared distance between the spam probability and the label: rewards being right and sure."""
    if not samples:
        return None
    probabilities = model.probabilities(samples)
    return float(sum((p - y) ** 2 for p, y in zip(probabilities, labels, strict=True)) / len(samples))


def _model_in_use(current: list[bytes]) -> classifier.SpamModel:
    for blob in current:
        try:
            return classifier.SpamModel.load(io.BytesIO(blob))
        except Exception:  # noqa: BLE001, S112 - an unreadable model is skipped, as the registry does
            continue
    return classifier.load_shipped_model()


def run(job: Job) -> Result:
    """Train on the shipped data plus the scope's labels, and score old and new on the held-back labels."""
    start = time.perf_counter()
    model = classifier.train_with_site_labels(job.samples, job.labels)
    in_use = _model_in_use(job.current)
    score = brier(model, job.held_samples, job.held_labels)
    previous = brier(in_use, job.held_samples, job.held_labels)
    comparison = compare(model, in_use, job.held_samples, job.held_labels)
    buffer = io.BytesIO()
    model.save(buffer)
    return Result(
        model=buffer.getvalue(),
        version=model.version,
        score=score,
        previous_score=previous,
        seconds=time.perf_counter() - start,
        pid=os.getpid(),
        comparison=comparison,
    )


class TrainingFailed(RuntimeError):
    """The training process exited with an error (its stderr is the message)."""


def run_in_child(job: Job) -> Result:
    """``run`` in a fresh Python process that exits when it is done, so its memory goes with it.

    A plain subprocess rather than multiprocessing's spawn: spawn re-imports the parent's main
    script, which is gunicorn's, the worker's or a test runner's and not ours to make safe.
    The job and the result cross stdin and stdout pickled; both ends are this code.
    """
    completed = subprocess.run(
        [sys.executable, "-m", "tribuna.antispam.training"],
        input=pickle.dumps(job),
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0:
        raise TrainingFailed(completed.stderr.decode(errors="replace")[-4000:])
    return pickle.loads(completed.stdout)  # noqa: S301 - written by our own child process just now


if __name__ == "__main__":
    # Through the module's own name, so the result pickles as tribuna.antispam.training.Result.
    from tribuna.antispam import training

    sys.stdout.buffer.write(pickle.dumps(training.run(pickle.loads(sys.stdin.buffer.read()))))  # noqa: S301
