from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tribuna.notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.core import schedule, worker
        from tribuna.core.personal_data import register
        from tribuna.discussion import signals
        from tribuna.notifications import delivery, privacy, services
        from tribuna.notifications.maintenance import prune_outbox

        signals.comment_created.connect(services.on_comment_created, dispatch_uid="notifications.created")
        signals.comment_approved.connect(services.on_comment_approved, dispatch_uid="notifications.approved")
        signals.comment_status_changed.connect(
            services.on_comment_status_changed, dispatch_uid="notifications.status_changed"
        )
        signals.comments_bulk_status_changed.connect(
            services.on_bulk_status_changed, dispatch_uid="notifications.bulk_status_changed"
        )
        register("notifications", export=privacy.export, erase=privacy.erase)
        schedule.register("notifications.prune_outbox", 24 * 3600, prune_outbox)
        worker.register_queue(
            worker.Queue(
                "notifications.outbox",
                work=delivery.run_once,
                take_back=delivery.take_back,
                report=delivery.report,
            )
        )
