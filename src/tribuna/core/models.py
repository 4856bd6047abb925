"""Tables that belong to no single domain concept: the worker's schedule and the rate-limit counters."""

from __future__ import annotations

from django.db import models

from tribuna.lib.ratelimit import COUNTER_TABLE, EVENT_TABLE


class JobRun(models.Model):
    """When a periodic job registered with core.schedule may next run (shared by all workers)."""

    name = models.CharField(max_length=100, unique=True)
    next_run = models.DateTimeField()
    last_run = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class RateCounter(models.Model):
    """One counter (repeated texts), and the row a rate limit's key locks while it is checked.

    Written only by tribuna.lib.ratelimit, with one atomic upsert."""

    name = models.CharField(max_length=255, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix time after which the counter starts again.")

    class Meta:
        db_table = COUNTER_TABLE

    def __str__(self) -> str:
        return f"{self.name}: {self.hits}"


class RateEvent(models.Model):
    """One event a rate limit let through: the limit counts these within its sliding window."""

    name = models.CharField(max_length=255)
    at = models.FloatField(help_text="Unix time of the event.")
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix time after which no window counts it.")

    class Meta:
        db_table = EVENT_TABLE
        indexes = [models.Index(fields=["name", "at"], name="rate_event_window")]

    def __str__(self) -> str:
        return f"{self.name} at {self.at}"
