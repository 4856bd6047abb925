"""Embedded threads' old free-form keys become their page's address."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("discussion", "0002_comment_language")]
AFTER = [("discussion", "0003_embedded_thread_keys_are_page_addresses")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_embed_keys_move_to_page_addresses_and_out_of_the_slug_space():
    old = migrate(BEFORE)
    Thread = old.get_model("discussion", "Thread")
    Thread.objects.create(key="/2026/05/a-post/", url="https://blog.example.org/2026/05/a-post/?utm=x")
    Thread.objects.create(key="budget-statement-2027", url="https://blog.example.org/")
    Thread.objects.create(key="https://blog.example.org/already/", url="https://blog.example.org/already/")
    Thread.objects.create(key="bench-thread", url="")
    Thread.objects.create(key="https://blog.example.org/taken", url="https://blog.example.org/")
    Thread.objects.create(key="taken", url="https://blog.example.org/")
    new = migrate(AFTER)
    keys = set(new.get_model("discussion", "Thread").objects.values_list("key", flat=True))
    assert "https://blog.example.org/2026/05/a-post/" in keys
    assert "https://blog.example.org/budget-statement-2027" in keys and "budget-statement-2027" not in keys
    assert "https://blog.example.org/already/" in keys
    assert "bench-thread" in keys  # no recorded page: not an embed's, left alone
    assert any(key.startswith("https://blog.example.org/taken#legacy-") for key in keys)
