"""Fixed-window rate limits kept in Django's cache (Redis when REDIS_URL is set).

Counters live in the cache, not in process memory, so several app servers share them.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

from tribuna.lib.errors import RateLimited

__all__ = ["RateLimited", "check_posting", "count", "hit"]


def count(key: str, timeout: int) -> int:
    """Add one to a counter that lives for `timeout` seconds, and return the new value.

    add() then incr() is atomic on Redis and within one process for locmem.
    """
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def hit(scope: str, key: str, limit: int, window: int) -> None:
    """Count one event for (scope, key); raise RateLimited once the window's limit is passed.

    Does nothing when TRIBUNA_RATE_LIMIT is off (imports, load tests).
    """
    if not settings.TRIBUNA_RATE_LIMIT:
        return
    now = int(time.time())
    window_start = now - now % window
    if count(f"rl:{scope}:{key}:{window_start}", window + 1) > limit:
        raise RateLimited(scope=scope, retry_after=max(1, window_start + window - now))


def check_posting(*, ip_key: str, email: str, thread_key: str) -> None:
    """The limits on posting a comment: per client, per email, per thread, site-wide."""
    limits = settings.TRIBUNA_RATE_LIMITS
    hit("ip", ip_key, *limits["ip"])
    if email:
        hit("email", email.lower(), *limits["email"])
    hit("thread", thread_key, *limits["thread"])
    hit("site", "all", *limits["site"])
