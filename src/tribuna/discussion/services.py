"""Discussion operations: the verbs the page views, the API and commands all call.

Every write happens in one transaction together with the life-cycle signal it sends, so
the notification outbox and the audit log commit with the change or not at all.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from tribuna.antispam.screen import Candidate, Verdict, screen
from tribuna.discussion import signals
from tribuna.discussion.models import Comment, Thread, Vote
from tribuna.lib.http import network_of
from tribuna.lib.markup import render_comment
from tribuna.moderation.policy import apply_policy

EDIT_SALT = "tribuna.comment-edit"
SORTS = {
    # name: (order_by for top-level comments, the field the cursor carries, descending?)
    "oldest": (("-is_pinned", "created", "id"), "created", False),
    "newest": (("-is_pinned", "-created", "-id"), "created", True),
    "best": (("-is_pinned", "-score", "-id"), "score", True),
}
NOTIFY_CHOICES = ("none", "replies", "all")


class NotFound(Exception):
    pass


class Forbidden(Exception):
    pass


class InvalidCursor(ValueError):
    pass


@dataclass
class Submission:
    """A validated comment as it arrives from a form or the API."""

    thread: Thread
    text: str
    name: str
    email: str = ""
    url: str = ""
    parent_id: int | None = None
    notify: str = "none"
    ip: str = ""
    user_agent: str = ""
    honeypot: str = ""
    form_token: str | None = None
    anchor: list | None = None


@dataclass
class Posted:
    comment: Comment
    verdict: Verdict
    edit_token: str


# --- Threads ------------------------------------------------------------------------------

def thread_for_statement(statement) -> Thread:
    thread, _ = Thread.objects.get_or_create(
        key=statement.slug,
        defaults={"title": statement.title, "url": statement.get_absolute_url(), "statement": statement},
    )
    if thread.statement_id is None:
        # A thread an embedding page opened under this key before the statement existed:
        # the statement claims it, with its own title and address.
        thread.statement, thread.title, thread.url = statement, statement.title, statement.get_absolute_url()
        thread.save(update_fields=["statement", "title", "url"])
        bump(thread.pk)
    return thread


def public_threads():
    """Threads anyone may read and write: embedded pages', and published statements'."""
    from tribuna.statements.models import Statement

    return Thread.objects.filter(Q(statement__isnull=True) | Q(statement__in=Statement.objects.published()))


class PageThread(NamedTuple):
    """What a thread page needs of its thread; cheaper to build than a model instance."""

    pk: int
    version: int
    key: str
    title: str
    url: str
    comment_count: int
    is_open: bool


PAGE_THREAD_FIELDS = ("id", "version", "key", "title", "url", "comment_count", "is_open")


@functools.cache
def _page_thread_sql(vendor: str) -> str:
    """The thread by key, if public: not attached to a statement, or to a published one."""
    from tribuna.statements.models import Statement

    quote = connection.ops.quote_name
    columns = ", ".join(f"t.{quote(field)}" for field in PAGE_THREAD_FIELDS)
    return (
        f"SELECT {columns} FROM {quote(Thread._meta.db_table)} t "  # noqa: S608 - names are ours
        f"LEFT JOIN {quote(Statement._meta.db_table)} s ON s.{quote('id')} = t.{quote('statement_id')} "
        f"WHERE t.{quote('key')} = %s AND (t.{quote('statement_id')} IS NULL "
        f"OR (s.{quote('status')} = %s AND s.{quote('published_at')} <= %s))"
    )


def page_thread(key: str) -> PageThread | None:
    """The thread a page request names, read with one hand-written query.

    This runs on every thread-page request, cached or not. Django compiles an ORM query
    anew each time, which costs over ten times the query itself here (0.48 ms against
    0.04 ms measured), so the hottest lookup is written out; the ORM does everything else.
    """
    with connection.cursor() as cursor:
        cursor.execute(_page_thread_sql(connection.vendor), [key, "published", timezone.now()])
        row = cursor.fetchone()
    return PageThread(*row[:-1], is_open=bool(row[-1])) if row else None  # SQLite answers 0 or 1


def bump(thread_id: int) -> None:
    """Name a new state of the thread: cached pages and ETags of the old one stop matching."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)


def set_thread_open(thread: Thread, is_open: bool) -> None:
    thread.is_open = is_open
    thread.save(update_fields=["is_open"])
    bump(thread.pk)


# --- Edit tokens ------------------------------------------------------------------------------

def make_edit_token(comment: Comment) -> str:
    """A signed token bound to one comment and to editing; its age is checked on use."""
    return signing.dumps({"c": comment.pk}, salt=EDIT_SALT, compress=False)


