from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tribuna.privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.core import schedule
        from tribuna.privacy import providers, registry, services

        registry.register(services.COMMENTS, export=providers.export_comments, erase=providers.erase_comments)
        schedule.register("privacy.purge", 3600, services.purge_job)
