"""Discussion operations: the verbs the page views, the API and commands all call.

Each change and the life-cycle signal it sends (discussion.signals) share one transaction,
so what receivers write (notification events, spam labels) commits with the change or not at all.
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
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tribuna.antispam.screen import APPROVE, DISCARD, HOLD, SPAM, Candidate, Verdict, screen
from tribuna.discussion import signals
from tribuna.discussion.models import Comment, Thread, VerifiedAddress, Vote
from tribuna.lib.errors import Forbidden, InvalidInput, NotFound
from tribuna.lib.http import network_of, rate_key_of
from tribuna.lib.markup import render_comment
from tribuna.lib.origins import origin_allowed
from tribuna.lib.pagekeys import MAX_KEY_LENGTH, origin_of, page_key
from tribuna.lib.ratelimit import hit
from tribuna.lib.sql import insert, select
from tribuna.lib.text import clean_line
from tribuna.statements.models import Statement

EDIT_SALT = "tribuna.comment-edit"
SORTS = {
    # name: (order_by for top-level comments, the field the cursor carries, descending?)
    "oldest": (("-is_pinned", "created", "id"), "created", False),
    "newest": (("-is_pinned", "-created", "-id"), "created", True),
    "best": (("-is_pinned", "-score", "-id"), "score", True),
}
SORT_LABELS = {
    "oldest": pgettext_lazy("sort", "oldest"),
    "newest": pgettext_lazy("sort", "newest"),
    "best": pgettext_lazy("sort", "best"),
}
# The status a screening verdict gives a comment.
STATUS_OF = {
    APPROVE: Comment.Status.APPROVED,
    HOLD: Comment.Status.PENDING,
    SPAM: Comment.Status.SPAM,
    DISCARD: Comment.Status.SPAM,
}
# What the author of a new comment is told, by its status.
STATUS_MESSAGES: dict[str, str | Promise] = {
    Comment.Status.APPROVED: _("Your comment is published."),
    Comment.Status.PENDING: _(
        "Your comment is awaiting moderation and will appear once a moderator approves it."
    ),
    Comment.Status.SPAM: _("Your comment was held as possible spam; a moderator will review it."),
}


class InvalidCursor(InvalidInput):
    def __init__(self, message: str):
        super().__init__(message, field="cursor")


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
    needs_proof: bool = False  # see antispam.screen.Candidate
    proof_of_work: str = ""
    anchor: list | None = None
    owns_email: bool = False  # the request proved its sender owns `email` (lib.owned_addresses)
    is_edit: bool = False  # an author's edit of a comment already past the first-comment rule
    language: str = ""


@dataclass
class Posted:
    comment: Comment
    verdict: Verdict
    edit_token: str


# --- Threads ------------------------------------------------------------------------------


def thread_for_statement(statement) -> Thread:
    """The statement's discussion, keyed by its slug: that key is the statement's alone.
    A translation of a statement whose discussion is shared uses the original's."""
    if statement.translation_of_id and statement.translation_of.shared_discussion:
        statement = statement.translation_of
    with transaction.atomic():
        stray = Thread.objects.select_for_update().filter(key=statement.slug, statement__isnull=True).first()
        if stray is not None:
            # Slugs were never a key embeds may create; a thread under one without its statement
            # was made some other way (an old import, a benchmark's seed). It must not become the
            # statement's discussion with comments nobody wrote there: it moves aside for moderators.
            Thread.objects.filter(pk=stray.pk).update(key=f"{statement.slug}#stray-{stray.pk}"[:300])
        thread, _ = Thread.objects.get_or_create(
            key=statement.slug,
            defaults={"title": statement.title, "url": statement.get_absolute_url(), "statement": statement},
        )
    return thread


def thread_for_embed(key: str, *, origin: str, ip: str, title: str = "") -> Thread | None:
    """Create the thread of an embedding page on its first comment.

    Only for a page address (a slug names a statement, published or not yet, and never opens
    a thread here) on the configured origin the request comes from: a page of one allowed site
    cannot open threads for another's pages. Anything else is an unknown thread.
    """
    key = page_key(key) or ""
    sender = page_key(origin)
    if (
        not key
        or len(key) > MAX_KEY_LENGTH
        or not origin_allowed(origin)
        or sender is None
        or origin_of(key) != origin_of(sender)
    ):
        return None
    # The Origin header keeps browsers on other sites out, but any script can send it:
    # opening new threads is limited per client like posting is.
    hit("new-thread", rate_key_of(ip), *settings.TRIBUNA_NEW_THREAD_LIMIT)
    thread, _ = Thread.objects.get_or_create(key=key, defaults={"title": clean_line(title)[:300], "url": key})
    return thread


