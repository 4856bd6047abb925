"""Training labels made from an address's comments, for the privacy app's export and erasure.

A label copies the comment's text, name and website when a moderator judges it, so erasing
the comment alone would leave them in the training data. Labels sent by Akismet clients carry
no address (the other site keeps its commenters' data) and cannot be found by one.
"""

from __future__ import annotations

from tribuna.antispam.models import TrainingLabel
from tribuna.privacy.registry import register

SECTION = "spam_training_labels"


def _labels_of(email: str):
    from tribuna.discussion.models import Comment

    # Runs before the comments provider blanks Comment.author_email (privacy.services.erase_data).
    comment_ids = Comment.objects.filter(author_email=email.lower()).values("pk")
    return TrainingLabel.objects.filter(api_key__isnull=True, comment_id__in=comment_ids)


def export(email: str) -> list[dict]:
    return [
        {"comment": label.comment_id, "judged": "spam" if label.is_spam else "not spam", "source": label.source,
         "created": label.created.isoformat(), "author_name": label.name, "author_url": label.url,
         "text": label.text, "page": label.page}
        for label in _labels_of(email).order_by("created", "id")
    ]


def erase(email: str) -> int:
    """Delete the labels: a label without its text teaches nothing, so nothing is worth keeping.

    The models already trained keep only word statistics; the scope's next retrain drops those too.
    """
    removed, _ = _labels_of(email).delete()
    return removed


def register_provider() -> None:
    register(SECTION, export=export, erase=erase)
