"""Tables that belong to no single domain concept."""

from django.db import models

from tribuna.lib.ratelimit import COUNTER_TABLE


class RateCounter(models.Model):
    """One rate-limit counter; written only by tribuna.lib.ratelimit with one atomic upsert."""

    name = models.CharField(max_length=255, primary_key=True)
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True, help_text="Unix time after which the counter starts again.")

    class Meta:
        db_table = COUNTER_TABLE

    def __str__(self) -> str:
        return f"{self.name}: {self.hits}"
