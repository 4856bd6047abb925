"""Who hears of an event: fan-out into one Delivery per recipient, and the check at send time.

Fan-out writes one Delivery per recipient under a unique (event, email) constraint, so no
worker, retry or race can queue the same notification twice. Whether a recipient may still be
sent it is checked again just before sending, so an unsubscribe takes effect at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.moderation.roles import MODERATORS
from tribuna.notifications.models import Address, Delivery, Event, Subscription


def moderators() -> dict[str, int]:
    """email -> user id of active staff moderators and superusers who have an address."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(Q(is_superuser=True) | Q(groups__name=MODERATORS))
        .exclude(email="")
        .order_by("pk")
    )
    found: dict[str, int] = {}
    for pk, email in users.values_list("pk", "email"):
        found.setdefault(email.strip().lower(), pk)
    return found


def comment_of(event: Event) -> Comment:
    """The comment an event is about: every kind has one but a confirmation."""
    if event.comment is None:
        raise ValueError(f"{event} is about no comment")
    return event.comment


def _confirmed() -> QuerySet[Subscription]:
    return Subscription.objects.filter(address__confirmed_at__isnull=False, confirmed_at__isnull=False)


def followed_threads(events: list[Event]) -> set[int]:
    """Of the threads these events are about, those with any confirmed subscription: one query for a
    batch, so that an event on a thread nobody follows (most of them) costs no query of its own."""
    threads = {event.comment.thread_id for event in events if event.comment is not None}
    return set(_confirmed().filter(thread_id__in=threads).values_list("thread_id", flat=True).distinct())


def of_event(
    event: Event, followed: set[int] | None = None, staff: dict[str, int] | None = None
) -> dict[str, str]:
    """email -> delivery kind for one event, computed when the worker fans it out. ``followed``: the
    threads of the batch that have a confirmed subscription (``followed_threads``); without it the
    subscriptions are looked up whatever the thread. ``staff``: the batch's ``moderators()``, looked up
    here when not given."""
    if event.kind == Event.Kind.CONFIRMATION:
        return {event.email: Delivery.Kind.CONFIRMATION}
    comment = comment_of(event)
    if event.kind == Event.Kind.HELD:
        return dict.fromkeys(moderators() if staff is None else staff, Delivery.Kind.HELD)
    found: dict[str, str] = {}
    if followed is None or comment.thread_id in followed:
        found.update(_subscribers(event, comment))
    body = getattr(getattr(comment.thread, "statement", None), "body", None)
    if body is not None and body.notify_email:
        found.setdefault(body.notify_email.strip().lower(), Delivery.Kind.BODY)
    found.pop(comment.author_email, None)  # nobody is told of their own comment
    return found


def _subscribers(event: Event, comment: Comment) -> dict[str, str]:
    """Followers of the thread, and subscribers to replies whose comment this one answers."""
    found: dict[str, str] = {}
    # Only subscriptions older than the event: nobody is told of comments from before they subscribed.
    confirmed = _confirmed().filter(thread_id=comment.thread_id, created__lte=event.created)
    for email in confirmed.filter(mode=Subscription.Mode.ALL).values_list("address__email", flat=True):
        found[email] = Delivery.Kind.FOLLOW_UP
    answered = [pk for pk in (comment.parent_id, comment.reply_to_id) if pk]
    if answered:
        authors = set(
            Comment.objects.filter(pk__in=answered)
            .exclude(author_email="")
            .values_list("author_email", flat=True)
        )
        # Exact matches only: addresses are compared as stored, never as patterns.
        for email in confirmed.filter(address__email__in=authors).values_list("address__email", flat=True):
            found[email] = Delivery.Kind.REPLY
    return found


# Events per fan-out. Every post of a busy thread makes one, and most make no delivery: a larger batch
# spreads each batch's few queries over more of them.
FAN_OUT_BATCH = 200
# What deciding an event's recipients reads (of_event, _still_relevant), and nothing more: a comment's
# text and page, its dates and counts are not needed to decide who hears of it.
_DECIDING_FIELDS = (
    "kind",
    "comment_id",
    "email",
    "created",
    "comment__status",
    "comment__author_email",
    "comment__parent_id",
    "comment__reply_to_id",
    "comment__thread",
    "comment__thread__statement",
    "comment__thread__statement__body",
    "comment__thread__statement__body__notify_email",
)


