from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ModerationConfig(AppConfig):
    name = "tribuna.moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.moderation import privacy
        from tribuna.moderation.roles import ensure_roles

        # After the last app's migrations, so every permission the groups need exists.
        post_migrate.connect(ensure_roles, dispatch_uid="tribuna.moderation.ensure_roles")
        privacy.register_provider()
