from django.apps import AppConfig


class InlineConfig(AppConfig):
    name = "tribuna.inline"
    default_auto_field = "django.db.models.BigAutoField"
