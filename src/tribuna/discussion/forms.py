"""Validation of a comment, shared by the page form and the JSON API.

One form means one set of rules and one set of messages on every write path.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tribuna.discussion.models import FollowMode
from tribuna.discussion.services import MAX_ID, Submission
from tribuna.lib.http import client_ip, is_staff_session
from tribuna.lib.owned_addresses import owns
from tribuna.lib.text import clean_line, clean_text, skeleton

MAX_TEXT = 10_000
MAX_NAME = 100
NO_NOTIFY = "none"
RESERVED_NAMES = {"moderator", "admin", "administrator", "tribuna", "staff", "system"}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write a comment (1 to 10,000 characters)."),
            "max_length": _("A comment may have at most 10,000 characters (it has %(show_value)d)."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME,
        error_messages={
            "required": _("Enter your name."),
            "max_length": _("A name may have at most 100 characters (it has %(show_value)d)."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("Optional, never shown. Needed for notifications."),
        error_messages={"invalid": _("Enter a valid email address, or leave it empty.")},
    )
    url = forms.CharField(label=_("Website"), required=False, max_length=2048)
    # An id the database can hold: placing a reply reads the parent with a written-out query, which
    # passes the number to the database as it is (SQLite refuses one past 64 bits with an error).
    parent = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    notify = forms.ChoiceField(
        label=_("Notify of"),
        choices=[(NO_NOTIFY, _("Nothing")), *FollowMode.choices],
        required=False,
        error_messages={"invalid_choice": _("notify must be one of none, replies, all.")},
    )
    # A field people cannot see; bots fill it in.
    homepage = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)
    # The ALTCHA solution the page's widget adds (antispam.pow); absent without JavaScript.
    altcha = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def __init__(self, *args, is_staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_staff = is_staff

    def clean_text(self) -> str:
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Write a comment (1 to 10,000 characters)."))
        return text

    def clean_name(self) -> str:
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Enter your name."))
        if not self.is_staff and skeleton(name) in reserved_skeletons(settings.TRIBUNA_SITE_NAME):
            raise forms.ValidationError(_("This name is reserved; choose another."))
        return name

    def clean_email(self) -> str:
        return clean_line(self.cleaned_data.get("email") or "").lower()

    def clean_url(self) -> str:
        return clean_website(self.cleaned_data.get("url") or "")

    def submission(
        self, thread, request, *, anchor: list | None = None, token_expected: bool = False, language: str = ""
    ):
        """The validated comment as the posting service takes it, with who sent it.

        The page's form always carries a timestamp token, so a missing one there is a bot's;
        API clients may leave it out (token_expected=False).
        """
        clean = self.cleaned_data
        token = clean["form_token"] or ("" if token_expected else None)
        return Submission(
            thread=thread,
            text=clean["text"],
            name=clean["name"],
            email=clean["email"],
            url=clean["url"],
            parent_id=clean["parent"],
            notify=clean["notify"],
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            honeypot=clean["homepage"],
            form_token=token,
            anchor=anchor,
            language=language,
            owns_email=owns(request, clean["email"]),
            # Staff sessions skip the proof of work; everyone else without one is held, not refused.
            needs_proof=not is_staff_session(request),
            proof_of_work=clean["altcha"],
        )

    def clean_notify(self) -> str:
        notify = self.cleaned_data.get("notify") or NO_NOTIFY
        if notify != NO_NOTIFY and not self.data.get("email"):
            raise forms.ValidationError(_("Give an email address to be notified."))
        return notify


class _SharedFields(dict):
    """A form's fields, handed to each instance as they are instead of deep-copied."""

    def __deepcopy__(self, memo) -> _SharedFields:
        return self


class CommentCheck(CommentForm):
    """CommentForm for validating alone, never rendered (the JSON API): its instances share the
    class's fields rather than deep-copying them (Django copies them so that a view may change
    one form's widgets), which cost half as much again as validating (issue 14). Validating
    changes no field."""


CommentCheck.base_fields = _SharedFields(CommentCheck.base_fields)


@functools.cache
def reserved_skeletons(site_name: str) -> frozenset[str]:
    """What reserved names look like, worked out once per process rather than per comment."""
    return frozenset(skeleton(name) for name in RESERVED_NAMES | {site_name})


def clean_website(value: str) -> str:
    """Only absolute http(s) URLs with a host survive; anything else is an error."""
    url = clean_line(value)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise forms.ValidationError(_("A website must be an address starting with http:// or https://."))
    if any(ch in url for ch in "\"'<> \\`"):
        raise forms.ValidationError(_("A website address may not contain spaces, quotes or angle brackets."))
    try:
        forms.URLField(assume_scheme="https").clean(url)
    except forms.ValidationError as exc:
        raise forms.ValidationError(_("Enter a valid website address.")) from exc
    return url


class EditForm(forms.Form):
    text = CommentForm.base_fields["text"]

    def clean_text(self) -> str:
        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Write a comment (1 to 10,000 characters)."))
        return text
