from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "tribuna.antispam"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.antispam import learning
        from tribuna.core import schedule
        from tribuna.lib import ratelimit

        # Checked every ten minutes; retrains only once enough new labels have come in.
        schedule.register("antispam.retrain", 600, learning.retrain_if_due)
        # Rate-limit counters in the database (no Redis) whose window has passed.
        schedule.register("antispam.purge_rate_counters", 3600, ratelimit.purge_expired)
