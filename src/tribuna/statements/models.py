"""Statements published by an organisation's bodies, with every revision kept."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info

from tribuna.lib.markup import render_statement
from tribuna.statements.signals import statement_revised


class Body(models.Model):
    """An issuing body of the organisation, e.g. 'Commission 1'."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    notify_email = models.EmailField(
        blank=True,
        help_text="If set, this address is told of every new approved comment on the body's statements.",
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

    slug = models.SlugField(
        max_length=120, unique=True, help_text="The address and the discussion's thread key."
    )
    title = models.CharField(max_length=300)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="statements", verbose_name="issuing body"
    )
    language = models.CharField(
        max_length=12, default="en", help_text="BCP 47 language tag, e.g. en, de, fr."
    )
    summary = models.TextField(blank=True, help_text="One or two sentences shown in lists and the feed.")
    text = models.TextField(
        help_text="Markdown. Each '## Heading' starts a section and appears in the contents."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, help_text="Shown as the statement's date.")
    html = models.TextField(editable=False, default="")
    toc = models.JSONField(editable=False, default=list)
    plain_text = models.TextField(
        editable=False, default="", help_text="What passage anchors are measured against."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The original statement this one translates. Leave empty on the original itself.",
    )
    shared_discussion = models.BooleanField(
        default=False,
        help_text="On an original: its translations show this statement's discussion instead of each having its own.",
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["translation_of", "language"], name="one_translation_per_language"
            ),
        ]

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

    def clean(self) -> None:
        original = self.translation_of
        if original is None:
            return
        if original.pk == self.pk or original.translation_of_id:
            raise ValidationError({"translation_of": "Choose the original statement, not a translation."})
        if original.language == self.language:
            raise ValidationError({"language": "A translation needs a language other than its original's."})

    @property
    def language_name(self) -> str:
        """The language's own name for itself ("Français"), for "Also available in" links."""
        try:
            return get_language_info(self.language)["name_local"]
        except KeyError:
            return self.language

    @property
    def text_direction(self) -> str:
        """ "rtl" or "ltr" for the statement's own language, whatever the interface's."""
        try:
            return "rtl" if get_language_info(self.language)["bidi"] else "ltr"
        except KeyError:
            return "auto"

    @property
    def original(self) -> Statement:
        """The statement every translation of this one points to (itself, for an original)."""
        return self.translation_of or self

    @property
    def discussion_key(self) -> str:
        """The thread key of this statement's discussion: the original's when translations share it."""
        original = self.original
        return original.slug if original.pk != self.pk and original.shared_discussion else self.slug

    def published_translations(self) -> list[Statement]:
        """The published versions of this statement in other languages, original included."""
        original = self.original
        family = Statement.objects.published().filter(Q(pk=original.pk) | Q(translation_of=original.pk))
        return [s for s in family.exclude(pk=self.pk).order_by("language")]

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
