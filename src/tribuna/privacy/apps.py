from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tribuna.privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.core import schedule
        from tribuna.core.personal_data import register
        from tribuna.privacy import providers, services

        register(services.COMMENTS, export=providers.export_comments, erase=providers.erase_comments)
        register("known_address", export=providers.export_ownership, erase=providers.erase_ownership)
        schedule.register("privacy.purge", 3600, services.purge_job)
