"""The outbox worker's steps: fan events out, claim deliveries, send them, recover from crashes.

Delivery guarantee, chosen deliberately: **at most once per (event, address), with nothing
lost silently.**

* Fan-out writes one Delivery per recipient under a unique (event, email) constraint, so no
  worker, retry or race can queue the same notification twice.
* A worker claims a batch atomically (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
  conditional ``UPDATE`` on SQLite, whose writers are serialised) and stamps the rows
  'sending' with its claim token and a lease.
* Just before a message enters the SMTP transaction the row is moved to 'handing' (only if
  still held by this claim) and committed. A 250 reply is recorded as 'sent' in the same
  commit as the next row's 'handing' (or at the end of the batch), so a message costs one
  commit; refusals are recorded at once (retry later, failed).
* When a lease expires (the worker died), rows still 'sending' provably never reached the
  SMTP server, so they are queued again: no loss. A row in 'handing' may or may not have
  been accepted by the server (its 250 reply can be lost with the process), so it is NOT
  resent: it becomes 'unknown', shown in the admin with the reason, where a person who has
  checked the mail log can send it again. At most one row per crashed worker is in doubt:
  the one being handed over, or the one just accepted, never both.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.moderation.roles import MODERATORS
from tribuna.notifications import emails
from tribuna.notifications.models import Address, Delivery, Event, Subscription

log = logging.getLogger(__name__)

UNKNOWN_OUTCOME = (
    "The worker stopped during the SMTP transaction, so whether the server accepted this message is "
    "unknown. It is not resent automatically, to avoid a duplicate; check the mail server's log and use "
    "'Send again' if it was not delivered."
)


# --- Fan-out ------------------------------------------------------------------------------------

def moderator_recipients() -> dict[str, int]:
    """email -> user id of active staff moderators and superusers who have an address."""
    users = get_user_model().objects.filter(is_active=True, is_staff=True).filter(
        Q(is_superuser=True) | Q(groups__name=MODERATORS)).exclude(email="").order_by("pk")
    found: dict[str, int] = {}
    for pk, email in users.values_list("pk", "email"):
        found.setdefault(email.strip().lower(), pk)
    return found


def recipients(event: Event) -> dict[str, str]:
    """email -> delivery kind for one event, computed when the worker fans it out."""
    if event.kind == Event.Kind.CONFIRMATION:
        return {event.email: Delivery.Kind.CONFIRMATION}
    comment = event.comment
    if event.kind == Event.Kind.HELD:
        return dict.fromkeys(moderator_recipients(), Delivery.Kind.HELD)
    found: dict[str, str] = {}
    # Only subscriptions older than the event: nobody is told of comments from before they subscribed.
    confirmed = Subscription.objects.filter(thread_id=comment.thread_id, address__confirmed_at__isnull=False,
                                            confirmed_at__isnull=False, created__lte=event.created)
    for email in confirmed.filter(mode=Subscription.Mode.ALL).values_list("address__email", flat=True):
        found[email] = Delivery.Kind.FOLLOW_UP
    answered = [pk for pk in (comment.parent_id, comment.reply_to_id) if pk]
    if answered:
        authors = set(Comment.objects.filter(pk__in=answered).exclude(author_email="")
                      .values_list("author_email", flat=True))
        # Exact matches only: addresses are compared as stored, never as patterns.
        for email in confirmed.filter(address__email__in=authors).values_list("address__email", flat=True):
            found[email] = Delivery.Kind.REPLY
    body = getattr(getattr(comment.thread, "statement", None), "body", None)
    if body is not None and body.notify_email:
        found.setdefault(body.notify_email.strip().lower(), Delivery.Kind.BODY)
    found.pop(comment.author_email, None)  # nobody is told of their own comment
    return found


def fan_out(limit: int = 20) -> int:
    """Turn up to `limit` pending events into deliveries; returns how many events were handled."""
    now = timezone.now()
    with transaction.atomic():
        pending = Event.objects.filter(fanned_out_at__isnull=True).order_by("id")
        if db_connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True, of=("self",))
        events = list(pending.select_related("comment__thread__statement__body")[:limit])
        for event in events:
            if event.comment_id and not _still_relevant(event):
                continue
            rows = [Delivery(event=event, email=email, kind=kind, next_attempt_at=now)
                    for email, kind in recipients(event).items()]
            # ignore_conflicts: the unique (event, email) constraint is the guard against doubles.
            Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
        Event.objects.filter(pk__in=[e.pk for e in events]).update(fanned_out_at=now)
    return len(events)


def _still_relevant(event: Event) -> bool:
    wanted = Comment.Status.PENDING if event.kind == Event.Kind.HELD else Comment.Status.APPROVED
    return event.comment.status == wanted


# --- Claiming and recovering ---------------------------------------------------------------------

def recover_expired() -> tuple[int, int]:
    """Re-queue deliveries of dead workers that provably were not sent; flag the in-doubt ones."""
    now = timezone.now()
    requeued = Delivery.objects.filter(status=Delivery.Status.SENDING, lease_until__lt=now).update(
        status=Delivery.Status.QUEUED, claim="", lease_until=None, attempts=F("attempts") - 1)
    unknown = Delivery.objects.filter(status=Delivery.Status.HANDING, lease_until__lt=now).update(
        status=Delivery.Status.UNKNOWN, lease_until=None, last_error=UNKNOWN_OUTCOME)
    return requeued, unknown


def claim(limit: int) -> tuple[str, list[Delivery]]:
    """Take up to `limit` due deliveries for this worker alone."""
    token = secrets.token_hex(16)
    now = timezone.now()
    lease = now + timedelta(seconds=settings.TRIBUNA_WORKER_LEASE)
    due = Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now).order_by("id")
    stamp = {"status": Delivery.Status.SENDING, "claim": token, "lease_until": lease, "attempts": F("attempts") + 1}
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Delivery.objects.filter(pk__in=ids).update(**stamp)
        else:
            # SQLite: one statement, run while holding the database's write lock.
            Delivery.objects.filter(pk__in=due.values("id")[:limit], status=Delivery.Status.QUEUED).update(**stamp)
    # Prefetched, not joined: the rows of one event share one event, comment and thread object.
    rows = list(Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING)
                .prefetch_related("event__comment__thread__statement__body").order_by("id"))
    return token, rows


def release(token: str) -> int:
    """Give back the claimed rows not yet started (clean shutdown)."""
    return Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, claim="", lease_until=None, attempts=F("attempts") - 1)


# --- Sending ---------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.retried + self.failed


class _Eligibility:
    """Who may still be sent what, checked at send time so an unsubscribe takes effect at once."""

    def __init__(self, rows: list[Delivery]) -> None:
        emails_ = {row.email for row in rows}
        addresses = Address.objects.filter(email__in=emails_)
        self.confirmed = {a.email for a in addresses if a.confirmed_at is not None}
        self.opted_out = {a.email for a in addresses if a.unsubscribed_at is not None}
        threads = {row.event.comment.thread_id for row in rows if row.event.comment_id}
        self.subscribed = set(Subscription.objects.filter(address__email__in=emails_, thread_id__in=threads,
                                                          confirmed_at__isnull=False)
                              .values_list("address__email", "thread_id"))
        self.awaiting = set(Subscription.objects.filter(address__email__in=emails_, confirmed_at__isnull=True)
                            .values_list("address__email", flat=True))
        self.moderators = moderator_recipients() if any(r.kind == Delivery.Kind.HELD for r in rows) else {}

    def allows(self, row: Delivery) -> bool:
        comment = row.event.comment
        if row.kind == Delivery.Kind.CONFIRMATION:
            return row.email in self.awaiting
        if row.kind in (Delivery.Kind.FOLLOW_UP, Delivery.Kind.REPLY):
            return row.email in self.confirmed and (row.email, comment.thread_id) in self.subscribed \
                and comment.status == Comment.Status.APPROVED
        if row.kind == Delivery.Kind.BODY:
            return row.email not in self.opted_out and comment.status == Comment.Status.APPROVED
        if row.kind == Delivery.Kind.HELD:
            return row.email in self.moderators and row.email not in self.opted_out \
                and comment.status == Comment.Status.PENDING
        return False


def _message_id(row: Delivery) -> str:
    return f"tribuna.{row.event_id}.{row.pk}"


class _Messages:
    """Each claimed row's message; the rows of one event and kind share one rendering."""

    BROADCASTS = {Delivery.Kind.FOLLOW_UP: "follow_up", Delivery.Kind.REPLY: "reply", Delivery.Kind.BODY: "body"}

    def __init__(self, moderators: dict[str, int]) -> None:
        self.moderators = moderators
        self.broadcasts: dict[tuple[int, str], emails.Broadcast] = {}

    def _broadcast(self, row: Delivery) -> emails.Broadcast | None:
        template = self.BROADCASTS.get(row.kind)
        if template is None:
            return None
        key = (row.event_id, row.kind)
        if key not in self.broadcasts:
            self.broadcasts[key] = emails.Broadcast(template, row.event.comment)
        return self.broadcasts[key]

    def email(self, row: Delivery) -> EmailMessage:
        """The message as an object, for the backends that want one (file, console, locmem)."""
        broadcast = self._broadcast(row)
        if broadcast is not None:
            return broadcast.email(row.email, message_id=_message_id(row))
        if row.kind == Delivery.Kind.CONFIRMATION:
            return emails.confirmation_email(row.email, message_id=_message_id(row))
        return emails.held_email(row.email, row.event.comment, moderator_id=self.moderators[row.email],
                                 message_id=_message_id(row))

    def wire(self, row: Delivery) -> emails.Wire:
        """The message as SMTP bytes, from the shared rendering where there is one."""
        broadcast = self._broadcast(row)
        if broadcast is not None:
            return broadcast.wire(row.email, message_id=_message_id(row))
        return emails.wire_of(self.email(row))


