"""The subscribe-without-commenting form, shared by the page and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tribuna.lib.text import clean_line
from tribuna.notifications.models import Subscription

# The same answer whether the address is new, unconfirmed or confirmed (the page and the API).
ACCEPTED = (
    "Thank you. If this subscription still needs confirming, a confirmation link is on its way "
    "(at most one every few minutes); notifications start once it is confirmed."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address."),
            "max_length": _("An email address may have at most 254 characters."),
        },
    )
    mode = forms.ChoiceField(
        label=_("Notify me of"),
        choices=Subscription.Mode.choices,
        initial=Subscription.Mode.ALL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what to be notified of."),
            "invalid_choice": _("mode must be one of all, replies."),
        },
    )

    def clean_email(self) -> str:
        return clean_line(self.cleaned_data["email"]).lower()
