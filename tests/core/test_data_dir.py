"""The command line finds the demo's data without TRIBUNA_DATA_DIR, from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts a fresh `tribuna` process

CHECKOUT = Path(__file__).resolve().parents[2]
PRINT_DATA_DIR = "from django.conf import settings; print(settings.DATA_DIR)"


def data_dir_seen(cwd: Path, **env: str) -> Path:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNA_", "DJANGO_", "DATABASE_URL"))}
    clean.update(SECRET_KEY="k" * 40, **env)  # no secret file is written for this check
    out = subprocess.run(
        [sys.executable, "-m", "tribuna.cli", "shell", "-v0", "-c", PRINT_DATA_DIR],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Path(out.strip().splitlines()[-1])


def test_it_uses_the_checkouts_var_from_another_directory(tmp_path):
    assert data_dir_seen(tmp_path) == CHECKOUT / "var"


def test_tribuna_data_dir_still_wins(tmp_path):
    assert data_dir_seen(tmp_path, TRIBUNA_DATA_DIR=str(tmp_path / "elsewhere")) == tmp_path / "elsewhere"


def test_retraining_before_the_database_exists_says_what_to_do(tmp_path):
    """A fresh data directory has no tables yet: a clear message and exit status 1, not a traceback."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TRIBUNA_", "DJANGO_", "DATABASE_URL"))}
    clean.update(SECRET_KEY="k" * 40, TRIBUNA_DATA_DIR=str(tmp_path / "fresh"))
    done = subprocess.run(
        [sys.executable, "-m", "tribuna.cli", "spam", "train"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "run `tribuna migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