def _transmit(mail, message: emails.Wire | EmailMessage) -> None:
    """One MAIL/RCPT/DATA on the open connection; no NOOP, RSET or reconnect in between."""
    if isinstance(message, emails.Wire):
        if mail.connection is None:  # a reconnect after an error failed
            mail.open()
        mail.connection.sendmail(message.sender, message.recipients, message.data)
    else:
        mail.send_messages([message])


class _Outcomes:
    """Writes each row's progress, holding back a 'sent' to commit it with the next write.

    The next write is usually the next row's 'handing', so a message costs one commit, not
    two. If the worker dies in between, the sent row stays 'handing' and later shows as
    'unknown': the one row in doubt, as before, since the next row is not yet 'handing'.
    The two statements run once per message, so they are plain SQL written once: building
    them through the ORM each time cost more than half of a message's CPU.
    """

    def __init__(self, token: str) -> None:
        self.token = token
        self.accepted: int | None = None  # the row whose 250 came last; not yet recorded
        # The table name comes from the model; every value is a parameter.
        table = db_connection.ops.quote_name(Delivery._meta.db_table)
        self.handing_sql = (f"UPDATE {table} SET status = %s, lease_until = %s "  # noqa: S608
                            "WHERE id = %s AND claim = %s AND status = %s")
        self.sent_sql = (f"UPDATE {table} SET status = %s, sent_at = %s, lease_until = NULL, last_error = '' "  # noqa: S608
                         "WHERE id = %s AND claim = %s AND status IN (%s, %s)")

    def handing(self, row: Delivery) -> bool:
        """Move the row into the SMTP transaction, if this claim still holds it."""
        lease = timezone.now() + timedelta(seconds=settings.TRIBUNA_WORKER_LEASE)
        with transaction.atomic(), db_connection.cursor() as cursor:
            self.flush()
            lease = db_connection.ops.adapt_datetimefield_value(lease)
            cursor.execute(self.handing_sql, [Delivery.Status.HANDING, lease, row.pk, self.token, Delivery.Status.SENDING])
            return cursor.rowcount == 1

    def skipped(self, row: Delivery) -> None:
        with transaction.atomic():
            self.flush()
            Delivery.objects.filter(pk=row.pk, claim=self.token).update(status=Delivery.Status.SKIPPED,
                                                                        lease_until=None)

    def refused(self, row: Delivery, error: str, *, permanent: bool) -> bool:
        with transaction.atomic():
            self.flush()
            return _retry_or_fail(row, error, permanent=permanent)

    def flush(self) -> None:
        if self.accepted is None:
            return
        now = db_connection.ops.adapt_datetimefield_value(timezone.now())
        with db_connection.cursor() as cursor:
            cursor.execute(self.sent_sql, [Delivery.Status.SENT, now, self.accepted, self.token,
                                           Delivery.Status.HANDING, Delivery.Status.UNKNOWN])
        self.accepted = None


