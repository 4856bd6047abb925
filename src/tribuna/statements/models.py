"""Statements published by an organisation's bodies, with every revision kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from tribuna.lib.markup import render_statement
from tribuna.statements.signals import statement_revised


class Body(models.Model):
    """An issuing body of the organisation, e.g. 'Commission 1'."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    notify_email = models.EmailField(
        blank=True, help_text="If set, this address is told of every new approved comment on the body's statements."
    )

    class Meta:
        verbose_name_plural = "bodies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StatementQuerySet(models.QuerySet):
    def published(self):
        """'Published' is defined here and only here (discussion.services.page_thread repeats it in
        SQL for speed; tests/discussion/test_published.py proves the two agree)."""
        return self.filter(status=Statement.Status.PUBLISHED, published_at__lte=timezone.now())


class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(max_length=120, unique=True, help_text="The address and the discussion's thread key.")
    title = models.CharField(max_length=300)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="statements", verbose_name="issuing body")
    language = models.CharField(max_length=12, default="en", help_text="BCP 47 language tag, e.g. en, de, fr.")
    summary = models.TextField(blank=True, help_text="One or two sentences shown in lists and the feed.")
    text = models.TextField(help_text="Markdown. Each '## Heading' starts a section and appears in the contents.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, help_text="Shown as the statement's date.")
    html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    plain_text = models.TextField(editable=False, default="", help_text="What passage anchors are measured against.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, author=None, **kwargs) -> None:
        """Render once on save, and record a revision whenever title or text change."""
        rendered = render_statement(self.text)
        self.html, self.toc, self.plain_text = rendered.html, rendered.toc, rendered.plain_text
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        with transaction.atomic():
            super().save(*args, **kwargs)
            latest = self.revisions.order_by("-number").first()
            if latest is None or latest.text != self.text or latest.title != self.title:
                revision = Revision.objects.create(
                    statement=self,
                    number=(latest.number + 1) if latest else 1,
                    title=self.title,
                    text=self.text,
                    html=self.html,
                    plain_text=self.plain_text,
                    author=author,
                )
                statement_revised.send(sender=Statement, statement=self, revision=revision, previous=latest)

    def get_absolute_url(self) -> str:
        return reverse("statements:detail", args=[self.slug])

    @property
    def current_revision(self) -> Revision | None:
        return self.revisions.order_by("-number").first()


class Revision(models.Model):
    """Every version of a statement's text; passage comments anchor to one of these."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    plain_text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "-number"]
        constraints = [models.UniqueConstraint(fields=["statement", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.statement.slug} r{self.number}"
