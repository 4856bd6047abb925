"""The outbox worker's steps: fan events out (recipients.py), claim deliveries, send them, recover from crashes.

Delivery guarantee, chosen deliberately: **at most once per (event, address), with nothing
lost silently.**

* Fan-out writes one Delivery per recipient under a unique (event, email) constraint, so no
  worker, retry or race can queue the same notification twice (recipients.py).
* A worker claims a batch atomically (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
  conditional ``UPDATE`` on SQLite, whose writers are serialised) and stamps the rows
  'sending' with a claim token, its own name (``claimed_by``: host and slot) and a lease.
* Just before a message enters the SMTP transaction the row is moved to 'handing' (only if
  still held by this claim) and committed; after the server's 250 it is 'sent'. Refusals are
  recorded at once (retry later, or failed).
* Rows still 'sending' provably never reached the SMTP server, so a dead worker's are queued
  again: no loss. A row in 'handing' may or may not have been accepted (its 250 can be lost
  with the process), so it is NOT resent: it becomes 'unknown', shown in the admin with the
  reason, where a person who has checked the mail log can send it again. At most one row per
  crashed worker is in doubt.
* A restarted worker takes its own rows back at once (`take_back`), since its name says they
  were its predecessor's. Rows of a worker that never comes back wait out the lease
  (`recover_expired`); a live worker renews its lease while it sends, so the lease only has to
  cover one message, see TRIBUNA_WORKER_LEASE.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone, translation

from tribuna.notifications import emails, fast, recipients
from tribuna.notifications.models import Address, Delivery, Event

log = logging.getLogger(__name__)

UNKNOWN_OUTCOME = (
    "The worker stopped during the SMTP transaction, so whether the server accepted this message is "
    "unknown. It is not resent automatically, to avoid a duplicate; check the mail server's log and use "
    "'Send again' if it was not delivered."
)


# --- Claiming and recovering ---------------------------------------------------------------------


def _give_back(rows) -> tuple[int, int]:
    """Queue again the rows that never reached the SMTP server; mark the one handed over 'unknown'."""
    requeued = rows.filter(status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, claim="", claimed_by="", lease_until=None, attempts=F("attempts") - 1
    )
    unknown = rows.filter(status=Delivery.Status.HANDING).update(
        status=Delivery.Status.UNKNOWN, lease_until=None, last_error=UNKNOWN_OUTCOME
    )
    return requeued, unknown


def recover_expired() -> tuple[int, int]:
    """Recover the rows of workers whose lease ran out (dead, and not restarted under their name)."""
    return _give_back(Delivery.objects.filter(lease_until__lt=timezone.now()))


def take_back(worker: str) -> tuple[int, int]:
    """At a worker's start: recover what a previous process of the same name left claimed.

    Only one live process holds a name at a time (see tribuna.core.worker), so whatever is
    claimed under it belongs to a process that is gone.
    """
    return _give_back(Delivery.objects.filter(claimed_by=worker)) if worker else (0, 0)


def _lease() -> timedelta:
    return timedelta(seconds=settings.TRIBUNA_WORKER_LEASE)


def claim(limit: int, *, worker: str = "") -> tuple[str, list[Delivery]]:
    """Take up to `limit` due deliveries for this worker alone."""
    token = secrets.token_hex(16)
    now = timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now).order_by("id")
    stamp = {
        "status": Delivery.Status.SENDING,
        "claim": token,
        "claimed_by": worker,
        "lease_until": now + _lease(),
        "attempts": F("attempts") + 1,
    }
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            ids = list(due.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Delivery.objects.filter(pk__in=ids).update(**stamp)
        else:
            # SQLite: one statement, run while holding the database's write lock.
            Delivery.objects.filter(pk__in=due.values("id")[:limit], status=Delivery.Status.QUEUED).update(
                **stamp
            )
    # Prefetched, not joined: the rows of one event share one event, comment and thread object.
    rows = list(
        Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING)
        .prefetch_related("event__comment__thread__statement__body")
        .order_by("id")
    )
    return token, rows


def release(token: str) -> int:
    """Give back the claimed rows not yet started (clean shutdown)."""
    return Delivery.objects.filter(claim=token, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.QUEUED, claim="", claimed_by="", lease_until=None, attempts=F("attempts") - 1
    )


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

    def summary(self) -> str:
        return f"sent {self.sent}, skipped {self.skipped}, retrying {self.retried}, failed {self.failed}"


def email_for(row: Delivery, moderators: dict[str, int]) -> EmailMessage:
    """The row's email; its Message-ID is derived from the row, so a resend would show as one."""
    message_id = _message_id(row)
    if row.kind == Delivery.Kind.CONFIRMATION:
        return emails.confirmation_email(row.email, message_id=message_id)
    if row.kind == Delivery.Kind.HELD:
        return emails.held_email(
            row.email,
            recipients.comment_of(row.event),
            moderator_id=moderators[row.email],
            message_id=message_id,
        )
    return emails.comment_email(row.kind, row.email, recipients.comment_of(row.event), message_id=message_id)


def _message_id(row: Delivery) -> str:
    return f"tribuna.{row.event_id}.{row.pk}"


