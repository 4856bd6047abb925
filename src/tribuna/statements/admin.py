from collections import Counter

from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from tribuna.lib.markup import render_statement, sanitise_statement_html
from tribuna.statements.models import Body, Revision, Statement

PREVIEW_LIMIT = 200_000  # characters: a statement, not a book


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "notify_email"]
    prepopulated_fields = {"slug": ["name"]}


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = readonly_fields = ("number", "title", "author", "created")
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
    fields = [
        "title",
        "slug",
        "body",
        "language",
        "translation_of",
        "shared_discussion",
        "summary",
        "text",
        "status",
        "published_at",
        "commented_passages",
    ]
    readonly_fields = ["commented_passages"]
    autocomplete_fields = ["translation_of"]

    class Media:
        js = ["tribuna/admin-preview.js"]
        css = {"all": ["tribuna/admin-preview.css"]}

    def save_model(self, request, obj, form, change) -> None:
        obj.save(author=request.user)

    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="statements_statement_preview"), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> JsonResponse:
        """The Markdown in the text box rendered as the public page will show it, before saving."""
        if not self.has_change_permission(request) and not self.has_add_permission(request):
            return JsonResponse({"detail": "Not allowed."}, status=403)
        text = request.POST.get("text", "")
        if len(text) > PREVIEW_LIMIT:
            return JsonResponse({"detail": f"At most {PREVIEW_LIMIT} characters."}, status=413)
        return JsonResponse({"html": sanitise_statement_html(render_statement(text).html)})

    @admin.display(description="Passages readers commented on")
    def commented_passages(self, obj: Statement) -> SafeString | str:
        """What readers quoted in inline feedback, most commented first: where the text raises questions."""
        thread = getattr(obj, "thread", None) if obj.pk else None
        if thread is None:
            return "None yet."
        quotes: Counter[str] = Counter()
        for anchor in thread.comments.filter(
            anchor__isnull=False, status=thread.comments.model.Status.APPROVED
        ).values_list("anchor", flat=True):
            quote = next(
                (s.get("exact", "") for s in anchor or [] if s.get("type") == "TextQuoteSelector"), ""
            )
            if quote:
                quotes[quote] += 1
        if not quotes:
            return "None yet."
        rows = format_html_join("", "<li><q>{}</q> <span>({})</span></li>", quotes.most_common(30))
        return format_html('<ol class="commented-passages">{}</ol>', rows)
