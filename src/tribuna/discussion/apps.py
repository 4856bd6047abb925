from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "tribuna.discussion"
    default_auto_field = "django.db.models.BigAutoField"
