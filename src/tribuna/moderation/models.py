"""The audit log of moderation and privacy actions. Rows are written once and never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    action = models.CharField(
        max_length=100, db_index=True, help_text="Namespaced, e.g. discussion.comment.approved"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is deleted.")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=100, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit entries cannot be deleted.")


class CommentHistory(models.Model):
    """Words a moderator replaced or trashed, so an edit can be reviewed and a trashed comment restored."""

    class Kind(models.TextChoices):
        EDIT = "edit", "Edited"
        TRASH = "trash", "Trashed"

    comment = models.ForeignKey("discussion.Comment", on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    text = models.TextField(help_text="The text before the change.")
    status = models.CharField(max_length=10, blank=True, help_text="The status before the change.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "comment history"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.comment_id} by {self.username or 'system'}"


class Report(models.Model):
    """A reader's report; one per visitor and comment (the visitor is a keyed hash, never an address)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abuse")
        OFF_TOPIC = "off-topic", _("Off-topic")
        OTHER = "other", _("Other")

    comment = models.ForeignKey("discussion.Comment", on_delete=models.CASCADE, related_name="reports")
    visitor = models.CharField(max_length=64)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.DateTimeField(
        null=True, blank=True, help_text="Set when a moderator acted on the comment."
    )

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["comment", "visitor"], name="one_report_per_visitor")]
        indexes = [models.Index(fields=["resolved", "comment"], name="open_reports")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on #{self.comment_id}"


class ModerationSettings(models.Model):
    """Per-thread pre-moderation, on top of the site-wide TRIBUNA_PREMODERATION rules."""

    thread = models.OneToOneField("discussion.Thread", on_delete=models.CASCADE, related_name="moderation")
    hold_all = models.BooleanField(default=False, help_text="Hold every comment for a moderator.")
    hold_first = models.BooleanField(
        default=False, help_text="Hold the first comment of an address never approved."
    )
    hold_links = models.BooleanField(default=False, help_text="Hold comments that contain links.")
    suspect_words = models.TextField(
        blank=True,
        help_text="One word or phrase per line; comments containing one are held (case-insensitive).",
    )
    auto_approve_after = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Approve held comments from an address with this many approved comments "
        "(empty: the site default). Never overrides a spam verdict, 'hold all' or suspect words.",
    )

    class Meta:
        verbose_name_plural = "moderation settings"

    def __str__(self) -> str:
        return f"Moderation of {self.thread}"

    @property
    def words(self) -> list[str]:
        return [line.strip().lower() for line in self.suspect_words.splitlines() if line.strip()]
