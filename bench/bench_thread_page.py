"""Thread page benchmark: Tribuna against Isso and against nginx serving the same JSON.

Seeds a 200- and a 10,000-comment thread into a throwaway SQLite database, serves them with
`tribuna serve`, and measures with wrk: warm requests/s and p50/p99 latency,
cold-page latency, the big thread's first page against the small one, and memory. The same
comments go into Isso 0.14 (its own virtualenv, bench/isso-venv) and the 200-thread JSON is
served by nginx as a static file, as floor and ceiling. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_thread_page.py [--duration 10] [--no-isso] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402

THREADS = {"bench-200": 200, "bench-10k": 10000}
SMALL, BIG = THREADS
ISSO_VENV = lib.ROOT / "bench" / "isso-venv"
ISSO_VERSION = "0.14.0"
PAGE = "/api/v1/comments?thread={key}"
ISSO_WIDGET = "/?uri=%2F{key}&sort=oldest&offset=0&nested_limit=5"  # what embed.js asks by default
ISSO_PAGE50 = "/?uri=%2F{key}&sort=oldest&offset=0&limit=50"  # 50 top-level with all replies, like Tribuna

# Run inside Isso's virtualenv: create its schema through its own db API, then insert the
# comments in one transaction (Isso's add() commits per row and would take minutes).
ISSO_SEED = r"""
import json, sqlite3, sys
from isso import config
from isso.db import SQLite3
from isso.utils import Bloomfilter
spec = json.load(open(sys.argv[1]))
SQLite3(spec["dbpath"], config.load(config.default_file(), spec["cfg"]))
voters = memoryview(Bloomfilter(iterable=["127.0.0.0"]).array)
with sqlite3.connect(spec["dbpath"]) as con:
    for t in spec["threads"]:
        tid = con.execute("INSERT INTO threads (uri, title) VALUES (?, ?)", (t["uri"], t["title"])).lastrowid
        con.executemany(
            "INSERT INTO comments (tid, id, parent, created, modified, mode, remote_addr, text, author,"
            " email, website, likes, dislikes, voters, notification)"
            " VALUES (?, ?, ?, ?, NULL, 1, '127.0.0.0', ?, ?, NULL, NULL, 0, 0, ?, 0)",
            [(tid, c[0], c[1], c[2], c[4], c[3], voters) for c in t["comments"]],
        )
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds per wrk run (default 10).")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers for Tribuna and Isso (default 4)."
    )
    parser.add_argument("--cold-samples", type=int, default=40)
    parser.add_argument("--no-isso", action="store_true", help="Skip the Isso reference.")
    parser.add_argument("--profile", action="store_true", help="Also cProfile cold pages in-process.")
    return parser.parse_args()


# --- Tribuna ---------------------------------------------------------------------------------------


def cold_latencies(port: int, db: Path, key: str, samples: int) -> list[float]:
    """Single requests right after the thread's version is bumped: every cached copy is stale.

    Bumping the version is what posting or moderating does; it changes the cache key and the
    ETag, so each timed request reads the thread, runs the page queries and encodes JSON.
    """
    times = []
    with sqlite3.connect(db, timeout=10) as con:
        for _ in range(samples):
            con.execute("UPDATE discussion_thread SET version = version + 1 WHERE key = ?", (key,))
            con.commit()
            status, _, seconds = lib.get(port, PAGE.format(key=key))
            assert status == 200, status
            times.append(seconds * 1000)
    return times


def page_size(body: bytes) -> tuple[int, int]:
    """(top-level comments, all comments) in a Tribuna page."""
    page = json.loads(body)
    total, stack = 0, list(page["comments"])
    while stack:
        total += 1
        stack.extend(stack.pop()["replies"])
    return len(page["comments"]), total


