"""Editing a statement re-anchors its passage comments through Statement.save()."""

from __future__ import annotations

from tribuna.discussion.models import Comment, Thread

QUOTE = "TextQuoteSelector"


def anchored(post_passage, exact: str) -> Comment:
    response = post_passage([{"type": QUOTE, "exact": exact}])
    assert response.status_code == 201, response.content
    return Comment.objects.get(pk=response.json()["id"])


def exact_of(comment: Comment) -> str:
    return next(s["exact"] for s in comment.anchor if s["type"] == QUOTE)


def position_of(comment: Comment) -> tuple[int, int]:
    selector = next(s for s in comment.anchor if s["type"] == "TextPositionSelector")
    return selector["start"], selector["end"]


def test_an_edit_keeps_every_passage_comment_and_orphans_only_what_is_gone(
    passage_statement, passage_thread, post_passage
):
    kept = anchored(post_passage, "An independent board reviews the fund.")
    moved = anchored(post_passage, "public water fund")
    reworded = anchored(post_passage, "The fund is paid for by a levy on bottled water sold in the city.")
    removed = anchored(post_passage, "the board publishes its accounts")
    first_revision = passage_statement.current_revision
    version = Thread.objects.get(pk=passage_thread.pk).version

    passage_statement.text = "A short preface.\n\n" + passage_statement.text.replace(
        "paid for by a levy on bottled water", "paid for by a small levy on bottled water"
    ).replace(", and the board publishes its accounts", "")
    passage_statement.save()
    revision = passage_statement.current_revision
    assert revision.number == first_revision.number + 1
    text = revision.plain_text

    for comment in (kept, moved, reworded, removed):
        comment.refresh_from_db()
    for comment in (kept, moved, reworded):
        assert not comment.anchor_orphaned
        assert comment.anchor_revision == revision
        start, end = position_of(comment)
        assert text[start:end] == exact_of(comment)
    assert exact_of(kept) == "An independent board reviews the fund."
    assert exact_of(moved) == "public water fund"
    assert exact_of(reworded) == "The fund is paid for by a small levy on bottled water sold in the city."
    assert (
        reworded.original_anchor[0]["exact"]
        == "The fund is paid for by a levy on bottled water sold in the city."
    )

    assert removed.anchor_orphaned
    assert removed.anchor_revision == first_revision
    assert exact_of(removed) == "the board publishes its accounts"
    assert Comment.objects.filter(thread=passage_thread).count() == 4
    assert Thread.objects.get(pk=passage_thread.pk).version > version


def test_an_orphan_returns_when_its_passage_is_restored(passage_statement, post_passage):
    comment = anchored(post_passage, "the board publishes its accounts")
    original = passage_statement.text
    passage_statement.text = original.replace(", and the board publishes its accounts", "")
    passage_statement.save()
    comment.refresh_from_db()
    assert comment.anchor_orphaned

    passage_statement.text = original
    passage_statement.save()
    comment.refresh_from_db()
    assert not comment.anchor_orphaned
    assert comment.anchor_revision == passage_statement.current_revision


def test_saving_without_changing_the_text_leaves_anchors_alone(passage_statement, post_passage):
    comment = anchored(post_passage, "public water fund")
    passage_statement.summary = "Now with a summary."
    passage_statement.save()
    comment.refresh_from_db()
    assert comment.anchor_revision.number == 1