def public_threads():
    """Threads anyone may read and write: embedded pages', and published statements'."""
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
def _page_thread_sql(vendor: str, fields: tuple[str, ...] = PAGE_THREAD_FIELDS) -> str:
    """The thread by key, if public: not attached to a statement, or to a published one."""
    quote = connection.ops.quote_name
    columns = ", ".join(f"t.{quote(field)}" for field in fields)
    return (
        f"SELECT {columns} FROM {quote(Thread._meta.db_table)} t "  # noqa: S608 - names are ours
        f"LEFT JOIN {quote(Statement._meta.db_table)} s ON s.{quote('id')} = t.{quote('statement_id')} "
        f"WHERE t.{quote('key')} = %s AND (t.{quote('statement_id')} IS NULL "
        f"OR (s.{quote('status')} = %s AND s.{quote('published_at')} <= %s))"
    )


def page_thread(key: str) -> PageThread | None:
    """The thread a page request names, read with one hand-written query.

    This runs on every thread-page request, cached or not, and Django compiles an ORM query
    anew each time, which costs many times the query itself (bench/bench_thread_page.py), so
    the hottest lookup is written out; the ORM does everything else. It repeats the meaning
    of Statement.objects.published(): tests/discussion/test_published.py proves they agree.
    """
    row = _public_thread_row(key, PAGE_THREAD_FIELDS)
    return PageThread._make([*row[:-1], bool(row[-1])]) if row else None  # is_open: SQLite answers 0 or 1


def _public_thread_row(key: str, fields: tuple[str, ...]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            _page_thread_sql(connection.vendor, fields), [key, Statement.Status.PUBLISHED, timezone.now()]
        )
        return cursor.fetchone()


# Every column a comment needs of its thread when posting (the creation time is left deferred).
POST_THREAD_FIELDS = tuple(f.attname for f in Thread._meta.concrete_fields if f.attname != "created")


def public_thread(key: str) -> Thread | None:
    """The thread to post in, by key, if public: the same query as page_thread(), as a model."""
    row = _public_thread_row(key, POST_THREAD_FIELDS)
    return Thread.from_db(connection.alias, POST_THREAD_FIELDS, row) if row else None


def new_thread_version(thread_id: int) -> None:
    """Name a new state of the thread: cached pages and ETags of the old one stop matching."""
    Thread.objects.filter(pk=thread_id).update(version=F("version") + 1)


def set_thread_open(thread: Thread, is_open: bool) -> None:
    thread.is_open = is_open
    thread.save(update_fields=["is_open"])
    new_thread_version(thread.pk)


# --- Addresses whose owners proved them ---------------------------------------------------------


def record_ownership(email: str) -> None:
    """The owner followed a link mailed to the address and pressed its button."""
    VerifiedAddress.objects.update_or_create(
        email=email.strip().lower(), defaults={"verified_at": timezone.now()}
    )


def is_verified(email: str) -> bool:
    return VerifiedAddress.objects.filter(email=email.strip().lower()).exists()


def forget_ownership(email: str) -> int:
    return VerifiedAddress.objects.filter(email=email.strip().lower()).delete()[0]


# --- Edit tokens ------------------------------------------------------------------------------


def make_edit_token(comment: Comment) -> str:
    """A signed token bound to one comment and to editing; its age is checked on use."""
    return signing.dumps({"c": comment.pk}, salt=EDIT_SALT, compress=False)


def check_edit_token(comment: Comment, token: str) -> None:
    try:
        data = signing.loads(token, salt=EDIT_SALT, max_age=settings.TRIBUNA_EDIT_WINDOW)
    except signing.SignatureExpired as exc:
        raise Forbidden(_("The time to edit this comment has passed.")) from exc
    except signing.BadSignature as exc:
        raise Forbidden(_("This edit token is not valid for this comment.")) from exc
    if data.get("c") != comment.pk:
        raise Forbidden(_("This edit token is not valid for this comment."))
    # A closed discussion is a record: its authors can no longer rewrite or remove what it says.
    if not comment.thread.is_open:
        raise Forbidden(_("This discussion is closed: comments in it can no longer be edited or deleted."))


