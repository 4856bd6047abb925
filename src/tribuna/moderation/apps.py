from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ModerationConfig(AppConfig):
    name = "tribuna.moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.discussion import signals
        from tribuna.moderation import learning, policy, privacy
        from tribuna.moderation.roles import ensure_roles

        # After the last app's migrations, so every permission the groups need exists.
        post_migrate.connect(ensure_roles, dispatch_uid="tribuna.moderation.ensure_roles")
        privacy.register_provider()
        # Pre-moderation plugs into posting; moderators' decisions become spam labels.
        signals.comment_screened.connect(policy.on_comment_screened, dispatch_uid="moderation.policy")
        signals.comment_status_changed.connect(learning.on_status_changed, dispatch_uid="moderation.learn")
        signals.comments_bulk_status_changed.connect(
            learning.on_bulk_status_changed, dispatch_uid="moderation.learn_bulk"
        )
