"""Time one scope's retrain as `tribuna spam train` runs it: a child process, the shipped data plus the
scope's labels, judged on the held-back fifth (prints figures, asserts nothing).

    .venv/bin/python bench/bench_retrain.py [--labels 3000]

The scope's labels are comments from data/ (the YouTube files and the hand-written blog comments,
repeated with a number appended until there are enough), split as learning.HELD_BACK_EVERY splits them.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tribuna.antispam import classifier, evaluation, training  # noqa: E402

HELD_BACK_EVERY = 5  # as tribuna.antispam.learning (which needs Django to import)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=3000)
    args = parser.parse_args()

    pool = [pair for source in classifier.YOUTUBE_FILES for pair in classifier.read_youtube(source)]
    pool += [(s, 0) for s in evaluation.load_handwritten("ham")] + [
        (s, 1) for s in evaluation.load_handwritten("spam")
    ]
    random.Random(0).shuffle(pool)
    chosen = [
        (replace(pool[i % len(pool)][0], text=f"{pool[i % len(pool)][0].text} #{i}"), pool[i % len(pool)][1])
        for i in range(args.labels)
    ]
    job = training.Job(samples=[], labels=[], held_samples=[], held_labels=[])
    for i, (sample, label) in enumerate(chosen, start=1):
        target = (
            (job.held_samples, job.held_labels) if i % HELD_BACK_EVERY == 0 else (job.samples, job.labels)
        )
        target[0].append(sample)
        target[1].append(label)

    start = time.perf_counter()
    result = training.run_in_child(job)
    wall = time.perf_counter() - start
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(job.labels)} training labels + {len(job.held_labels)} held back, plus the shipped corpus")
    print(
        f"retrain in a child process: {wall:.1f} s wall ({result.seconds:.1f} s inside the child), "
        f"{child.ru_utime + child.ru_stime:.1f} s CPU, child peak memory {child.ru_maxrss / 1024:.0f} MiB"
    )
    print(f"Brier on held-back labels: new {result.score:.4f}, shipped {result.previous_score:.4f}")
    comparison = result.comparison
    if comparison is not None:
        print(
            f"verdicts on held-back labels cost: new {comparison.misjudged}, shipped "
            f"{comparison.previous_misjudged} (only new wrong {comparison.only_new}, only shipped wrong "
            f"{comparison.only_previous}): {'refused' if result.is_worse else 'activated'}"
        )


if __name__ == "__main__":
    main()
