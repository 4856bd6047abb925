"""`make bench`: every figure of issue 14 in one go on this machine, each against its target.

Runs the demo's processes as the demo does (`tribuna serve --with-worker` with its default processes
and threads: the worker runs in a thread of the server; `--separate-worker` runs `tribuna worker
--loop` beside it instead, the layout for several app servers) on a throwaway SQLite data directory,
and measures:

- start-up: `tribuna serve --no-migrate` until it answers HTTP (median of three starts);
- cold page p50: the thread's version bumped before each single request (a write's effect),
  on 200-, 10,000- and 100,000-comment threads whose pages have the same shape (50 top-level
  comments with three replies each), so the larger threads' ratio is the cost of size alone;
- warm page: wrk on the 200-comment thread's page, then nginx serving the same bytes as a
  static file with the same wrk settings;
- posting: 16 keep-alive connections for 10 s with screening on, flood limits off
  (TRIBUNA_RATE_LIMIT=0) and the proof of work off (TRIBUNA_POW=0); every 201 must be a row;
- memory: RSS and PSS summed over every process of `tribuna serve` (and `tribuna worker`),
  sampled through the whole run (peak) and after the load.

Prints figures; asserts nothing about time. Needs wrk and nginx: installed with apt-get when
missing and run as root on Debian, otherwise the figures that need them are skipped.

    .venv/bin/python bench/bench.py [--duration 10] [--workers N --threads N] [--separate-worker] [--isso]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_posting  # noqa: E402
import bench_thread_page  # noqa: E402
import lib  # noqa: E402

THREADS = {"bench-200": 200, "bench-10k": 10_000, "bench-100k": 100_000}
SMALL = "bench-200"
PAGE = "/api/v1/comments?thread={key}"
CLIENTS = 16

# The targets and references (Isso 0.14 under gunicorn -w 4, measured in issue 14).
TARGET_RSS_MIB = 200
ISSO_RSS_MIB = (209, 254)
TARGET_POSTS = 600
ISSO_POSTS = (370, 488)
TARGET_NGINX_SHARE = 0.15
TARGET_COLD_MS = 15
TARGET_FLAT = 1.2
TARGET_START_S = 1.5


def ensure_tools() -> dict[str, str]:
    """wrk and nginx, installed from Debian's packages if missing and possible; {} entries skip."""
    found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin") for name in ("wrk", "nginx")}
    missing = [name for name, path in found.items() if not path]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = ["nginx-light" if name == "nginx" else name for name in missing]
        print(f"Installing {', '.join(packages)} with apt-get ...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        installed = subprocess.run(
            ["apt-get", "install", "-y", "-qq", *packages], env=env, capture_output=True, check=False
        )
        if installed.returncode != 0:  # a stale package list: update once and try again
            subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=False)
            subprocess.run(
                ["apt-get", "install", "-y", "-qq", *packages], env=env, capture_output=True, check=False
            )
        found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin") for name in found}
    for name, path in found.items():
        if not path:
            print(f"{name} is missing ({lib.INSTALL_HINT[name]}): the figures that need it are skipped.")
    return {name: path for name, path in found.items() if path}


