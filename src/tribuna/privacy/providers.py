"""The discussion's personal data per address: comments (votes are keyed hashes, never addresses).

Registered in PrivacyConfig.ready() like any other app's provider.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tribuna.discussion import services
from tribuna.discussion.models import Comment, VerifiedAddress


def _comments_of(email: str):
    # Exact match on the normalised address, never a pattern (see SECURITY.md).
    return Comment.objects.filter(author_email=email)


def export_comments(email: str) -> list[dict]:
    rows = []
    for c in _comments_of(email).select_related("thread").order_by("created", "id"):
        rows.append(
            {
                "id": c.pk,
                "thread": {"key": c.thread.key, "title": c.thread.title, "url": _absolute(c.thread.url)},
                "permalink": _absolute(f"{c.thread.url}#c{c.pk}") if c.thread.url else "",
                "parent": c.parent_id,
                "reply_to": c.reply_to_id,
                "status": c.status,
                "created": c.created.isoformat(),
                "edited": c.edited.isoformat() if c.edited else None,
                "author_name": c.author_name,
                "author_email": c.author_email,
                "author_url": c.author_url,
                "text": c.text,
                "anchor": c.anchor,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "ip_network": c.ip_network,
                "score": c.score,
            }
        )
    return rows


def _absolute(url: str) -> str:
    return f"{settings.BASE_URL}{url}" if url.startswith("/") else url


def erase_comments(email: str) -> int:
    """Delete the address's comments; those with replies stay as anonymous "[deleted]" placeholders.

    Deepest first, so a reply of the same author goes before the comment it answers and
    that comment can then go entirely instead of staying as a placeholder.
    """
    erased = 0
    with transaction.atomic():
        ids = list(_comments_of(email).order_by("-depth", "-id").values_list("pk", flat=True))
        for pk in ids:
            comment = Comment.objects.filter(pk=pk).first()
            if comment is None:  # already gone with a placeholder it held up
                continue
            if comment.status != Comment.Status.DELETED:
                services.delete_comment(comment)
            erased += 1
            # A placeholder keeps its replies' place but nothing of its author.
            if Comment.objects.filter(pk=pk).update(
                author_name="",
                author_email="",
                author_url="",
                ip_address=None,
                user_agent="",
                ip_network="",
                spam_reasons=[],
                anchor=None,
                original_anchor=None,
            ):
                services.new_thread_version(comment.thread_id)
    return erased


def export_ownership(email: str) -> list[dict]:
    """Whether the owner proved the address (what lets pre-moderation count its comments)."""
    return [
        {"type": "ownership proved", "email": row.email, "at": row.verified_at.isoformat()}
        for row in VerifiedAddress.objects.filter(email=email)
    ]


def erase_ownership(email: str) -> int:
    return services.forget_ownership(email)