def check_edit_token(comment: Comment, token: str) -> None:
    try:
        data = signing.loads(token, salt=EDIT_SALT, max_age=settings.TRIBUNA_EDIT_WINDOW)
    except signing.SignatureExpired as exc:
        raise Forbidden("The time to edit this comment has passed.") from exc
    except signing.BadSignature as exc:
        raise Forbidden("This edit token is not valid for this comment.") from exc
    if data.get("c") != comment.pk:
        raise Forbidden("This edit token is not valid for this comment.")


# --- Posting ------------------------------------------------------------------------------------

def _place_reply(thread: Thread, parent_id: int | None) -> tuple[Comment | None, Comment | None]:
    """The parent to show a reply under, and the comment it answers if the depth cap moved it."""
    if parent_id is None:
        return None, None
    parent = Comment.objects.filter(pk=parent_id, thread_id=thread.pk).approved().first()
    if parent is None:
        raise NotFound("The comment you are replying to does not exist in this thread.")
    answered = parent
    # Display depth is capped: a reply to a comment at the deepest level is shown beside it.
    max_depth = settings.TRIBUNA_MAX_DEPTH - 1
    if parent.depth >= max_depth:
        parent = Comment.objects.get(pk=parent.parent_id)
        return parent, answered
    return parent, None


def _page_text(thread: Thread) -> str:
    """The text of the statement a discussion is under: the spam filter measures how far a comment is from it."""
    if thread.statement_id is None:
        return ""
    from tribuna.statements.models import Statement

    return Statement.objects.filter(pk=thread.statement_id).values_list("plain_text", flat=True).first() or ""


def _known_author(email: str, excluding: int | None = None) -> bool:
    """Has this address had a comment approved before? The spam filter is more patient with regulars."""
    if not email:
        return False
    return Comment.objects.approved().filter(author_email__iexact=email).exclude(pk=excluding).exists()


def post_comment(submission: Submission, *, rate_limit: bool = True, is_moderator: bool = False) -> Posted:
    thread = submission.thread
    if not thread.is_open:
        raise Forbidden("This discussion is closed to new comments.")
    parent, reply_to = _place_reply(thread, submission.parent_id)
    if is_moderator:
        # Staff replies skip screening and pre-moderation: they are the moderators.
        verdict = Verdict(reasons=["written by a moderator"])
    else:
        page_url, page_title = thread.page()
        verdict = screen(
            Candidate(
                text=submission.text, name=submission.name, email=submission.email, url=submission.url,
                ip=submission.ip, user_agent=submission.user_agent, thread_key=thread.key,
                page_url=page_url, page_title=page_title, page_text=_page_text(thread),
                known_author=_known_author(submission.email),
                honeypot=submission.honeypot, form_token=submission.form_token,
            ),
            rate_limit=rate_limit,
        )
        apply_policy(thread, submission, verdict)
    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            reply_to=reply_to,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=(parent.depth + 1) if parent else 0,
            author_name=submission.name,
            author_email=submission.email,
            author_url=submission.url,
            is_moderator=is_moderator,
            text=submission.text,
            html=render_comment(submission.text),
            status=verdict.status,
            ip_address=submission.ip or None,
            ip_network=network_of(submission.ip),
            user_agent=submission.user_agent[:400],
            spam_score=verdict.score,
            spam_reasons=verdict.reasons,
        )
        if submission.anchor:
            from tribuna.inline.services import attach_anchor

            attach_anchor(comment, submission.anchor)
        if comment.status == Comment.Status.APPROVED:
            count_visible(comment, +1)
        signals.comment_created.send(sender=Comment, comment=comment, notify=submission.notify)
        if comment.status == Comment.Status.APPROVED:
            signals.comment_approved.send(sender=Comment, comment=comment, previous_status=None, by=None)
    return Posted(comment=comment, verdict=verdict, edit_token=make_edit_token(comment))


def count_visible(comment: Comment, delta: int) -> None:
    """Keep the thread's count and the parent's reply count in step with visibility."""
    Thread.objects.filter(pk=comment.thread_id).update(
        comment_count=F("comment_count") + delta, version=F("version") + 1
    )
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


# --- Changing a comment -----------------------------------------------------------------------------

