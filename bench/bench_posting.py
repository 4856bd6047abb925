"""Posting benchmark: comments/s through the whole screening chain, and nothing lost or mixed up.

Serves a throwaway Tribuna (SQLite, `tribuna serve`, flood limits off with
TRIBUNA_RATE_LIMIT=0 and the proof of work off with TRIBUNA_POW=0; the rules and the classifier
still screen every comment) and posts
from many client threads at once for a fixed time. Each text is unique (the duplicate rule
would hold repeats) and carries a marker, so afterwards the script checks against the
database that every 201 is a stored row (nothing acknowledged lost) and that every
response's id names the comment that request sent (SECURITY.md's isolation check across
several workers). Prints figures; asserts nothing about time.

    .venv/bin/python bench/bench_posting.py [--duration 10] [--clients 32] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sqlite3
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402

KEY = "bench-posting"
WORDS = (
    "budget library hours reading room seats students evening parking entrance visitors proposal bus stop "
    "council hearing spring costs previous point agree minutes schedule neighbourhood school playground trees "
    "bicycle lanes crossing safety lighting winter maintenance survey residents"
).split()
HEADERS = {"Content-Type": "application/json", "X-Tribuna": "1", "User-Agent": "tribuna-bench"}


def text_for(rng: random.Random, marker: str) -> str:
    """A plausible, unique comment: the marker makes the duplicate rule see a new text each time."""
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 60)))
    return f"{words.capitalize()}. Reference {marker}."


class Poster(threading.Thread):
    """One client: a keep-alive connection posting until the deadline or the request budget."""

    def __init__(
        self, number: int, port: int, deadline: float, budget: threading.Semaphore, parents: list[int]
    ):
        super().__init__(daemon=True)
        self.number, self.port, self.deadline, self.budget, self.parents = (
            number,
            port,
            deadline,
            budget,
            parents,
        )
        self.results: list[
            tuple[int, float, int | None, str, str]
        ] = []  # status, ms, id, text, comment status

    def run(self) -> None:
        rng = random.Random(self.number)
        conn = http.client.HTTPConnection(lib.HOST, self.port, timeout=60)
        sent = 0
        while time.monotonic() < self.deadline and self.budget.acquire(blocking=False):
            sent += 1
            text = text_for(rng, f"c{self.number}-{sent}")
            payload = {
                "thread": KEY,
                "name": f"Poster {self.number}",
                "email": f"poster{self.number}@example.org",
                "text": text,
            }
            if rng.random() < 0.5:
                payload["parent"] = rng.choice(self.parents)
            started = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/comments", body=json.dumps(payload), headers=HEADERS)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.results.append(
                    (0, (time.perf_counter() - started) * 1000, None, text, type(exc).__name__)
                )
                conn.close()
                conn = http.client.HTTPConnection(lib.HOST, self.port, timeout=60)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            data = json.loads(body) if response.status == 201 else {}
            self.results.append((response.status, elapsed, data.get("id"), text, data.get("status", "")))
        conn.close()


def post_for(
    port: int, seconds: float, clients: int, max_requests: int, parents: list[int]
) -> tuple[list, float]:
    budget = threading.Semaphore(max_requests)
    deadline = time.monotonic() + seconds
    posters = [Poster(n, port, deadline, budget, parents) for n in range(clients)]
    started = time.perf_counter()
    for poster in posters:
        poster.start()
    for poster in posters:
        poster.join()
    return [r for p in posters for r in p.results], time.perf_counter() - started


def post_to_isso_for(port: int, seconds: float, clients: int, uri: str) -> tuple[list[int], float]:
    """The same load on Isso (`bench.py --isso`): unique texts of the same words, keep-alive
    connections; each client's later posts reply to its first. Returns the statuses and the time."""
    deadline = time.monotonic() + seconds
    statuses: list[int] = []

    def client(number: int) -> None:
        rng, sent, parent = random.Random(number), 0, None
        conn = http.client.HTTPConnection(lib.HOST, port, timeout=60)
        headers = {"Content-Type": "application/json", "Origin": f"http://{lib.HOST}:{port}"}
        while time.monotonic() < deadline:
            sent += 1
            body = {"text": text_for(rng, f"i{number}-{sent}"), "author": f"Poster {number}", "title": uri}
            if parent is not None and rng.random() < 0.5:
                body["parent"] = parent
            conn.request("POST", f"/new?uri=%2F{uri}", body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            answer = response.read()
            statuses.append(response.status)
            if response.status == 201 and parent is None:
                parent = json.loads(answer)["id"]
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, time.perf_counter() - started


def profile_posting(env: dict[str, str], parents: list[int], samples: int) -> str:
    """cProfile of posts through Django's full stack (test client), in this process."""
    lib.setup_django(env)
    from django.test import Client

    client, rng, sent = Client(), random.Random(7), iter(range(10**6))

    def post() -> None:
        payload = {
            "thread": KEY,
            "name": "Profiler",
            "text": text_for(rng, f"p{next(sent)}"),
            "parent": rng.choice(parents),
        }
        response = client.post(
            "/api/v1/comments", json.dumps(payload), content_type="application/json", HTTP_X_TRIBUNA="1"
        )
        assert response.status_code == 201, response.content

    return lib.profile("POST /api/v1/comments", post, samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of posting (default 10).")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent client threads (default 16).")
    parser.add_argument("--workers", type=int, default=1, help="tribuna serve processes (default 1).")
    parser.add_argument(
        "--threads", type=int, default=None, help="Threads per process (default: tribuna serve's)."
    )
    parser.add_argument(
        "--max-requests", type=int, default=20000, help="Upper bound on posts (default 20,000)."
    )
    parser.add_argument("--profile", action="store_true", help="Also cProfile posting in-process.")
    args = parser.parse_args()

    lib.require_tools()
    load_before = Path("/proc/loadavg").read_text().strip()
    work = lib.temp_dir("tribuna-bench-post-")
    port = lib.free_port()
    env = lib.tribuna_env(work / "data", port, TRIBUNA_RATE_LIMIT="0", TRIBUNA_POW="0")
    db = work / "data" / "tribuna.sqlite3"
    env["TRIBUNA_POW"] = "0"
    lib.tribuna(env, "migrate", "--noinput", "-v0")
    lib.tribuna(env, "seed_thread", KEY, "--comments", "200", "-v0")
    with sqlite3.connect(db) as con:
        parents = [
            pk
            for (pk,) in con.execute(
                "SELECT c.id FROM discussion_comment c JOIN discussion_thread t ON t.id = c.thread_id"
                " WHERE t.key = ? AND c.depth < 3",
                (KEY,),
            )
        ]
        rows_before = con.execute("SELECT COUNT(*) FROM discussion_comment").fetchone()[0]

    server = lib.serve_tribuna(env, port, args.workers, work / "tribuna.log", threads=args.threads)
    # Warm-up: every worker loads the spam model on its first screening; not timed.
    warmup, _ = post_for(port, 3, args.clients, args.workers * 8, parents)
    print(
        f"Posting for {args.duration}s from {args.clients} client threads to {args.workers} tribuna serve "
        f"processes of {args.threads or 'the default'} threads ...",
        flush=True,
    )
    results, elapsed = post_for(port, args.duration, args.clients, args.max_requests, parents)
    memory = lib.memory_mb(server.pid)
    lib.stop(server)

    created = [r for r in warmup + results if r[0] == 201]
    with sqlite3.connect(db) as con:
        rows_after = con.execute("SELECT COUNT(*) FROM discussion_comment").fetchone()[0]
        stored = dict(
            con.execute(
                "SELECT id, text FROM discussion_comment WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([r[2] for r in created]),),
            )
        )
    mismatches = sum(1 for r in created if stored.get(r[2]) != r[3])
    duplicated_ids = len(created) - len({r[2] for r in created})

    timed = [r for r in results if r[0] == 201]
    latencies = [r[1] for r in timed]
    statuses = Counter(r[0] for r in results)
    verdicts = Counter(r[4] for r in timed)
    print(f"\nLoad average before / after: {load_before} / {Path('/proc/loadavg').read_text().strip()}\n")
    print(
        lib.table(
            ["measure", "value", "target"],
            [
                ["comments/s (201 responses / wall time)", len(timed) / elapsed, ">= 400"],
                ["p50 latency ms", lib.median(latencies), ""],
                ["p99 latency ms", lib.percentile(latencies, 99), ""],
                ["requests sent (timed run)", len(results), ""],
                ["HTTP statuses", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())), "all 201"],
                ["verdicts of the 201s", ", ".join(f"{k}: {v}" for k, v in verdicts.most_common()), ""],
                [
                    "201s incl. warm-up vs new rows in the DB",
                    f"{len(created)} vs {rows_after - rows_before}",
                    "equal",
                ],
                ["responses whose id holds another text", mismatches, "0"],
                ["ids handed out twice", duplicated_ids, "0"],
                [
                    "memory after posting (RSS / PSS MB)",
                    f"{memory[0]:.0f} / {memory[1]:.0f} in {memory[2]} processes",
                    "",
                ],
            ],
        )
    )
    if args.profile:
        print(profile_posting(env, parents, 50))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
