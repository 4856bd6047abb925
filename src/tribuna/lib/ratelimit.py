"""Rate limits whose state every process serving the site shares.

`tribuna serve` may run several worker processes and a site several app servers, so state in
process memory lets each count on its own; state in the page cache can be evicted by anyone
who fills that cache (thousands of distinct `cursor` values). It therefore lives apart from
every cache of pages:

- with REDIS_URL, under its own `ratelimit` cache alias on Redis (a sorted set of event times
  per key, changed by one atomic script; counters with INCR);
- otherwise in two small tables of the site's own database (tribuna.core's RateEvent and
  RateCounter), so a single machine needs no server beyond the database it already has.

Django's DatabaseCache is not used for the database case: its incr() is a get() followed by
a set(), so two processes reading 3 both write 4 and a flood from several workers is
undercounted. Here a counter is one INSERT ... ON CONFLICT DO UPDATE ... RETURNING statement,
atomic on SQLite (3.35+) and PostgreSQL alike, and a limit's check holds its key's row lock.
"""

from __future__ import annotations

import hashlib
import math
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from tribuna.lib.errors import RateLimited

__all__ = ["COUNTER_TABLE", "EVENT_TABLE", "RateLimited", "check_posting", "count", "hit", "purge_expired"]

COUNTER_TABLE = "tribuna_rate_counter"
EVENT_TABLE = "tribuna_rate_event"
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
    now = int(time.time())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {COUNTER_TABLE} WHERE expires_at <= %s", [now])  # noqa: S608
        purged = cursor.rowcount
        cursor.execute(f"DELETE FROM {EVENT_TABLE} WHERE expires_at <= %s", [now])  # noqa: S608
        return purged + cursor.rowcount


def hit(scope: str, key: str, limit: int, window: int) -> None:
    """Let one event for (scope, key) through, or raise RateLimited if `limit` already passed in
    the last `window` seconds.

    A sliding window kept exactly, as the times of the events let through: fixed windows let a
    flood timed across their boundary through twice (measured: 19 of 40 posts against a limit
    of 10), and the usual two-window estimate still let 11 or 12 through. Refused events are not
    kept, so a client that keeps trying gets in again at the limit's pace, never faster.
    Does nothing when TRIBUNA_RATE_LIMIT is off (imports, load tests).
    """
    if not settings.TRIBUNA_RATE_LIMIT:
        return
    name, now = _short(f"rl:{scope}:{key}"), time.time()
    oldest = _take_if_room_in_redis(name, now, limit, window) if settings.REDIS_URL else \
        _take_if_room(name, now, limit, window)
    if oldest is not None:
        raise RateLimited(scope=scope, retry_after=max(1, math.ceil(oldest + window - now)))


def _take_if_room(name: str, now: float, limit: int, window: int) -> float | None:
    """Record the event if fewer than `limit` fall in the window; else the oldest that does.

    The key's counter row is upserted first: on PostgreSQL that locks it until the transaction
    ends, so checks of one key queue and each sees every event the others let through; SQLite
    (transaction_mode IMMEDIATE) lets one writing transaction run at a time anyway.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_UPSERT, [name, int(now) + window + 1, int(now), int(now)])
        cursor.execute(f"SELECT at FROM {EVENT_TABLE} WHERE name = %s AND at > %s ORDER BY at",  # noqa: S608
                       [name, now - window])
        inside = [row[0] for row in cursor.fetchall()]
        if len(inside) >= limit:
            return inside[len(inside) - limit]
        cursor.execute(f"INSERT INTO {EVENT_TABLE} (name, at, expires_at) VALUES (%s, %s, %s)",  # noqa: S608
                       [name, now, int(now) + window + 1])
    return None


# Redis runs a script atomically: drop the events that left the window, count, add if there is room.
_REDIS_TAKE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    local oldest = redis.call('ZRANGE', KEYS[1], -tonumber(ARGV[3]), -tonumber(ARGV[3]), 'WITHSCORES')
    return oldest[2]
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) + 1)
return false
"""


def _take_if_room_in_redis(name: str, now: float, limit: int, window: int) -> float | None:
    counters = caches["ratelimit"]
    key = counters.make_and_validate_key(name)
    client = counters._cache.get_client(key, write=True)  # type: ignore[attr-defined]  # noqa: SLF001 - Django's RedisCache has no script API
    oldest = client.eval(_REDIS_TAKE, 1, key, repr(now), window, limit, f"{now!r}:{uuid.uuid4().hex}")
    return float(oldest) if oldest else None


def check_posting(*, ip_key: str, email: str, thread_key: str) -> None:
    """The limits on posting or editing a comment: per client, per email, per thread, site-wide."""
    limits = settings.TRIBUNA_RATE_LIMITS
    hit("ip", ip_key, *limits["ip"])
    if email:
        hit("email", email.lower(), *limits["email"])
    hit("thread", thread_key, *limits["thread"])
    hit("site", "all", *limits["site"])
