"""'Published' has one meaning: the thread page's hand-written SQL agrees with Statement.objects.published()."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tribuna.discussion.models import Thread
from tribuna.discussion.services import page_thread, public_thread, public_threads
from tribuna.statements.models import Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def threads(body):
    """One thread per case that decides whether a statement is published, and one of an embedding page."""
    now = timezone.now()
    cases = {
        "published-an-hour-ago": (Statement.Status.PUBLISHED, now - timedelta(hours=1)),
        "published-tomorrow": (Statement.Status.PUBLISHED, now + timedelta(days=1)),
        "draft-with-a-date": (Statement.Status.DRAFT, now - timedelta(hours=1)),
        "draft-without-a-date": (Statement.Status.DRAFT, None),
    }
    for slug, (status, published_at) in cases.items():
        statement = Statement(slug=slug, title=slug, body=body, text="Text.", status=status)
        statement.save()
        # save() dates a published statement that has no date; set the case's own date afterwards.
        Statement.objects.filter(pk=statement.pk).update(published_at=published_at)
        Thread.objects.create(key=slug, title=slug, statement=statement)
    Thread.objects.create(key="/blog/post/", title="An embedding page's thread")
    return [*cases, "/blog/post/"]


def test_the_hot_path_sql_and_the_queryset_agree_on_every_case(threads):
    published_slugs = set(Statement.objects.published().values_list("slug", flat=True))
    assert published_slugs == {"published-an-hour-ago"}
    for key in threads:
        by_queryset = public_threads().filter(key=key).exists()
        assert (page_thread(key) is not None) == by_queryset, key
        assert (public_thread(key) is not None) == by_queryset, key
    assert {key for key in threads if page_thread(key)} == {"published-an-hour-ago", "/blog/post/"}
