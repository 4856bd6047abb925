"""Personal data the moderation app keeps per address: earlier words of edited or trashed comments,
and the spam-filter training labels its moderators' decisions made from them (moderation/learning.py).

A label copies the comment's text, name and website, so erasing the comment alone would leave them
in the training data. Labels sent by Akismet clients carry no address (the other site keeps its
commenters' data) and cannot be found by one.
"""

from __future__ import annotations

from tribuna.antispam.models import TrainingLabel
from tribuna.core.personal_data import register
from tribuna.discussion.models import Comment
from tribuna.moderation.models import CommentHistory


def export(email: str) -> list[dict]:
    rows = CommentHistory.objects.filter(comment__author_email=email.lower()).order_by("created", "id")
    return [
        {
            "comment": row.comment_id,
            "change": row.kind,
            "text_before": row.text,
            "when": row.created.isoformat(),
        }
        for row in rows
    ]


def erase(email: str) -> int:
    removed, _ = CommentHistory.objects.filter(comment__author_email=email.lower()).delete()
    return removed


def _labels_of(email: str):
    # Runs before the comments provider blanks Comment.author_email (privacy.services.erase_data).
    comment_ids = Comment.objects.filter(author_email=email.lower()).values("pk")
    return TrainingLabel.objects.filter(api_key__isnull=True, comment_id__in=comment_ids)


def export_spam_labels(email: str) -> list[dict]:
    return [
        {
            "comment": label.comment_id,
            "judged": "spam" if label.is_spam else "not spam",
            "source": label.source,
            "created": label.created.isoformat(),
            "author_name": label.name,
            "author_url": label.url,
            "text": label.text,
            "page": label.page,
        }
        for label in _labels_of(email).order_by("created", "id")
    ]


def erase_spam_labels(email: str) -> int:
    """Delete the labels: a label without its text teaches nothing, so nothing of it is worth keeping.

    Models already trained keep only word statistics; the site's next retrain drops those too.
    """
    removed, _ = _labels_of(email).delete()
    return removed


def register_provider() -> None:
    register("moderation_history", export=export, erase=erase)
    register("spam_training_labels", export=export_spam_labels, erase=erase_spam_labels)