def edit_comment(comment: Comment, *, text: str, by=None, name: str | None = None, url: str | None = None) -> Comment:
    """Author or moderator edit: the same validation and screening as a new comment."""
    previous_text = comment.text
    verdict = None
    if by is None:
        author_url = url if url is not None else comment.author_url
        page_url, page_title = comment.thread.page()
        verdict = screen(
            Candidate(text=text, name=name or comment.author_name, email=comment.author_email,
                      url=author_url, ip=comment.ip_address or "", thread_key=comment.thread.key,
                      page_url=page_url, page_title=page_title, page_text=_page_text(comment.thread),
                      known_author=_known_author(comment.author_email, excluding=comment.pk), is_edit=True),
            rate_limit=False,
        )
        # The thread's own rules (suspect words, links, hold all) apply to edits as to new comments.
        apply_policy(comment.thread, Submission(thread=comment.thread, text=text, name=name or comment.author_name,
                                                email=comment.author_email, url=author_url), verdict)
    with transaction.atomic():
        if verdict is not None and verdict.action != "approve" and comment.status == Comment.Status.APPROVED:
            set_status(comment, verdict.status, by=None, reasons=verdict.reasons, score=verdict.score)
        comment.text = text
        comment.html = render_comment(text)
        comment.edited = timezone.now()
        if name is not None:
            comment.author_name = name
        if url is not None:
            comment.author_url = url
        comment.save(update_fields=["text", "html", "edited", "author_name", "author_url"])
        bump(comment.thread_id)
        signals.comment_edited.send(sender=Comment, comment=comment, previous_text=previous_text, by=by)
    return comment


def set_status(comment: Comment, status: str, *, by=None, reasons: list[str] | None = None,
               score: float | None = None) -> Comment:
    """Move a comment between approved, pending, spam and deleted, keeping counts right."""
    previous = comment.status
    if previous == status:
        return comment
    with transaction.atomic():
        was_visible = previous == Comment.Status.APPROVED
        comment.status = status
        fields = ["status"]
        if reasons is not None:
            comment.spam_reasons = reasons
            fields.append("spam_reasons")
        if score is not None:
            comment.spam_score = score
            fields.append("spam_score")
        if status == Comment.Status.DELETED:
            # Keep the row as a placeholder so replies keep their place; drop the words.
            comment.text, comment.html = "", ""
            fields += ["text", "html"]
        comment.save(update_fields=fields)
        now_visible = status == Comment.Status.APPROVED
        if was_visible != now_visible:
            count_visible(comment, +1 if now_visible else -1)
        else:
            bump(comment.thread_id)
        signals.comment_status_changed.send(sender=Comment, comment=comment, previous_status=previous, by=by)
        if now_visible:
            signals.comment_approved.send(sender=Comment, comment=comment, previous_status=previous, by=by)
    return comment


def delete_comment(comment: Comment, *, by=None) -> None:
    """Remove a comment: a placeholder if it has replies, otherwise gone."""
    with transaction.atomic():
        signals.comment_deleted.send(sender=Comment, comment=comment, by=by)
        if Comment.objects.filter(parent=comment).exists():
            set_status(comment, Comment.Status.DELETED, by=by)
            return
        if comment.status == Comment.Status.APPROVED:
            count_visible(comment, -1)
        else:
            bump(comment.thread_id)
        parent_id = comment.parent_id
        comment.delete()
        _drop_empty_placeholder(parent_id)


def _drop_empty_placeholder(parent_id: int | None) -> None:
    """A deleted placeholder whose last reply went is no longer needed."""
    while parent_id:
        parent = Comment.objects.filter(pk=parent_id, status=Comment.Status.DELETED).first()
        if parent is None or Comment.objects.filter(parent=parent).exists():
            return
        parent_id = parent.parent_id
        parent.delete()


def vote(comment: Comment, voter: str, value: int) -> Comment:
    """One vote per visitor; voting again with the same value takes it back, the other value flips it."""
    if value not in (1, -1):
        raise ValueError("value must be 1 or -1")
    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(comment=comment, voter=voter).first()
        up = down = 0
        if existing is None:
            Vote.objects.create(comment=comment, voter=voter, value=value)
            up, down = (1, 0) if value == 1 else (0, 1)
        elif existing.value == value:
            existing.delete()
            up, down = (-1, 0) if value == 1 else (0, -1)
        else:
            existing.value = value
            existing.save(update_fields=["value"])
            up, down = (1, -1) if value == 1 else (-1, 1)
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
        )
        bump(comment.thread_id)
    comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    return comment


# --- Reading ----------------------------------------------------------------------------------------

