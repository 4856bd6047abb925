"""Time one scope's retrain as `tribuna spam train` runs it: a child process, the shipped data plus the
scope's labels, judged on the held-back fifth (prints figures, asserts nothing).

    .venv/bin/python bench/bench_retrain.py [--labels 3000]

The scope's labels are the first comments of data/spamassassin (ham and spam alternately; their
genre is not the point, their number is), split as learning.HELD_BACK_EVERY splits them.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tribuna.antispam import classifier, training  # noqa: E402

HELD_BACK_EVERY = 5  # as tribuna.antispam.learning (which needs Django to import)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=3000)
    args = parser.parse_args()

    rows = classifier.read_email()
    spam = [r for r in rows if r[1] == 1]
    ham = [r for r in rows if r[1] == 0]
    chosen = [pair for i in range(args.labels // 2) for pair in (spam[i % len(spam)], ham[i])][: args.labels]
    job = training.Job(samples=[], labels=[], held_samples=[], held_labels=[])
    for i, (sample, label) in enumerate(chosen, start=1):
        target = (job.held_samples, job.held_labels) if i % HELD_BACK_EVERY == 0 else (job.samples, job.labels)
        target[0].append(sample)
        target[1].append(label)

    start = time.perf_counter()
    result = training.run_in_child(job)
    wall = time.perf_counter() - start
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(job.labels)} training labels + {len(job.held_labels)} held back, plus the shipped corpus")
    print(f"retrain in a child process: {wall:.1f} s wall ({result.seconds:.1f} s inside the child), "
          f"{child.ru_utime + child.ru_stime:.1f} s CPU, child peak memory {child.ru_maxrss / 1024:.0f} MiB")
    print(f"Brier on held-back labels: new {result.score:.4f}, shipped {result.previous_score:.4f}")


if __name__ == "__main__":
    main()
