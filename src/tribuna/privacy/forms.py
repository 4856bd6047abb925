"""Forms of the privacy pages."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address you commented with."),
            "invalid": _("Enter a valid email address."),
        },
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase everything tied to this address. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class PersonalDataForm(EmailForm):
    """Staff: look up, export or erase the data of one address."""

    action = forms.ChoiceField(choices=[("show", _("Show")), ("export", _("Export")), ("erase", _("Erase"))])
    confirm = forms.BooleanField(required=False, label=_("Confirm erasure (cannot be undone)"))

    def clean(self):
        data = super().clean() or {}
        if data.get("action") == "erase" and not data.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm the erasure."))
        return data
