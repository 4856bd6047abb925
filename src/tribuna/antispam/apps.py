from django.apps import AppConfig


class AntispamConfig(AppConfig):
    name = "tribuna.antispam"
    default_auto_field = "django.db.models.BigAutoField"
