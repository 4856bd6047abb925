"""CommentCheck (the API's CommentForm, sharing its fields between instances) judges as CommentForm does."""

from __future__ import annotations

import pytest

from tribuna.discussion.forms import CommentCheck, CommentForm

BASE = {"text": "A comment.", "name": "Ana", "email": "", "url": "", "parent": "", "notify": "none"}
CASES = [
    {},
    {"text": ""},
    {"text": "x" * 10_001},
    {"text": " \u200b "},
    {"name": ""},
    {"name": "Moderator"},
    {"name": "n" * 101},
    {"email": "not an address"},
    {"email": " Ana@Example.ORG "},
    {"url": "javascript:alert(1)"},
    {"url": "https://example.org/a b"},
    {"url": "https://example.org/"},
    {"parent": "0"},
    {"parent": "abc"},
    {"parent": "12"},
    {"notify": "all"},
    {"notify": "all", "email": "ana@example.org"},
    {"notify": "sometimes"},
    {"homepage": "http://spam.example"},
]


@pytest.mark.parametrize("staff", [False, True])
def test_the_check_and_the_form_agree_on_every_case(staff):
    for case in CASES:
        data = {**BASE, **case}
        form, check = CommentForm(data, is_staff=staff), CommentCheck(data, is_staff=staff)
        assert form.is_valid() == check.is_valid(), case
        assert form.errors == check.errors, case
        if form.is_valid():
            assert form.cleaned_data == check.cleaned_data, case


def test_checks_share_fields_and_still_judge_each_submission_alone():
    first, second = CommentCheck({**BASE, "name": ""}), CommentCheck(BASE)
    assert first.fields is second.fields is CommentCheck.base_fields
    assert not first.is_valid() and second.is_valid()
    assert "name" in first.errors and not second.errors
    assert CommentForm(BASE).fields is not CommentForm.base_fields  # the page's forms keep their own copies
