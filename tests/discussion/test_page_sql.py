"""The page's hand-written SQL returns what the ORM's definition of "visible" returns, in order,
and what the API sends is exactly what its OpenAPI schemas describe."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from tribuna.api import api as api_instance
from tribuna.discussion import services
from tribuna.discussion.api import RENDERER, PostedOut
from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.schemas import CommentOut, PageOut

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_thread(thread):
    """Top-level comments of every status, some pinned, some with replies, equal times and scores."""
    rng = random.Random(4)
    base = timezone.now() - timedelta(days=1)
    statuses = ["approved"] * 6 + ["pending", "spam", "deleted"]
    tops = Comment.objects.bulk_create(
        Comment(
            thread=thread,
            author_name=f"t{i}",
            text="t",
            html="<p>t</p>",
            status=rng.choice(statuses),
            is_pinned=rng.random() < 0.15,
            score=rng.randint(-2, 3),
            anchor=[{"type": "TextQuoteSelector", "exact": "x"}] if rng.random() < 0.3 else None,
        )
        for i in range(60)
    )
    for i, top in enumerate(tops):  # some share a timestamp, so the id breaks ties
        Comment.objects.filter(pk=top.pk).update(created=base + timedelta(seconds=i // 3))
    replies = [
        Comment(
            thread=thread,
            parent=top,
            root=top,
            depth=1,
            author_name="r",
            text="r",
            html="<p>r</p>",
            status=rng.choice(statuses),
        )
        for top in tops
        if rng.random() < 0.4
    ]
    Comment.objects.bulk_create(replies)
    return Thread.objects.get(pk=thread.pk)


def orm_roots(thread, sort, passages_only, after=None):
    """The reference: the ORM's visible() in the sort's order."""
    queryset = Comment.objects.visible().filter(thread_id=thread.pk, depth=0)
    if after is not None:
        queryset = queryset.filter(after)
    if passages_only:
        queryset = queryset.filter(anchor__isnull=False)
    return list(queryset.order_by(*services.SORTS[sort][0]).values_list("id", flat=True))


def sql_roots(thread, sort, passages_only):
    """Every top-level id the pages give, following the cursors from the first page to the last.

    At each cursor, the ORM's keyset condition (used by permalinks) must find the same rest.
    """
    ids, cursor = [], None
    while True:
        page = services.thread_page(thread, sort=sort, cursor=cursor, limit=7, passages_only=passages_only)
        if cursor is not None:
            rest = orm_roots(
                thread,
                sort,
                passages_only,
                after=services._after_cursor(sort, *services.decode_cursor(cursor, sort)),
            )
            assert [comment["id"] for comment in page["comments"]] == rest[:7]
        ids += [comment["id"] for comment in page["comments"]]
        cursor = page["next"]
        if cursor is None:
            return ids


@pytest.mark.parametrize("passages_only", [False, True])
@pytest.mark.parametrize("sort", list(services.SORTS))
def test_pages_list_the_same_comments_in_the_same_order_as_the_orm(mixed_thread, sort, passages_only):
    expected = orm_roots(mixed_thread, sort, passages_only)
    assert expected  # the fixture has visible comments of each kind
    assert sql_roots(mixed_thread, sort, passages_only) == expected


def test_replies_are_the_visible_ones_under_each_top_level_comment(mixed_thread):
    page = services.thread_page(mixed_thread, limit=200)
    shown = {c["id"]: [r["id"] for r in c["replies"]] for c in page["comments"]}
    for top_id, reply_ids in shown.items():
        assert reply_ids == list(
            Comment.objects.visible()
            .filter(root_id=top_id)
            .order_by("created", "id")
            .values_list("id", flat=True)
        )


def test_the_page_the_api_sends_is_what_its_schema_describes(api, mixed_thread):
    response = api.get(f"/api/v1/comments?thread={mixed_thread.key}&limit=200")
    assert response.status_code == 200
    sent = response.json()
    PageOut.model_validate(sent)  # extra keys or wrong types fail here
    again = api.get(f"/api/v1/comments?thread={mixed_thread.key}&limit=200")  # from the cached bytes
    assert again.content == response.content


def test_the_answer_to_a_post_is_what_its_schema_describes(api, thread, post_comment):
    """The answer to a post is sent without passing through PostedOut: it must fit it exactly."""
    answer = post_comment("A comment whose answer we check against the schema.")
    CommentOut.model_validate(answer["comment"])
    assert PostedOut.model_validate(answer).model_dump(mode="json") == answer  # nothing extra, nothing lost
    top = answer["id"]
    reply = api.post_json(
        "/api/v1/comments",
        {"thread": thread.key, "name": "Ana", "text": "A reply in the schema's shape.", "parent": top},
    )
    assert reply.status_code == 201 and reply["Content-Type"] == "application/json; charset=utf-8"
    assert PostedOut.model_validate(reply.json()).model_dump(mode="json") == reply.json()
    # It is rendered as the API renders the rest (discussion.api.RENDERER).
    assert (
        type(api_instance.renderer) is type(RENDERER)
        and api_instance.get_content_type() == reply["Content-Type"]
    )


def test_the_openapi_document_describes_every_key_a_comment_has(api, mixed_thread):
    document = api.get("/api/v1/openapi.json").json()
    described = set(document["components"]["schemas"]["CommentOut"]["properties"])
    sent = api.get(f"/api/v1/comments?thread={mixed_thread.key}").json()["comments"][0]
    assert described == set(sent)
    page = document["paths"]["/api/v1/comments"]["get"]["responses"]["200"]["content"]["application/json"]
    assert page["schema"]["$ref"].endswith("/PageOut")
