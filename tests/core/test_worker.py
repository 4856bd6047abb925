"""The worker's name: one per live process on a host, and the same again after a crash."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import pytest

from tribuna.core.worker import Name

HOLD = """
import os, sys
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribuna.settings")
django.setup()
from tribuna.core.worker import Name
print(Name(Path(sys.argv[1])).value, flush=True)
sys.stdin.read()
"""


def test_two_live_workers_never_share_a_name(tmp_path):
    first, second = Name(tmp_path), Name(tmp_path)
    try:
        assert first.value == f"{socket.gethostname()}/0"
        assert second.value == f"{socket.gethostname()}/1"
    finally:
        first.release()
        second.release()


@pytest.mark.slow  # starts a process and kills it
def test_a_worker_killed_with_sigkill_leaves_its_name_to_the_next_start(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        held = holder.stdout.readline().decode().strip()
        assert held == f"{socket.gethostname()}/0"
        other = Name(tmp_path)
        assert other.value != held, "taken while its holder lives"
        other.release()
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        restarted = Name(tmp_path)
        assert restarted.value == held
        restarted.release()
    finally:
        if holder.poll() is None:
            holder.kill()
