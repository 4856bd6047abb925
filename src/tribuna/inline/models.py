"""Questions editors place on a passage of a statement, inviting answers on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InlineQuestion(models.Model):
    """A question pinned to a passage; readers answer with passage comments on the same passage."""

    statement = models.ForeignKey(
        "statements.Statement", on_delete=models.CASCADE, related_name="inline_questions"
    )
    selectors = models.JSONField(
        default=list,
        editable=False,
        help_text="W3C Web Annotation selectors of the passage, kept in step with the statement's edits.",
    )
    question = models.TextField(max_length=1000, help_text="Shown beside the passage; plain text.")
    orphaned = models.BooleanField(
        default=False,
        editable=False,
        help_text="The passage no longer exists in the statement; the question is hidden.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["statement", "created", "id"]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def exact(self) -> str:
        """The quoted passage, as the question was last anchored."""
        return next((s.get("exact", "") for s in self.selectors if s.get("type") == "TextQuoteSelector"), "")
