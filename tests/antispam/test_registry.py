"""Which model screens: the scope's active one from the database, followed by every process, with fallbacks."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import time
import zlib

import pytest

from tribuna.antispam import classifier, registry, screen
from tribuna.antispam.models import ApiKey, SpamModelVersion

from .conftest import model_bytes

pytestmark = pytest.mark.django_db

# The shop's cheap domain is an independent sign of spam: with it, a sure model may hide the comment.
TULIPS = "Tulip bulbs wholesale, order today at the tulip outlet https://tulip-outlet.shop"


@pytest.fixture(scope="module")
def tulip_model():
    """A model that has learnt one thing the shipped model does not know: tulip offers are spam."""
    spam = [
        f"Tulip bulbs wholesale lot {i}, order today at the tulip outlet https://tulip-outlet.shop"
        for i in range(10)
    ]
    ham = [f"Could the reading room open at {i} on Sundays for students?" for i in range(10)]
    samples = [classifier.Sample(text=t) for t in spam + ham]
    return classifier.train(samples, [1] * 10 + [0] * 10)


def store(blob: bytes, api_key: ApiKey | None = None, version: str | None = None) -> SpamModelVersion:
    SpamModelVersion.objects.filter(api_key=api_key, is_active=True).update(is_active=False)
    return SpamModelVersion.objects.create(
        version=version or f"v{time.monotonic_ns()}", api_key=api_key, model=blob, is_active=True
    )


@pytest.fixture
def key(db):
    return ApiKey.objects.create(key="k" * 32, site="https://blog.example.org")


def test_without_a_stored_model_the_shipped_one_screens():
    assert registry.model_for(None) is classifier.load_shipped_model()


def test_a_newly_activated_version_is_used_after_the_refresh_interval(tulip_model, monkeypatch):
    assert registry.REFRESH_SECONDS <= 5  # with one load, well inside the promised ten seconds
    monkeypatch.setattr(registry, "REFRESH_SECONDS", 0.2)
    assert registry.model_for(None) is classifier.load_shipped_model()
    store(model_bytes(tulip_model))
    assert registry.model_for(None) is classifier.load_shipped_model()  # not yet asked the database again
    time.sleep(0.25)
    assert registry.model_for(None).version == tulip_model.version


def test_a_keys_model_screens_for_that_key_only(tulip_model, key):
    other = ApiKey.objects.create(key="o" * 32, site="https://other.example.org")
    store(model_bytes(tulip_model), api_key=key)
    assert registry.model_for(key.pk).version == tulip_model.version
    assert registry.model_for(other.pk) is classifier.load_shipped_model()
    assert registry.model_for(None) is classifier.load_shipped_model()


def test_a_process_keeps_only_the_recently_used_key_models(tulip_model, monkeypatch):
    monkeypatch.setattr(registry, "MAX_KEY_MODELS", 2)
    keys = [ApiKey.objects.create(key=f"{i}" * 32, site=f"https://site{i}.example.org") for i in range(3)]
    for key in keys:
        store(model_bytes(tulip_model), api_key=key)
    for key in [keys[0], keys[1], keys[0], keys[2]]:
        assert registry.model_for(key.pk).version == tulip_model.version
    assert set(registry._state.loaded) == {keys[0].pk, keys[2].pk}  # keys[1] was the least recently used
    assert registry.model_for(keys[1].pk).version == tulip_model.version  # read again when asked


def test_a_corrupt_key_model_falls_back_to_the_sites_model(tulip_model, key, caplog):
    store(model_bytes(tulip_model))
    store(b"\x00 not a model", api_key=key)
    assert registry.model_for(key.pk).version == tulip_model.version
    assert "cannot be loaded" in caplog.text


def test_a_corrupt_site_model_falls_back_to_the_shipped_one_and_screening_goes_on():
    store(b"\x00 not a model")
    assert registry.model_for(None) is classifier.load_shipped_model()
    verdict = screen.screen(screen.Candidate(text="Is the archive open on Sundays?"), rate_limit=False)
    assert verdict.score is not None and verdict.action == "approve"


def test_a_model_from_an_older_tribuna_gives_way_to_the_shipped_one(tmp_path):
    store(zlib.compress(pickle.dumps({"format": classifier.FORMAT - 1})))  # an older Tribuna's joblib file
    assert registry.model_for(None) is classifier.load_shipped_model()


def test_akismet_answers_with_the_sites_model_when_the_keys_model_fails(client, tulip_model, key, settings):
    """Never "not spam" for everything because one model is unreadable."""
    # A model trained on twenty texts is calibrated to about 0.92 at most: hide from 0.9 (shipped: 0.86).
    settings.TRIBUNA_SPAM_THRESHOLD = 0.9

    def check() -> bytes:
        registry.reload()
        return client.post(
            "/1.1/comment-check",
            {
                "api_key": key.key,
                "blog": key.site,
                "user_ip": "203.0.113.7",
                "is_test": "1",
                "comment_author": "Tulip Trader",
                "comment_content": TULIPS,
            },
        ).content

    assert check() == b"false"  # the shipped model has never seen a tulip offer
    store(model_bytes(tulip_model))
    store(b"\x00 not a model", api_key=key)
    assert check() == b"true"


WATCHER = """
import sys
import django
django.setup()
from tribuna.antispam import registry
for line in sys.stdin:
    print(registry.model_for(None).version, flush=True)
"""


def _database_url(settings_dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, host, port = (
        settings_dict["USER"],
        settings_dict["HOST"] or "127.0.0.1",
        settings_dict["PORT"] or 5432,
    )
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_another_running_process_follows_a_new_active_version_within_ten_seconds(tulip_model):
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tribuna.settings",
        "DATABASE_URL": _database_url(connection.settings_dict),
    }
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )
    try:

        def ask() -> str:
            watcher.stdin.write("?\n")
            watcher.stdin.flush()
            return watcher.stdout.readline().strip()

        assert ask() == classifier.load_shipped_model().version
        store(model_bytes(tulip_model))
        activated = time.monotonic()
        while (seen := ask()) != tulip_model.version and time.monotonic() - activated < 15:
            time.sleep(0.2)
        assert seen == tulip_model.version
        assert time.monotonic() - activated <= 10
    finally:
        watcher.stdin.close()
        watcher.wait(timeout=30)
