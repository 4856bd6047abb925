from django.contrib import admin

from tribuna.moderation.models import AuditEntry, CommentHistory, ModerationSettings, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: readable by those allowed to view, changeable by nobody."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created", "username", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["action", "username", "object_id"]
    date_hierarchy = "created"


@admin.register(CommentHistory)
class CommentHistoryAdmin(ReadOnlyAdmin):
    list_display = ["created", "comment", "kind", "username"]
    list_filter = ["kind"]
    raw_id_fields = ["comment"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created", "comment", "reason", "resolved"]
    list_filter = ["reason"]
    raw_id_fields = ["comment"]
    exclude = ["visitor"]


@admin.register(ModerationSettings)
class ModerationSettingsAdmin(admin.ModelAdmin):
    list_display = ["thread", "hold_all", "hold_first", "hold_links", "auto_approve_after"]
    raw_id_fields = ["thread"]
