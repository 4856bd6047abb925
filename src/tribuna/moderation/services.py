"""Moderators' verbs: approve, mark spam, trash, restore, delete, edit, reply, pin, close, ban, report.

Called alike by the moderation pages, the API and tests. One comment at a time goes through
tribuna.discussion.services (set_status, edit_comment, delete_comment), which sends the
per-comment life-cycle signals. Many at a time goes through bulk(): one UPDATE, counts
recomputed per affected thread and parent with aggregate subqueries, one audit insert and
one comments_bulk_status_changed signal, so 500 comments cost a
bounded number of queries whatever the receivers do per signal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from tribuna.antispam.models import Ban
from tribuna.discussion import signals
from tribuna.discussion.models import Comment, Thread, Vote
from tribuna.discussion.services import (
    Submission,
    delete_comment,
    edit_comment,
    new_thread_version,
    post_comment,
    set_status,
    set_thread_open,
)
from tribuna.lib.http import network_of
from tribuna.lib.markup import render_comment
from tribuna.lib.ratelimit import hit
from tribuna.moderation.audit import audit_entry, log_action, log_actions
from tribuna.moderation.models import CommentHistory, Report

APPROVED, PENDING, SPAM, DELETED = (
    Comment.Status.APPROVED,
    Comment.Status.PENDING,
    Comment.Status.SPAM,
    Comment.Status.DELETED,
)
MAX_BULK = 1000


class CannotRestore(Exception):
    pass


@dataclass(frozen=True)
class BulkAction:
    label: str
    verb: str  # the audit action is discussion.comment.<verb>
    status: str | None  # None: restore (each comment's own status) or delete


BULK_ACTIONS = {
    "approve": BulkAction("Approve", "approved", APPROVED),
    "spam": BulkAction("Mark spam", "spam", SPAM),
    "not_spam": BulkAction("Not spam", "not_spam", APPROVED),
    "trash": BulkAction("Trash", "trashed", DELETED),
    "restore": BulkAction("Restore", "restored", None),
    "delete": BulkAction("Delete permanently", "deleted", None),
}


# --- One comment --------------------------------------------------------------------------------


def _locked(comment: Comment) -> Comment:
    """The current row, locked: two moderators acting at once must not both move the counts."""
    return Comment.objects.select_for_update().select_related("thread").get(pk=comment.pk)


def _resolve_reports(ids: list[int]) -> None:
    Report.objects.filter(comment_id__in=ids, resolved__isnull=True).update(resolved=timezone.now())


def _change(comment: Comment, status: str, user, verb: str) -> Comment:
    with transaction.atomic():
        comment = _locked(comment)
        previous = comment.status
        if previous == DELETED and verb != "restored" and status != DELETED:
            raise CannotRestore("This comment is in the trash; restore it first.")
        set_status(comment, status, by=user)
        _resolve_reports([comment.pk])
        log_action(
            f"discussion.comment.{verb}",
            user=user,
            obj=comment,
            before={"status": previous},
            after={"status": status},
        )
    return comment


def approve(comment: Comment, user) -> Comment:
    return _change(comment, APPROVED, user, "approved")


def approve_author(comment: Comment, user) -> int:
    """Approve this comment and every other one of the same address waiting in the queue: one click for a
    newcomer whose first comments were all held. Later comments still meet the rules for unproven addresses."""
    if not comment.author_email:
        return bulk("approve", [comment.pk], user)
    waiting = Comment.objects.filter(author_email=comment.author_email, status=Comment.Status.PENDING)
    return bulk("approve", [comment.pk, *waiting.values_list("pk", flat=True)[: MAX_BULK - 1]], user)


def mark_spam(comment: Comment, user) -> Comment:
    return _change(comment, SPAM, user, "spam")


def mark_not_spam(comment: Comment, user) -> Comment:
    """Approve a comment the filter got wrong; the antispam side learns from previous_status=spam."""
    return _change(comment, APPROVED, user, "not_spam")


def trash(comment: Comment, user) -> Comment:
    """Hide a comment as deleted, keeping its words here so it can be restored."""
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status != DELETED:
            CommentHistory.objects.create(
                comment=comment,
                kind=CommentHistory.Kind.TRASH,
                text=comment.text,
                status=comment.status,
                by=user,
                username=user.get_username(),
            )
        return _change(comment, DELETED, user, "trashed")


def restore(comment: Comment, user) -> Comment:
    """Undo a moderator's trash: the words and the status from before come back."""
    with transaction.atomic():
        comment = _locked(comment)
        if comment.status != DELETED:
            return comment
        snapshot = comment.history.filter(kind=CommentHistory.Kind.TRASH).first()
        if snapshot is None:
            raise CannotRestore("This comment was deleted by its author; there is nothing to restore.")
        comment.text, comment.html = snapshot.text, render_comment(snapshot.text)
        Comment.objects.filter(pk=comment.pk).update(text=comment.text, html=comment.html)
        return _change(comment, snapshot.status or APPROVED, user, "restored")


