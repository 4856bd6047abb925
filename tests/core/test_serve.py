"""`tribuna serve`: migrates, serves with the production server, believes only trusted proxies,
and stops cleanly on SIGTERM."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, method: str, path: str, body: dict | None = None, **headers: str) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


@pytest.fixture
def server(tmp_path):
    """A fresh data directory served by `tribuna serve` (which migrates it), trusting 127.0.0.1 as a proxy."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNA_", "DATABASE_URL", "DJANGO_"))}
    env.update(
        TRIBUNA_DATA_DIR=str(tmp_path),
        SECRET_KEY="s" * 40,
        TRIBUNA_TRUSTED_PROXIES="127.0.0.1/32",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="ERROR",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "tribuna.cli", "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            request(port, "GET", "/api/v1/form-token")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"tribuna serve did not answer: {proc.stdout.read().decode()[-2000:]}")
            time.sleep(0.1)
    yield proc, port
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def test_it_migrates_serves_and_stops_on_sigterm(server):
    proc, port = server
    status, body = request(port, "GET", "/api/v1/form-token")
    assert status == 200 and body["form_token"]
    # As a process manager stops a service: SIGTERM to the main process, which stops its workers.
    # (A signal to the whole group at once races the workers' exit against the main process's.)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def test_the_scheme_comes_from_x_forwarded_proto_only_through_a_trusted_proxy(server):
    _, port = server
    origin = f"https://127.0.0.1:{port}"
    headers = {"Content-Type": "application/json", "X-Tribuna": "1", "Origin": origin}
    # As plain http, an https page of the same host is another origin: refused.
    status, body = request(port, "POST", "/api/v1/comments", {"thread": "nowhere"}, **headers)
    assert status == 403 and "may not write" in body["detail"]
    # Through the trusted proxy that terminated TLS, it is our own origin: the write is judged on its content.
    status, body = request(
        port, "POST", "/api/v1/comments", {"thread": "nowhere"}, **headers, **{"X-Forwarded-Proto": "https"}
    )
    assert status != 403, body


def test_the_worker_runs_without_loading_the_json_api(tmp_path):
    """The worker process stays small: the API's URLconf, with its routers and schemas, is never imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNA_", "DATABASE_URL", "DJANGO_"))}
    env.update(TRIBUNA_DATA_DIR=str(tmp_path), SECRET_KEY="s" * 40)
    subprocess.run([sys.executable, "-m", "tribuna.cli", "migrate", "-v0"], env=env, check=True)
    script = (
        "import sys; from tribuna.cli import main; sys.argv = ['tribuna', 'worker', '--once'];"
        " main(); from django.urls import reverse;"
        " print(reverse('notifications:unsubscribe', args=['t']));"
        " print(sorted(m for m in ('tribuna.api', 'tribuna.urls', 'tribuna.discussion.api') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    link, loaded = out.stdout.strip().splitlines()[-2:]
    assert link.startswith("/") and loaded == "[]"