def profile_cold_pages(env: dict[str, str], samples: int) -> str:
    """cProfile of cold page requests through Django's full stack (test client), in this process."""
    lib.setup_django(env)
    from django.test import Client

    from tribuna.discussion.models import Thread
    from tribuna.discussion.services import new_thread_version

    client, out = Client(), []
    for key in THREADS:
        pk = Thread.objects.get(key=key).pk
        out.append(
            lib.profile(
                f"cold {key} page",
                lambda key=key: client.get(PAGE.format(key=key)),
                samples,
                before=lambda pk=pk: new_thread_version(pk),
            )
        )
    return "".join(out)


# --- Isso ---------------------------------------------------------------------------------------------


def ensure_isso() -> Path | None:
    """Isso 0.14 and gunicorn in bench/isso-venv (git-ignored), installed on first use."""
    gunicorn = ISSO_VENV / "bin" / "gunicorn"
    if gunicorn.exists():
        return gunicorn
    print(f"Installing isso=={ISSO_VERSION} and gunicorn into {ISSO_VENV} ...", flush=True)
    try:
        lib.run([shutil.which("python3") or "python3", "-m", "venv", str(ISSO_VENV)])
        lib.run([str(ISSO_VENV / "bin" / "pip"), "install", "-q", f"isso=={ISSO_VERSION}", "gunicorn"])
    except RuntimeError as exc:
        print(f"Could not install Isso, skipping it: {exc}", file=sys.stderr)
        return None
    return gunicorn


def export_for_isso(db: Path) -> list[dict]:
    """The seeded comments as Isso stores them: replies hang under their top-level comment."""
    threads = []
    with sqlite3.connect(db) as con:
        for key in THREADS:
            rows = con.execute(
                "SELECT c.id, c.root_id, c.created, c.author_name, c.text FROM discussion_comment c"
                " JOIN discussion_thread t ON t.id = c.thread_id WHERE t.key = ? AND c.status = 'approved'"
                " ORDER BY c.id",
                (key,),
            ).fetchall()
            comments = [
                [pk, root, datetime.fromisoformat(created).timestamp(), name, text]
                for pk, root, created, name, text in rows
            ]
            threads.append({"uri": f"/{key}", "title": key, "comments": comments})
    return threads


def serve_isso(gunicorn: Path, work: Path, tribuna_db: Path, workers: int) -> tuple:
    port = lib.free_port()
    cfg = work / "isso.cfg"
    cfg.write_text(
        f"[general]\ndbpath = {work / 'isso.db'}\nhost = http://{lib.HOST}:{port}/\nnotify = stdout\n"
        f"\n[moderation]\nenabled = false\n\n[guard]\nenabled = false\n"
    )
    spec = work / "isso-seed.json"
    spec.write_text(
        json.dumps({"dbpath": str(work / "isso.db"), "cfg": str(cfg), "threads": export_for_isso(tribuna_db)})
    )
    lib.run([str(ISSO_VENV / "bin" / "python"), "-c", ISSO_SEED, str(spec)])
    # Isso's documented gunicorn command: gunicorn -b host:port -w 4 --preload isso.run
    env = {**os.environ, "ISSO_SETTINGS": str(cfg)}
    proc = lib.start(
        [str(gunicorn), "-b", f"{lib.HOST}:{port}", "-w", str(workers), "--preload", "isso.run"],
        env=env,
        log=work / "isso-gunicorn.log",
        cwd=work,
    )
    lib.wait_http(port, "/info", timeout=60, proc=proc)
    return proc, port


