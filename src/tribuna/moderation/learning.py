"""Moderators' decisions teach the spam filter: each one becomes a labelled example.

Listens to the discussion's status signals rather than being called by each moderation
verb, so every path on which a person changes a comment's status (the queue, bulk actions,
the approve and spam links in emails) feeds the filter the same way. A change without a
person (`by` is None: the filter itself, readers' reports) is no label.
"""

from __future__ import annotations

from tribuna.antispam.learning import record_label, record_labels
from tribuna.antispam.models import TrainingLabel
from tribuna.discussion.models import Comment, Thread

APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM


def _label(status: str, previous_status: str | None) -> bool | None:
    """Spam (True), not spam (False), or no label for a move from previous_status to status."""
    if status == SPAM:
        return True
    if status == APPROVED and previous_status in {SPAM, PENDING}:
        return False
    return None


def on_status_changed(sender, comment: Comment, previous_status: str | None, by=None, **kwargs) -> None:
    is_spam = _label(comment.status, previous_status)
    if by is None or not comment.text or is_spam is None:
        return
    page = comment.thread.page()
    record_label(
        text=comment.text,
        name=comment.author_name,
        url=comment.author_url,
        page=page.url,
        page_title=page.title,
        is_spam=is_spam,
        source=TrainingLabel.Source.MODERATOR,
        comment_id=comment.pk,
    )


def on_bulk_status_changed(
    sender, comments: list[Comment], previous_status: dict, status: str, by=None, **kwargs
) -> None:
    """The bulk twin of on_status_changed: one INSERT for a whole moderation batch."""
    if by is None:
        return
    chosen = [
        (c, label)
        for c in comments
        if c.text and (label := _label(status, previous_status.get(c.pk))) is not None
    ]
    pages = {
        pk: thread.page() for pk, thread in Thread.objects.in_bulk({c.thread_id for c, _ in chosen}).items()
    }
    record_labels(
        [
            TrainingLabel(
                text=c.text,
                name=c.author_name,
                url=c.author_url,
                page=pages[c.thread_id].url,
                page_title=pages[c.thread_id].title,
                is_spam=is_spam,
                source=TrainingLabel.Source.MODERATOR,
                comment_id=c.pk,
            )
            for c, is_spam in chosen
        ]
    )
