"""The operator's own words in the privacy notice: who is responsible and how to reach them."""

from __future__ import annotations

from django.db import models

from tribuna.lib.markup import render_statement


class PrivacyContact(models.Model):
    """A single row, edited in the admin; settings fill in whatever it leaves empty."""

    controller_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The person or organisation responsible for the data (overrides TRIBUNA_PRIVACY_CONTROLLER).",
    )
    contact_email = models.EmailField(
        max_length=254,
        blank=True,
        help_text="Where readers can ask about their data (overrides TRIBUNA_PRIVACY_CONTACT).",
    )
    extra_text = models.TextField(
        blank=True,
        help_text="Markdown added to the end of the privacy notice, e.g. your legal basis or your address.",
    )
    extra_html = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "privacy contact"
        verbose_name_plural = "privacy contact"

    def __str__(self) -> str:
        return self.controller_name or "Privacy contact"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1  # one row only
        self.extra_html = render_statement(self.extra_text).html if self.extra_text.strip() else ""
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> PrivacyContact:
        return cls.objects.filter(pk=1).first() or cls()
