"""Time the shipped spam classifier screening one comment at a time (prints figures, asserts nothing).

    .venv/bin/python bench/bench_screen.py [--n 2000] [--repeat 3]

The comments are the shipped corpus (YouTube comments and e-mail snippets, up to 400 characters),
the hand-written blog comments, and a few long ones (up to 5,000 characters), in a fixed shuffled
order. The model is loaded first; loading time is reported separately.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tribuna.antispam import classifier, evaluation  # noqa: E402


def comments(n: int) -> list[classifier.Sample]:
    samples, _, _ = classifier.load_shipped_corpus()
    samples += evaluation.load_handwritten("ham") + evaluation.load_handwritten("spam")
    rng = random.Random(0)
    long_ones = [classifier.Sample(text=" ".join(rng.choice(samples).text for _ in range(12))[:5000])
                 for _ in range(20)]
    pool = samples + long_ones
    rng.shuffle(pool)
    return (pool * (n // len(pool) + 1))[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    model = classifier.SpamModel.load(classifier.SHIPPED_PATH)
    print(f"model {model.version}: loaded in {(time.perf_counter() - start) * 1000:.0f} ms")
    batch = comments(args.n)
    model.predict(batch[0])
    for label, collect in (("gc on ", True), ("gc off", False)):
        durations = []
        gc.collect()
        if not collect:
            gc.disable()
        for _ in range(args.repeat):
            for sample in batch:
                t = time.perf_counter()
                model.predict(sample)
                durations.append((time.perf_counter() - t) * 1000)
        gc.enable()
        durations.sort()
        p99 = durations[int(len(durations) * 0.99) - 1]
        print(f"{label}: {len(durations)} screenings of {len(batch)} comments: median {statistics.median(durations):.3f} ms, "
              f"p99 {p99:.3f} ms, max {durations[-1]:.3f} ms")


if __name__ == "__main__":
    main()
