"""Shared fixtures: personas, a published statement with its thread, and an API client.

Personas follow the roles: an editor, a moderator, an administrator, a reader, an
outsider who must see nothing, a spammer.
"""

from __future__ import annotations

import csv
import json
import os

os.environ.setdefault("TRIBUNA_TESTING", "1")

import pytest  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.test import Client  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_cache_and_limits(settings):
    """Each test starts with empty caches; flood limits and the proof of work only where a test
    turns them on (as TRIBUNA_RATE_LIMIT=0 and TRIBUNA_POW=0 do for imports and load tests).

    Counters kept in the database go with each test's transaction; on Redis they are cleared here.
    """
    for each in caches.all():
        each.clear()
    settings.TRIBUNA_RATE_LIMIT = False
    settings.TRIBUNA_POW = False
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def connection_kept_open(db):
    """For requests sent straight to the WSGI application (fuzzers, the Akismet client): keep the
    test's connection open between them, as Django's own test client arranges.

    They would otherwise close it when they finish, and with it the test's transaction. Make the
    rows a test needs before asking for this.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def body(db):
    from tribuna.statements.models import Body

    return Body.objects.create(name="Commission 1", slug="commission-1")


@pytest.fixture
def statement(body):
    from django.utils import timezone

    from tribuna.statements.models import Statement

    s = Statement(
        slug="test-statement",
        title="A test statement",
        body=body,
        status=Statement.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
        text="An opening paragraph.\n\n## First section\n\nThe first section's text.\n\n## Second section\n\nMore text.",
    )
    s.save()
    return s


@pytest.fixture
def thread(statement):
    from tribuna.discussion.services import thread_for_statement

    return thread_for_statement(statement)


class ApiClient(Client):
    """A test client that speaks the API's write rules: JSON plus the X-Tribuna header."""

    def post_json(self, path: str, data, **extra):
        return self.post(path, json.dumps(data), content_type="application/json", HTTP_X_TRIBUNA="1", **extra)

    def patch_json(self, path: str, data, **extra):
        return self.patch(
            path, json.dumps(data), content_type="application/json", HTTP_X_TRIBUNA="1", **extra
        )

    def delete_api(self, path: str, **extra):
        return self.delete(path, HTTP_X_TRIBUNA="1", **extra)


@pytest.fixture
def api(db):
    return ApiClient()


@pytest.fixture
def post_comment(api, thread):
    """Post through the API as a reader; returns the parsed 201 body."""

    def post(text="A thoughtful comment about the statement.", name="Reader", **fields):
        payload = {"thread": thread.key, "name": name, "text": text, **fields}
        response = api.post_json("/api/v1/comments", payload)
        assert response.status_code == 201, response.content
        return response.json()

    return post


def _user(django_user_model, username, *, staff=False, superuser=False, groups=()):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password="correct horse battery",
        is_staff=staff,
        is_superuser=superuser,
    )
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


@pytest.fixture
def administrator(db, django_user_model):
    return _user(django_user_model, "admin", staff=True, superuser=True)


@pytest.fixture
def moderator(db, django_user_model):
    from tribuna.moderation.roles import ensure_roles

    ensure_roles()
    return _user(django_user_model, "moderator", staff=True, groups=["Moderators"])


@pytest.fixture
def editor(db, django_user_model):
    from tribuna.moderation.roles import ensure_roles

    ensure_roles()
    return _user(django_user_model, "editor", staff=True, groups=["Editors"])


@pytest.fixture
def outsider(db, django_user_model):
    return _user(django_user_model, "outsider")


ROWS_PER_FILE = 40


def _copy_head(source, target, rows: int) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        chosen = {0: [], 1: []}
        for row in reader:  # both classes, so every file can be learnt from
            bucket = chosen[int(row["CLASS"])]
            if len(bucket) < rows // 2:
                bucket.append(row)
            if all(len(b) >= rows // 2 for b in chosen.values()):
                break
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(chosen[0] + chosen[1])


@pytest.fixture(scope="session")
def small_corpus_dir(tmp_path_factory):
    """A small copy of the shipped training data, so tests retrain in about a second instead of ten."""
    from tribuna.antispam import classifier

    real, small = classifier.project_data_dir(), tmp_path_factory.mktemp("small-corpus")
    for name in classifier.YOUTUBE_FILES.values():
        _copy_head(real / "youtube-spam" / name, small / "youtube-spam" / name, ROWS_PER_FILE)
    _copy_head(real / "spamassassin" / "comments.csv", small / "spamassassin" / "comments.csv", ROWS_PER_FILE)
    return small


@pytest.fixture
def small_corpus(small_corpus_dir, monkeypatch):
    """Training (here and in training child processes, which inherit the environment) uses the small copy."""
    monkeypatch.setenv("TRIBUNA_TRAINING_DATA", str(small_corpus_dir))
    return small_corpus_dir
