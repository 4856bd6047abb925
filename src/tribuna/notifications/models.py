"""Addresses, subscriptions and the notification outbox.

An Event is written in the same transaction as the comment or moderation decision that
causes it. The worker fans each event out into Delivery rows, one per recipient, and the
unique (event, email) constraint is what makes "at most once per recipient" a database
fact rather than a hope. A Delivery moves queued -> sending (claimed, with a lease) ->
handing (inside the SMTP transaction) -> sent; see delivery.py for crash recovery.
"""

from __future__ import annotations

from django.db import models

from tribuna.discussion.models import FollowMode


class Address(models.Model):
    """An email address and its consent to mail.

    Consent is per subscription (Subscription.confirmed_at): a confirmed address is not a
    licence for anyone to subscribe it to more threads.
    """

    email = models.EmailField(max_length=254, unique=True, help_text="Stored lower-case; matched exactly.")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="Nothing but confirmations goes out until set."
    )
    unsubscribed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Opted out of everything, moderator and body alerts included; cleared when the address confirms again.",
    )
    confirmation_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="The last confirmation email asked for."
    )
    language = models.CharField(
        max_length=12,
        blank=True,
        help_text="The language the reader used when subscribing: emails go out in it.",
    )

    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Subscription(models.Model):
    Mode = FollowMode  # defined by discussion, whose comment form offers the same choice

    address = models.ForeignKey(Address, on_delete=models.CASCADE, related_name="subscriptions")
    thread = models.ForeignKey("discussion.Thread", on_delete=models.CASCADE, related_name="subscriptions")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    created = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Nothing is sent about this thread until set: by the address's owner confirming this "
        "subscription, or creating it from a device that proved owning the address.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address", "thread"], name="one_subscription_per_thread")
        ]
        indexes = [models.Index(fields=["thread", "mode"], name="subscription_thread_mode")]

    def __str__(self) -> str:
        return f"{self.address} -> {self.thread} ({self.mode})"


class Event(models.Model):
    """Something that happened and may need emails; recorded with the change that caused it."""

    class Kind(models.TextChoices):
        APPROVED = "approved", "Comment approved"
        HELD = "held", "Comment held for moderation"
        CONFIRMATION = "confirmation", "Address needs confirming"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    comment = models.ForeignKey(
        "discussion.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(
        max_length=254, blank=True, help_text="The address to confirm (confirmation events)."
    )
    created = models.DateTimeField(auto_now_add=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            # A comment is announced once, even if it is approved, hidden and approved again.
            models.UniqueConstraint(
                fields=["kind", "comment"],
                condition=models.Q(comment__isnull=False),
                name="one_event_per_comment_and_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation"
        FOLLOW_UP = "follow_up", "New comment on a followed thread"
        REPLY = "reply", "Reply to the recipient's comment"
        HELD = "held", "Comment held for moderation"
        BODY = "body", "New comment for the issuing body"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Claimed by a worker"
        HANDING = "handing", "In the SMTP transaction"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        UNKNOWN = "unknown", "Outcome unknown"
        SKIPPED = "skipped", "Skipped"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claim = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="The worker batch holding the row."
    )
    claimed_by = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="The worker holding the row, as host/slot; its next start takes the row back.",
    )
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_delivery_per_event_and_address")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at", "id"], name="delivery_due"),
            models.Index(fields=["email"], name="delivery_email"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.email} ({self.status})"
