"""The periodic-job registry the worker runs for every app."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tribuna.core import schedule
from tribuna.core.models import JobRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(schedule, "_jobs", {})
    return schedule


def test_a_job_runs_once_per_interval(registry):
    calls = []
    registry.register("test.count", 3600, lambda: calls.append(1))
    assert registry.run_due() == ["test.count"]
    assert registry.run_due() == []
    JobRun.objects.update(next_run=timezone.now())
    registry.run_due()
    assert len(calls) == 2


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(registry):
    calls = []

    def broken():
        raise RuntimeError("disk full")

    registry.register("test.broken", 60, broken)
    registry.register("test.fine", 60, lambda: calls.append(1))
    assert registry.run_due() == ["test.broken", "test.fine"]
    assert calls == [1]
    assert JobRun.objects.get(name="test.broken").last_error == "RuntimeError: disk full"


def test_each_app_registers_its_jobs_with_core():
    assert {"notifications.prune_outbox", "privacy.purge", "antispam.retrain"} <= {
        job.name for job in schedule.jobs()
    }
