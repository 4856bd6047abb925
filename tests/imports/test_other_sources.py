from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from django.core.management.base import CommandError

from tests.imports.conftest import FIXTURES, snapshot
from tribuna.discussion.models import Comment, Thread
from tribuna.discussion.services import thread_page


def named(name: str) -> Comment:
    return Comment.objects.get(author_name=name)


# --- Disqus -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _keep_addresses(settings):
    """The fixtures are years old; keep their addresses to check they were read."""
    settings.TRIBUNA_IP_RETENTION_DAYS = 100_000


def test_disqus_statuses_threading_and_addresses(run_import):
    report = run_import("disqus", FIXTURES / "disqus" / "tribuna-disqus.xml")
    top = named("Reader")
    assert top.text == "Top comment with **HTML** in CDATA." and top.ip_address == "203.0.113.7"
    assert top.created == datetime(2020, 5, 2, 8, 0, tzinfo=UTC)
    assert (
        top.thread.key == "/2020/05/budget/" and top.thread.url == "https://old.example.org/2020/05/budget/"
    )
    placeholder = Comment.objects.get(status="deleted")
    assert placeholder.text == "" and named("Anonymous Reader").parent == placeholder
    assert named("Spammer").status == "spam"  # Isso imports Disqus spam as visible
    assert not Comment.objects.filter(author_name="Gone Too").exists()
    russian = named("Иван")
    assert "Привет, мир!" in russian.html and russian.thread.key == "/notes/cyrillic/?lang=ru"
    assert not russian.thread.is_open and russian.thread.title == "Заметки"
    assert "its thread is not in the file" in report and "thread without comments" in report


def test_disqus_twice_changes_nothing(run_import):
    path = FIXTURES / "disqus" / "tribuna-disqus.xml"
    run_import("disqus", path)
    before = snapshot()
    run_import("disqus", path)
    assert snapshot() == before  # Isso's importer doubles every comment here


def test_disqus_thread_matches_a_statement_through_map(run_import, statement):
    run_import(
        "disqus",
        FIXTURES / "disqus" / "tribuna-disqus.xml",
        "--map",
        "https://old.example.org/2020/05/budget/=/statements/test-statement/",
    )
    assert named("Reader").thread.statement == statement


@pytest.mark.parametrize(
    "name, threads, comments",
    [
        ("isso__disqus.xml", 2, 5),
        ("remark42__disqus.wellformed.xml", 2, 5),
        ("comentario__disqus-ok-single.xml", 1, 1),
        ("comentario__disqus-ok-empty.xml", 0, 0),
    ],
)
def test_shared_disqus_files(run_import, name, threads, comments):
    run_import("disqus", FIXTURES / "disqus" / name)
    assert (Thread.objects.count(), Comment.objects.count()) == (threads, comments)
    before = snapshot()
    run_import("disqus", FIXTURES / "disqus" / name)
    assert snapshot() == before


def test_isso_disqus_reply_keeps_its_parent(run_import):
    run_import("disqus", FIXTURES / "disqus" / "isso__disqus.xml")
    replies = Comment.objects.filter(author_name="user")
    assert replies.count() == 2 and {r.parent.author_name for r in replies} == {"peter"}
    assert {r.parent.status for r in replies} == {"approved", "deleted"}  # a deleted post kept for its reply


@pytest.mark.parametrize("name", ["remark42__disqus.notwellformed.xml", "comentario__disqus-bad-format.xml"])
def test_broken_disqus_files_change_nothing(run_import, name):
    with pytest.raises(CommandError, match=r"not well-formed XML at line \d+"):
        run_import("disqus", FIXTURES / "disqus" / name)
    assert not Thread.objects.exists()


def test_lenient_disqus_skips_the_stray_character_and_the_malformed_post(run_import):
    report = run_import("disqus", FIXTURES / "disqus" / "remark42__disqus.notwellformed.xml", "--lenient")
    assert Comment.objects.count() == 5  # the post without dsq:id is kept, the malformed last one listed
    assert "unreadable <post> record (--lenient)" in report and "line 135" in report


# --- Isso -----------------------------------------------------------------------------------------


def test_isso_database(run_import):
    run_import("isso", FIXTURES / "isso" / "isso-sample.db")
    assert Comment.objects.count() == 15
    first = named("Ohai")
    assert (
        first.created == datetime.fromtimestamp(1389720732, tz=UTC) and first.ip_network == "82.119.20.0/24"
    )
    assert first.author_url == "http://example.tld/" and first.thread.key == "/2014/test/"
    # mode 4 (deleted) kept because it has a reply; its words are gone.
    deleted = Comment.objects.get(status="deleted")
    assert deleted.text == "" and Comment.objects.filter(parent=deleted).count() == 1
    assert {c.thread.title for c in Comment.objects.filter(author_name="Tester")} == {"Hello, World…"}
    assert Comment.objects.filter(parent__isnull=False).count() == 5


