from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management.base import CommandError

from tests.imports.conftest import FIXTURES, snapshot
from tribuna.discussion.models import Comment
from tribuna.discussion.services import thread_page
from tribuna.imports.models import SourceRecord
from tribuna.statements.models import Statement

WP = FIXTURES / "wordpress"
EDGE = WP / "tribuna-edge-cases.xml"


def by_author(name: str) -> Comment:
    return Comment.objects.get(author_name=name)


def test_posts_become_statements_with_markdown_and_utc_dates(run_import):
    run_import("wordpress", EDGE)
    budget = Statement.objects.get(slug="budget")
    assert budget.title == "On the budget & the \u201cplan\u201d"
    assert budget.published_at == datetime(2020, 5, 1, 12, 0, tzinfo=UTC)  # post_date_gmt, not post_date
    assert budget.text.startswith("## Summary")
    assert "**balanced**" in budget.text and "- one" in budget.text
    assert Statement.objects.published().filter(pk=budget.pk).exists() and budget.body.name == "Imported"
    assert Statement.objects.get(title="Draft").status == Statement.Status.DRAFT
    assert not Statement.objects.filter(title="logo.png").exists()  # attachments are not statements


def test_comments_keep_names_emails_addresses_dates_and_text(run_import, settings):
    settings.TRIBUNA_IP_RETENTION_DAYS = 100_000
    run_import("wordpress", EDGE)
    first = Comment.objects.get(author_email="obrien@example.org")  # the trailing newline is gone
    assert first.author_name == "Wednesday Reading \u00ab O\u2019Brien"  # entities decoded
    assert first.ip_address == "192.0.2.10" and first.ip_network == "192.0.2.0/24"  # IPv4-mapped IPv6
    assert first.created == datetime(2020, 5, 2, 8, 0, tzinfo=UTC)  # comment_date_gmt
    assert first.author_url == "http://obrien.example.org/"
    assert "back\\slash" in first.html and "C:\\path\\to\\file" in first.html  # backslashes survive
    assert "2*3*4" in first.html and "<em>" not in first.html.split("2*3*4")[0][-20:]
    assert '<a href="https://example.org/" rel="nofollow ugc noopener">a link</a>' in first.html
    assert "<br>" in first.html and first.html.count("<p>") == 2  # line break and paragraphs kept
    assert by_author("Local Time Only").created == datetime(2020, 5, 5, 18, 30, tzinfo=UTC)
    assert by_author("No Date").created == datetime(2020, 5, 1, 12, 0, tzinfo=UTC)


def test_statuses_kinds_and_placeholders(run_import):
    report = run_import("wordpress", EDGE)
    assert by_author("Held Back").status == "pending"
    reply = by_author("Replier")
    assert reply.status == "pending" and reply.parent == by_author("Held Back")
    assert by_author("Cheap Pills").status == "spam"
    pingback = by_author("Another Blog")
    assert pingback.kind == "pingback" and pingback.status == "approved"
    assert by_author("Answers Pingbacks").parent == pingback
    trashed = Comment.objects.get(status="deleted")
    assert trashed.text == "" and trashed.html == "" and by_author("Under Trash").parent == trashed
    assert not Comment.objects.filter(author_name="Trashed Alone").exists()
    assert "1  deleted comment without replies" in report
    orphan = by_author("Orphan")
    assert orphan.parent is None and orphan.depth == 0
    assert "1  replies whose parent is missing, kept at top level" in report


def test_hidden_comments_stay_hidden_on_the_page(run_import):
    run_import("wordpress", EDGE)
    statement = Statement.objects.get(slug="budget")
    page = thread_page(statement.thread)
    shown = {c["author"]["name"] for c in page["comments"]}
    assert "Another Blog" not in shown and "Cheap Pills" not in shown and "Held Back" not in shown
    placeholders = [c for c in page["comments"] if c["deleted"]]
    assert {r["author"]["name"] for p in placeholders for r in p["replies"]} == {
        "Answers Pingbacks",
        "Under Trash",
    }
    # Visible: first, orphan, local-time, no-date comments; pingback and trash replies count too.
    assert statement.thread.comment_count == 6


