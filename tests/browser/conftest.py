"""The browser tests' live server, at the end of the session."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _end_live_server_sessions(django_db_setup, django_db_blocker):
    """A browser test can leave a database session open after it ends: after
    test_the_count_script_fills_in_every_count_with_one_get one stays, idle, its last statement that
    test's own INSERT of a comment, made while Playwright's sync API runs. PostgreSQL then refuses to
    drop the test database ("is being accessed by other users"), a warning at the end of the run. End
    such sessions first; they hold no transaction (idle), so nothing a test checks is lost."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
