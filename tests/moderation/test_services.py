"""Bulk actions: 500 comments in a bounded number of queries, with counts, audit and one signal."""

from __future__ import annotations

import pytest

from tribuna.discussion import signals
from tribuna.discussion.models import Comment, Thread
from tribuna.moderation import services
from tribuna.moderation.models import AuditEntry, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(thread, make_comment):
    """500 pending comments: 100 top-level ones, each with four replies, on two threads."""
    other = Thread.objects.create(key="second", title="Second")
    made = []
    for n in range(100):
        root = make_comment(f"Root {n}.", status="approved", on=thread if n % 2 else other)
        made.append(root)
        made += [make_comment(f"Reply {n}.{m}.", parent=root, on=root.thread) for m in range(4)]
    return [c for c in made if c.status == "pending"] + [c for c in made if c.status == "approved"][:100]


@pytest.fixture
def received():
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    signals.comments_bulk_status_changed.connect(receiver)
    yield calls
    signals.comments_bulk_status_changed.disconnect(receiver)


def counts_are_right() -> None:
    for thread in Thread.objects.all():
        assert thread.comment_count == thread.comments.filter(status="approved").count()
    for comment in Comment.objects.filter(depth=0):
        assert comment.reply_count == comment.children.filter(status="approved").count()


@pytest.mark.parametrize("action", ["approve", "spam", "trash", "delete"])
def test_a_bulk_action_on_500_comments_takes_a_bounded_number_of_queries(
    action, many, moderator, django_assert_max_num_queries
):
    ids = [c.pk for c in many]
    assert len(ids) == 500
    with django_assert_max_num_queries(60):
        services.bulk(action, ids, moderator)
    counts_are_right()


def test_bulk_approve_updates_counts_versions_audit_and_sends_one_signal(many, moderator, received):
    versions = dict(Thread.objects.values_list("pk", "version"))
    pending = [c.pk for c in many if c.status == "pending"]
    assert services.bulk("approve", [c.pk for c in many], moderator) == len(pending)
    assert Comment.objects.filter(status="approved").count() == 500
    counts_are_right()
    assert all(Thread.objects.get(pk=pk).version > v for pk, v in versions.items())
    assert AuditEntry.objects.filter(action="discussion.comment.approved").count() == len(pending)
    assert len(received) == 1
    call = received[0]
    assert call["status"] == "approved" and call["by"] == moderator
    assert sorted(c.pk for c in call["comments"]) == sorted(pending)
    assert set(call["previous_status"].values()) == {"pending"}


def test_bulk_spam_then_not_spam_tells_the_filter_both_times(many, moderator, received):
    ids = [c.pk for c in many[:10]]
    services.bulk("spam", ids, moderator)
    services.bulk("not_spam", ids, moderator)
    assert [call["status"] for call in received] == ["spam", "approved"]
    assert set(received[1]["previous_status"].values()) == {"spam"}
    assert AuditEntry.objects.filter(action="discussion.comment.not_spam").count() == 10


def test_bulk_trash_and_restore_round_trip(many, moderator):
    ids = [c.pk for c in many]
    before = dict(Comment.objects.filter(pk__in=ids).values_list("pk", "text"))
    statuses = dict(Comment.objects.filter(pk__in=ids).values_list("pk", "status"))
    services.bulk("trash", ids, moderator)
    assert set(Comment.objects.filter(pk__in=ids).values_list("text", flat=True)) == {""}
    counts_are_right()
    services.bulk("restore", ids, moderator)
    assert dict(Comment.objects.filter(pk__in=ids).values_list("pk", "text")) == before
    assert dict(Comment.objects.filter(pk__in=ids).values_list("pk", "status")) == statuses
    counts_are_right()


def test_bulk_delete_keeps_placeholders_only_where_replies_remain(thread, make_comment, moderator):
    parent = make_comment("Parent.", status="approved")
    kept_reply = make_comment("Kept reply.", status="approved", parent=parent)
    lonely = make_comment("Lonely parent.", status="approved")
    lonely_reply = make_comment("Its only reply.", status="approved", parent=lonely)
    services.bulk("delete", [parent.pk, lonely.pk, lonely_reply.pk], moderator)
    parent.refresh_from_db()
    assert parent.status == "deleted"
    assert Comment.objects.filter(pk=kept_reply.pk).exists()
    assert not Comment.objects.filter(pk__in=[lonely.pk, lonely_reply.pk]).exists()
    counts_are_right()
    assert AuditEntry.objects.filter(action="discussion.comment.deleted").count() == 3


def test_acting_on_a_comment_resolves_its_reports(make_comment, moderator):
    comment = make_comment()
    Report.objects.create(comment=comment, visitor="v", reason="spam")
    services.bulk("approve", [comment.pk], moderator)
    assert Report.objects.get().resolved is not None


def test_unknown_bulk_actions_are_refused(moderator):
    with pytest.raises(ValueError):
        services.bulk("publish", [1], moderator)
