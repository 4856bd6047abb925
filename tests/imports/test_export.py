"""`tribuna export` then `tribuna import tribuna` into an empty site gives the same database."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.imports.conftest import FIXTURES
from tribuna.discussion.models import Comment
from tribuna.imports.tribuna_format import MODELS
from tribuna.moderation.models import AuditEntry


def dump() -> dict:
    """Every row of every exported model, as the database holds it."""
    from django.apps import apps

    return {label: list(apps.get_model(label)._base_manager.order_by("pk").values()) for label in MODELS}


def empty_the_site() -> None:
    from django.apps import apps

    for label in reversed(MODELS):
        apps.get_model(label)._base_manager.all()._raw_delete("default")


@pytest.fixture
def site(run_import, statement, thread, post_comment):
    """A site with something in every exported table."""
    from tribuna.discussion.services import vote
    from tribuna.moderation import services as moderation
    from tribuna.moderation.models import ModerationSettings
    from tribuna.notifications.services import subscribe

    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    statement.text += "\n\nA second revision."
    statement.save(author=moderator)
    run_import("wordpress", FIXTURES / "wordpress" / "tribuna-edge-cases.xml")
    first = post_comment(
        text="A comment on the *first* section.",
        email="reader@example.org",
        anchor=[{"type": "TextQuoteSelector", "exact": "first section's text"}],
    )
    comment = Comment.objects.get(pk=first["id"])
    comment.ip_address, comment.ip_network, comment.user_agent = "198.51.100.4", "198.51.100.0/24", "Firefox"
    comment.save()
    post_comment(text="A reply.", parent=comment.pk)
    vote(comment, "visitor-hash", 1)
    moderation.edit(comment, "An edited comment on the *first* section.", moderator)
    moderation.report(comment, "another-visitor", "off-topic", "not about this")
    moderation.ban("email", "troll@example.org", moderator, reason="abuse")
    moderation.ban("word", "casino", moderator)
    ModerationSettings.objects.create(thread=thread, hold_links=True, suspect_words="lottery")
    subscribe(thread, "reader@example.org", "replies")
    return moderator


def export(tmp_path, *options) -> tuple:
    path = tmp_path / "site.jsonl"
    out = StringIO()
    call_command("export", str(path), *options, stdout=out)
    return path, out.getvalue()


def test_round_trip_is_exact(site, tmp_path, run_import):
    before = dump()
    assert all(before[label] for label in MODELS if label != "inline.inlinequestion"), "fill every table"
    assert Comment.objects.filter(anchor__isnull=False).exists()
    path, _ = export(tmp_path, "--with-personal-data")
    empty_the_site()
    report = run_import("tribuna", path)
    after = dump()
    restore_entry = after["moderation.auditentry"].pop()  # the restore itself is audited
    assert restore_entry["action"] == "imports.restore"
    assert after == before
    assert "discussion.comment:" in report and "0 unchanged" in report
    # A second export of the restored site is the same file, but for its date and the new audit line.
    again = tmp_path / "again.jsonl"
    call_command("export", str(again), "--with-personal-data", stdout=StringIO())
    first_lines, second_lines = path.read_text().splitlines(), again.read_text().splitlines()
    assert first_lines[1:] == [line for line in second_lines[1:] if '"imports.restore"' not in line]


def test_a_second_restore_changes_nothing(site, tmp_path, run_import):
    path, _ = export(tmp_path, "--with-personal-data")
    empty_the_site()
    run_import("tribuna", path)
    before = dump()
    report = run_import("tribuna", path)
    assert dump() == before
    assert " created" in report and "1 created" not in report


def test_restore_over_a_different_site_changes_nothing(site, tmp_path, run_import):
    path, _ = export(tmp_path, "--with-personal-data")
    Comment.objects.filter(pk=Comment.objects.order_by("pk").last().pk).update(text="changed here")
    before = dump()
    with pytest.raises(CommandError, match="already exist here with other content"):
        run_import("tribuna", path)
    assert dump() == before


def test_personal_data_only_when_asked(site, tmp_path):
    path, printed = export(tmp_path)
    text = path.read_text()
    assert "reader@example.org" not in text and "198.51.100" not in text and "troll@example.org" not in text
    assert "Firefox" not in text and "without personal data" in printed
    assert "casino" in text  # a word ban is not personal
    rows = [json.loads(line) for line in text.splitlines()[1:]]
    assert not [r for r in rows if r["model"] in {"notifications.address", "notifications.subscription"}]
    full, _ = export(tmp_path, "--with-personal-data")
    assert "reader@example.org" in full.read_text() and "198.51.100.4" in full.read_text()


def test_users_are_written_by_name(site, tmp_path, run_import):
    path, _ = export(tmp_path, "--with-personal-data")
    revision = next(
        json.loads(line)
        for line in path.read_text().splitlines()[1:]
        if '"statements.revision"' in line and '"mod"' in line
    )
    assert revision["fields"]["author"] == "mod"
    empty_the_site()
    get_user_model().objects.filter(username="mod").delete()
    report = run_import("tribuna", path)
    assert "references to user accounts not on this site, left empty" in report
    assert AuditEntry.objects.filter(username="mod", user__isnull=True).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty file"),
        ('{"format": "other"}\n', "not a Tribuna export"),
        ('{"format": "tribuna-export", "version": 9}\n', "version 9"),
        (
            '{"format": "tribuna-export", "version": 1}\n{"model": "auth.user", "pk": 1, "fields": {}}\n',
            "line 2",
        ),
    ],
)
def test_broken_export_files(run_import, tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        run_import("tribuna", path)


def test_new_rows_after_a_restore_get_fresh_ids(site, tmp_path, run_import, thread):
    """On PostgreSQL the sequences must move past the restored keys."""
    path, _ = export(tmp_path, "--with-personal-data")
    highest = Comment.objects.order_by("pk").last().pk
    empty_the_site()
    run_import("tribuna", path)
    fresh = Comment.objects.create(thread_id=thread.pk, author_name="After", text="new", html="<p>new</p>")
    assert fresh.pk > highest
