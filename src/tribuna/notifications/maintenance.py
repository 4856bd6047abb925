"""Housekeeping of the outbox: finished deliveries are kept 30 days for the admin, then dropped."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tribuna.notifications.models import Delivery, Event

KEEP_DAYS = 30
DONE = [Delivery.Status.SENT, Delivery.Status.SKIPPED]


def prune_outbox() -> int:
    """Delete old sent and skipped deliveries and the fanned-out events left with none."""
    cutoff = timezone.now() - timedelta(days=KEEP_DAYS)
    removed = Delivery.objects.filter(status__in=DONE, created__lt=cutoff).delete()[0]
    removed += Event.objects.filter(fanned_out_at__lt=cutoff, deliveries__isnull=True).delete()[0]
    return removed
