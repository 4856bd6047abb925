"""Who may moderate and who may publish; staff logins locked after repeated failures."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

pytestmark = pytest.mark.django_db


def test_migrate_creates_the_moderator_and_editor_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Moderators", "Editors"}


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/moderation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/moderation/")


def test_an_editor_cannot_moderate(client, editor, make_comment):
    comment = make_comment()
    client.force_login(editor)
    assert client.get("/moderation/").status_code == 403
    assert client.post("/moderation/act/", {"do": f"approve:{comment.pk}"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_a_signed_in_reader_cannot_moderate(client, outsider):
    client.force_login(outsider)
    assert client.get("/moderation/audit/").status_code == 403


def test_a_moderator_and_an_administrator_can_moderate(moderator, administrator):
    for user in (moderator, administrator):
        client = Client()
        client.force_login(user)
        assert client.get("/moderation/").status_code == 200


def test_a_moderator_cannot_publish_statements(moderator, statement):
    assert not moderator.has_perm("statements.change_statement")
    client = Client()
    client.force_login(moderator)
    assert client.get(f"/admin/statements/statement/{statement.pk}/change/").status_code == 403


def test_an_editor_can_publish_statements(editor):
    assert editor.has_perm("statements.change_statement")


def test_nobody_can_change_the_audit_log_in_the_admin(administrator, moderator):
    from tribuna.moderation.audit import log_action

    entry = log_action("discussion.comment.approved", user=moderator)
    client = Client()
    client.force_login(administrator)
    assert client.get("/admin/moderation/auditentry/").status_code == 200
    assert client.get("/admin/moderation/auditentry/add/").status_code == 403
    assert client.post(f"/admin/moderation/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    page = client.get(f"/admin/moderation/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="action"' not in page.content


def test_the_sixth_bad_login_is_locked_out(moderator):
    client = Client()
    statuses = [
        client.post("/admin/login/", {"username": "moderator", "password": "wrong password!"}).status_code
        for _ in range(5)
    ]
    assert statuses[:4] == [200] * 4  # the form again, with an error; the fifth failure locks
    locked = client.post("/admin/login/", {"username": "moderator", "password": "correct horse battery"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
