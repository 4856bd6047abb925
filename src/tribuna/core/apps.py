from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "tribuna.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tribuna.core import checks  # noqa: F401 - registers the deployment checks


class TribunaAdminConfig(admin_apps.AdminConfig):
    """Django's admin with Tribuna's site class: TOTP for staff who set up a device."""

    default = False  # named explicitly in INSTALLED_APPS, in place of django.contrib.admin
    default_site = "tribuna.lib.twofactor.TribunaAdminSite"