# --- Posting ------------------------------------------------------------------------------------

# What placing a reply reads of the comment it answers.
PLACING_FIELDS = ("id", "thread_id", "parent_id", "root_id", "depth")
MAX_ID = 2**63 - 1  # the largest id either database holds (a 64-bit signed integer)


class PostingSql(NamedTuple):
    known_author: str
    known_author_excluding: str
    count_in_thread: str
    count_replies: str


@functools.cache
def _sql(vendor: str) -> PostingSql:
    """The statements every post runs, written out once: Django compiles an ORM query anew on each
    call, at several times the cost of running it, and these ran on every post (issue 14).

    They repeat the ORM's meaning (`approved()`, F() updates): tests/discussion/test_posting_sql.py
    runs each against its queryset.
    """
    quote = connection.ops.quote_name
    comments, threads = quote(Comment._meta.db_table), quote(Thread._meta.db_table)
    id_, status, kind = quote("id"), quote("status"), quote("kind")
    approved = f"{status} = %s AND {kind} = %s"  # CommentQuerySet.approved()
    known = f"SELECT 1 FROM {comments} WHERE {approved} AND {quote('author_email')} = %s"  # noqa: S608
    return PostingSql(
        known_author=f"{known} LIMIT 1",
        known_author_excluding=f"{known} AND {id_} <> %s LIMIT 1",
        count_in_thread=(
            f"UPDATE {threads} SET {quote('comment_count')} = {quote('comment_count')} + %s, "  # noqa: S608
            f"{quote('version')} = {quote('version')} + 1 WHERE {id_} = %s"
        ),
        count_replies=(
            f"UPDATE {comments} SET {quote('reply_count')} = {quote('reply_count')} + %s "  # noqa: S608
            f"WHERE {id_} = %s"
        ),
    )


def _place_reply(thread: Thread, parent_id: int | None) -> tuple[Comment | None, Comment | None]:
    """The parent to show a reply under, and the comment it answers if the depth cap moved it."""
    if parent_id is None:
        return None, None
    if not 0 < parent_id <= MAX_ID:  # the query below hands the number to the database as it is
        raise NotFound(_("The comment you are replying to does not exist in this thread."))
    found = select(
        Comment,
        PLACING_FIELDS,
        "id = %s AND thread_id = %s AND status = %s AND kind = %s",  # approved(): CommentQuerySet
        [parent_id, thread.pk, Comment.Status.APPROVED, Comment.Kind.COMMENT],
    )
    if not found:
        raise NotFound(_("The comment you are replying to does not exist in this thread."))
    parent = answered = found[0]
    # Display depth is capped: a reply to a comment at the deepest level is shown beside it.
    max_depth = settings.TRIBUNA_MAX_DEPTH - 1
    if parent.depth >= max_depth:
        assert parent.parent_id is not None  # a reply at the depth cap is below the top level
        parent = Comment.objects.only(*PLACING_FIELDS).get(pk=parent.parent_id)
        return parent, answered
    return parent, None


def _page_text(thread: Thread) -> str:
    """The text of the statement a discussion is under: the spam filter measures how far a comment is from it."""
    if thread.statement_id is None:
        return ""
    found = select(Statement, ("id", "plain_text"), "id = %s", [thread.statement_id])
    return (found[0].plain_text if found else "") or ""


def _known_author(email: str, excluding: int | None = None) -> bool:
    """Has this address had a comment approved before? The spam filter is more patient with regulars."""
    if not email:
        return False
    # Addresses are stored lower-case (forms, imports), so an exact match can use the address index:
    # iexact is a LIKE that SQLite answers by reading every comment of the site.
    sql = _sql(connection.vendor)
    params = [Comment.Status.APPROVED, Comment.Kind.COMMENT, email.lower()]
    with connection.cursor() as cursor:
        if excluding is None:
            cursor.execute(sql.known_author, params)
        else:
            cursor.execute(sql.known_author_excluding, [*params, excluding])
        return cursor.fetchone() is not None


def _candidate(thread: Thread, **fields) -> Candidate:
    """What screening reads of a new or edited comment: its fields and the page it is under."""
    page = thread.page()
    return Candidate(
        thread_key=thread.key,
        page_url=page.url,
        page_title=page.title,
        page_text=_page_text(thread),
        **fields,
    )


