from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "tribuna.antispam"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.antispam import learning
        from tribuna.core import schedule
        from tribuna.discussion import signals

        # Checked every ten minutes; retrains only once enough new labels have come in.
        schedule.register("antispam.retrain", 600, learning.retrain_if_due)

        signals.comment_status_changed.connect(learning.on_status_changed, dispatch_uid="antispam-learn")
        signals.comments_bulk_status_changed.connect(learning.on_bulk_status_changed, dispatch_uid="antispam-learn-bulk")