def delete_permanently(comment: Comment, user) -> None:
    """Remove the comment and every copy of its words; a placeholder stays only if it has replies."""
    with transaction.atomic():
        comment = _locked(comment)
        log_action("discussion.comment.deleted", user=user, obj=comment, before={"status": comment.status})
        CommentHistory.objects.filter(comment=comment).delete()
        delete_comment(comment, by=user)


def edit(comment: Comment, text: str, user) -> Comment:
    """A moderator's edit; the text before it is kept in CommentHistory."""
    with transaction.atomic():
        comment = _locked(comment)
        previous = comment.text
        history = CommentHistory.objects.create(
            comment=comment,
            kind=CommentHistory.Kind.EDIT,
            text=previous,
            status=comment.status,
            by=user,
            username=user.get_username(),
        )
        edit_comment(comment, text=text, by=user)
        log_action(
            "discussion.comment.edited",
            user=user,
            obj=comment,
            before={"chars": len(previous)},
            after={"chars": len(text)},
            note=f"previous text kept as history #{history.pk}",
        )
    return comment


def reply(comment: Comment, text: str, user, *, ip: str = "") -> Comment:
    """Answer as a moderator: published at once, with the moderator badge.

    Raises tribuna.lib.errors.NotFound when the comment is not visible (approve it first).
    """
    return post_as_moderator(comment.thread, text, user, parent_id=comment.pk, ip=ip)


def post_as_moderator(
    thread, text: str, user, *, parent_id: int | None = None, ip: str = "", language: str = ""
) -> Comment:
    """A moderator's own comment or reply, from the queue or the public page: published at once,
    under the account's name, with the moderator badge; no screening, no name or email to type."""
    submission = Submission(
        thread=thread,
        text=text,
        name=user.get_full_name() or user.get_username(),
        email=(user.email or "").lower(),
        parent_id=parent_id,
        ip=ip,
        language=language,
    )
    with transaction.atomic():
        posted = post_comment(submission, rate_limit=False, is_moderator=True)
        log_action(
            "discussion.comment.moderator_reply",
            user=user,
            obj=posted.comment,
            after={"parent": parent_id, "status": posted.comment.status},
        )
    return posted.comment


def pin(comment: Comment, pinned: bool, user) -> Comment:
    with transaction.atomic():
        comment = _locked(comment)
        before = comment.is_pinned
        Comment.objects.filter(pk=comment.pk).update(is_pinned=pinned)
        comment.is_pinned = pinned
        new_thread_version(comment.thread_id)
        log_action(
            f"discussion.comment.{'pinned' if pinned else 'unpinned'}",
            user=user,
            obj=comment,
            before={"pinned": before},
            after={"pinned": pinned},
        )
    return comment


def set_open(thread: Thread, is_open: bool, user) -> Thread:
    with transaction.atomic():
        before = thread.is_open
        set_thread_open(thread, is_open)
        log_action(
            f"discussion.thread.{'opened' if is_open else 'closed'}",
            user=user,
            obj=thread,
            before={"open": before},
            after={"open": is_open},
        )
    return thread


# --- Bans ---------------------------------------------------------------------------------------


def ban(kind: str, value: str, user, *, reason: str = "", expires: datetime | None = None) -> Ban:
    """Add a ban (validated by Ban.clean). The audit keeps the kind, not the banned address."""
    entry = Ban(kind=kind, value=value, reason=reason, expires=expires, created_by=user)
    entry.full_clean(exclude=["created_by"])
    with transaction.atomic():
        entry.save()
        log_action(
            "antispam.ban.created",
            user=user,
            obj=entry,
            after={"kind": kind, "expires": expires.isoformat() if expires else None},
        )
    return entry