def post_comment(submission: Submission, *, rate_limit: bool = True, is_moderator: bool = False) -> Posted:
    """Screen, store and announce a comment. Raises a DomainError, having stored nothing, if refused."""
    thread = submission.thread
    signals.comment_submitted.send(sender=Comment, thread=thread, submission=submission)
    if not thread.is_open:
        raise Forbidden(_("This discussion is closed to new comments."))
    parent, reply_to = _place_reply(thread, submission.parent_id)
    if is_moderator:
        # Staff replies skip screening and pre-moderation: they are the moderators.
        verdict = Verdict(reasons=["written by a moderator"])
    else:
        verdict = screen(
            _candidate(
                thread,
                text=submission.text,
                name=submission.name,
                email=submission.email,
                url=submission.url,
                ip=submission.ip,
                user_agent=submission.user_agent,
                known_author=_known_author(submission.email),
                honeypot=submission.honeypot,
                form_token=submission.form_token,
                needs_proof=submission.needs_proof,
                proof_of_work=submission.proof_of_work,
            ),
            rate_limit=rate_limit,
        )
        signals.comment_screened.send(sender=Comment, thread=thread, submission=submission, verdict=verdict)
    with transaction.atomic():
        comment = Comment(
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
            language=submission.language,
            status=STATUS_OF[verdict.action],
            ip_address=submission.ip or None,
            ip_network=network_of(submission.ip),
            user_agent=submission.user_agent[:400],
            spam_score=verdict.score,
            spam_reasons=verdict.reasons,
        )
        insert(comment)
        if comment.status == Comment.Status.APPROVED:
            count_visible(comment, +1)
        signals.comment_created.send(
            sender=Comment,
            comment=comment,
            notify=submission.notify,
            anchor=submission.anchor,
            owns_email=submission.owns_email,
        )
        if comment.status == Comment.Status.APPROVED:
            signals.comment_approved.send(sender=Comment, comment=comment, previous_status=None, by=None)
    return Posted(comment=comment, verdict=verdict, edit_token=make_edit_token(comment))


def recount_threads(thread_ids) -> None:
    """Set the denormalised counts of whole threads from their rows, after bulk writes (imports).

    Counted with GROUP BY and written back grouped by value: a correlated subquery per
    comment lets SQLite scan the table once per row (quadratic on a 100,000-comment import).
    """
    shown = Q(status=Comment.Status.APPROVED, kind=Comment.Kind.COMMENT)
    for chunk in _chunks(sorted(thread_ids), 500):
        in_chunk = Comment.objects.filter(thread_id__in=chunk)
        per_thread = dict(in_chunk.filter(shown).order_by().values_list("thread_id").annotate(n=Count("pk")))
        for thread_id in chunk:
            Thread.objects.filter(pk=thread_id).update(
                comment_count=per_thread.get(thread_id, 0), version=F("version") + 1
            )
        replies = (
            in_chunk.filter(shown, parent__isnull=False)
            .order_by()
            .values_list("parent_id")
            .annotate(n=Count("pk"))
        )
        by_count: dict[int, list[int]] = {}
        for parent_id, n in replies:
            by_count.setdefault(n, []).append(parent_id)
        in_chunk.exclude(reply_count=0).update(reply_count=0)
        for n, parent_ids in by_count.items():
            for ids in _chunks(parent_ids, 500):
                Comment.objects.filter(pk__in=ids).update(reply_count=n)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def count_visible(comment: Comment, delta: int) -> None:
    """Keep the thread's count and the parent's reply count in step with visibility."""
    sql = _sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql.count_in_thread, [delta, comment.thread_id])
        if comment.parent_id:
            cursor.execute(sql.count_replies, [delta, comment.parent_id])


# --- Changing a comment -----------------------------------------------------------------------------