class MemorySampler(threading.Thread):
    """Sums RSS and PSS over the demo's process trees every quarter second; keeps the peak."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.running = pids, (0.0, 0.0, 0), True

    def now(self) -> tuple[float, float, int]:
        parts = [lib.memory_mb(pid) for pid in self.pids]
        return sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts)

    def run(self) -> None:
        while self.running:
            current = self.now()
            if current[0] > self.peak[0]:
                self.peak = current
            time.sleep(0.25)


def start_serve(env: dict[str, str], port: int, extra: list[str], log: Path):
    """`tribuna serve` as the demo runs it: the process, the seconds until it answered, and the CPU
    seconds its processes had used by then (what the start costs on an idle machine)."""
    started = time.perf_counter()
    proc = lib.start(
        [str(lib.TRIBUNA), "serve", "--no-migrate", "--bind", f"{lib.HOST}:{port}", *extra], env=env, log=log
    )
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"tribuna serve exited with {proc.returncode}; see {log}")
        try:
            lib.get(port, "/api/v1/form-token")
            return proc, time.perf_counter() - started, lib.cpu_ns(proc.pid) / 1e9
        except OSError:
            time.sleep(0.005)
        if time.perf_counter() - started > 60:
            raise RuntimeError(f"tribuna serve did not answer within 60 s; see {log}")


def wait_until_idle(pid: int, timeout: float = 60) -> None:
    """Until the server uses no CPU for half a second: its start (the spam model loads beside the
    first requests) must not count against the first cold pages."""
    deadline = time.monotonic() + timeout
    previous = lib.cpu_ns(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        current = lib.cpu_ns(pid)
        if current - previous < 5_000_000:  # under 1% of a core
            return
        previous = current


def seed(env: dict[str, str]) -> None:
    lib.tribuna(env, "migrate", "--noinput", "-v0")
    for key, count in THREADS.items():
        lib.tribuna(env, "seed_thread", key, "--comments", str(count), "--replies-each", "3", "-v0")
    lib.tribuna(env, "seed_thread", bench_posting.KEY, "--comments", "200", "-v0")


def cold_pages(
    port: int, db: Path, samples: int, server_pid: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Milliseconds of single requests right after each thread's version is bumped (what a write does),
    and the server's CPU milliseconds for each.

    The threads take turns, so a slow moment of a shared machine falls on all of them alike;
    the CPU a request costs does not depend on how busy the machine is.
    """
    times: dict[str, list[float]] = {key: [] for key in THREADS}
    cpu: dict[str, list[float]] = {key: [] for key in THREADS}
    with sqlite3.connect(db, timeout=10) as con:
        for _ in range(samples):
            for key in THREADS:
                con.execute("UPDATE discussion_thread SET version = version + 1 WHERE key = ?", (key,))
                con.commit()
                before = lib.cpu_ns(server_pid)
                status, _, seconds = lib.get(port, PAGE.format(key=key))
                cpu[key].append((lib.cpu_ns(server_pid) - before) / 1e6)
                assert status == 200, status
                times[key].append(seconds * 1000)
    return times, cpu


def posting_parents(db: Path) -> list[int]:
    with sqlite3.connect(db) as con:
        return [
            pk
            for (pk,) in con.execute(
                "SELECT c.id FROM discussion_comment c JOIN discussion_thread t ON t.id = c.thread_id"
                " WHERE t.key = ? AND c.depth < 3",
                (bench_posting.KEY,),
            )
        ]