def fan_out(limit: int = FAN_OUT_BATCH) -> int:
    """Turn up to `limit` pending events into deliveries; returns how many events were handled."""
    now = timezone.now()
    pending = (
        Event.objects.filter(fanned_out_at__isnull=True)
        .order_by("id")
        .select_related("comment__thread__statement__body")
        .only(*_DECIDING_FIELDS)
    )
    if connection.features.has_select_for_update_skip_locked:
        # Each worker claims its own events, locked until the deliveries are written.
        with transaction.atomic():
            events = list(pending.select_for_update(skip_locked=True, of=("self",))[:limit])
            _record(events, _deliveries(events, now), now)
        return len(events)
    # SQLite has one write lock for the whole database, which every post takes too: a writer that finds it
    # held sleeps in steps of milliseconds. So the events and their recipients are read outside it (a
    # reader waits for no one) and the lock is taken only to write them, for the events still pending then
    # (two workers may read the same ones). Holding it for the reads made posts wait up to 0.4 s while the
    # in-process worker fanned out a burst (issue 14, bench/bench.py's posting p99).
    events = list(pending[:limit])
    deliveries = _deliveries(events, now)
    with transaction.atomic():
        still = set(
            Event.objects.filter(pk__in=[e.pk for e in events], fanned_out_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        _record([e for e in events if e.pk in still], deliveries, now)
    return len(events)


def _deliveries(events: list[Event], now) -> dict[int, list[Delivery]]:
    """event id -> the deliveries it makes; none for an event whose comment is no longer in that state."""
    relevant = [event for event in events if not event.comment_id or _still_relevant(event)]
    followed = followed_threads(relevant)
    staff = moderators() if any(event.kind == Event.Kind.HELD for event in relevant) else {}
    return {
        event.pk: [
            Delivery(event=event, email=email, kind=kind, next_attempt_at=now)
            for email, kind in of_event(event, followed, staff).items()
        ]
        for event in relevant
    }


def _record(events: list[Event], deliveries: dict[int, list[Delivery]], now) -> None:
    """Write the events' deliveries and mark the events fanned out, in the caller's transaction."""
    rows = [row for event in events for row in deliveries.get(event.pk, [])]
    # ignore_conflicts: the unique (event, email) constraint is the guard against doubles.
    Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    if events:
        Event.objects.filter(pk__in=[e.pk for e in events]).update(fanned_out_at=now)


def _still_relevant(event: Event) -> bool:
    wanted = Comment.Status.PENDING if event.kind == Event.Kind.HELD else Comment.Status.APPROVED
    return comment_of(event).status == wanted


class Eligibility:
    """Who may still be sent what, checked at send time so an unsubscribe takes effect at once."""

    def __init__(self, rows: list[Delivery]) -> None:
        emails_ = {row.email for row in rows}
        addresses = Address.objects.filter(email__in=emails_)
        self.confirmed = {a.email for a in addresses if a.confirmed_at is not None}
        self.opted_out = {a.email for a in addresses if a.unsubscribed_at is not None}
        threads = {comment_of(row.event).thread_id for row in rows if row.event.comment_id}
        self.subscribed = set(
            Subscription.objects.filter(
                address__email__in=emails_, thread_id__in=threads, confirmed_at__isnull=False
            ).values_list("address__email", "thread_id")
        )
        self.awaiting = set(
            Subscription.objects.filter(address__email__in=emails_, confirmed_at__isnull=True).values_list(
                "address__email", flat=True
            )
        )
        self.moderators = moderators() if any(r.kind == Delivery.Kind.HELD for r in rows) else {}

    def allows(self, row: Delivery) -> bool:
        if row.kind == Delivery.Kind.CONFIRMATION:
            return row.email in self.awaiting
        comment = comment_of(row.event)
        if row.kind in (Delivery.Kind.FOLLOW_UP, Delivery.Kind.REPLY):
            return (
                row.email in self.confirmed
                and (row.email, comment.thread_id) in self.subscribed
                and comment.status == Comment.Status.APPROVED
            )
        if row.kind == Delivery.Kind.BODY:
            return row.email not in self.opted_out and comment.status == Comment.Status.APPROVED
        if row.kind == Delivery.Kind.HELD:
            return (
                row.email in self.moderators
                and row.email not in self.opted_out
                and comment.status == Comment.Status.PENDING
            )
        return False
