"""System checks for how Tribuna is deployed (`tribuna check`, and before `migrate` / `serve`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register("deployment")
def redis_with_postgresql(app_configs, **kwargs):
    """A site on PostgreSQL is one that may run several app servers: they should share Redis."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine and not settings.REDIS_URL:
        return [Warning(
            "REDIS_URL is not set while the database is PostgreSQL.",
            hint="Several app servers then keep separate page caches and count rate limits in the database; "
                 "set REDIS_URL to share a cache and rate limits through Redis.",
            id="tribuna.W001",
        )]
    return []
