"""Forms of the moderation pages."""

from __future__ import annotations

from django import forms

from tribuna.antispam.models import Ban
from tribuna.discussion.forms import EditForm
from tribuna.moderation.models import ModerationSettings


class BanForm(forms.ModelForm):
    class Meta:
        model = Ban
        fields = ["kind", "value", "reason", "expires"]
        widgets = {"expires": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
        help_texts = {"expires": "Empty means permanent (UTC)."}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ModerationSettings
        fields = ["hold_all", "hold_first", "hold_links", "suspect_words", "auto_approve_after"]
        widgets = {"suspect_words": forms.Textarea(attrs={"rows": 4})}


class ReplyForm(EditForm):
    """A moderator's reply: the same text rules as any comment."""