def unban(entry: Ban, user) -> None:
    with transaction.atomic():
        log_action("antispam.ban.removed", user=user, obj=entry, before={"kind": entry.kind})
        entry.delete()


def ban_value_for(comment: Comment, kind: str) -> str:
    """What "ban this author" bans: the address, or the network (/24, /64) the comment came from."""
    if kind == Ban.Kind.EMAIL:
        return comment.author_email
    if kind == Ban.Kind.IP:
        # Recomputed from the address while it is kept: rows stored before IPv4-mapped addresses
        # were unwrapped carry the network "::/64", which would ban every IPv4 client.
        return network_of(comment.ip_address) if comment.ip_address else comment.ip_network
    return ""


# --- Reports ------------------------------------------------------------------------------------

MIN_REPORT_THRESHOLD = 5


def report_threshold(thread_id: int) -> int:
    """How many distinct readers' reports hide a comment in this thread.

    Never below TRIBUNA_REPORT_THRESHOLD (at least 5), and TRIBUNA_REPORT_SHARE percent of the
    thread's readers: the distinct networks that commented and the distinct visitors that voted
    there. A few addresses can then hide a comment on a quiet thread only with five reports, and
    on a busy one only with a share of its readers.
    """
    commenters = (
        Comment.objects.filter(thread_id=thread_id)
        .exclude(ip_network="")
        .values("ip_network")
        .distinct()
        .count()
    )
    voters = Vote.objects.filter(comment__thread_id=thread_id).values("voter").distinct().count()
    share = math.ceil((commenters + voters) * settings.TRIBUNA_REPORT_SHARE / 100)
    return max(MIN_REPORT_THRESHOLD, settings.TRIBUNA_REPORT_THRESHOLD, share)


