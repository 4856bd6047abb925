from django.apps import AppConfig


class InlineConfig(AppConfig):
    name = "tribuna.inline"
    verbose_name = "Inline feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.discussion import signals
        from tribuna.inline import services
        from tribuna.statements.signals import statement_revised

        statement_revised.connect(services.on_statement_revised, dispatch_uid="inline.reanchor")
        # Passage comments plug into posting: the anchor is checked first, attached once stored.
        signals.comment_submitted.connect(services.on_comment_submitted, dispatch_uid="inline.check_anchor")
        signals.comment_created.connect(services.on_comment_created, dispatch_uid="inline.attach_anchor")
