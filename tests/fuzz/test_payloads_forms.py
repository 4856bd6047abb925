"""Every payload list in tests/fixtures, in every field of every HTML form and signed-link path: no 500."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from tests.fuzz.payloads import TEXT_PAYLOADS, problems

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

COMMENT_FORM = {
    "text": "An ordinary comment on the statement.",
    "name": "Reader",
    "email": "reader@example.org",
    "url": "",
    "parent": "",
    "notify": "none",
    "homepage": "",
    "form_token": "",
}


def run(client: Client, path: str, valid: dict, field: str) -> list[str]:
    answers = []
    for payload in TEXT_PAYLOADS:
        response = client.post(path, {**valid, field: payload})
        answers.append((payload, response.status_code, response.content.decode(errors="replace")))
    return problems(answers)


@pytest.mark.parametrize("field", COMMENT_FORM)
def test_the_comment_form(client, statement, thread, field):
    assert run(client, f"/statements/{statement.slug}/comment", COMMENT_FORM, field) == []


@pytest.mark.parametrize("field", ["email", "mode"])
def test_the_subscribe_form(client, thread, field):
    assert (
        run(client, f"/subscribe/?thread={thread.key}", {"email": "reader@example.org", "mode": "all"}, field)
        == []
    )


def test_the_my_data_form(client):
    assert run(client, "/my-data/", {"email": "reader@example.org"}, "email") == []


@pytest.mark.parametrize("field", ["username", "password"])
def test_the_sign_in_form(client, field, settings):
    settings.AXES_ENABLED = False  # every payload reaches the form, not the lockout page
    assert run(client, "/admin/login/", {"username": "someone", "password": "a password"}, field) == []


@pytest.mark.parametrize(
    "path",
    [
        "/confirm/{p}",
        "/unsubscribe/{p}",
        "/moderate/{p}",
        "/my-data/{p}/",
        "/my-data/{p}/export",
        "/my-data/{p}/erase",
        "/statements/{p}/comment",
        "/subscribe/?thread={p}",
    ],
)
def test_hostile_tokens_and_keys_in_links(client, thread, path):
    answers = []
    for payload in TEXT_PAYLOADS:
        url = path.format(p=quote(payload[:3000], safe=""))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            answers.append((payload, response.status_code, response.content.decode(errors="replace")))
    assert problems(answers) == []


# --- Staff forms: a moderator's own input must not break the pages either ---------------------------


@pytest.fixture
def moderating(moderator, post_comment):
    from tribuna.discussion.models import Comment

    client = Client()
    client.force_login(moderator)
    return client, Comment.objects.get(pk=post_comment(text="A comment for the moderator to act on.")["id"])


@pytest.mark.parametrize("field", ["kind", "value", "reason", "expires"])
def test_the_ban_form(moderating, field):
    client, _ = moderating
    assert (
        run(
            client,
            "/moderation/bans/",
            {"kind": "ip", "value": "203.0.113.0/24", "reason": "", "expires": ""},
            field,
        )
        == []
    )


@pytest.mark.parametrize("form", ["edit", "reply"])
def test_the_edit_and_reply_forms(moderating, form):
    client, comment = moderating
    path = f"/moderation/comments/{comment.pk}/" + ("reply/" if form == "reply" else "")
    assert run(client, path, {"text": "Moderator text."}, "text") == []


@pytest.mark.parametrize("field", ["do", "action", "ids"])
def test_the_queue_actions(moderating, field):
    client, comment = moderating
    assert run(client, "/moderation/act/", {"action": "approve", "ids": str(comment.pk)}, field) == []


@pytest.mark.parametrize(
    "field", ["hold_all", "hold_first", "hold_links", "suspect_words", "auto_approve_after"]
)
def test_the_thread_settings_form(moderating, field):
    client, comment = moderating
    valid = {
        "hold_all": "",
        "hold_first": "",
        "hold_links": "",
        "suspect_words": "",
        "auto_approve_after": "0",
    }
    assert run(client, f"/moderation/threads/{comment.thread_id}/", valid, field) == []


@pytest.mark.parametrize("field", ["email", "action", "confirm"])
def test_the_personal_data_form(moderating, administrator, field):
    client = Client()
    client.force_login(administrator)
    assert (
        run(client, "/moderation/personal-data/", {"email": "reader@example.org", "action": "show"}, field)
        == []
    )