def test_deep_threads_keep_every_parent(run_import, settings):
    run_import("wordpress", EDGE)
    deep = Statement.objects.get(slug="deep").thread
    assert not deep.is_open  # comment_status closed
    levels = {c.author_name: c for c in Comment.objects.filter(thread=deep)}
    assert levels["Level 1"].parent == levels["Level 0 (same id as a comment on the budget post)"]
    cap = settings.TRIBUNA_MAX_DEPTH - 1
    assert levels["Level 5"].depth == cap
    # Past the display cap, a reply is shown beside its parent and remembers whom it answers.
    assert levels["Level 6"].depth == cap and levels["Level 6"].parent == levels["Level 4"]
    assert levels["Level 6"].reply_to == levels["Level 5"] and levels["Level 7"].reply_to == levels["Level 6"]
    assert {c.root_id for c in levels.values()} == {
        levels["Level 0 (same id as a comment on the budget post)"].pk,
        None,
    }
    assert levels["Level 4"].reply_count == 3  # levels 5, 6 and 7 are all shown beneath it


def test_imported_addresses_follow_the_retention_period(run_import, settings):
    settings.TRIBUNA_IP_RETENTION_DAYS = 30
    report = run_import("wordpress", EDGE)
    assert "2  IP addresses older than the 30-day retention period, not kept" in report
    first = Comment.objects.get(author_email="obrien@example.org")
    assert (
        first.ip_address is None and first.ip_network == "192.0.2.0/24"
    )  # the network stays, as for any comment


def test_same_comment_id_in_two_posts_is_two_comments(run_import):
    run_import("wordpress", EDGE)
    ids = set(
        SourceRecord.objects.filter(source="wordpress", kind="comment").values_list("source_id", flat=True)
    )
    assert {"old.example.org#10/1", "old.example.org#11/1"} <= ids


def test_a_second_import_changes_nothing(run_import):
    run_import("wordpress", EDGE)
    before = snapshot()
    report = run_import("wordpress", EDGE)
    assert snapshot() == before
    assert "comments:   0 created, 0 updated, 19 unchanged" in report


def test_a_newer_export_adds_only_what_is_new(run_import, tmp_path):
    newer = (
        EDGE.read_text()
        .replace(
            "<wp:comment_id>12</wp:comment_id>",
            "<wp:comment_id>12</wp:comment_id>",
            1,
        )
        .replace(
            "</item>",
            """<wp:comment><wp:comment_id>30</wp:comment_id><wp:comment_author>Newcomer</wp:comment_author>
        <wp:comment_date_gmt>2021-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>New since the last export.</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment></item>""",
            1,
        )
    )
    path = tmp_path / "newer.xml"
    path.write_text(newer)
    run_import("wordpress", EDGE)
    count = Comment.objects.count()
    report = run_import("wordpress", path)
    assert Comment.objects.count() == count + 1
    assert by_author("Newcomer").parent == Comment.objects.get(author_email="obrien@example.org")
    assert "comments:   1 created, 0 updated, 19 unchanged" in report


@pytest.mark.parametrize(
    "name",
    [
        "wordpress-importer__valid-wxr-1.0.xml",
        "wordpress-importer__valid-wxr-1.1.xml",
        "wordpress-importer__small-export.xml",
        "wordpress-importer__slashes.xml",
        "wordpress-importer__test-serialized-comment-meta.xml",
        "wordpress-importer__wxr-with-sub-data.xml",
        "isso__wordpress.xml",
        "remark42__xmlTestWP.xml",
        "comentario__wordpress-ok-single.xml",
        "comentario__wordpress-ok-long.xml",
    ],
)
def test_every_shared_wordpress_file_imports_once(run_import, name):
    run_import("wordpress", WP / name)
    assert Comment.objects.exists() or Statement.objects.exists()
    before = snapshot()
    run_import("wordpress", WP / name)
    assert snapshot() == before