def measure_isso(results: dict, port: int, key: str, label: str, path: str, wrk, workers: int) -> list:
    """A timed single request first; wrk only when one request takes under 5 s (else wrk sees timeouts)."""
    try:
        status, body, seconds = lib.get(port, path)
    except TimeoutError:
        return [f"Isso {key} {label}", None, None, None, "timeout", "no answer within 60 s"]
    if status != 200:
        return [
            f"Isso {key} {label}",
            None,
            None,
            None,
            f"HTTP {status}",
            f"after {seconds:.1f} s (gunicorn's 30 s worker timeout)",
        ]
    shown = json.loads(body)
    count = len(shown["replies"]) + sum(len(c.get("replies", [])) for c in shown["replies"])
    notes = f"{count} comments, {len(body) // 1024} KiB, one request alone {seconds * 1000:,.0f} ms"
    if seconds > 5:
        return [f"Isso {key} {label}", 1 / seconds, seconds * 1000, None, 0, notes + " (no wrk: too slow)"]
    # One connection per sync worker: more would only queue behind multi-second requests.
    result = results[(key, label)] = wrk(port, path, connections=workers, timeout="30s")
    try:
        lib.get(port, path)  # let the workers drain what wrk left queued before the next measurement
    except TimeoutError:
        pass
    return [f"Isso {key} {label}", result["rps"], result["p50"], result["p99"], result["errors"], notes]


# --- nginx -------------------------------------------------------------------------------------------


