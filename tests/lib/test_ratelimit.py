"""Rate-limit counters: shared by every process, and out of reach of cache floods."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import override_settings

from tests.servers import Server, create_statement, tribuna, tribuna_env
from tribuna.discussion.services import encode_cursor
from tribuna.lib import ratelimit
from tribuna.lib.errors import RateLimited


@pytest.mark.django_db
def test_a_counter_counts_up_and_starts_again_after_its_window(monkeypatch):
    assert [ratelimit.count("k", 60) for _ in range(3)] == [1, 2, 3]
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 61)
    assert ratelimit.count("k", 60) == 1


@pytest.mark.django_db
def test_a_long_key_is_hashed_to_fit_and_stays_distinct():
    long_a, long_b = "e:" + "a" * 300, "e:" + "a" * 299 + "b"
    assert ratelimit.count(long_a, 60) == 1
    assert ratelimit.count(long_b, 60) == 1
    assert ratelimit.count(long_a, 60) == 2


@pytest.mark.django_db
def test_expired_counters_and_events_are_purged_and_live_ones_kept(monkeypatch, settings):
    from tribuna.core.models import RateCounter, RateEvent

    settings.TRIBUNA_RATE_LIMIT = True
    ratelimit.count("short", 10)
    ratelimit.count("long", 1000)
    ratelimit.hit("short", "client", 5, 10)
    ratelimit.hit("long", "client", 5, 1000)
    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: now + 100)
    assert ratelimit.purge_expired() == 3  # a counter, an event and the short limit's key row
    assert set(RateCounter.objects.values_list("name", flat=True)) == {"long", "rl:long:client"}
    assert list(RateEvent.objects.values_list("name", flat=True)) == ["rl:long:client"]


@pytest.mark.django_db
def test_hit_raises_once_the_limit_is_passed(settings):
    settings.TRIBUNA_RATE_LIMIT = True
    for _ in range(3):
        ratelimit.hit("test", "client", 3, 60)
    with pytest.raises(RateLimited) as raised:
        ratelimit.hit("test", "client", 3, 60)
    assert raised.value.scope == "test" and 1 <= raised.value.retry_after <= 60


@pytest.mark.django_db
def test_a_flood_timed_across_a_window_boundary_gets_the_limit_not_twice(settings, monkeypatch):
    """The attack: with fixed windows, 10 posts just before the minute turns and 10 just after all got in."""
    settings.TRIBUNA_RATE_LIMIT = True
    minute = 60 * 29_000_000
    clock = {"now": minute + 59.0}
    monkeypatch.setattr(ratelimit.time, "time", lambda: clock["now"])
    accepted = 0
    for second in (59.0, 61.0):
        clock["now"] = minute + second
        for _ in range(10):
            try:
                ratelimit.hit("ip", "client", 10, 60)
                accepted += 1
            except RateLimited:
                pass
    assert accepted == 10
    with pytest.raises(RateLimited) as raised:
        ratelimit.hit("ip", "client", 10, 60)
    assert raised.value.retry_after == 58  # when the first of the ten leaves the last minute
    clock["now"] = minute + 119.5
    ratelimit.hit("ip", "client", 10, 60)


REDIS_URL = os.environ.get("TRIBUNA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.django_db
def test_on_redis_the_limit_slides_too(settings, monkeypatch):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1")
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-{os.getpid()}-{ratelimit.uuid.uuid4().hex}",
        },
    }
    with override_settings(CACHES=caches, REDIS_URL=REDIS_URL, TRIBUNA_RATE_LIMIT=True):
        clock = {"now": 1_000_000.0}
        monkeypatch.setattr(ratelimit.time, "time", lambda: clock["now"])
        for _ in range(3):
            ratelimit.hit("ip", "client", 3, 60)
        with pytest.raises(RateLimited) as raised:
            ratelimit.hit("ip", "client", 3, 60)
        assert raised.value.retry_after == 60
        clock["now"] += 59
        with pytest.raises(RateLimited):
            ratelimit.hit("ip", "client", 3, 60)
        clock["now"] += 1.5
        ratelimit.hit("ip", "client", 3, 60)
        assert [ratelimit.count("dup", 60) for _ in range(2)] == [1, 2]


SMALL_PAGE_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 50}}
}


@pytest.mark.django_db
@override_settings(CACHES=SMALL_PAGE_CACHE, REDIS_URL="")
def test_a_flood_of_cache_filling_reads_does_not_reset_the_posting_limit(api, thread, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_RATE_LIMITS = {**settings.TRIBUNA_RATE_LIMITS, "ip": (3, 60)}

    def post(i: int) -> int:
        comment = {"thread": thread.key, "name": "A", "text": f"Comment number {i} in the flood"}
        return api.post_json("/api/v1/comments", comment).status_code

    assert [post(i) for i in range(4)] == [201, 201, 201, 429]
    for pk in range(300):  # each distinct, valid cursor is one more entry in the page cache
        cursor = encode_cursor([False, "2020-01-01T00:00:00+00:00", pk])
        assert api.get(f"/api/v1/comments?thread={thread.key}&cursor={cursor}").status_code == 200
    assert post(99) == 429


@pytest.mark.slow
def test_tribuna_serve_with_several_worker_processes_holds_the_per_client_limit(tmp_path):
    """The attack: posts spread over the server's worker processes, each once counting on its own
    (38 of 40 got in against a limit of 10 with five gunicorn workers)."""
    env = tribuna_env(tmp_path, TRIBUNA_RATE_IP="10")
    assert tribuna(env, "migrate", "-v0").returncode == 0
    create_statement(env, "rates")
    with Server(env, "--workers", "3") as server:

        def post(number: int) -> int:
            return server.post_json(
                "/api/v1/comments",
                {"thread": "rates", "name": "Flooder", "text": f"Comment number {number} about the rates."},
            )[0]

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(post, range(40)))
    assert statuses.count(201) == 10
    assert statuses.count(429) == 30