def test_isso_wordpress_threading_and_dates(run_import, settings):
    settings.TRIBUNA_IP_RETENTION_DAYS = 100_000
    run_import("wordpress", WP / "isso__wordpress.xml")
    multiline = Comment.objects.get(author_email="multiline@example.org")
    assert multiline.created == datetime(2022, 6, 6, 2, 13, 14, tzinfo=UTC)  # GMT, not the local 12:13
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.count() == 3 and all(r.parent.thread_id == r.thread_id for r in replies)
    assert Comment.objects.filter(ip_address="82.119.20.0").exists()


def test_the_long_comment_is_kept_whole(run_import):
    run_import("wordpress", WP / "comentario__wordpress-ok-long.xml")
    comment = Comment.objects.get()
    assert len(comment.text) > 30_000 and "Yay, imported!" in comment.text
    assert comment.created == datetime(2000, 1, 2, 2, 16, tzinfo=UTC)


def test_pingback_from_shared_file_is_hidden(run_import):
    run_import("wordpress", WP / "remark42__xmlTestWP.xml")
    pingback = Comment.objects.get(kind="pingback")
    assert "Cynwise" in pingback.author_name and "\u2019" in pingback.text


@pytest.mark.parametrize(
    "name, where",
    [
        ("comentario__wordpress-bad-format.xml", "line 1, column 327"),
        ("remark42__xmlTestWPmd.notwellformed.xml", "line 2, column 1"),
    ],
)
def test_a_broken_file_changes_nothing_and_names_the_line(run_import, name, where):
    run_import("wordpress", EDGE)
    before = snapshot()
    with pytest.raises(CommandError, match=where):
        run_import("wordpress", WP / name)
    assert snapshot() == before


def test_a_truncated_file_changes_nothing(run_import, tmp_path):
    data = EDGE.read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(CommandError, match="not well-formed XML at line"):
        run_import("wordpress", path)
    assert snapshot() == {"Statement": [], "Revision": [], "Thread": [], "Comment": [], "SourceRecord": []}


def test_lenient_imports_what_it_can_and_lists_the_rest(run_import, tmp_path):
    data = EDGE.read_text()
    path = tmp_path / "truncated.xml"
    path.write_text(data[: data.index("<title>Draft</title>") + 40])  # the last items are cut off
    report = run_import("wordpress", path, "--lenient")
    assert Statement.objects.filter(slug__in=["budget", "deep"]).count() == 2
    assert "unreadable <item> record (--lenient)" in report
    # The file with an undeclared wp: prefix and a blank line before <?xml is read too.
    report = run_import("wordpress", WP / "remark42__xmlTestWPmd.notwellformed.xml", "--lenient")
    assert "comments:   2 created" in report
    assert "comment id repeated in the file" in report


