"""How `tribuna serve` starts Granian, without Django: `serve --no-migrate` execs the server from here
before any of Django is imported (see tribuna.cli), and the management command builds the same command
line. Importing Django only to replace the process cost 0.15-0.2 s of a 1.1-1.5 s start (bench/bench.py)."""

from __future__ import annotations

import argparse
import os
import sys

from tribuna.lib.env import env_int

# Measured with `make bench` on a 2-core machine (README, "Sizing"): one process serves as many posts
# and pages as two, since SQLite takes one writer at a time and the load shares the cores, while each
# extra process costs its whole memory again. One thread, because a request takes milliseconds of
# Python and threads only queue for the interpreter: in alternating runs one thread posted 229-373
# comments/s against 226-250 for two, served 7,300-11,300 warm pages/s against 5,700-6,800, and a cold
# page took 3.9-5.7 ms against 5.9-6.5 (Granian's documentation gives the same advice). Responses are
# handed to Granian whole, not streamed (imports.views.thread_export), so a slow client does not hold it.
DEFAULT_WORKERS = 1
DEFAULT_THREADS = 1


def port() -> int:
    """The port to serve on when --bind does not say: $PORT, as settings.PORT reads it."""
    return env_int("PORT", 8000, minimum=1)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`tribuna serve`'s own options (the management command adds Django's common ones)."""
    parser.add_argument("--bind", default=None, help="Address to bind, HOST:PORT (default 127.0.0.1:$PORT).")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or DEFAULT_WORKERS),
        help=f"Worker processes (default $WEB_CONCURRENCY or {DEFAULT_WORKERS}).",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("TRIBUNA_THREADS") or DEFAULT_THREADS),
        help=f"Threads per worker (default $TRIBUNA_THREADS or {DEFAULT_THREADS}).",
    )
    parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")
    parser.add_argument(
        "--with-worker",
        action="store_true",
        help="Also run the worker (mail, periodic jobs) in a thread of each server process, "
        "instead of a separate `tribuna worker`: one process tree for a small site.",
    )


def granian_argv(options: dict) -> tuple[str, list[str]]:
    """The address served and Granian's command line for parsed options."""
    bind = options["bind"] or f"127.0.0.1:{port()}"
    host, _, bound_port = bind.rpartition(":")
    verbose = options.get("verbosity", 1) > 1
    argv = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "tribuna.wsgi:application",
        "--host",
        host.strip("[]") or "127.0.0.1",
        "--port",
        bound_port,
        "--workers",
        str(max(1, options["workers"])),
        "--blocking-threads",
        str(max(1, options["threads"])),
        "--no-ws",
        "--log-level",
        "info" if verbose else "warning",
        "--workers-kill-timeout",
        "20",
        "--respawn-failed-workers",
    ]
    if verbose:
        argv.append("--access-log")
    return bind, argv


def exec_granian(options: dict, write=print) -> None:
    """Replace this process with Granian serving Tribuna."""
    bind, argv = granian_argv(options)
    if options["with_worker"]:
        os.environ["TRIBUNA_SERVE_WORKER"] = "1"  # read by tribuna.wsgi in each server process
    write(
        f"Serving Tribuna on http://{bind}/ with {options['workers']} process(es) "
        f"of {options['threads']} threads" + (", with the worker" if options["with_worker"] else "")
    )
    sys.stdout.flush()
    os.execv(argv[0], argv)  # noqa: S606 - replaces this process with the server


def serve_without_django(args: list[str]) -> bool:
    """`serve --no-migrate ARGS` straight to Granian; False (nothing done) if ARGS hold an option only
    Django's command knows (--settings, --traceback, ...), which then handles them."""
    parser = argparse.ArgumentParser(prog="tribuna serve", add_help=False)
    add_arguments(parser)
    parser.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=1)
    options, unknown = parser.parse_known_args(args)
    if unknown:
        return False
    exec_granian(vars(options))
    return True