def edit_comment(
    comment: Comment, *, text: str, by=None, name: str | None = None, url: str | None = None, ip: str = ""
) -> Comment:
    """Author or moderator edit: the same validation, screening and rate limits as a new comment.

    An author's edit counts against the posting limits (per client, address, thread, site), from
    the address it comes from (`ip`), so editing cannot replay expensive screening without limit.
    Raises RateLimited before anything changes.
    """
    verdict = None
    if by is None:
        author_url = url if url is not None else comment.author_url
        verdict = screen(
            _candidate(
                comment.thread,
                text=text,
                name=name or comment.author_name,
                email=comment.author_email,
                url=author_url,
                ip=ip or comment.ip_address or "",
                known_author=_known_author(comment.author_email, excluding=comment.pk),
                is_edit=True,
                edited_text=comment.text,
            ),
        )
        # The thread's own rules (suspect words, links, hold all) apply to edits as to new comments.
        edited = Submission(
            thread=comment.thread,
            text=text,
            name=name or comment.author_name,
            email=comment.author_email,
            url=author_url,
            is_edit=True,
        )
        signals.comment_screened.send(
            sender=Comment, thread=comment.thread, submission=edited, verdict=verdict
        )
    with transaction.atomic():
        if verdict is not None and verdict.action != APPROVE and comment.status == Comment.Status.APPROVED:
            set_status(
                comment, STATUS_OF[verdict.action], by=None, reasons=verdict.reasons, score=verdict.score
            )
        comment.text = text
        comment.html = render_comment(text)
        comment.edited = timezone.now()
        if name is not None:
            comment.author_name = name
        if url is not None:
            comment.author_url = url
        comment.save(update_fields=["text", "html", "edited", "author_name", "author_url"])
        new_thread_version(comment.thread_id)
    return comment


def set_status(
    comment: Comment, status: str, *, by=None, reasons: list[str] | None = None, score: float | None = None
) -> Comment:
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
            new_thread_version(comment.thread_id)
        signals.comment_status_changed.send(sender=Comment, comment=comment, previous_status=previous, by=by)
        if now_visible:
            signals.comment_approved.send(sender=Comment, comment=comment, previous_status=previous, by=by)
    return comment


def delete_comment(comment: Comment, *, by=None) -> None:
    """Remove a comment: a placeholder if it has replies, otherwise gone."""
    with transaction.atomic():
        if Comment.objects.filter(parent=comment).exists():
            set_status(comment, Comment.Status.DELETED, by=by)
            return
        if comment.status == Comment.Status.APPROVED:
            count_visible(comment, -1)
        else:
            new_thread_version(comment.thread_id)
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
    """One vote per visitor; voting again with the same value takes it back, the other value flips it.

    Raises RateLimited past the limits per client, per comment and per client and comment.
    """
    if value not in (1, -1):
        raise ValueError("value must be 1 or -1")
    limits = settings.TRIBUNA_VOTE_LIMITS
    hit("vote-client", voter, *limits["vote-client"])
    hit("vote-comment", str(comment.pk), *limits["vote-comment"])
    # Each vote after the first on one comment takes back or flips the last one: bounded, so one
    # client cannot make a comment's score flicker (or fill the audit of votes) endlessly.
    hit("vote-change", f"{voter}:{comment.pk}", limits["vote-change"][0] + 1, limits["vote-change"][1])
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
        new_thread_version(comment.thread_id)
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
    """Rows strictly after (pinned, key, id) in the sort's order: a keyset, not an offset.

    The page's SQL (_page_sql) writes the same condition out; tests/discussion/test_page_sql.py
    proves both agree.
    """
    _, field, descending = SORTS[sort]
    key_after = Q(**{f"{field}__lt": key}) if descending else Q(**{f"{field}__gt": key})
    id_after = Q(id__lt=pk) if descending else Q(id__gt=pk)
    same_pin = Q(is_pinned=pinned)
    after = same_pin & (key_after | (Q(**{field: key}) & id_after))
    if pinned:  # pinned rows come first; every unpinned row is after any pinned one
        after |= Q(is_pinned=False)
    return after


