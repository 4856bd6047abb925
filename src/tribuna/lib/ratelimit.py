"""Fixed-window rate limits whose counters every process serving the site shares.

`tribuna serve` runs several worker processes and a site may run several app servers, so a
counter in process memory lets each count on its own; a counter in the page cache can be
evicted by anyone who fills that cache (thousands of distinct `cursor` values). Counters
therefore live apart from every cache of pages:

- with REDIS_URL, in the `ratelimit` cache alias on Redis (INCR is atomic on the server);
- otherwise in one small table of the site's own database (`RateCounter` in tribuna.core),
  so a single machine needs no server beyond the database it already has.

Django's DatabaseCache is not used for the database case: its incr() is a get() followed by
a set(), so two processes reading 3 both write 4 and a flood from several workers is
undercounted. Here one INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement adds one and
reads the result atomically on SQLite (3.35+) and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from tribuna.lib.errors import RateLimited

__all__ = ["COUNTER_TABLE", "RateLimited", "check_posting", "count", "hit", "purge_expired"]

COUNTER_TABLE = "tribuna_rate_counter"
MAX_KEY_LENGTH = 200  # longer keys (a 254-character email) are hashed to fit the column

_UPSERT = f"""
INSERT INTO {COUNTER_TABLE} (name, hits, expires_at) VALUES (%s, 1, %s)
ON CONFLICT (name) DO UPDATE SET
    hits = CASE WHEN {COUNTER_TABLE}.expires_at <= %s THEN 1 ELSE {COUNTER_TABLE}.hits + 1 END,
    expires_at = CASE WHEN {COUNTER_TABLE}.expires_at <= %s THEN excluded.expires_at
                      ELSE {COUNTER_TABLE}.expires_at END
RETURNING hits
"""  # noqa: S608 - the table name is a constant; values go in as parameters


def _short(key: str) -> str:
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return key[:100] + ":" + hashlib.sha256(key.encode()).hexdigest()


def count(key: str, timeout: int) -> int:
    """Add one to a counter that lives for `timeout` seconds, and return the new value."""
    key = _short(key)
    if settings.REDIS_URL:
        return _count_in_redis(key, timeout)
    now = int(time.time())
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key, now + timeout, now, now])
        return cursor.fetchone()[0]


def _count_in_redis(key: str, timeout: int) -> int:
    counters = caches["ratelimit"]
    counters.add(key, 0, timeout=timeout)
    try:
        return counters.incr(key)
    except ValueError:  # expired between add and incr
        counters.add(key, 1, timeout=timeout)
        return 1


def purge_expired() -> int:
    """Delete counters whose window has passed (a periodic job); returns how many."""
    if settings.REDIS_URL:
        return 0  # Redis expires its keys itself
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTER_TABLE} WHERE expires_at <= %s", [int(time.time())])  # noqa: S608
        return cursor.rowcount


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
    """The limits on posting or editing a comment: per client, per email, per thread, site-wide."""
    limits = settings.TRIBUNA_RATE_LIMITS
    hit("ip", ip_key, *limits["ip"])
    if email:
        hit("email", email.lower(), *limits["email"])
    hit("thread", thread_key, *limits["thread"])
    hit("site", "all", *limits["site"])
