from django.contrib import admin
from django.http import HttpRequest

from tribuna.privacy.models import PrivacyContact


@admin.register(PrivacyContact)
class PrivacyContactAdmin(admin.ModelAdmin):
    fields = ["controller_name", "contact_email", "extra_text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PrivacyContact.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