class _Outgoing:
    """Each row's message: over SMTP, a copy of its comment email's shared serialisation where
    fast.py can make one (the fan-out figure needs it); otherwise the email built in full."""

    def __init__(self, mail, moderators: dict[str, int]) -> None:
        self.smtp = isinstance(mail, SMTPBackend)
        self.moderators = moderators
        self.copies: dict[tuple[int, str, str], fast.Copies] = {}

    def message(self, row: Delivery) -> fast.Wire | EmailMessage:
        if self.smtp and row.kind in emails.COMMENT_EMAILS:
            key = (row.event_id, row.kind, translation.get_language())  # one shared build per language
            if key not in self.copies:
                self.copies[key] = fast.Copies(row.kind, recipients.comment_of(row.event))
            wire = self.copies[key].for_reader(row.email, message_id=_message_id(row))
            if wire is not None:
                return wire
        return email_for(row, self.moderators)

    @staticmethod
    def send(mail, message: fast.Wire | EmailMessage) -> None:
        if isinstance(message, EmailMessage):
            mail.send_messages([message])
            return
        if mail.connection is None:  # a reconnect after an error failed
            mail.open()
        # The bytes are ready, so they go straight to the backend's smtplib connection.
        mail.connection.sendmail(message.sender, message.recipients, message.data)


class _Claim:
    """The states of one claimed batch's rows, each written only while this claim still holds the row."""

    def __init__(self, token: str) -> None:
        self.rows = Delivery.objects.filter(claim=token)
        self.writes = fast.StateWrites(token)  # the two writes every message makes
        self.renewed = timezone.now()

    def handing(self, row: Delivery) -> bool:
        """Move the row into the SMTP transaction with a full lease; renew the rest of the batch's
        lease when half of it is gone."""
        now = timezone.now()
        if now - self.renewed > _lease() / 2:
            self.rows.filter(status=Delivery.Status.SENDING).update(lease_until=now + _lease())
            self.renewed = now
        return self.writes.handing(row, now + _lease())

    def sent(self, row: Delivery) -> None:
        self.writes.sent(row)

    def skipped(self, row: Delivery) -> None:
        self.rows.filter(pk=row.pk).update(status=Delivery.Status.SKIPPED, lease_until=None)


def _retry_or_fail(row: Delivery, error: str, *, permanent: bool) -> bool:
    """Back off exponentially; after the last attempt the row stays failed, with its error."""
    failed = permanent or row.attempts >= settings.TRIBUNA_WORKER_MAX_ATTEMPTS
    delay = settings.TRIBUNA_WORKER_RETRY_DELAY * 2 ** max(row.attempts - 1, 0)
    Delivery.objects.filter(pk=row.pk, claim=row.claim).update(
        status=Delivery.Status.FAILED if failed else Delivery.Status.QUEUED,
        claim="",
        claimed_by="",
        lease_until=None,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return failed


def send_batch(token: str, rows: list[Delivery], *, should_stop=lambda: False) -> BatchResult:
    """Send one claimed batch over one connection of the configured email backend.

    Messages go one at a time on the connection opened once for the batch, so that each row's
    state is written just before and just after its own SMTP transaction.
    """
    result = BatchResult()
    if not rows:
        return result
    eligible = recipients.Eligibility(rows)
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
    batch = _Claim(token)
    outgoing = _Outgoing(mail, eligible.moderators)
    languages = dict(
        Address.objects.filter(email__in={row.email for row in rows}).values_list("email", "language")
    )
    try:
        for row in rows:
            if should_stop():
                break
            if not eligible.allows(row):
                batch.skipped(row)
                result.skipped += 1
                continue
            with translation.override(languages.get(row.email) or settings.LANGUAGE_CODE):
                message = outgoing.message(row)
            if not batch.handing(row):
                continue  # our lease ran out and another worker took the row back
            try:
                outgoing.send(mail, message)
            except smtplib.SMTPResponseException as exc:
                failed = _retry_or_fail(
                    row, f"{exc.smtp_code} {exc.smtp_error!r}", permanent=exc.smtp_code >= 500
                )
                result.failed += failed
                result.retried += not failed
                result.errors.append(str(exc))
                continue
            except (OSError, smtplib.SMTPException) as exc:
                failed = _retry_or_fail(row, f"{type(exc).__name__}: {exc}", permanent=False)
                result.failed += failed
                result.retried += not failed
                result.errors.append(str(exc))
                _reopen(mail)
                continue
            batch.sent(row)
            result.sent += 1
    finally:
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
        status=Delivery.Status.QUEUED,
        claim="",
        claimed_by="",
        attempts=0,
        next_attempt_at=timezone.now(),
        last_error="",
    )


def report() -> list[str]:
    """What is waiting, for `tribuna worker --dry-run`."""
    events = Event.objects.filter(fanned_out_at__isnull=True).count()
    by_status = dict(
        Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [
        f"events waiting for fan-out: {events}",
        *(f"deliveries {status}: {by_status.get(status, 0)}" for status in Delivery.Status.values),
    ]


def run_once(batch_size: int | None = None, *, worker: str = "", should_stop=lambda: False) -> BatchResult:
    """One turn of the worker: recover, fan out, claim and send one batch."""
    recover_expired()
    while recipients.fan_out():
        pass
    token, rows = claim(batch_size or settings.TRIBUNA_WORKER_BATCH, worker=worker)
    return send_batch(token, rows, should_stop=should_stop)
