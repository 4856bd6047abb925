"""The statements posting writes out by hand (services._sql, lib.sql.insert) mean what the ORM meant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.forms.models import model_to_dict

from tribuna.discussion import services
from tribuna.discussion.models import Comment, Thread
from tribuna.lib.errors import NotFound
from tribuna.lib.sql import insert
from tribuna.notifications.models import Event

pytestmark = pytest.mark.django_db

CASES = [  # (status, kind, email): every combination approved() tells apart
    (status, kind, email)
    for status in Comment.Status.values
    for kind in Comment.Kind.values
    for email in ("ana@example.org", "bo@example.org")
]


@pytest.fixture
def comments(thread):
    other = Thread.objects.create(key="/elsewhere/", title="Another page")
    made = []
    for on in (thread, other):
        for status, kind, email in CASES:
            made.append(
                Comment.objects.create(
                    thread=on,
                    author_name="A",
                    author_email=email,
                    text="t",
                    html="t",
                    status=status,
                    kind=kind,
                )
            )
    return made


def test_placing_a_reply_finds_exactly_the_approved_comments_of_the_thread(thread, comments):
    for comment in comments:
        expected = Comment.objects.filter(pk=comment.pk, thread_id=thread.pk).approved().exists()
        try:
            parent, answered = services._place_reply(thread, comment.pk)
        except NotFound:
            assert not expected, comment
        else:
            assert expected and parent.pk == comment.pk and answered is None, comment
            assert (parent.thread_id, parent.parent_id, parent.root_id, parent.depth) == (
                thread.pk,
                None,
                None,
                0,
            )


def test_a_known_author_is_one_the_queryset_finds(comments):
    for email in ("ana@example.org", "bo@example.org", "nobody@example.org", "ANA@example.org"):
        approved = Comment.objects.approved().filter(author_email=email.lower())
        assert services._known_author(email) == approved.exists(), email
        for comment in comments:
            expected = approved.exclude(pk=comment.pk).exists()
            assert services._known_author(email, excluding=comment.pk) == expected, (email, comment)
    only = Comment.objects.approved().get(author_email="ana@example.org", thread__key="/elsewhere/")
    Comment.objects.approved().filter(author_email="ana@example.org").exclude(pk=only.pk).delete()
    assert services._known_author("ana@example.org")
    assert not services._known_author("ana@example.org", excluding=only.pk)


def test_counting_moves_the_counts_as_the_f_expressions_did(thread):
    parent = Comment.objects.create(thread=thread, author_name="A", text="t", html="t", reply_count=4)
    reply = Comment(thread=thread, parent=parent, author_name="B", text="r", html="r")
    insert(reply)
    Thread.objects.filter(pk=thread.pk).update(comment_count=7)
    before = Thread.objects.get(pk=thread.pk)
    services.count_visible(reply, +1)
    services.count_visible(reply, +1)
    services.count_visible(reply, -1)
    after = Thread.objects.get(pk=thread.pk)
    assert (after.comment_count, after.version) == (8, before.version + 3)
    assert Comment.objects.get(pk=parent.pk).reply_count == 5
    top = Comment.objects.create(thread=thread, author_name="C", text="t", html="t")
    services.count_visible(top, -1)  # no parent: only the thread changes
    assert Thread.objects.filter(pk=thread.pk).values_list("comment_count", "version").get() == (
        7,
        before.version + 4,
    )
    assert Comment.objects.get(pk=parent.pk).reply_count == 5


def test_insert_stores_the_row_save_stores(thread):
    parent = Comment.objects.create(thread=thread, author_name="P", text="p", html="p")
    created = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    fields = {
        "thread": thread,
        "parent": parent,
        "reply_to": parent,
        "root_id": parent.pk,
        "depth": 1,
        "author_name": "Ana",
        "author_email": "ana@example.org",
        "author_url": "https://example.org/",
        "text": "Some *text*",
        "html": "<p>Some <em>text</em></p>",
        "language": "fr",
        "status": Comment.Status.APPROVED,
        "ip_address": "2001:db8::1",
        "ip_network": "2001:db8::/64",
        "user_agent": "Agent",
        "spam_score": 0.25,
        "spam_reasons": ["one", "two ünïcode"],
        "anchor": [{"type": "TextQuoteSelector", "exact": "x"}],
        "created": created,
    }
    by_orm = Comment.objects.create(**fields)
    by_hand = Comment(**fields)
    insert(by_hand)
    assert by_hand.pk is not None and by_hand.pk != by_orm.pk and not by_hand._state.adding
    columns = [f.attname for f in Comment._meta.concrete_fields if f.attname != "id"]
    assert Comment.objects.filter(pk=by_hand.pk).values(*columns).get() == (
        Comment.objects.filter(pk=by_orm.pk).values(*columns).get()
    )
    # Defaults and the instance itself, as save() leaves them.
    plain_orm = Comment.objects.create(thread=thread, author_name="B", text="t", html="t")
    plain_hand = Comment(thread=thread, author_name="B", text="t", html="t")
    insert(plain_hand)
    reread = Comment.objects.get(pk=plain_hand.pk)
    assert model_to_dict(reread, exclude=["id", "created"]) == model_to_dict(
        plain_orm, exclude=["id", "created"]
    )
    assert model_to_dict(plain_hand, exclude=["id"]) == model_to_dict(reread, exclude=["id"])


def test_an_event_inserted_twice_is_recorded_once(thread):
    comment = Comment.objects.create(thread=thread, author_name="A", text="t", html="t")
    first, again = (
        Event(kind=Event.Kind.APPROVED, comment=comment),
        Event(kind=Event.Kind.APPROVED, comment=comment),
    )
    insert(first, ignore_conflicts=True)
    insert(again, ignore_conflicts=True)
    insert(Event(kind=Event.Kind.HELD, comment=comment), ignore_conflicts=True)
    assert sorted(Event.objects.filter(comment=comment).values_list("kind", flat=True)) == [
        "approved",
        "held",
    ]
    stored = Event.objects.get(comment=comment, kind=Event.Kind.APPROVED)
    assert stored.created == first.created and stored.email == "" and stored.fanned_out_at is None


def test_the_page_text_is_the_statements(thread, statement):
    assert statement.plain_text and services._page_text(thread) == statement.plain_text
    assert services._page_text(Thread.objects.create(key="/a-page/", title="A page")) == ""
