"""Real Tribuna processes for tests: `tribuna serve` (gunicorn) and `tribuna worker` on free ports.

Each process runs in its own process group, so stopping it stops its gunicorn workers too.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from email.message import Message
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CREATE_STATEMENT = """
from django.utils import timezone
from tribuna.discussion.services import thread_for_statement
from tribuna.statements.models import Body, Statement
body, _ = Body.objects.get_or_create(slug="council", defaults={{"name": "Council"}})
statement = Statement.objects.create(slug="{slug}", title="Rates", body=body, text="Text.",
                                     status=Statement.Status.PUBLISHED, published_at=timezone.now())
thread_for_statement(statement)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def tribuna_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """A throwaway site in data_dir; DATABASE_URL / REDIS_URL only when given in extra."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TRIBUNA_", "DATABASE_URL", "REDIS_URL", "DJANGO_", "SECRET_KEY"))}
    env.update({"TRIBUNA_DATA_DIR": str(data_dir), "LOG_LEVEL": "ERROR", "EMAIL_URL": f"file://{data_dir / 'mail'}",
                "SECRET_KEY": secrets.token_urlsafe(40)})
    env.update(extra)
    return env


def tribuna(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tribuna.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, check=False)


def create_statement(env: dict[str, str], slug: str) -> None:
    result = tribuna(env, "shell", "-c", CREATE_STATEMENT.format(slug=slug))
    assert result.returncode == 0, result.stderr


class Server:
    """`tribuna serve` on a free port; a context manager that stops it and its workers."""

    def __init__(self, env: dict[str, str], *args: str, log: Path | None = None):
        self.port = free_port()
        self.log = log or Path(env["TRIBUNA_DATA_DIR"]) / f"serve-{self.port}.log"
        argv = [sys.executable, "-m", "tribuna.cli", "serve", "--no-migrate", "--bind", f"{HOST}:{self.port}", *args]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(argv, env={**env, "PORT": str(self.port)}, cwd=ROOT, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self._wait()

    def _wait(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"tribuna serve exited with {self.proc.returncode}: {self.log.read_text()}")
            try:
                self.request("GET", "/api/v1/form-token")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"tribuna serve did not answer within {timeout}s")

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, Message, bytes]:
        """(status, headers, body); the headers are read case-insensitively, as servers send them either way."""
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            data = json.dumps(body) if body is not None and not isinstance(body, (str, bytes)) else body
            conn.request(method, path, body=data, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.msg, response.read()
        finally:
            conn.close()

    def post_json(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, Message, bytes]:
        return self.request("POST", path, body, {"Content-Type": "application/json", "X-Tribuna": "1",
                                                 **(headers or {})})

    def stop(self) -> None:
        stop_process(self.proc)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def stop_process(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group, SIGKILL after 15 s."""
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
