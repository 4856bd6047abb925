"""Periodic jobs other apps register, run by `tribuna worker`.

    from tribuna.core import schedule
    schedule.register("privacy.purge_ips", 3600, purge_ips)

When a job is due is kept in the database (JobRun) and taken with one conditional UPDATE,
so with several workers each run happens on one of them only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError
from django.utils import timezone

from tribuna.core.models import JobRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int
    fn: Callable[[], object]


_jobs: dict[str, Job] = {}


def register(name: str, every_seconds: int, fn: Callable[[], object]) -> None:
    if every_seconds < 1:
        raise ValueError("every_seconds must be at least 1")
    _jobs[name] = Job(name=name, every_seconds=every_seconds, fn=fn)


def jobs() -> list[Job]:
    return list(_jobs.values())


def _take(job: Job) -> bool:
    """True if this worker won the right to run the job now."""
    now = timezone.now()
    try:
        JobRun.objects.get_or_create(name=job.name, defaults={"next_run": now})
    except IntegrityError:  # another worker created it at the same moment
        pass
    return bool(
        JobRun.objects.filter(name=job.name, next_run__lte=now).update(
            next_run=now + timedelta(seconds=job.every_seconds), last_run=now
        )
    )


def run_due() -> list[str]:
    """Run every job whose time has come; a failing job is logged and does not stop the others."""
    ran = []
    for job in jobs():
        if not _take(job):
            continue
        try:
            job.fn()
            error = ""
        except Exception as exc:  # noqa: BLE001 - one app's broken job must not stop the worker
            log.exception("Periodic job %s failed", job.name)
            error = f"{type(exc).__name__}: {exc}"
        JobRun.objects.filter(name=job.name).update(last_error=error)
        ran.append(job.name)
    return ran
