"""Small hardening from the security review: the secret key file's mode, HSTS."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

SETTINGS_WITHOUT_CHMOD = """
import os, pathlib
pathlib.Path.chmod = lambda *a, **k: None  # a crash between creating and chmod-ing the file
os.chmod = lambda *a, **k: None
import tribuna.settings
"""


def test_the_generated_secret_key_file_is_never_readable_by_others(tmp_path: Path):
    """Created with mode 0600, not created then chmod-ed: with chmod skipped it must still be private."""
    env = {**os.environ, "TRIBUNA_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    subprocess.run(
        [sys.executable, "-c", "import os; os.umask(0o022); exec(" + repr(SETTINGS_WITHOUT_CHMOD) + ")"],
        env=env,
        check=True,
    )
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_the_secret_key_file_is_written_once_and_kept(tmp_path: Path):
    env = {**os.environ, "TRIBUNA_DATA_DIR": str(tmp_path), "SECRET_KEY": ""}
    read = [sys.executable, "-c", "import tribuna.settings as s; print(s.SECRET_KEY)"]
    first = subprocess.run(read, env=env, check=True, capture_output=True, text=True).stdout
    second = subprocess.run(read, env=env, check=True, capture_output=True, text=True).stdout
    assert first == second and first.strip()


@pytest.mark.django_db
def test_hsts_is_sent_when_the_base_url_is_https(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = Client().get("/privacy/")  # a plain-http request, as behind a TLS-terminating proxy
    assert response["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_follows_the_base_url_scheme(tmp_path: Path):
    read = [sys.executable, "-c", "import tribuna.settings as s; print(s.SECURE_HSTS_SECONDS)"]
    for base, expected in (("https://comments.example.org", "31536000"), ("http://127.0.0.1:8000", "0")):
        env = {**os.environ, "TRIBUNA_DATA_DIR": str(tmp_path), "TRIBUNA_BASE_URL": base}
        assert (
            subprocess.run(read, env=env, check=True, capture_output=True, text=True).stdout.strip()
            == expected
        )


@pytest.mark.django_db
def test_no_hsts_over_plain_http_sites(settings):
    settings.SECURE_HSTS_SECONDS = 0
    assert "Strict-Transport-Security" not in Client().get("/privacy/")