def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[bool, object, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        pinned, key, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(pinned, bool) or not isinstance(pk, int):
            raise TypeError
        if sort == "best":
            if not isinstance(key, int):
                raise TypeError
        else:
            key = datetime.fromisoformat(key)
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise InvalidCursor("The cursor is not one this server gave out.") from exc
    return pinned, key, pk


def _after_cursor(sort: str, pinned: bool, key, pk: int) -> Q:
    """Rows strictly after (pinned, key, id) in the sort's order: a keyset, not an offset."""
    _, field, descending = SORTS[sort]
    key_after = Q(**{f"{field}__lt": key}) if descending else Q(**{f"{field}__gt": key})
    id_after = Q(id__lt=pk) if descending else Q(id__gt=pk)
    same_pin = Q(is_pinned=pinned)
    after = same_pin & (key_after | (Q(**{field: key}) & id_after))
    if pinned:  # pinned rows come first; every unpinned row is after any pinned one
        after |= Q(is_pinned=False)
    return after


LIST_FIELDS = (
    "id", "parent_id", "reply_to_id", "status", "author_name", "author_url", "html", "created",
    "edited", "score", "upvotes", "downvotes", "is_pinned", "is_moderator", "anchor", "anchor_orphaned",
)


def serialise_row(row: dict, names: dict[int, str]) -> dict:
    """A comment as the API and pages show it: no email, no address, placeholders emptied."""
    deleted = row["status"] != Comment.Status.APPROVED  # a placeholder: nothing of it is shown
    reply_to = row["reply_to_id"]
    return {
        "id": row["id"],
        "parent": row["parent_id"],
        "author": {"name": "" if deleted else row["author_name"], "url": None if deleted else row["author_url"] or None},
        "html": "" if deleted else row["html"],
        "created": row["created"].isoformat(),
        "edited": row["edited"].isoformat() if row["edited"] else None,
        "score": row["score"],
        "upvotes": row["upvotes"],
        "downvotes": row["downvotes"],
        "deleted": deleted,
        "pinned": row["is_pinned"],
        "moderator": row["is_moderator"],
        "reply_to": {"id": reply_to, "name": names.get(reply_to, "")} if reply_to else None,
        "anchor": None if deleted else row["anchor"],
        "anchor_orphaned": row["anchor_orphaned"],
        "replies": [],
    }


def serialise(comment: Comment, names: dict[int, str] | None = None) -> dict:
    return serialise_row({field: getattr(comment, field) for field in LIST_FIELDS}, names or {})


def thread_page(thread: Thread | PageThread, *, sort: str = "oldest", cursor: str | None = None, limit: int | None = None,
                passages_only: bool = False) -> dict:
    """One page of top-level comments with all their replies, in two queries whatever the thread's size.

    Rows are read as dicts, not model instances (building ~200 model objects was most of a
    cold page's cost). Callers cache the result under the thread's version, so a cached
    page can never outlive a change.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    limit = min(limit or settings.TRIBUNA_PAGE_SIZE, settings.TRIBUNA_MAX_PAGE_SIZE)
    order, field, _ = SORTS[sort]
    roots_qs = Comment.objects.visible().filter(thread_id=thread.pk, depth=0)
    if passages_only:
        roots_qs = roots_qs.filter(anchor__isnull=False)
    if cursor:
        roots_qs = roots_qs.filter(_after_cursor(sort, *decode_cursor(cursor, sort)))
    roots = list(roots_qs.order_by(*order).values(*LIST_FIELDS)[: limit + 1])
    more = len(roots) > limit
    roots = roots[:limit]
    replies = (
        list(Comment.objects.visible().filter(root_id__in=[r["id"] for r in roots])
             .order_by("created", "id").values(*LIST_FIELDS))
        if roots else []
    )
    rows = [*roots, *replies]
    names = {r["id"]: (r["author_name"] if r["status"] == Comment.Status.APPROVED else "") for r in rows}
    missing = {r["reply_to_id"] for r in replies if r["reply_to_id"] and r["reply_to_id"] not in names}
    if missing:
        names.update(Comment.objects.approved().filter(pk__in=missing).values_list("pk", "author_name"))
    nodes = {r["id"]: serialise_row(r, names) for r in rows}
    for reply in replies:  # iterative tree building: parents come before their replies
        parent = nodes.get(reply["parent_id"])
        if parent is not None:
            parent["replies"].append(nodes[reply["id"]])
    next_cursor = None
    if more and roots:
        last = roots[-1]
        key = last["score"] if sort == "best" else last["created"].isoformat()
        next_cursor = encode_cursor([last["is_pinned"], key, last["id"]])
    page = {
        "thread": {
            "key": thread.key, "title": thread.title, "url": thread.url,
            "count": thread.comment_count, "open": thread.is_open,
        },
        "comments": [nodes[r["id"]] for r in roots],
        "next": next_cursor,
    }
    return page


def counts(keys: list[str]) -> dict[str, int]:
    found = dict(public_threads().filter(key__in=keys).values_list("key", "comment_count"))
    return {key: found.get(key, 0) for key in keys}
