"""`tribuna worker`: one pass, a dry run, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tribuna.notifications.models import Delivery

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_once_sends_what_is_due_and_reports_it(smtp, thread):
    from tribuna.notifications.services import subscribe

    subscribe(thread, "ada@example.org", "all")
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "sent 1" in out.getvalue()
    assert [m["To"] for m in smtp.messages] == ["ada@example.org"]


def test_dry_run_sends_nothing(smtp, thread):
    from tribuna.notifications.services import subscribe

    subscribe(thread, "ada@example.org", "all")
    out = StringIO()
    call_command("worker", "--dry-run", stdout=out)
    assert "events waiting for fan-out: 1" in out.getvalue()
    assert not smtp.messages and not Delivery.objects.exists()


@pytest.mark.slow
def test_the_loop_stops_cleanly_on_sigterm(tmp_path):
    env = {
        **os.environ,
        "TRIBUNA_DATA_DIR": str(tmp_path),
        "EMAIL_URL": "locmem://",
        "TRIBUNA_WORKER_INTERVAL": "0.2",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "tribuna.cli", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tribuna.cli", "worker", "--loop"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert worker.stdout.readline() == b"Worker started.\n"  # the signal handlers are in place
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=15)
    assert worker.returncode == 0, err.decode()
    assert b"Worker stopped." in out