def serve_nginx(nginx: str, work: Path, name: str, body: bytes):
    root = work / "nginx"
    (root / "www").mkdir(parents=True)
    for path in (work, root, root / "www"):  # nginx's workers run as an unprivileged user
        path.chmod(0o755)
    (root / "www" / name).write_bytes(body)
    port = lib.free_port()
    temp_paths = "\n".join(
        f"  {kind}_temp_path {root / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = root / "nginx.conf"
    conf.write_text(f"""worker_processes 2;
pid {root / "nginx.pid"};
error_log {root / "error.log"};
events {{ worker_connections 1024; }}
http {{
  access_log off;
{temp_paths}
  types {{ application/json json; }}
  default_type application/json;
  server {{ listen {lib.HOST}:{port}; root {root / "www"}; }}
}}
""")
    proc = lib.start(
        [nginx, "-e", str(root / "error.log"), "-p", str(root), "-c", str(conf), "-g", "daemon off;"],
        log=root / "stdout.log",
    )
    lib.wait_http(port, f"/{name}", proc=proc)
    status, served, _ = lib.get(port, f"/{name}")
    assert (status, served) == (200, body), f"nginx answered {status}; see {root / 'error.log'}"
    return proc, port


# --- Main ------------------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    tools = lib.require_tools("wrk", "nginx")
    load_before = Path("/proc/loadavg").read_text().strip()
    work = lib.temp_dir("tribuna-bench-page-")
    port = lib.free_port()
    env = lib.tribuna_env(work / "data", port)
    db = work / "data" / "tribuna.sqlite3"

    def wrk(p: int, path: str, connections: int = args.connections, timeout: str = "10s") -> dict:
        return lib.wrk(
            tools["wrk"], p, path, duration=args.duration, connections=connections, timeout=timeout
        )

    print(f"Seeding {', '.join(f'{k} ({n} comments)' for k, n in THREADS.items())} into {db} ...", flush=True)
    lib.tribuna(env, "migrate", "--noinput", "-v0")
    for key, count in THREADS.items():
        lib.tribuna(env, "seed_thread", key, "--comments", str(count), "-v0")

    rows, cold, warm, pages, memory = [], {}, {}, {}, {}
    server = lib.serve_tribuna(env, port, args.workers, work / "tribuna.log")
    for key in THREADS:
        status, pages[key], _ = lib.get(port, PAGE.format(key=key))
        assert status == 200, (status, pages[key][:300])
    for key in THREADS:
        cold[key] = cold_latencies(port, db, key, args.cold_samples)
    for key in THREADS:
        lib.wrk(tools["wrk"], port, PAGE.format(key=key), duration=1)  # every worker caches the page
        warm[key] = wrk(port, PAGE.format(key=key))
        top, total = page_size(pages[key])
        rows.append(
            [
                f"Tribuna {key} page (warm)",
                warm[key]["rps"],
                warm[key]["p50"],
                warm[key]["p99"],
                warm[key]["errors"],
                f"{top} top / {total} all, {len(pages[key]) // 1024} KiB",
            ]
        )
    memory["Tribuna"] = lib.memory_mb(server.pid)
    lib.stop(server)

    nginx_proc, nginx_port = serve_nginx(tools["nginx"], work, f"{SMALL}.json", pages[SMALL])
    ceiling = wrk(nginx_port, f"/{SMALL}.json")
    rows.append(
        [
            f"nginx static {SMALL} JSON",
            ceiling["rps"],
            ceiling["p50"],
            ceiling["p99"],
            ceiling["errors"],
            "same bytes as Tribuna's page",
        ]
    )
    lib.stop(nginx_proc)

    isso = {}
    gunicorn = None if args.no_isso else ensure_isso()
    if gunicorn:
        print("Seeding Isso with the same comments ...", flush=True)
        isso_proc, isso_port = serve_isso(gunicorn, work, db, args.workers)
        for key in THREADS:
            for label, template in (("widget default", ISSO_WIDGET), ("limit=50", ISSO_PAGE50)):
                rows.append(
                    measure_isso(isso, isso_port, key, label, template.format(key=key), wrk, args.workers)
                )
        memory["Isso"] = lib.memory_mb(isso_proc.pid)
        lib.stop(isso_proc)

    print(f"\nLoad average before / after: {load_before} / {Path('/proc/loadavg').read_text().strip()}")
    print(
        f"\nThread page, wrk -t2 -c{args.connections} -d{args.duration}s --latency; Tribuna and Isso: "
        f"gunicorn --workers {args.workers} (Tribuna: gthread, `tribuna serve` default threads; Isso: sync, wrk -c{args.workers});"
        f" {os.cpu_count()} cores\n"
    )
    print(lib.table(["what", "req/s", "p50 ms", "p99 ms", "errors", "notes"], rows))

    print(f"\nCold page (version bumped before each request, {args.cold_samples} single requests each)\n")
    print(
        lib.table(
            ["thread", "p50 ms", "p90 ms", "max ms"],
            [[key, lib.median(v), lib.percentile(v, 90), max(v)] for key, v in cold.items()],
        )
    )

    print("\nMemory after the runs (gunicorn master + workers)\n")
    print(lib.table(["server", "RSS MB", "PSS MB", "processes"], [[k, *v] for k, v in memory.items()]))

    small_isso = isso.get((SMALL, "widget default"), {}).get("rps")
    small_isso50 = isso.get((SMALL, "limit=50"), {}).get("rps")
    ratios = [
        ["Tribuna warm 200-thread req/s vs nginx", f"{warm[SMALL]['rps'] / ceiling['rps']:.1%}", ">= 10%"],
        [
            "... vs Isso widget default request",
            f"{warm[SMALL]['rps'] / small_isso:.0f}x" if small_isso else None,
            "> 300x",
        ],
        [
            "... vs Isso limit=50 page",
            f"{warm[SMALL]['rps'] / small_isso50:.0f}x" if small_isso50 else None,
            "> 300x",
        ],
        ["cold page p50, 200 thread", f"{lib.median(cold[SMALL]):.1f} ms", "< 20 ms"],
        ["cold page p50, 10k thread", f"{lib.median(cold[BIG]):.1f} ms", "< 20 ms"],
        [
            "10k first page vs 200 page, cold p50",
            f"{lib.median(cold[BIG]) / lib.median(cold[SMALL]):.2f}x",
            "<= 1.2x",
        ],
        ["10k first page vs 200 page, warm p50", f"{warm[BIG]['p50'] / warm[SMALL]['p50']:.2f}x", "<= 1.2x"],
        [
            "memory RSS Tribuna vs Isso",
            f"{memory['Tribuna'][0]:.0f} vs {memory['Isso'][0]:.0f} MB" if "Isso" in memory else None,
            "under Isso's",
        ],
    ]
    print("\nAgainst the targets\n")
    print(lib.table(["measure", "value", "target"], ratios))

    if args.profile:
        print("\nProfile of cold pages in-process (Django test client, full middleware stack):")
        print(profile_cold_pages(env, 30))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
