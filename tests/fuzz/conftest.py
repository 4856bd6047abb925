"""Fuzzing calls the WSGI application directly, inside each test's transaction."""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def connection_kept_open(db):
    """Keep the test's connection open between requests, as Django's own test client arranges.

    Requests sent straight to the WSGI application would otherwise close it when they finish,
    and with it the test's transaction. Make the rows a test needs before asking for this.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
