"""Editors place questions on passages of a statement here."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from tribuna.inline.models import InlineQuestion
from tribuna.inline.services import InvalidAnchor, delete_question, question_selectors, save_question


class InlineQuestionForm(forms.ModelForm):
    passage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Copy the passage from the statement exactly as it reads there.",
    )

    class Meta:
        model = InlineQuestion
        fields = ["statement", "passage", "question"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["passage"].initial = self.instance.exact

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        statement, passage = cleaned.get("statement"), cleaned.get("passage")
        if statement is not None and passage:
            try:
                self.instance.selectors = question_selectors(statement, passage)
            except InvalidAnchor as exc:
                self.add_error("passage", str(exc))
        return cleaned


@admin.register(InlineQuestion)
class InlineQuestionAdmin(admin.ModelAdmin):
    form = InlineQuestionForm
    list_display = ["question", "statement", "passage", "orphaned", "created_by", "created"]
    list_filter = ["orphaned", "statement"]
    search_fields = ["question"]

    @admin.display(description="passage")
    def passage(self, obj: InlineQuestion) -> str:
        return obj.exact[:80]

    def save_model(self, request, obj, form, change) -> None:
        save_question(obj, by=request.user)

    def delete_model(self, request, obj) -> None:
        delete_question(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for question in queryset:
            delete_question(question, by=request.user)
