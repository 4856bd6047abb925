"""Migration 0005 moves the file-based spam models into the database."""

from __future__ import annotations

import shutil

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tribuna.antispam import classifier

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("antispam", "0004_spent_proof_of_work_challenges")]
AFTER = [("antispam", "0005_spam_models_in_the_database")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_active_model_files_move_into_their_rows_and_unreadable_ones_go(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "models").mkdir()
    here = tmp_path / "models" / "20261125-site.joblib"
    shutil.copy(classifier.SHIPPED_PATH, here)
    shutil.copy(classifier.SHIPPED_PATH, tmp_path / "models" / "20261125-key.joblib")
    try:
        old = migrate(BEFORE)
        versions, keys = old.get_model("antispam", "SpamModelVersion"), old.get_model("antispam", "ApiKey")
        key = keys.objects.create(key="k" * 32, site="https://blog.example.org")
        lost = keys.objects.create(key="l" * 32, site="https://lost.example.org")
        versions.objects.create(version="site", path=str(here), is_active=True, labels=3)
        # Recorded with another machine's absolute path; the same file name exists in this data directory.
        versions.objects.create(
            version="key", api_key=key, path="/srv/elsewhere/models/20261125-key.joblib", is_active=True
        )
        versions.objects.create(
            version="lost", api_key=lost, path="/srv/elsewhere/models/gone.joblib", is_active=True
        )
        versions.objects.create(version="retired", path=str(here), is_active=False)

        new = migrate(AFTER).get_model("antispam", "SpamModelVersion")
        rows = {row.version: row for row in new.objects.all()}
        assert set(rows) == {"site", "key"}
        assert bytes(rows["site"].model) == bytes(rows["key"].model) == classifier.SHIPPED_PATH.read_bytes()
        assert rows["site"].is_active and rows["site"].labels == 3
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest schema
