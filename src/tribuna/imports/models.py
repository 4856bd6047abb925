"""Where each imported object came from, so that importing again changes nothing.

Kept here rather than as columns on Statement, Thread and Comment: the other apps need not
know that imports exist, and one object may be known to several sources.
"""

from __future__ import annotations

from django.db import models


class SourceRecord(models.Model):
    class Kind(models.TextChoices):
        STATEMENT = "statement", "Statement"
        THREAD = "thread", "Thread"
        COMMENT = "comment", "Comment"

    source = models.CharField(max_length=20, help_text="The system it came from, e.g. wordpress, disqus.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    source_id = models.CharField(
        max_length=300, help_text="Its id in that system (scoped where the system's ids are)."
    )
    object_id = models.BigIntegerField(help_text="The Statement, Thread or Comment it became.")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "source_id"], name="one_object_per_source_id"),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="source_of_object")]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} -> {self.object_id}"
