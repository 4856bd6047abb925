from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tribuna.privacy"
    default_auto_field = "django.db.models.BigAutoField"
