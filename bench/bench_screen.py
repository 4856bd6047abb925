"""Time the shipped spam classifier screening one comment at a time (prints figures, asserts nothing).

    .venv/bin/python bench/bench_screen.py [--n 2000] [--repeat 3]

The comments are the shipped corpus (YouTube comments and e-mail snippets, up to 400 characters),
the hand-written blog comments, and a few long ones (up to 5,000 characters), in a fixed shuffled
order. The model is loaded first; loading time is reported separately. Wall-clock percentiles come
with GC on and off, then the screening thread's CPU time (what a loaded machine does not inflate).
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
    long_ones = [
        classifier.Sample(text=" ".join(rng.choice(samples).text for _ in range(12))[:5000])
        for _ in range(20)
    ]
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
        gc.collect()
        if not collect:
            gc.disable()
        report(label, timings(model, batch, args.repeat, time.perf_counter))
        gc.enable()
    # CPU time of the screening thread: on a shared, loaded machine wall-clock percentiles measure the
    # other processes; this measures the work screening does.
    report("cpu   ", timings(model, batch, args.repeat, time.thread_time))


def timings(model, batch, repeat: int, clock) -> list[float]:
    """Milliseconds per screening by ``clock``, sorted."""
    durations = []
    for _ in range(repeat):
        for sample in batch:
            t = clock()
            model.predict(sample)
            durations.append((clock() - t) * 1000)
    return sorted(durations)


def report(label: str, durations: list[float]) -> None:
    p99 = durations[int(len(durations) * 0.99) - 1]
    print(
        f"{label}: {len(durations)} screenings: median {statistics.median(durations):.3f} ms, "
        f"p99 {p99:.3f} ms, max {durations[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main()
