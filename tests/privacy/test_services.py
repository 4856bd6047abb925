"""Export and erasure of everything tied to an address, walking the provider registry."""

import json

import pytest
from django.apps import apps
from django.db import models

from tribuna.core import personal_data
from tribuna.discussion.models import Comment, Thread
from tribuna.privacy import services

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.JSONField,
    models.GenericIPAddressField,
)


def rows_mentioning(needle: str) -> list[str]:
    """Every table, every text-like column: where does this string still occur?"""
    found = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                if needle in json.dumps(value, default=str).lower():
                    found.append(f"{model._meta.label}.{name} #{row[0]}")
    return found


def test_the_export_contains_every_row_tied_to_the_address(alice_thread, thread):
    Comment.objects.filter(pk=alice_thread["lonely"]).update(status=Comment.Status.PENDING)
    data = services.export_data("  Alice@Example.org ")
    assert data["format"] == services.EXPORT_FORMAT
    assert data["email"] == "alice@example.org"
    assert set(data["sections"]) == {p.name for p in personal_data.providers()}
    comments = data["sections"]["comments"]
    assert {c["id"] for c in comments} == set(
        Comment.objects.filter(author_email="alice@example.org").values_list("pk", flat=True)
    )
    assert {c["id"] for c in comments} == {
        alice_thread["first"],
        alice_thread["lonely"],
        alice_thread["reply"],
    }
    first = next(c for c in comments if c["id"] == alice_thread["first"])
    assert first["text"] == "Alice's first thoughts on the statement."
    assert first["thread"]["key"] == thread.key
    assert first["author_url"] == "https://alice.example.org/"
    assert first["permalink"].endswith(f"{thread.url}#c{alice_thread['first']}")
    json.dumps(data)  # JSON-ready throughout


def test_addresses_are_matched_exactly_never_as_patterns(thread, post_comment):
    post_comment(email="a_b@example.org", name="Underscore")
    post_comment(email="axb@example.org", name="Other")
    assert len(services.export_data("a_b@example.org")["sections"]["comments"]) == 1
    assert services.export_data("a%@example.org")["sections"]["comments"] == []


def test_after_erasure_the_address_is_nowhere_in_the_database(alice_thread):
    assert rows_mentioning("alice@example.org")
    services.erase_data("alice@example.org")
    assert rows_mentioning("alice@example.org") == []
    assert rows_mentioning("alice.example.org") == []  # her website
    assert rows_mentioning("alice's first thoughts") == []


def test_comments_with_replies_stay_as_anonymous_placeholders(alice_thread, thread):
    erased = services.erase_data("alice@example.org")
    assert erased["comments"] == 3
    assert not Comment.objects.filter(pk__in=[alice_thread["lonely"], alice_thread["reply"]]).exists()
    placeholder = Comment.objects.get(pk=alice_thread["first"])
    assert placeholder.status == Comment.Status.DELETED
    assert (placeholder.author_name, placeholder.author_email, placeholder.author_url, placeholder.text) == (
        "",
        "",
        "",
        "",
    )
    assert placeholder.ip_address is None and placeholder.user_agent == ""
    assert Comment.objects.get(pk=alice_thread["bob"]).text == "Bob answers with a view of his own."
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.comment_count == Comment.objects.approved().filter(thread=thread).count() == 1


def test_the_thread_still_renders_with_placeholders_after_erasure(alice_thread, thread, client, api):
    client.get(thread.url)  # a cached page from before must not survive
    services.erase_data("alice@example.org")
    page = client.get(thread.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "[deleted]" in html and "Bob answers with a view" in html
    assert "Alice" not in html.split('id="discussion"')[1]
    body = api.get(f"/api/v1/comments?thread={thread.key}").json()
    assert [c["id"] for c in body["comments"]] == [alice_thread["first"]]
    assert body["comments"][0]["deleted"] is True
    assert body["comments"][0]["replies"][0]["id"] == alice_thread["bob"]
    assert "alice" not in json.dumps(body).lower()


def test_an_author_who_answered_only_herself_leaves_nothing_behind(thread, post_comment):
    top = post_comment(email="solo@example.org", name="Solo")
    post_comment(
        email="solo@example.org", name="Solo", parent=top["id"], text="And a further thought of mine."
    )
    services.erase_data("solo@example.org")
    assert not Comment.objects.filter(thread=thread).exists()
    assert Thread.objects.get(pk=thread.pk).comment_count == 0


def test_the_audit_note_is_a_keyed_hash_not_the_address():
    note = services.audit_note("Alice@example.org")
    assert "alice" not in note.lower()
    assert note == services.audit_note("alice@example.org")
