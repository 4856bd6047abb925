from django.contrib import admin

from tribuna.discussion.models import Comment, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["key", "title", "comment_count", "is_open", "created"]
    search_fields = ["key", "title"]
    readonly_fields = ["comment_count", "version", "statement"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-mostly: moderation happens at /moderation/, where actions are audited."""

    list_display = ["id", "author_name", "thread", "status", "created"]
    list_filter = ["status"]
    search_fields = ["author_name", "text"]
    raw_id_fields = ["thread", "parent", "reply_to", "root", "anchor_revision"]
    readonly_fields = ["html", "spam_score", "spam_reasons", "ip_address", "user_agent", "ip_network"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
