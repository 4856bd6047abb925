"""Training one scope's model in a child process, and judging it against the model it would replace.

Runs without Django: the parent (``learning.train_scope``) reads the labels and the models now in
use from the database and hands them over as plain data. The child process is started fresh and
exits afterwards, so scikit-learn and the training matrices never stay in a worker's memory.
"""

from __future__ import annotations

import io
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
    misjudged: int | None = None  # what the new model's verdicts on the held-back labels cost (``misjudged``)
    previous_misjudged: int | None = None  # the same for the model it would replace

    @property
    def is_worse(self) -> bool:
        return is_worse(self.score, self.previous_score, self.misjudged, self.previous_misjudged)


def is_worse(
    score: float | None,
    previous: float | None,
    misjudged: int | None = None,
    previous_misjudged: int | None = None,
) -> bool:
    """Does a retrain judge the held-back labels worse than the model it would replace? By what its
    verdicts cost the site (``misjudged``) when both are known: what a site sees are verdicts, and a model
    that has learnt the site also judges by other thresholds (``classifier.SpamModel.site_taught``), which
    scores alone do not show. A tie goes to the retrain, which has learnt from more of the site's own
    decisions: on a few dozen held-back labels the Brier score of two models that judge them alike refused
    retrains that published a third of the spam the older model did (``spam evaluate``, fresh-thread
    learning). Otherwise by the Brier score. Without held-back labels there is nothing to judge by, and the
    retrain goes ahead."""
    if misjudged is not None and previous_misjudged is not None:
        return misjudged > previous_misjudged
    return score is not None and previous is not None and score > previous


def misjudged(model: classifier.SpamModel, samples: list[classifier.Sample], labels: list[int]) -> int | None:
    """What the model's verdicts on labelled comments cost the site: each legitimate comment held and each
    spam published counts 1, each legitimate comment hidden ``HIDDEN_LEGITIMATE_COST``."""
    if not samples:
        return None
    cost = 0
    for prediction, label in zip(model.predict_many(samples), labels, strict=True):
        verdict = prediction.verdict
        if label and verdict == "approve":
            cost += 1
        elif not label and verdict != "approve":
            cost += HIDDEN_LEGITIMATE_COST if verdict == "spam" else 1
    return cost


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
    buffer = io.BytesIO()
    model.save(buffer)
    return Result(
        model=buffer.getvalue(),
        version=model.version,
        score=score,
        previous_score=previous,
        seconds=time.perf_counter() - start,
        pid=os.getpid(),
        misjudged=misjudged(model, job.held_samples, job.held_labels),
        previous_misjudged=misjudged(in_use, job.held_samples, job.held_labels),
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
