"""Bans, and what the spam filter learns from."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from tribuna.lib.http import ip_in_network, plain_network
from tribuna.lib.sql import select


class BanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(expires__isnull=True) | Q(expires__gt=timezone.now()))


ACTIVE_BAN_FIELDS = ("id", "kind", "value")


def active_bans() -> list[Ban]:
    """Ban.objects.active(), with only what matching needs, as a statement built once (lib.sql):
    screening reads it on every post (issue 14). Not cached, so a new ban applies to the next comment
    on every server. tests/antispam/test_screen.py compares the two."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return select(Ban, ACTIVE_BAN_FIELDS, "expires IS NULL OR expires > %s", [now])


class Ban(models.Model):
    class Kind(models.TextChoices):
        IP = "ip", "IP address or network"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Email domain"
        WORD = "word", "Word or phrase"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(
        max_length=300,
        help_text="An address or CIDR network (203.0.113.0/24), an email address, a domain, or a word or phrase.",
    )
    reason = models.CharField(
        max_length=300, blank=True, help_text="For moderators; never shown to the author."
    )
    expires = models.DateTimeField(null=True, blank=True, help_text="Empty means permanent.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    objects = BanQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.value = self.value.strip()
        if self.kind == self.Kind.IP:
            try:
                ipaddress.ip_network(self.value, strict=False)
            except ValueError as exc:
                raise ValidationError(
                    {"value": "Enter an IP address or a network such as 203.0.113.0/24."}
                ) from exc
            self.value = plain_network(self.value)
        if self.kind in {self.Kind.EMAIL, self.Kind.DOMAIN, self.Kind.WORD}:
            self.value = self.value.lower()

    def matches(self, *, ip: str, email: str, text: str, name: str) -> bool:
        if self.kind == self.Kind.IP:
            return ip_in_network(ip, self.value)
        if self.kind == self.Kind.EMAIL:
            return bool(email) and email.lower() == self.value
        if self.kind == self.Kind.DOMAIN:
            domain = email.lower().rpartition("@")[2]
            return bool(domain) and (domain == self.value or domain.endswith("." + self.value))
        if self.kind == self.Kind.WORD:
            return self.value in text.lower() or self.value in name.lower()
        return False


class ApiKey(models.Model):
    """A key for the Akismet-compatible service; it belongs to one site."""

    key = models.CharField(max_length=64, unique=True)
    site = models.URLField(max_length=300, help_text="The blog / site URL the key is for (Akismet's `blog`).")
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    calls = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "Akismet API key"

    def __str__(self) -> str:
        return f"{self.site} ({self.key[:6]}…)"


class TrainingLabel(models.Model):
    """A labelled example from a moderator's decision or an Akismet submit-spam / submit-ham call."""

    class Source(models.TextChoices):
        MODERATOR = "moderator", "Moderator decision"
        AKISMET = "akismet", "Akismet submission"

    text = models.TextField()
    name = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=2048, blank=True)
    page = models.CharField(max_length=2048, blank=True, help_text="The page the comment was under.")
    page_title = models.CharField(max_length=300, blank=True)
    is_spam = models.BooleanField()
    source = models.CharField(max_length=10, choices=Source.choices)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.CASCADE, related_name="labels"
    )
    comment_id = models.BigIntegerField(
        null=True, blank=True, help_text="The comment the label came from, if any."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["api_key", "created"])]

    def __str__(self) -> str:
        return f"{'spam' if self.is_spam else 'ham'} from {self.source}: {self.text[:40]}"


class SpamModelVersion(models.Model):
    """One training run of a scope's model (the site's, or one Akismet key's) and how it scored.

    The model itself is kept in the row, not in a file, so every app server and worker reads the
    same bytes; servers follow whichever row is active for the scope (see antispam.registry).
    A retrain that scored worse than the model it would replace is kept as a row without a model,
    so `spam train` and `spam evaluate` can say why nothing changed.
    """

    class Outcome(models.TextChoices):
        ACTIVATED = "activated", "Activated"
        REFUSED = "refused", "Refused: worse than the active model on held-back labels"

    version = models.CharField(max_length=40, unique=True)
    api_key = models.ForeignKey(
        ApiKey, null=True, blank=True, on_delete=models.CASCADE, help_text="Empty for the site's own model."
    )
    model = models.BinaryField(null=True, editable=False, help_text="The saved SpamModel (SpamModel.save).")
    labels = models.PositiveIntegerField(default=0, help_text="The scope's labels it was trained on.")
    held_back = models.PositiveIntegerField(
        default=0, help_text="The scope's labels kept out of training to judge it."
    )
    score = models.FloatField(
        null=True, blank=True, help_text="Brier score on the held-back labels (lower is better)."
    )
    previous_score = models.FloatField(
        null=True, blank=True, help_text="The replaced model's Brier score on the same labels."
    )
    misjudged = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="What its verdicts on the held-back labels cost: 1 per legitimate comment held or spam "
        "published, 5 per legitimate comment hidden. Compared with the replaced model's to decide.",
    )
    previous_misjudged = models.PositiveIntegerField(
        null=True, blank=True, help_text="The same for the model it replaced or would replace."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ACTIVATED)
    seconds = models.FloatField(null=True, blank=True, help_text="Wall-clock time of the training run.")
    created = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            # One active model per scope; the site's scope is the row without a key (NULLs never collide).
            models.UniqueConstraint(
                fields=["api_key"],
                condition=Q(is_active=True, api_key__isnull=False),
                name="one_active_model_per_key",
            ),
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True, api_key__isnull=True),
                name="one_active_site_model",
            ),
        ]

    def __str__(self) -> str:
        return self.version


class SpentChallenge(models.Model):
    """A proof-of-work challenge whose solution was used once: a second use is a replay.

    Kept until the challenge expires (after that it is refused as expired anyway). A table, not
    the cache: every process must see the same record, and filling a cache must not evict it.
    """

    nonce = models.CharField(max_length=64, unique=True)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.nonce
