"""Personal data the moderation app keeps per address: earlier words of edited or trashed comments."""

from __future__ import annotations

from tribuna.core.personal_data import register
from tribuna.moderation.models import CommentHistory


def export(email: str) -> list[dict]:
    rows = CommentHistory.objects.filter(comment__author_email=email.lower()).order_by("created", "id")
    return [
        {"comment": row.comment_id, "change": row.kind, "text_before": row.text, "when": row.created.isoformat()}
        for row in rows
    ]


def erase(email: str) -> int:
    removed, _ = CommentHistory.objects.filter(comment__author_email=email.lower()).delete()
    return removed


def register_provider() -> None:
    register("moderation_history", export=export, erase=erase)
