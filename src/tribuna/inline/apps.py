from django.apps import AppConfig


class InlineConfig(AppConfig):
    name = "tribuna.inline"
    verbose_name = "Inline feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.inline.services import on_statement_revised
        from tribuna.statements.signals import statement_revised

        statement_revised.connect(on_statement_revised, dispatch_uid="inline.reanchor")