@functools.cache
def _page_sql(vendor: str, sort: str, passages_only: bool, cursor_pinned: bool | None) -> str:
    """The page's top-level comments, in the sort's order, after the cursor if there is one.

    Written out and built once per shape: compiling the equivalent ORM query and converting
    its rows cost more than the rest of a cold page. tests/discussion/test_page_sql.py proves
    it returns what `Comment.objects.visible()` with the same filters and order does. The
    indexes `thread_top_*` let the database read the first rows in order and stop, so the
    cost does not grow with the thread.
    """
    order, field, descending = SORTS[sort]
    where = ["c.thread_id = %s", "c.depth = 0", _VISIBLE_SQL]
    if passages_only:
        where.append("c.anchor IS NOT NULL")
    if cursor_pinned is not None:
        # Rows strictly after (pinned, key, id) in the sort's order: a keyset, not an offset.
        op = "<" if descending else ">"
        after = f"(c.is_pinned = %s AND (c.{field} {op} %s OR (c.{field} = %s AND c.id {op} %s)))"
        if cursor_pinned:  # pinned rows come first; every unpinned row is after any pinned one
            after = f"({after} OR c.is_pinned = %s)"
        where.append(after)
    order_sql = ", ".join(
        f"c.{name.lstrip('-')} {'DESC' if name.startswith('-') else 'ASC'}" for name in order
    )
    return _select_comments(" AND ".join(where)) + f" ORDER BY {order_sql} LIMIT %s"


# Shown publicly: what Comment.objects.visible() defines, as SQL for the page queries.
_VISIBLE_SQL = (
    f"((c.status = %s AND c.kind = '{Comment.Kind.COMMENT.value}')"  # noqa: S608 - our constants
    f" OR EXISTS (SELECT 1 FROM {Comment._meta.db_table} child WHERE child.parent_id = c.id))"
)


def _select_comments(where: str) -> str:
    # The JSON shape's module builds pydantic models, which the worker and commands
    # never need: only processes that build pages load it.
    from tribuna.discussion.schemas import COMMENT_COLUMNS

    columns = ", ".join(f"c.{column}" for column in COMMENT_COLUMNS)
    return f"SELECT {columns} FROM {Comment._meta.db_table} c WHERE {where}"  # noqa: S608 - names are ours


def _page_rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def thread_page(
    thread: Thread | PageThread,
    *,
    sort: str = "oldest",
    cursor: str | None = None,
    limit: int | None = None,
    passages_only: bool = False,
) -> dict:
    """One page of top-level comments with all their replies, in two queries whatever the thread's size.

    Callers cache the result under the thread's version, so a cached page can never outlive
    a change.
    """
    from tribuna.discussion.schemas import comment_json  # see _select_comments

    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    limit = min(limit or settings.TRIBUNA_PAGE_SIZE, settings.TRIBUNA_MAX_PAGE_SIZE)
    approved = Comment.Status.APPROVED
    params: list = [thread.pk, approved]
    cursor_pinned = None
    if cursor:
        cursor_pinned, key, pk = decode_cursor(cursor, sort)
        if isinstance(key, datetime):
            key = connection.ops.adapt_datetimefield_value(key)
        params += [cursor_pinned, key, key, pk] + ([False] if cursor_pinned else [])
    roots = _page_rows(_page_sql(connection.vendor, sort, passages_only, cursor_pinned), [*params, limit + 1])
    more = len(roots) > limit
    roots = roots[:limit]
    replies = []
    if roots:
        ids = [row[0] for row in roots]
        replies = _page_rows(
            _select_comments(f"c.root_id IN ({', '.join(['%s'] * len(ids))}) AND {_VISIBLE_SQL}")
            + " ORDER BY c.created ASC, c.id ASC",
            [*ids, approved],
        )
    # A reply's reply_to is answered within the same top-level comment, so it is on this page
    # if it is shown at all.
    # kind is the last column: imported pingbacks and trackbacks are never named either.
    names = {
        row[0]: (row[4] if row[3] == approved and row[-1] == Comment.Kind.COMMENT else "")
        for row in (*roots, *replies)
    }
    nodes = {row[0]: comment_json(row, names) for row in (*roots, *replies)}
    for reply in replies:  # iterative tree building: parents come before their replies
        parent = nodes.get(reply[1])
        if parent is not None:
            parent["replies"].append(nodes[reply[0]])
    next_cursor = None
    if more and roots:
        last = nodes[roots[-1][0]]
        key = last["score"] if sort == "best" else last["created"]
        next_cursor = encode_cursor([last["pinned"], key, last["id"]])
    return {
        "thread": {
            "key": thread.key,
            "title": thread.title,
            "url": thread.url,
            "count": thread.comment_count,
            "open": bool(thread.is_open),
        },
        "comments": [nodes[row[0]] for row in roots],
        "next": next_cursor,
    }


def counts(keys: list[str]) -> dict[str, int]:
    found = dict(public_threads().filter(key__in=keys).values_list("key", "comment_count"))
    return {key: found.get(key, 0) for key in keys}
