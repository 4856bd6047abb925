from django.contrib import admin

from tribuna.statements.models import Body, Revision, Statement


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "notify_email"]
    prepopulated_fields = {"slug": ["name"]}


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["number", "title", "author", "created"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "status", "published_at", "language", "translation_of"]
    list_filter = ["status", "body", "language"]
    search_fields = ["title", "text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RevisionInline]
    fields = ["title", "slug", "body", "language", "translation_of", "shared_discussion", "summary", "text", "status",
              "published_at"]
    autocomplete_fields = ["translation_of"]

    def save_model(self, request, obj, form, change) -> None:
        obj.save(author=request.user)
