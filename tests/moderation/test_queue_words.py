"""The queue explains the spam filter in words, and approves a held newcomer's comments in one click."""

import pytest

from tribuna.discussion.models import Comment
from tribuna.moderation.templatetags.moderation_words import plain_reason

pytestmark = pytest.mark.django_db


def test_model_notes_read_as_sentences_and_other_reasons_stay_as_they_are():
    assert (
        plain_reason("model: 0.93 spam-like ('buy', 'now')")
        == "The spam filter finds it 93% spam-like, mostly for: buy, now"
    )
    assert (
        plain_reason("first comment from this address; model: 0.12 legitimate-looking")
        == "First comment from this address; the spam filter finds it ordinary (12% spam-like)"
    )
    assert plain_reason("2 links") == "2 links"
    assert plain_reason("model: " + "a" * 10_000) == "Model: " + "a" * 10_000  # not the note's shape


def test_approve_all_from_this_author_approves_only_that_address(client, moderator, thread):
    held = [
        Comment.objects.create(
            thread=thread,
            author_name="New",
            author_email="new@example.org",
            text=f"t{i}",
            html=f"<p>t{i}</p>",
            status="pending",
        )
        for i in range(3)
    ]
    other = Comment.objects.create(
        thread=thread,
        author_name="Else",
        author_email="else@example.org",
        text="x",
        html="<p>x</p>",
        status="pending",
    )
    client.force_login(moderator)
    page = client.get("/moderation/").content.decode()
    assert f'value="approve_author:{held[0].pk}"' in page and "Approve all 3 from this author" in page
    assert f'value="approve_author:{other.pk}"' not in page  # a single waiting comment needs no such button
    client.post("/moderation/act/", {"do": f"approve_author:{held[0].pk}"})
    assert set(Comment.objects.filter(author_email="new@example.org").values_list("status", flat=True)) == {
        "approved"
    }
    assert Comment.objects.get(pk=other.pk).status == "pending"