def test_entity_expansion_is_refused(run_import, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    with pytest.raises(CommandError, match="entities"):
        run_import("wordpress", bomb)


def test_size_limit(run_import):
    with pytest.raises(CommandError, match="larger than the limit of 1,000 bytes"):
        run_import("wordpress", EDGE, "--max-bytes", "1000")


def test_dry_run_writes_nothing_and_says_what_it_would_do(run_import):
    report = run_import("wordpress", EDGE, "--dry-run")
    assert "dry run" in report and "statements: 3 would be created" in report
    assert not Comment.objects.exists() and not Statement.objects.exists()


def test_options_statements_none_types_and_bodies(run_import, body):
    run_import(
        "wordpress", EDGE, "--statements", "none", "--map", "https://old.example.org/2020/05/=/statements/"
    )
    assert not Statement.objects.exists()
    assert Comment.objects.filter(
        thread__key="/statements/budget/"
    ).exists()  # no statement of that slug: embedded


def test_only_posts_with_comments_become_statements(run_import):
    report = run_import("wordpress", EDGE, "--statements", "with-comments")
    assert set(Statement.objects.values_list("slug", flat=True)) == {"budget", "deep"}
    assert "post without comments (--statements with-comments)" in report


def test_statement_addresses_match_through_map(run_import, statement):
    run_import(
        "wordpress",
        EDGE,
        "--statements",
        "none",
        "--map",
        "https://old.example.org/2020/05/budget/=/statements/test-statement/",
    )
    assert Comment.objects.filter(thread__statement=statement).count() == 11  # 12 less the trashed one alone


def test_body_for_author(run_import):
    run_import("wordpress", EDGE, "--body-for", "finance=Finance Committee", "--types", "post")
    assert Statement.objects.get(slug="budget").body.name == "Finance Committee"
    assert Statement.objects.get(slug="deep").body.name == "Imported"


def test_import_is_audited_with_its_report(run_import):
    from tribuna.moderation.models import AuditEntry

    run_import("wordpress", EDGE)
    entry = AuditEntry.objects.get(action="imports.import")
    assert (
        entry.after["counts"]["comments"]["created"] == 19 and "deleted comment without replies" in entry.note
    )


def test_imported_comments_are_not_screened_and_send_nothing(run_import):
    from tribuna.notifications.models import Event

    run_import("wordpress", EDGE)
    assert not Event.objects.exists()
    assert by_author("Cheap Pills").spam_reasons == ["imported from wordpress"]
    assert (
        Comment.objects.filter(status="approved", spam_score__isnull=True).count()
        == Comment.objects.filter(status="approved").count()
    )


@pytest.mark.slow  # starts the import's worker processes
def test_worker_processes_convert_exactly_as_this_process_does(run_import, monkeypatch):
    from tribuna.imports import writer

    run_import("wordpress", EDGE)
    serial = sorted(Comment.objects.values_list("author_name", "text", "html"))
    Comment.objects.all().delete()
    SourceRecord.objects.filter(kind="comment").delete()
    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer.os, "cpu_count", lambda: 2)
    run_import("wordpress", EDGE)
    assert sorted(Comment.objects.values_list("author_name", "text", "html")) == serial


def test_keys_of_deleted_comments_are_never_given_again(run_import, tmp_path):
    """Imports choose their comments' keys before writing: past every key the table ever gave."""
    path = tmp_path / "newer.xml"
    path.write_text(
        EDGE.read_text().replace(
            "</item>",
            """<wp:comment><wp:comment_id>30</wp:comment_id><wp:comment_author>Newcomer</wp:comment_author>
        <wp:comment_date_gmt>2021-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content>New.</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment></item>""",
            1,
        )
    )
    run_import("wordpress", EDGE)
    newest = Comment.objects.latest("pk")
    deleted_pk = newest.pk
    newest.delete()
    run_import("wordpress", path)
    assert by_author("Newcomer").pk > deleted_pk
    posted = Comment.objects.create(
        thread=by_author("Newcomer").thread, author_name="Later", text="x", html="x"
    )
    assert posted.pk > by_author("Newcomer").pk


@pytest.mark.slow  # starts the import's worker processes
def test_a_failure_while_writing_changes_nothing_and_stops_the_workers(run_import, monkeypatch):
    """Comments are written thread by thread while workers convert: a failure half-way still rolls back."""
    import multiprocessing

    from tribuna.imports import bulk, writer

    monkeypatch.setattr(writer, "PARALLEL_FROM", 2)
    monkeypatch.setattr(writer, "CHUNK", 1)
    monkeypatch.setattr(writer.os, "cpu_count", lambda: 2)
    real_insert = bulk.BulkInsert.insert
    written: list[int] = []

    def insert_then_fail(self, rows):
        if self.model is Comment and written:
            raise RuntimeError("disk full")
        real_insert(self, rows)
        written.append(1)

    monkeypatch.setattr(bulk.BulkInsert, "insert", insert_then_fail)
    before = snapshot()
    with pytest.raises(RuntimeError, match="disk full"):
        run_import("wordpress", EDGE)
    assert written and snapshot() == before
    assert not multiprocessing.active_children()


def test_addresses_are_stored_lower_case(run_import, tmp_path):
    """As the comment form stores them: the known-author check and erasure match addresses exactly."""
    path = tmp_path / "upper.xml"
    path.write_text(EDGE.read_text().replace("obrien@example.org", "OBrien@Example.ORG"))
    run_import("wordpress", path)
    emails = set(Comment.objects.values_list("author_email", flat=True))
    assert "obrien@example.org" in emails and all(email == email.lower() for email in emails)