def _retry_or_fail(row: Delivery, error: str, *, permanent: bool) -> bool:
    """Back off exponentially; after the last attempt the row stays failed, with its error."""
    failed = permanent or row.attempts >= settings.TRIBUNA_WORKER_MAX_ATTEMPTS
    delay = settings.TRIBUNA_WORKER_RETRY_DELAY * 2 ** max(row.attempts - 1, 0)
    Delivery.objects.filter(pk=row.pk, claim=row.claim).update(
        status=Delivery.Status.FAILED if failed else Delivery.Status.QUEUED,
        claim="", lease_until=None, last_error=error[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return failed


def send_batch(token: str, rows: list[Delivery], *, should_stop=lambda: False) -> BatchResult:
    """Send one claimed batch over one SMTP connection, recording each outcome as it happens."""
    result = BatchResult()
    if not rows:
        return result
    eligible = _Eligibility(rows)
    mail = get_connection(fail_silently=False)
    try:
        mail.open()
    except (OSError, smtplib.SMTPException) as exc:
        for row in rows:
            failed = _retry_or_fail(row, f"Could not connect to the mail server: {exc}", permanent=False)
            result.failed += failed
            result.retried += not failed
        result.errors.append(str(exc))
        return result
    messages = _Messages(eligible.moderators)
    outcomes = _Outcomes(token)
    try:
        for row in rows:
            if should_stop():
                break
            if not eligible.allows(row):
                outcomes.skipped(row)
                result.skipped += 1
                continue
            message = messages.wire(row) if isinstance(mail, SMTPBackend) else messages.email(row)
            if not outcomes.handing(row):
                continue  # our lease ran out and another worker took the row back
            try:
                _transmit(mail, message)
            except smtplib.SMTPResponseException as exc:
                failed = outcomes.refused(row, f"{exc.smtp_code} {exc.smtp_error!r}", permanent=exc.smtp_code >= 500)
                result.failed += failed
                result.retried += not failed
                result.errors.append(str(exc))
                continue
            except (OSError, smtplib.SMTPException) as exc:
                failed = outcomes.refused(row, f"{type(exc).__name__}: {exc}", permanent=False)
                result.failed += failed
                result.retried += not failed
                result.errors.append(str(exc))
                _reopen(mail)
                continue
            outcomes.accepted = row.pk
            result.sent += 1
    finally:
        outcomes.flush()
        release(token)
        mail.close()
    return result


def _reopen(mail) -> None:
    """After a broken connection the next message needs a fresh one."""
    try:
        mail.close()
        mail.open()
    except (OSError, smtplib.SMTPException):
        log.warning("Mail server connection could not be reopened", exc_info=True)


def send_again(queryset) -> int:
    """The admin's 'Send again' for failed and in-doubt deliveries."""
    return queryset.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.UNKNOWN]).update(
        status=Delivery.Status.QUEUED, claim="", attempts=0, next_attempt_at=timezone.now(), last_error="")


def run_once(batch_size: int | None = None, *, should_stop=lambda: False) -> BatchResult:
    """One turn of the worker: recover, fan out, claim and send one batch."""
    recover_expired()
    while fan_out():
        pass
    token, rows = claim(batch_size or settings.TRIBUNA_WORKER_BATCH)
    return send_batch(token, rows, should_stop=should_stop)
