"""Outbox events recorded by the signal receivers, including moderation's bulk path."""

import pytest

from tribuna.discussion.models import Comment
from tribuna.moderation.services import bulk
from tribuna.notifications.models import Event

pytestmark = pytest.mark.django_db


def held(thread, n):
    return [
        Comment.objects.create(
            thread=thread, author_name="A", text=f"Held comment {i}", html="<p>x</p>", status="pending"
        )
        for i in range(n)
    ]


def test_bulk_approval_records_one_approved_event_per_comment(thread, moderator):
    comments = held(thread, 4)
    bulk("approve", [c.pk for c in comments], moderator)
    approved = Event.objects.filter(kind=Event.Kind.APPROVED).values_list("comment_id", flat=True)
    assert sorted(approved) == sorted(c.pk for c in comments)


def test_a_comment_is_announced_once_even_if_approved_twice(thread, moderator):
    comment = held(thread, 1)[0]
    bulk("approve", [comment.pk], moderator)
    bulk("spam", [comment.pk], moderator)
    bulk("approve", [comment.pk], moderator)
    assert Event.objects.filter(kind=Event.Kind.APPROVED, comment=comment).count() == 1
