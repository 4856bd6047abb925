from django.contrib import admin

from tribuna.antispam.models import ApiKey, Ban, SpamModelVersion


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["kind", "value", "reason", "expires", "created_by", "created"]
    list_filter = ["kind"]
    search_fields = ["value", "reason"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Keys for the Akismet-compatible service; `tribuna apikey create --site URL` does the same."""

    list_display = ["site", "key", "is_active", "calls", "created"]
    readonly_fields = ["calls", "created"]

    def get_changeform_initial_data(self, request):
        import secrets

        return {"key": secrets.token_hex(16)}


@admin.register(SpamModelVersion)
class SpamModelVersionAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "api_key",
        "outcome",
        "is_active",
        "labels",
        "held_back",
        "score",
        "previous_score",
        "misjudged",
        "previous_misjudged",
        "seconds",
        "created",
    ]
    list_filter = ["outcome", "is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("model")  # the stored models are megabytes each

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
