"""Subscribing, confirming and unsubscribing, and recording notification events.

The receivers at the bottom run inside the transaction that changes a comment (see
discussion.signals), so an event exists exactly when the change it announces committed.
No function here sends mail: the worker does, from the outbox (delivery.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.services import record_ownership
from tribuna.lib.http import rate_key_of
from tribuna.lib.ratelimit import RateLimited, hit
from tribuna.lib.sql import insert
from tribuna.notifications.models import Address, Event, Subscription


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_ip_rate(ip: str) -> None:
    """Subscription requests per client per hour; raises RateLimited."""
    if not ip:
        return
    try:
        hit("subscribe-ip", rate_key_of(ip), settings.TRIBUNA_CONFIRM_PER_IP, 3600)
    except RateLimited as exc:
        exc.wording = (
            f"Too many subscription requests from your network. "
            f"Try again in {exc.retry_after // 60 + 1} minutes."
        )
        raise


def _ip_allows(ip: str) -> bool:
    try:
        check_ip_rate(ip)
    except RateLimited:
        return False
    return True


def request_confirmation(address: Address) -> bool:
    """Queue a confirmation email unless one was asked for within TRIBUNA_CONFIRM_INTERVAL.

    The check and the stamp are one conditional UPDATE, so two app servers racing on the
    same address still send one email.
    """
    now = timezone.now()
    window_start = now - timedelta(seconds=settings.TRIBUNA_CONFIRM_INTERVAL)
    stamped = (
        Address.objects.filter(pk=address.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=window_start))
        .update(confirmation_sent_at=now)
    )
    if stamped:
        Event.objects.create(kind=Event.Kind.CONFIRMATION, email=address.email)
    return bool(stamped)


def subscribe(
    thread: Thread, email: str, mode: str, *, ip: str = "", check_ip: bool = False, owner: bool = False
) -> Subscription:
    """Follow a thread. Each new subscription needs its own confirmation, unless `owner`: the
    request came from a device or account that proved owning the address (lib.owned_addresses).

    Otherwise one confirmation would let anyone subscribe that address to any other thread.
    A later "replies" choice never narrows an existing "all" subscription; widening one the
    owner confirmed takes the owner's own request, so a stranger cannot turn up the volume.
    """
    if mode not in Subscription.Mode.values:
        raise ValueError(f"mode must be one of {', '.join(Subscription.Mode.values)}")
    now = timezone.now()
    with transaction.atomic():
        address, _ = Address.objects.get_or_create(email=normalise_email(email))
        language = get_language() or ""
        if address.language != language:  # the language of the page or widget the reader subscribed from
            Address.objects.filter(pk=address.pk).update(language=language)
            address.language = language
        if owner:
            # The owner choosing to hear about a thread is consent, even after "unsubscribe from everything".
            Address.objects.filter(pk=address.pk).update(confirmed_at=now, unsubscribed_at=None)
        subscription, created = Subscription.objects.get_or_create(
            address=address, thread=thread, defaults={"mode": mode, "confirmed_at": now if owner else None}
        )
        widen = not created and mode == Subscription.Mode.ALL and subscription.mode != mode
        if widen and (owner or subscription.confirmed_at is None):
            subscription.mode = mode
            subscription.save(update_fields=["mode"])
        if owner and subscription.confirmed_at is None:
            Subscription.objects.filter(pk=subscription.pk).update(confirmed_at=now)
        elif subscription.confirmed_at is None and (not check_ip or _ip_allows(ip)):
            request_confirmation(address)
    return subscription


def pending_subscriptions(email: str):
    """The subscriptions of an address waiting for its owner's confirmation, newest first."""
    return (
        Subscription.objects.filter(address__email=normalise_email(email), confirmed_at__isnull=True)
        .select_related("thread")
        .order_by("-created", "-pk")
    )


def confirm(email: str, subscription_ids: list[int] | None = None) -> Address:
    """Consent given by following the emailed link: to mail at this address, and to the subscriptions
    the email named (None: every pending one, for links mailed before emails named them).

    Following the link also proves the reader owns the address.
    """
    now = timezone.now()
    address, _ = Address.objects.get_or_create(email=normalise_email(email))
    Address.objects.filter(pk=address.pk).update(confirmed_at=now, unsubscribed_at=None)
    record_ownership(address.email)
    pending = Subscription.objects.filter(address=address, confirmed_at__isnull=True)
    if subscription_ids is not None:
        pending = pending.filter(pk__in=subscription_ids)
    pending.update(confirmed_at=now)
    address.refresh_from_db()
    return address


def unsubscribe_thread(email: str, thread_id: int) -> int:
    deleted, _ = Subscription.objects.filter(
        address__email=normalise_email(email), thread_id=thread_id
    ).delete()
    return deleted


def unsubscribe_everything(email: str) -> None:
    """Drop every subscription and withdraw consent: only a new confirmation restarts mail."""
    with transaction.atomic():
        address, _ = Address.objects.get_or_create(email=normalise_email(email))
        Subscription.objects.filter(address=address).delete()
        Address.objects.filter(pk=address.pk).update(confirmed_at=None, unsubscribed_at=timezone.now())


# --- Signal receivers (inside the comment's transaction) -------------------------------------------


def record_events(kind: str, comments) -> None:
    """One INSERT ... ON CONFLICT DO NOTHING: each comment is announced once per kind.

    Cheaper than get_or_create (no SELECT and savepoint inside the posting transaction). Every
    approved post announces one comment: that statement is built once (lib.sql), not per post.
    """
    events = [Event(kind=kind, comment=c) for c in comments]
    if len(events) == 1:
        insert(events[0], ignore_conflicts=True)
    else:
        Event.objects.bulk_create(events, ignore_conflicts=True)


def on_comment_created(
    sender, comment: Comment, notify: str = "none", owns_email: bool = False, **kwargs
) -> None:
    if comment.status == Comment.Status.PENDING:
        record_events(Event.Kind.HELD, [comment])
    # A comment judged spam subscribes nobody: otherwise a spammer could mail-bomb any address
    # with confirmations by naming it in comments.
    if notify in Subscription.Mode.values and comment.author_email and comment.status != Comment.Status.SPAM:
        subscribe(
            comment.thread,
            comment.author_email,
            notify,
            ip=comment.ip_address or "",
            check_ip=True,
            owner=owns_email,
        )


def on_comment_approved(sender, comment: Comment, **kwargs) -> None:
    record_events(Event.Kind.APPROVED, [comment])


def on_comment_status_changed(sender, comment: Comment, previous_status: str | None = None, **kwargs) -> None:
    """An edit can send an approved comment back to the queue: moderators hear of it then."""
    if comment.status == Comment.Status.PENDING and previous_status != Comment.Status.PENDING:
        record_events(Event.Kind.HELD, [comment])


def on_bulk_status_changed(sender, comments, previous_status: dict, status: str, **kwargs) -> None:
    """The bulk twin of the two receivers above, for moderation's bulk actions."""
    if status == Comment.Status.APPROVED:
        record_events(Event.Kind.APPROVED, comments)
    elif status == Comment.Status.PENDING:
        record_events(
            Event.Kind.HELD, [c for c in comments if previous_status.get(c.pk) != Comment.Status.PENDING]
        )