def test_isso_generic_json_and_schema_check(run_import, tmp_path):
    run_import("isso", FIXTURES / "isso" / "isso__generic.json")
    assert named("texas holdem").thread.key == "/posts/0001/"
    assert named("Richard Crinshaw").created == datetime(2005, 5, 8, 6, 50, 26, tzinfo=UTC)
    before = snapshot()
    run_import("isso", FIXTURES / "isso" / "isso__generic.json")
    assert snapshot() == before
    import sqlite3

    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "isso" / "isso-sample.db", old)
    with sqlite3.connect(old) as db:
        db.execute("PRAGMA user_version = 2")
    with pytest.raises(CommandError, match="schema version 2"):
        run_import("isso", old)


# --- Remark42 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["remark42__native_TestNative_Import.jsonl", "remark42__native_TestNative_Import.jsonl.gz"]
)
def test_remark42_backup(run_import, name):
    report = run_import("remark42", FIXTURES / "remark42" / name)
    first = Comment.objects.get(text__startswith="some text,")
    assert first.created == datetime(2017, 12, 20, 21, 18, 22, tzinfo=UTC)  # -06:00 offset applied
    assert '<a href="http://radio-t.com"' in first.html and not first.thread.is_open  # read-only post
    orphan = Comment.objects.get(text="some text2")
    assert orphan.parent is None and "replies whose parent is missing" in report
    assert first.author_name == orphan.author_name == "user name"
    assert first.ip_address is None  # remark42 keeps a hash, not an address


def test_remark42_bad_line_is_named(run_import, tmp_path):
    path = tmp_path / "backup.jsonl"
    lines = (FIXTURES / "remark42" / "remark42__native_TestNative_Import.jsonl").read_text().splitlines()
    path.write_text("\n".join([*lines, "{not json"]) + "\n")
    with pytest.raises(CommandError, match="line 4 is not a comment"):
        run_import("remark42", path)
    assert not Comment.objects.exists()
    assert "unreadable line (--lenient)" in run_import("remark42", path, "--lenient")
    assert Comment.objects.count() == 2


def test_gzip_bomb_is_stopped_by_the_size_limit(run_import, tmp_path):
    import gzip

    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"version":1}\n' + b" " * 5_000_000))
    with pytest.raises(CommandError, match="larger than the limit"):
        run_import("remark42", path, "--max-bytes", "1000000")


# --- Commento and Comentario --------------------------------------------------------------------


def test_commento_out_of_order_anonymous_undefined_and_votes(run_import):
    report = run_import("commento", FIXTURES / "commento" / "tribuna-commento.json")
    anonymous = Comment.objects.get(text="An anonymous comment.")
    assert anonymous.author_name == "Anonymous" and anonymous.upvotes == 3 and anonymous.score == 3
    reply = Comment.objects.get(text="A reply.")
    assert reply.parent == anonymous and reply.status == "pending" and reply.is_moderator
    assert reply.author_email == "" and reply.author_url == ""  # literal "undefined" is no value
    assert reply.created == datetime(2021, 3, 12, 11, 25, 0, 123456, tzinfo=UTC)
    deeper = Comment.objects.get(text__startswith="A reply to the reply")
    assert deeper.parent == reply and deeper.downvotes == 2 and deeper.score == -2
    assert Comment.objects.get(text="Flagged as spam.").status == "spam"
    assert "1  empty comment without replies" in report


def test_shared_commento_files(run_import):
    run_import("commento", FIXTURES / "commento" / "remark42__commento.json")
    assert Comment.objects.get(text="Great reply!").parent.text == "Example 2 comment created by user."
    assert (
        Comment.objects.get(text="Example 2 comment created by user.").author_email
        == "somegreatmail@gmail.com"
    )
    before = snapshot()
    run_import("commento", FIXTURES / "commento" / "remark42__commento.json")
    assert snapshot() == before
    report = run_import("commento", FIXTURES / "commento" / "remark42__rest-api-commento.json")
    assert "7  empty comment without replies" in report


@pytest.mark.parametrize("name", ["comentario-ok-single-v1.json", "comentario-ok-single-v3.json"])
def test_comentario_v1_and_v3(run_import, name):
    run_import("comentario", FIXTURES / "comentario" / name)
    comment = Comment.objects.get()
    assert comment.text == "Yay, imported" and comment.author_name == "Bugs Bunny"
    assert comment.author_email == "bugsy@bigsy" and comment.upvotes == 23 and comment.status == "approved"
    assert comment.thread.key == "/"
    before = snapshot()
    run_import("comentario", FIXTURES / "comentario" / name)
    assert snapshot() == before  # Comentario's own importer duplicates here


@pytest.mark.parametrize("name", ["comentario-ok-empty-v1.json", "comentario-ok-empty-v3.json"])
def test_comentario_empty_exports(run_import, name):
    assert "comments:   0 created" in run_import("comentario", FIXTURES / "comentario" / name)


