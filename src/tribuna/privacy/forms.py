"""Forms of the privacy pages."""

from django import forms


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254,
        error_messages={"required": "Enter the email address you commented with.",
                        "invalid": "Enter a valid email address."},
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, erase everything tied to this address. This cannot be undone.",
        error_messages={"required": "Tick the box to confirm the erasure."},
    )


class PersonalDataForm(EmailForm):
    """Staff: look up, export or erase the data of one address."""

    action = forms.ChoiceField(choices=[("show", "Show"), ("export", "Export"), ("erase", "Erase")])
    confirm = forms.BooleanField(required=False, label="Confirm erasure (cannot be undone)")

    def clean(self):
        data = super().clean()
        if data.get("action") == "erase" and not data.get("confirm"):
            self.add_error("confirm", "Tick the box to confirm the erasure.")
        return data
