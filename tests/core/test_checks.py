"""Start-up rules for a site on a database server: an explicit secret key, and Redis advised."""

from __future__ import annotations

import pytest

from tests.servers import tribuna, tribuna_env

pytestmark = pytest.mark.slow  # each test starts `tribuna check` in a fresh process

POSTGRES = "postgres://postgres@127.0.0.1:5432/tribuna_never_connected"


def test_on_postgresql_tribuna_refuses_to_start_without_an_explicit_secret_key(tmp_path):
    """The attack: a node without SECRET_KEY generated its own, and its sessions and tokens failed elsewhere."""
    env = tribuna_env(tmp_path, DATABASE_URL=POSTGRES)
    del env["SECRET_KEY"]
    result = tribuna(env, "check")
    assert result.returncode != 0
    assert "set SECRET_KEY or SECRET_KEY_FILE" in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_on_postgresql_a_secret_key_file_is_enough(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 50)
    env = tribuna_env(tmp_path, DATABASE_URL=POSTGRES, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]
    result = tribuna(env, "check")
    assert result.returncode == 0, result.stderr


def test_on_postgresql_without_redis_check_warns(tmp_path):
    result = tribuna(tribuna_env(tmp_path, DATABASE_URL=POSTGRES), "check")
    assert result.returncode == 0
    assert "tribuna.W001" in result.stderr + result.stdout
    with_redis = tribuna(
        tribuna_env(tmp_path, DATABASE_URL=POSTGRES, REDIS_URL="redis://127.0.0.1:6379/15"), "check"
    )
    assert "tribuna.W001" not in with_redis.stderr + with_redis.stdout


def test_the_embedded_sqlite_default_still_generates_its_key(tmp_path):
    env = tribuna_env(tmp_path)
    del env["SECRET_KEY"]
    result = tribuna(env, "check")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