@pytest.mark.parametrize(
    "name, message",
    [
        ("comentario-bad-format.json", "not valid JSON at line 1, column 23"),
        ("comentario-bad-version.json", "found 481"),
    ],
)
def test_comentario_bad_files(run_import, name, message):
    with pytest.raises(CommandError, match=message):
        run_import("comentario", FIXTURES / "comentario" / name)


def test_comentario_v3_statuses(run_import, tmp_path):
    import json

    document = json.loads((FIXTURES / "comentario" / "comentario-ok-single-v3.json").read_text())
    base = document["comments"][0]
    document["comments"] += [
        {
            **base,
            "id": "pending-1",
            "isApproved": False,
            "isPending": True,
            "parentId": base["id"],
            "markdown": "Held",
        },
        {
            **base,
            "id": "deleted-1",
            "isDeleted": True,
            "deletedTime": "2023-11-15T00:00:00Z",
            "markdown": "Gone",
        },
    ]
    path = tmp_path / "v3.json"
    path.write_text(json.dumps(document))
    run_import("comentario", path)
    held = Comment.objects.get(text="Held")
    assert held.status == "pending" and held.parent.text == "Yay, imported"
    assert not Comment.objects.filter(status="deleted").exists()


# --- Staticman -------------------------------------------------------------------------------------


def test_staticman_replying_to_is_a_position(run_import):
    report = run_import("staticman", FIXTURES / "staticman" / "_data" / "comments")
    reply = named("Alan Turing")
    assert reply.parent == named("Grace Hopper")  # replying_to "2": the second top-level comment by date
    assert named("Grace Hopper").author_email == ""  # an MD5 hash is not an address
    assert named("Ada Lovelace").html.startswith("<p>First! With <em>emphasis</em>")
    assert named("Edsger Dijkstra").parent is None and "replies whose parent is missing" in report
    assert named("Barbara Liskov").text == "HTML from an older form: **bold**"
    assert named("Barbara Liskov").created == datetime(2023, 11, 15, 7, 0, tzinfo=UTC)
    assert named("Ada Lovelace").thread.key == "/hello-world/"
    before = snapshot()
    run_import("staticman", FIXTURES / "staticman" / "_data" / "comments")
    assert snapshot() == before


def test_staticman_bad_yaml_names_the_file(run_import, tmp_path):
    folder = tmp_path / "comments" / "page"
    folder.mkdir(parents=True)
    (folder / "good.yml").write_text("name: A\nmessage: fine\ndate: 1700000000\n")
    (folder / "bad.yml").write_text("name: [unclosed\nmessage: x\n")
    with pytest.raises(CommandError, match="bad.yml line"):
        run_import("staticman", tmp_path / "comments")
    assert not Comment.objects.exists()
    run_import("staticman", tmp_path / "comments", "--lenient")
    assert Comment.objects.count() == 1


# --- Across sources -------------------------------------------------------------------------------


def test_source_ids_do_not_collide_across_sources(run_import):
    run_import("comentario", FIXTURES / "comentario" / "comentario-ok-single-v1.json")
    run_import("commento", FIXTURES / "commento" / "tribuna-commento.json")
    run_import("isso", FIXTURES / "isso" / "isso-sample.db")
    run_import("disqus", FIXTURES / "disqus" / "isso__disqus.xml")  # Disqus ids 4, 5 are Isso ids too
    assert Comment.objects.count() == 1 + 4 + 15 + 5


def test_placeholders_and_pending_never_show_their_words(run_import):
    run_import("disqus", FIXTURES / "disqus" / "tribuna-disqus.xml")
    page = thread_page(named("Reader").thread)
    text = str(page)
    assert "This was deleted" not in text and "Buy cheap things" not in text and "Gone" not in text
    assert page["thread"]["count"] == 2


def test_long_page_addresses_are_kept_as_digests(run_import, tmp_path):
    import json

    long_path = "/" + "very-long-segment/" * 30
    document = json.loads((FIXTURES / "commento" / "tribuna-commento.json").read_text())
    for comment in document["comments"]:
        comment["url"] = long_path
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document))
    report = run_import("commento", path)
    assert "thread addresses cut to 300 characters" in report
    before = snapshot()
    run_import("commento", path)
    assert snapshot() == before
    assert Comment.objects.get(text="An anonymous comment.").thread.key == long_path[:300]


def test_disqus_reply_across_threads_is_kept_at_top_level(run_import, tmp_path):
    """Comments are written thread by thread; a reply naming a parent in another thread joins the
    two threads' group, so its (deleted) parent still counts it and stays as a placeholder."""
    path = tmp_path / "across.xml"
    path.write_text(
        (FIXTURES / "disqus" / "tribuna-disqus.xml")
        .read_text()
        .replace('<thread dsq:id="200"/>', '<thread dsq:id="200"/><parent dsq:id="1005"/>')
    )
    report = run_import("disqus", path)
    russian = named("Иван")
    assert russian.parent is None and russian.thread.key == "/notes/cyrillic/?lang=ru"
    assert named("Gone Too").status == "deleted" and named("Gone Too").thread == named("Reader").thread
    assert "replies whose parent is missing, kept at top level" in report
