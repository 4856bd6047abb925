"""What the worker keeps in the database for every app."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    """When a periodic job registered with core.schedule may next run (shared by all workers)."""

    name = models.CharField(max_length=100, unique=True)
    next_run = models.DateTimeField()
    last_run = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