def count_rows(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT COUNT(*) FROM discussion_comment").fetchone()[0]


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=10, help="Seconds of each wrk and posting run (default 10)."
    )
    parser.add_argument("--workers", type=int, help="Pass --workers to tribuna serve (default: its own).")
    parser.add_argument("--threads", type=int, help="Pass --threads to tribuna serve (default: its own).")
    parser.add_argument("--cold-samples", type=int, default=40)
    parser.add_argument(
        "--separate-worker",
        action="store_true",
        help="Run `tribuna worker --loop` beside `tribuna serve` instead of `serve --with-worker`.",
    )
    parser.add_argument(
        "--isso", action="store_true", help="Also measure Isso 0.14 (installed into bench/isso-venv)."
    )
    args = parser.parse_args()
    if not lib.TRIBUNA.exists():
        print("Run `make .venv/.dev` first.", file=sys.stderr)
        return 2
    tools = ensure_tools()
    extra = [
        *(["--workers", str(args.workers)] if args.workers else []),
        *(["--threads", str(args.threads)] if args.threads else []),
        *([] if args.separate_worker else ["--with-worker"]),
    ]
    load_before = Path("/proc/loadavg").read_text().strip()
    began = time.perf_counter()

    work = lib.temp_dir("tribuna-bench-")
    port = lib.free_port()
    env = lib.tribuna_env(work / "data", port, TRIBUNA_RATE_LIMIT="0", TRIBUNA_POW="0")
    db = work / "data" / "tribuna.sqlite3"
    print(
        f"Seeding {', '.join(f'{n:,}' for n in THREADS.values())}-comment threads into {db} ...", flush=True
    )
    seed(env)

    starts, start_cpu = [], []
    for _ in range(2):  # two throwaway starts: the median of three includes the one we keep
        proc, seconds, cpu = start_serve(env, port, extra, work / "serve.log")
        starts.append(seconds)
        start_cpu.append(cpu)
        lib.stop(proc)
    server, seconds, cpu = start_serve(env, port, extra, work / "serve.log")
    starts.append(seconds)
    start_cpu.append(cpu)
    worker = (
        lib.start([str(lib.TRIBUNA), "worker", "--loop"], env=env, log=work / "worker.log")
        if args.separate_worker
        else None
    )
    sampler = MemorySampler([server.pid] + ([worker.pid] if worker else []))
    sampler.start()

    print("Cold pages ...", flush=True)
    wait_until_idle(server.pid)
    pages = {}
    for key in THREADS:
        status, pages[key], _ = lib.get(port, PAGE.format(key=key))
        assert status == 200, (status, pages[key][:300])
    cold, cold_cpu = cold_pages(port, db, args.cold_samples, server.pid)
    shapes = {key: bench_thread_page.page_size(pages[key]) for key in THREADS}

    warm = None
    if "wrk" in tools:
        print("Warm page ...", flush=True)
        lib.wrk(tools["wrk"], port, PAGE.format(key=SMALL), duration=1)
        cpu_before = lib.cpu_seconds(server.pid)
        warm = lib.wrk(tools["wrk"], port, PAGE.format(key=SMALL), duration=args.duration)
        warm["cpu_ms"] = (lib.cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, warm["requests"])

    print(f"Posting from {CLIENTS} connections ...", flush=True)
    parents, rows_before = posting_parents(db), count_rows(db)
    warmup, _ = bench_posting.post_for(port, 2, CLIENTS, 200, parents)
    cpu_before = lib.cpu_seconds(server.pid)
    posted, elapsed = bench_posting.post_for(port, args.duration, CLIENTS, 50_000, parents)
    post_cpu_ms = (lib.cpu_seconds(server.pid) - cpu_before) * 1000 / max(1, len(posted))
    time.sleep(1)  # the worker's next poll sees the new comments' outbox
    after = sampler.now()
    sampler.running = False
    sampler.join()
    peak = max(sampler.peak, after)
    lib.stop(server)
    if worker:
        lib.stop(worker)
    created = [r for r in warmup + posted if r[0] == 201]
    new_rows = count_rows(db) - rows_before
    timed = [r for r in posted if r[0] == 201]
    statuses = sorted({r[0] for r in posted})

    ceiling = None
    if "wrk" in tools and "nginx" in tools:
        print("nginx ...", flush=True)
        nginx, nginx_port = bench_thread_page.serve_nginx(tools["nginx"], work, f"{SMALL}.json", pages[SMALL])
        lib.wrk(tools["wrk"], nginx_port, f"/{SMALL}.json", duration=1)
        ceiling = lib.wrk(tools["wrk"], nginx_port, f"/{SMALL}.json", duration=args.duration)
        lib.stop(nginx)

    isso_memory, isso_posts = None, None
    if args.isso:
        gunicorn = bench_thread_page.ensure_isso()
        if gunicorn:
            bench_thread_page.THREADS = {SMALL: THREADS[SMALL]}
            isso, isso_port = bench_thread_page.serve_isso(gunicorn, work, db, 4)
            lib.get(isso_port, f"/?uri=%2F{SMALL}")
            isso_memory = lib.memory_mb(isso.pid)
            print("Posting to Isso from the same client ...", flush=True)
            bench_posting.post_to_isso_for(isso_port, 2, CLIENTS, SMALL)
            answers, seconds = bench_posting.post_to_isso_for(isso_port, args.duration, CLIENTS, SMALL)
            isso_posts = answers.count(201) / seconds
            lib.stop(isso)

    # --- Report --------------------------------------------------------------------------------
    p50 = {key: lib.median(values) for key, values in cold.items()}
    posts_per_s = len(timed) / elapsed
    start_s = sorted(starts)[1]
    print(
        f"\nLoad average before / after: {load_before} / {Path('/proc/loadavg').read_text().strip()};"
        f" {os.cpu_count()} cores; whole run {time.perf_counter() - began:.0f} s"
    )
    print(
        f"tribuna serve {' '.join(extra) or '(defaults)'}; wrk -t2 -c32 -d{args.duration}s; "
        f"pages: {', '.join(f'{k} {t} top / {n} all' for k, (t, n) in shapes.items())}\n"
    )
    rows = [
        [
            "memory, whole demo, peak (RSS)",
            f"{peak[0]:.0f} MiB in {peak[2]} processes",
            f"<= {TARGET_RSS_MIB} MiB",
            verdict(peak[0] <= TARGET_RSS_MIB),
            f"Isso {ISSO_RSS_MIB[0]}-{ISSO_RSS_MIB[1]} MiB",
            f"{peak[0] / ISSO_RSS_MIB[0]:.2f}x",
        ],
        ["memory, whole demo, peak (PSS)", f"{peak[1]:.0f} MiB", "", "", "", ""],
        ["memory after the load (RSS / PSS)", f"{after[0]:.0f} / {after[1]:.0f} MiB", "", "", "", ""],
        [
            "posting, 16 connections",
            f"{posts_per_s:,.0f} comments/s",
            f">= {TARGET_POSTS}/s",
            verdict(posts_per_s >= TARGET_POSTS),
            f"Isso {ISSO_POSTS[0]}-{ISSO_POSTS[1]}/s",
            f"{posts_per_s / ISSO_POSTS[1]:.2f}x",
        ],
        [
            "posting p50 / p99",
            f"{lib.median([r[1] for r in timed]):.1f} / {lib.percentile([r[1] for r in timed], 99):.1f} ms",
            "",
            "",
            "",
            "",
        ],
        [
            "posting: server CPU per comment",
            f"{post_cpu_ms:.2f} ms",
            "",
            "",
            "2 idle cores would allow",
            f"{2000 / post_cpu_ms:,.0f}/s",
        ],
        [
            "201s (with warm-up) vs new rows",
            f"{len(created)} vs {new_rows}; statuses {statuses}",
            "equal",
            verdict(len(created) == new_rows),
            "",
            "",
        ],
    ]
    if warm and ceiling:
        share = warm["rps"] / ceiling["rps"]
        rows.append(
            [
                "warm 200-comment page",
                f"{warm['rps']:,.0f} req/s (p50 {warm['p50']:.1f} ms)",
                f">= {TARGET_NGINX_SHARE:.0%} of nginx",
                verdict(share >= TARGET_NGINX_SHARE),
                f"nginx {ceiling['rps']:,.0f} req/s",
                f"{share:.1%}",
            ]
        )
        rows.append(["warm page: server CPU per request", f"{warm['cpu_ms']:.2f} ms", "", "", "", ""])
    else:
        rows.append(["warm 200-comment page", "skipped (wrk or nginx missing)", "", "n/a", "", ""])
    rows.append(
        [
            "cold page p50, 200 comments",
            f"{p50[SMALL]:.1f} ms",
            f"< {TARGET_COLD_MS} ms",
            verdict(p50[SMALL] < TARGET_COLD_MS),
            "",
            f"{p50[SMALL] / TARGET_COLD_MS:.2f}x of target",
        ]
    )
    for key in ("bench-10k", "bench-100k"):
        ratio = p50[key] / p50[SMALL]
        rows.append(
            [
                f"flat cost, {THREADS[key]:,} vs 200 (cold p50)",
                f"{p50[key]:.1f} ms",
                f"<= {TARGET_FLAT}x",
                verdict(ratio <= TARGET_FLAT),
                f"200: {p50[SMALL]:.1f} ms",
                f"{ratio:.2f}x",
            ]
        )
    cpu50 = {key: lib.median(values) for key, values in cold_cpu.items()}
    rows.append(["cold page: server CPU p50, 200 comments", f"{cpu50[SMALL]:.2f} ms", "", "", "", ""])
    for key in ("bench-10k", "bench-100k"):
        ratio = cpu50[key] / cpu50[SMALL]
        rows.append(
            [
                f"flat cost, {THREADS[key]:,} vs 200 (server CPU p50)",
                f"{cpu50[key]:.2f} ms",
                f"<= {TARGET_FLAT}x",
                verdict(ratio <= TARGET_FLAT),
                f"200: {cpu50[SMALL]:.2f} ms",
                f"{ratio:.2f}x",
            ]
        )
    rows.append(
        [
            "start-up of tribuna serve (median of 3)",
            f"{start_s:.2f} s",
            f"< {TARGET_START_S} s",
            verdict(start_s < TARGET_START_S),
            f"all: {', '.join(f'{s:.2f}' for s in starts)} s",
            f"{start_s / TARGET_START_S:.2f}x of target",
        ]
    )
    rows.append(
        [
            "start-up: CPU used until it answered",
            f"{sorted(start_cpu)[1]:.2f} s",
            f"< {TARGET_START_S} s",
            verdict(sorted(start_cpu)[1] < TARGET_START_S),
            f"all: {', '.join(f'{s:.2f}' for s in start_cpu)} s",
            "",
        ]
    )
    if isso_posts is not None:
        rows.append(
            [
                "Isso 0.14 posting, same client, this run",
                f"{isso_posts:,.0f} comments/s",
                "",
                "",
                "Tribuna / Isso",
                f"{posts_per_s / isso_posts:.2f}x" if isso_posts else "",
            ]
        )
    if isso_memory:
        rows.append(["Isso 0.14, gunicorn -w 4, idle (RSS)", f"{isso_memory[0]:.0f} MiB", "", "", "", ""])
    print(lib.table(["measure", "value", "target", "", "reference", "ratio"], rows))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
