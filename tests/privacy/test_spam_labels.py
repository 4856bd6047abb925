"""Spam-filter training labels copy a comment's words and author: export lists them, erasure removes them."""

import pytest

from tribuna.antispam.models import ApiKey, TrainingLabel
from tribuna.discussion import services as discussion
from tribuna.discussion.models import Comment
from tribuna.privacy import services

from .test_services import rows_mentioning

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(alice_thread, moderator):
    """A moderator judged Alice's unanswered comment spam and Bob's comment spam too."""
    for pk in (alice_thread["lonely"], alice_thread["bob"]):
        discussion.set_status(Comment.objects.get(pk=pk), "spam", by=moderator)
    assert TrainingLabel.objects.count() == 2
    return alice_thread


def test_the_export_lists_the_labels_made_from_the_authors_comments(labelled):
    rows = services.export_data("alice@example.org")["sections"]["spam_training_labels"]
    assert [(r["comment"], r["judged"], r["author_name"], r["text"]) for r in rows] == [
        (labelled["lonely"], "spam", "Alice", "Alice again, on another part of the text.")
    ]


def test_erasure_removes_the_authors_labels_and_only_hers(labelled):
    key = ApiKey.objects.create(key="k" * 32, site="https://blog.example.org")
    # A key's label with the same comment id comes from another site's comment numbering: not hers.
    TrainingLabel.objects.create(
        text="Another site's comment",
        is_spam=True,
        source="akismet",
        api_key=key,
        comment_id=labelled["lonely"],
    )
    erased = services.erase_data("alice@example.org")
    assert erased["spam_training_labels"] == 1
    assert rows_mentioning("alice again") == []
    assert sorted(TrainingLabel.objects.values_list("text", flat=True)) == [
        "Another site's comment",
        "Bob answers with a view of his own.",
    ]


def test_erasing_labels_makes_the_site_model_due_for_a_retrain(labelled, settings, small_corpus):
    from tribuna.antispam import learning

    settings.TRIBUNA_RETRAIN_AFTER_LABELS = 50
    learning.train_scope(None, in_child=False)
    assert learning.scopes_with_new_labels(50) == []
    services.erase_data("alice@example.org")
    assert learning.scopes_with_new_labels(50) == [None]
    learning.train_scope(None, in_child=False)
    assert learning.scopes_with_new_labels(50) == []
