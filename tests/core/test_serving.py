"""`tribuna serve --no-migrate` reaches Granian without importing Django, with the same command line
as the management command builds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tribuna import cli
from tribuna.core import serving


class Exec(Exception):
    pass


def without_serve_worker(monkeypatch) -> None:
    """Unset TRIBUNA_SERVE_WORKER for this test, and have its undo remove the value `serve --with-worker`
    sets. `delenv` of an absent variable records nothing to undo, so the value leaked into the rest of
    the session's tests: the crash tests' servers then ran a second worker of their own."""
    monkeypatch.setenv("TRIBUNA_SERVE_WORKER", "0")
    monkeypatch.delenv("TRIBUNA_SERVE_WORKER")


@pytest.fixture
def execs(monkeypatch):
    """Capture what would replace the process instead of replacing it."""
    without_serve_worker(monkeypatch)

    def execv(path, argv):
        raise Exec(argv)

    monkeypatch.setattr(os, "execv", execv)


def granian_of(argv: list[str], monkeypatch) -> tuple[list[str], str | None]:
    monkeypatch.setattr(sys, "argv", argv)
    without_serve_worker(monkeypatch)
    with pytest.raises(Exec) as execed:
        cli.main()
    return execed.value.args[0], os.environ.get("TRIBUNA_SERVE_WORKER")


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--bind", "0.0.0.0:9000", "--workers", "3", "--threads", "4"],
        ["--with-worker", "-v", "2"],
        ["--bind", "[::1]:8123", "--verbosity", "0"],
    ],
)
def test_the_fast_path_and_the_command_start_the_same_server(execs, monkeypatch, options):
    fast = granian_of(["tribuna", "serve", "--no-migrate", *options], monkeypatch)
    # An option only Django's command knows sends the same request through the command.
    command = granian_of(["tribuna", "serve", "--no-migrate", "--no-color", *options], monkeypatch)
    assert fast == command
    assert fast[0][fast[0].index("--interface") :][:3] == ["--interface", "wsgi", "tribuna.wsgi:application"]


def test_defaults_come_from_the_environment(execs, monkeypatch):
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    argv, worker = granian_of(["tribuna", "serve", "--no-migrate", "--with-worker"], monkeypatch)
    assert argv[argv.index("--port") + 1] == "8765" and argv[argv.index("--workers") + 1] == "2"
    assert argv[argv.index("--blocking-threads") + 1] == str(serving.DEFAULT_THREADS)
    assert worker == "1"


def test_serve_with_worker_leaves_no_setting_behind_for_later_tests(execs, monkeypatch):
    with monkeypatch.context() as scoped:
        _, worker = granian_of(["tribuna", "serve", "--no-migrate", "--with-worker"], scoped)
        assert worker == "1"
    assert "TRIBUNA_SERVE_WORKER" not in os.environ


def test_starting_the_server_imports_no_settings_and_no_apps():
    probe = (
        "import os, sys\n"
        "def execv(path, argv):\n"
        "    heavy = ('django.conf', 'django.apps', 'django.db', 'django.core.management', 'tribuna.settings')\n"
        "    print([m for m in heavy if m in sys.modules])\n"
        "    sys.exit(0)\n"
        "os.execv = execv\n"
        "sys.argv = ['tribuna', 'serve', '--no-migrate', '--bind', '127.0.0.1:9']\n"
        "from tribuna.cli import main\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"
