from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from tests.imports.conftest import FIXTURES
from tribuna.discussion.models import Comment, Thread
from tribuna.moderation.models import AuditEntry


@pytest.fixture
def imported(run_import):
    run_import("disqus", FIXTURES / "disqus" / "tribuna-disqus.xml")
    return Thread.objects.get(key="/2020/05/budget/")


@pytest.fixture
def mod_client(moderator) -> Client:
    client = Client()
    client.force_login(moderator)
    return client


def test_the_thread_page_links_both_formats(mod_client, imported):
    page = mod_client.get(f"/moderation/threads/{imported.pk}/").content.decode()
    assert f"/moderation/threads/{imported.pk}/comments.json" in page
    assert f"/moderation/threads/{imported.pk}/comments.csv" in page


def test_json_export_has_every_comment_with_status_and_parent(mod_client, imported):
    response = mod_client.get(f"/moderation/threads/{imported.pk}/comments.json")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["thread"]["key"] == "/2020/05/budget/"
    by_name = {c["author_name"]: c for c in document["comments"]}
    assert len(document["comments"]) == Comment.objects.filter(thread=imported).count() == 4
    assert by_name["Spammer"]["status"] == "spam"
    assert by_name["Anonymous Reader"]["parent_id"] == by_name["Gone"]["id"]
    assert by_name["Reader"]["author_email"] == "reader@example.org" and "ip_address" not in by_name["Reader"]
    assert AuditEntry.objects.filter(action="imports.thread_exported", object_id=str(imported.pk)).exists()


def test_csv_export_neutralises_formulas(mod_client, imported):
    Comment.objects.filter(author_name="Reader").update(author_name='=HYPERLINK("http://evil")')
    response = mod_client.get(f"/moderation/threads/{imported.pk}/comments.csv")
    assert not response.streaming  # a slow download must not hold the server's one thread
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    assert {r["author_name"] for r in rows} >= {'\'=HYPERLINK("http://evil")', "Spammer"}
    assert {r["status"] for r in rows} == {"approved", "deleted", "spam"}


def test_only_moderators_may_export(client, imported, django_user_model):
    assert (
        client.get(f"/moderation/threads/{imported.pk}/comments.json").status_code == 302
    )  # to the login page
    reader = django_user_model.objects.create_user("reader", is_staff=False)
    client.force_login(reader)
    assert client.get(f"/moderation/threads/{imported.pk}/comments.csv").status_code == 403


def test_unknown_format_is_404(mod_client, imported):
    assert mod_client.get(f"/moderation/threads/{imported.pk}/comments.xml").status_code == 404
