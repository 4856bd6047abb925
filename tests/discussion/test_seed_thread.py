"""`tribuna seed_thread`: a benchmark thread that looks exactly like one built by posting."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_thread", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_adds_a_quarter_top_level_and_the_rest_as_replies():
    seed("bench", "--comments", "200")
    thread = Thread.objects.get(key="bench")
    assert thread.comment_count == 200
    assert Comment.objects.filter(thread=thread, depth=0).count() == 50
    assert Comment.objects.filter(thread=thread, depth__gte=2).exists()


@pytest.mark.django_db
def test_it_keeps_root_depth_parent_and_reply_counts_coherent():
    seed("bench", "--comments", "300", "--replies-ratio", "0.9")
    comments = {c.pk: c for c in Comment.objects.filter(thread__key="bench")}
    for comment in comments.values():
        children = [c for c in comments.values() if c.parent_id == comment.pk]
        assert comment.reply_count == len(children)
        if comment.parent_id is None:
            assert (comment.depth, comment.root_id) == (0, None)
        else:
            parent = comments[comment.parent_id]
            assert comment.depth == parent.depth + 1
            assert comment.root_id == (parent.root_id or parent.pk)
            assert comment.created >= parent.created


@pytest.mark.django_db
def test_it_stores_rendered_markdown_of_100_to_600_characters():
    seed("bench", "--comments", "40")
    for comment in Comment.objects.filter(thread__key="bench"):
        assert 100 <= len(comment.text) <= 600
        assert comment.html.startswith(("<p>", "<blockquote>", "<ul>"))


@pytest.mark.django_db
def test_the_seeded_thread_pages_like_a_posted_one():
    seed("bench", "--comments", "120")
    page = services.thread_page(Thread.objects.get(key="bench"))
    shown = []
    stack = list(page["comments"])
    while stack:
        node = stack.pop()
        shown.append(node["id"])
        stack.extend(node["replies"])
    assert len(page["comments"]) == 30
    assert len(shown) == 120


@pytest.mark.django_db
def test_adding_to_an_existing_thread_counts_old_and_new_comments():
    seed("bench", "--comments", "20")
    seed("bench", "--comments", "40", "--seed", "2")
    thread = Thread.objects.get(key="bench")
    assert thread.comment_count == 60
    assert Comment.objects.filter(thread=thread, depth=0).count() == 5 + 10


@pytest.mark.django_db
def test_a_dry_run_changes_nothing():
    out = seed("bench", "--comments", "200", "--dry-run")
    assert "Would add 200 comments" in out
    assert not Thread.objects.filter(key="bench").exists()


@pytest.mark.django_db
def test_replies_each_gives_every_top_level_comment_that_many_direct_replies():
    seed("bench", "--comments", "40", "--replies-each", "3")
    tops = Comment.objects.filter(thread__key="bench", depth=0)
    assert tops.count() == 10
    assert sorted(set(tops.values_list("reply_count", flat=True))) == [3]
    assert not Comment.objects.filter(thread__key="bench", depth__gt=1).exists()


@pytest.mark.django_db
def test_replies_each_refuses_a_count_it_cannot_shape():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        seed("bench", "--comments", "41", "--replies-each", "3")