def report(comment: Comment, visitor: str, reason: str, note: str = "") -> bool:
    """Record a reader's report: the comment is listed under "Reported" in the moderation queue, and
    hidden (back to pending) once report_threshold() distinct readers reported it. Comments by staff
    are never hidden by reports, only listed. Raises RateLimited past the limits per client and comment.

    Returns whether this report hid the comment. A visitor reporting again counts once.
    """
    limits = settings.TRIBUNA_REPORT_LIMITS
    hit("report-client", visitor, *limits["report-client"])
    hit("report-comment", str(comment.pk), *limits["report-comment"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(comment=comment, visitor=visitor, reason=reason, note=note)
        except IntegrityError:
            return False
        comment = _locked(comment)
        if comment.status != APPROVED or comment.is_moderator:
            return False
        reporters = Report.objects.filter(comment=comment, resolved__isnull=True).count()
        if reporters < report_threshold(comment.thread_id):
            return False
        reasons = [*comment.spam_reasons, f"reported by {reporters} readers"]
        set_status(comment, PENDING, by=None, reasons=reasons)
        log_action(
            "discussion.comment.hidden_by_reports",
            obj=comment,
            before={"status": APPROVED},
            after={"status": PENDING},
            note=f"{reporters} reports",
        )
    return True


# --- Many comments at once ------------------------------------------------------------------------


def bulk(action: str, ids, user) -> int:
    """Apply one action to many comments in a bounded number of queries; returns how many changed."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    wanted = sorted({int(pk) for pk in ids})[:MAX_BULK]
    if not wanted:
        return 0
    with transaction.atomic():
        comments = list(Comment.objects.select_for_update().filter(pk__in=wanted))
        _resolve_reports(wanted)
        if action == "delete":
            return _bulk_delete(comments, user)
        return _bulk_status(BULK_ACTIONS[action], comments, user)


def _bulk_status(action: BulkAction, comments: list[Comment], user) -> int:
    previous = {c.pk: c.status for c in comments}
    if action.status is None:  # restore: each trashed comment gets its own words and status back
        changed = _restorable(comments)
        for comment in changed:
            comment.html = render_comment(comment.text)
        Comment.objects.bulk_update(changed, ["status", "text", "html"], batch_size=200)
    else:
        # A trashed comment has lost its words: only "restore" brings it back.
        changed = [c for c in comments if c.status not in (action.status, DELETED)]
        fields = {"status": action.status}
        if action.status == DELETED:
            CommentHistory.objects.bulk_create(
                [
                    CommentHistory(
                        comment=c,
                        kind=CommentHistory.Kind.TRASH,
                        text=c.text,
                        status=c.status,
                        by=user,
                        username=user.get_username(),
                    )
                    for c in changed
                ],
                batch_size=200,
            )
            fields.update(text="", html="")
        Comment.objects.filter(pk__in=[c.pk for c in changed]).update(**fields)
        for comment in changed:
            for name, value in fields.items():
                setattr(comment, name, value)
    if not changed:
        return 0
    _recount({c.thread_id for c in changed}, {c.parent_id for c in changed if c.parent_id})
    log_actions(
        [
            audit_entry(
                f"discussion.comment.{action.verb}",
                user=user,
                obj=c,
                before={"status": previous[c.pk]},
                after={"status": c.status},
            )
            for c in changed
        ]
    )
    for status in sorted({c.status for c in changed}):
        group = [c for c in changed if c.status == status]
        signals.comments_bulk_status_changed.send(
            sender=Comment,
            comments=group,
            previous_status={c.pk: previous[c.pk] for c in group},
            status=status,
            by=user,
        )
    return len(changed)


def _restorable(comments: list[Comment]) -> list[Comment]:
    """Trashed comments with their latest trash snapshot applied (one query)."""
    trashed = {c.pk: c for c in comments if c.status == DELETED}
    snapshots = CommentHistory.objects.filter(comment_id__in=list(trashed), kind=CommentHistory.Kind.TRASH)
    restored: dict[int, Comment] = {}
    for snapshot in snapshots.order_by("comment_id", "-created", "-id"):
        if snapshot.comment_id not in restored:
            comment = trashed[snapshot.comment_id]
            comment.text, comment.status = snapshot.text, snapshot.status or APPROVED
            restored[comment.pk] = comment
    return list(restored.values())


def _bulk_delete(comments: list[Comment], user) -> int:
    if not comments:
        return 0
    ids = [c.pk for c in comments]
    log_actions(
        [
            audit_entry("discussion.comment.deleted", user=user, obj=c, before={"status": c.status})
            for c in comments
        ]
    )
    CommentHistory.objects.filter(comment_id__in=ids).delete()
    with_replies = set(Comment.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True))
    # Comments with replies stay as placeholders, as discussion.services.delete_comment does.
    kept = [c for c in comments if c.pk in with_replies and c.status != DELETED]
    if kept:
        Comment.objects.filter(pk__in=[c.pk for c in kept]).update(status=DELETED, text="", html="")
        previous = {c.pk: c.status for c in kept}
        for comment in kept:
            comment.status, comment.text, comment.html = DELETED, "", ""
        signals.comments_bulk_status_changed.send(
            sender=Comment, comments=kept, previous_status=previous, status=DELETED, by=user
        )
    gone = [c for c in comments if c.pk not in with_replies]
    Comment.objects.filter(pk__in=[c.pk for c in gone]).delete()
    parents = {c.parent_id for c in comments if c.parent_id}
    _drop_empty_placeholders(parents)
    _recount({c.thread_id for c in comments}, parents)
    return len(comments)


def _drop_empty_placeholders(parent_ids: set[int]) -> None:
    """Placeholders whose last reply went are no longer needed; at most one pass per display level."""
    for _ in range(settings.TRIBUNA_MAX_DEPTH + 1):
        empty = list(
            Comment.objects.filter(pk__in=parent_ids, status=DELETED)
            .filter(~Exists(Comment.objects.filter(parent=OuterRef("pk"))))
            .values_list("pk", "parent_id")
        )
        if not empty:
            return
        Comment.objects.filter(pk__in=[pk for pk, _ in empty]).delete()
        parent_ids = {parent for _, parent in empty if parent}


def _recount(thread_ids: set[int], parent_ids: set[int]) -> None:
    """Recompute the denormalised counts from the rows: one UPDATE for threads, one for parents."""
    approved_in_thread = (
        Comment.objects.filter(thread=OuterRef("pk"), status=APPROVED)
        .order_by()
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Thread.objects.filter(pk__in=thread_ids).update(
        comment_count=Coalesce(Subquery(approved_in_thread), 0), version=F("version") + 1
    )
    if parent_ids:
        approved_replies = (
            Comment.objects.filter(parent=OuterRef("pk"), status=APPROVED)
            .order_by()
            .values("parent")
            .annotate(n=Count("pk"))
            .values("n")
        )
        Comment.objects.filter(pk__in=parent_ids).update(reply_count=Coalesce(Subquery(approved_replies), 0))
