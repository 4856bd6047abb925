"""Threading rules, counts and the bounded cost of a thread page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread
from tribuna.lib.markup import render_comment

pytestmark = pytest.mark.django_db


def submit(thread, text="A comment that says something useful.", parent=None, **fields):
    data = {"name": "Reader", **fields}
    return services.post_comment(
        services.Submission(thread=thread, text=text, parent_id=parent, **data)
    ).comment


def seed(thread, total):
    """total comments: a quarter top-level, the rest replies spread over them."""
    tops = Comment.objects.bulk_create(
        Comment(thread=thread, author_name=f"a{i}", text="t", html="<p>t</p>", status="approved")
        for i in range(total // 4)
    )
    replies = [
        Comment(
            thread=thread,
            parent=tops[i % len(tops)],
            root=tops[i % len(tops)],
            depth=1,
            author_name=f"r{i}",
            text="r",
            html="<p>r</p>",
            status="approved",
        )
        for i in range(total - len(tops))
    ]
    Comment.objects.bulk_create(replies)
    Thread.objects.filter(pk=thread.pk).update(comment_count=total)
    thread.refresh_from_db()


@pytest.mark.parametrize("size", [10, 2000])
def test_a_thread_page_costs_the_same_queries_whatever_the_size(thread, size):
    seed(thread, size)
    with CaptureQueriesContext(connection) as queries:
        page = services.thread_page(thread, sort="best", limit=50)
    assert len(queries) == 2  # top-level page, then every reply of that page
    assert len(page["comments"]) == min(50, size // 4)


def test_replies_deeper_than_the_cap_attach_at_the_cap_and_name_whom_they_answer(thread, settings):
    parent = submit(thread, "I think the Sunday opening hours are a good idea.")
    chain = [parent]
    for level in range(1, settings.TRIBUNA_MAX_DEPTH + 2):
        chain.append(
            submit(
                thread, f"Reply at level {level}, still talking.", parent=chain[-1].pk, name=f"Person {level}"
            )
        )
    deepest = chain[-1]
    assert deepest.depth == settings.TRIBUNA_MAX_DEPTH - 1
    assert deepest.reply_to_id == chain[-2].pk
    page = services.thread_page(thread)
    node = page["comments"][0]
    while node["replies"]:
        node = node["replies"][-1]
    assert node["id"] == deepest.pk
    assert node["reply_to"] == {"id": chain[-2].pk, "name": chain[-2].author_name}


def test_counts_follow_status_changes(thread):
    comment = submit(thread)
    thread.refresh_from_db()
    assert thread.comment_count == 1
    services.set_status(comment, Comment.Status.SPAM)
    thread.refresh_from_db()
    assert thread.comment_count == 0
    services.set_status(comment, Comment.Status.APPROVED)
    thread.refresh_from_db()
    assert thread.comment_count == 1


def test_a_pending_comment_is_not_shown(thread, settings):
    settings.TRIBUNA_PREMODERATION = {"all"}
    comment = submit(thread)
    assert comment.status == Comment.Status.PENDING
    assert services.thread_page(thread)["comments"] == []


def test_a_cached_page_never_outlives_a_change(thread):
    submit(thread, "First visible comment in the thread.")
    assert len(services.thread_page(thread)["comments"]) == 1
    submit(thread, "Second visible comment in the thread.")
    thread.refresh_from_db()
    assert len(services.thread_page(thread)["comments"]) == 2


def test_moderator_edit_rerenders_and_marks_edited(thread):
    comment = submit(thread, "Original text of the comment.")
    services.edit_comment(comment, text="**Changed** text", by=None)
    comment.refresh_from_db()
    assert comment.html == render_comment("**Changed** text")
    assert comment.edited is not None


def test_edit_is_screened_like_a_new_comment(thread):
    comment = submit(thread, "The archive could also open on Sundays, I think.")
    spammy = " ".join(f"http://spam{i}.example/buy" for i in range(9))
    services.edit_comment(comment, text=spammy)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_an_address_with_an_approved_comment_is_known_whatever_its_case(thread):
    """The known-author check matches the stored lower-case address exactly (an index look-up, not a scan)."""
    Comment.objects.create(
        thread=thread,
        author_name="Ana",
        author_email="ana@example.org",
        text="t",
        html="<p>t</p>",
        status="approved",
    )
    assert services._known_author("Ana@Example.ORG")
    assert not services._known_author("someone.else@example.org")
    with CaptureQueriesContext(connection) as queries:
        services._known_author("ana@example.org")
    assert "LIKE" not in queries.captured_queries[-1]["sql"].upper()
