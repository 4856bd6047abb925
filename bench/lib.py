"""Helpers shared by the benchmark scripts: servers, wrk, timing, memory, tables.

Standard library only, so the scripts run with any Python 3.11; Tribuna itself is run
through the project's virtualenv. Everything listens on 127.0.0.1 and every process a
script starts is stopped when it exits, even on Ctrl-C.
"""

from __future__ import annotations

import atexit
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
TRIBUNA = VENV_BIN / "tribuna"
HOST = "127.0.0.1"
INSTALL_HINT = {"wrk": "apt-get install wrk", "nginx": "apt-get install nginx-light"}


def require_tools(*names: str) -> dict[str, str]:
    """Full paths of the tools, or a message saying how to install them and exit 2."""
    found, missing = {}, []
    for name in names:
        path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        if path:
            found[name] = path
        else:
            missing.append(name)
    if not TRIBUNA.exists():
        missing.append("tribuna")
    if missing:
        for name in missing:
            hint = INSTALL_HINT.get(name, "make test-fast (creates .venv with tribuna)")
            print(f"{name} is missing; install it with: {hint}", file=sys.stderr)
        sys.exit(2)
    return found


# --- Processes -------------------------------------------------------------------------------

_started: list[subprocess.Popen] = []
_temp_dirs: list[Path] = []


def _terminate(proc: subprocess.Popen) -> None:
    """Stop one process group this script started (SIGTERM, then SIGKILL after 15 s)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def _cleanup() -> None:
    """Stop every process started here (newest first), then remove the temporary directories."""
    while _started:
        _terminate(_started.pop())
    while _temp_dirs:
        shutil.rmtree(_temp_dirs.pop(), ignore_errors=True)


def _on_signal(signum, frame):  # noqa: ARG001 - signal handler signature
    raise SystemExit(128 + signum)


atexit.register(_cleanup)
signal.signal(signal.SIGTERM, _on_signal)


def start(argv: list[str], *, env: dict[str, str] | None = None, log: Path | None = None,
          cwd: Path | None = None) -> subprocess.Popen:
    """Start a background process in its own process group (so its workers stop with it)."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - kept open for the child
    proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)
    _started.append(proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc in _started:
        _started.remove(proc)
    _terminate(proc)


def run(argv: list[str], *, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_http(port: int, path: str = "/", timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    """Wait until something answers HTTP on the port (any status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering")
        try:
            get(port, path)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on {HOST}:{port}{path} within {timeout}s")


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, float]:
    """One GET on a fresh connection: (status, body, seconds)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        conn.close()


# --- Tribuna ----------------------------------------------------------------------------------

def tribuna_env(data_dir: Path, port: int, **extra: str) -> dict[str, str]:
    """A throwaway Tribuna: its own data directory and SQLite database, quiet logs."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TRIBUNA_", "DATABASE_URL", "REDIS_URL", "DJANGO_"))}
    env.update({
        "TRIBUNA_DATA_DIR": str(data_dir), "PORT": str(port), "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0", "LOG_LEVEL": "ERROR", "EMAIL_URL": f"file://{data_dir / 'mail'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    })
    env.update(extra)
    return env


def tribuna(env: dict[str, str], *args: str) -> str:
    return run([str(TRIBUNA), *args], env=env)


def serve_tribuna(env: dict[str, str], port: int, workers: int, log: Path, threads: int | None = None) -> subprocess.Popen:
    threads_arg = ["--threads", str(threads)] if threads else []
    proc = start([str(TRIBUNA), "serve", "--no-migrate", "--workers", str(workers), *threads_arg,
                  "--bind", f"{HOST}:{port}"], env=env, log=log)
    wait_http(port, "/api/v1/openapi.json", proc=proc)
    return proc


def temp_dir(prefix: str) -> Path:
    """A directory removed when the script ends, unless BENCH_KEEP=1 (to read the server logs)."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    if os.environ.get("BENCH_KEEP") != "1":
        _temp_dirs.append(path)
    return path


# --- Measuring ----------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(wrk_path: str, port: int, path: str, *, duration: int, connections: int = 32, threads: int = 2,
        timeout: str = "10s", script: Path | None = None) -> dict:
    """Run wrk --latency and return requests/s, p50 and p99 in ms, and error counts."""
    argv = [wrk_path, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", timeout]
    if script:
        argv += ["-s", str(script)]
    out = run([*argv, f"http://{HOST}:{port}{path}"])
    found = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
             "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    for pct in ("50", "99"):
        found[f"p{pct}"] = _ms(re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    found["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, errors.groups())) if errors else 0)
    return found


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _proc_kb(pid: int, path: str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mb(pid: int) -> tuple[float, float, int]:
    """(sum of RSS, sum of PSS, process count) of a process and all its descendants, in MB."""
    tree, pids, stack = _children(), [], [pid]
    while stack:
        current = stack.pop()
        pids.append(current)
        stack.extend(tree.get(current, []))
    rss = sum(_proc_kb(p, "status", "VmRSS") for p in pids)
    pss = sum(_proc_kb(p, "smaps_rollup", "Pss") for p in pids)
    return rss / 1024, pss / 1024, len(pids)


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value) -> str:
    if isinstance(value, float):
        if value != value:  # NaN
            return "n/a"
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    return "n/a" if value is None else str(value)



# --- In-process profiling -------------------------------------------------------------------------

def setup_django(env: dict[str, str]) -> None:
    """Load Tribuna in this process against the benchmark's data directory."""
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tribuna.settings"
    import django

    django.setup()


def profile(label: str, request, samples: int, before=None) -> str:
    """cProfile `request()` samples times (`before()` runs untimed first): queries, CPU, hot spots."""
    import cProfile
    import io
    import pstats
    import resource

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request()  # imports and per-process caches are not what we measure
    profiler, out, cpu, queries = cProfile.Profile(), io.StringIO(), 0.0, 0
    for _ in range(samples):
        if before:
            before()
        started = resource.getrusage(resource.RUSAGE_SELF)
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            request()
            profiler.disable()
        ended = resource.getrusage(resource.RUSAGE_SELF)
        cpu += ended.ru_utime + ended.ru_stime - started.ru_utime - started.ru_stime
        queries += len(captured)
    out.write(f"\n== {label}: {queries / samples:.1f} queries and {cpu * 1000 / samples:.1f} ms CPU per request"
              f" (under the profiler) ==\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(10)
    stats.sort_stats("cumtime").print_stats(r"tribuna/", 12)
    return out.getvalue()
