from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "tribuna.moderation"
    default_auto_field = "django.db.models.BigAutoField"
