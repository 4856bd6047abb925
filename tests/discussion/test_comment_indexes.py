"""The comments table's indexes: each lookup by a reference still reads an index, and no index is one that
another already leads with (every index is written on every post, issue 14)."""

from __future__ import annotations

import pytest
from django.db import connection

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db

TABLE = Comment._meta.db_table

# The lookups deleting a thread or a comment and reading replies make, as the ORM writes them.
LOOKUPS = {
    "thread": Comment.objects.filter(thread_id__in=[1, 2]),
    "replies of comments": Comment.objects.filter(parent_id__in=[1, 2]),
    "a thread of replies": Comment.objects.filter(root_id__in=[1, 2]).order_by("root_id", "created"),
    "answers past the depth cap": Comment.objects.filter(reply_to_id__in=[1, 2]),
    "anchored to a revision": Comment.objects.filter(anchor_revision_id__in=[1, 2]),
    "the moderation queue": Comment.objects.filter(status="pending").order_by("-created"),
}


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's query plans; PostgreSQL's depend on ANALYZE"
)
@pytest.mark.parametrize("lookup", LOOKUPS)
def test_each_lookup_by_a_reference_searches_an_index(lookup):
    sql, params = LOOKUPS[lookup].values_list("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "SEARCH" in plan and "INDEX" in plan, plan
    assert f"SCAN {TABLE}" not in plan, plan


def test_no_index_repeats_the_start_of_another():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    indexes = {
        name: tuple(zip(c["columns"], c.get("orders") or [""] * len(c["columns"]), strict=True))
        for name, c in constraints.items()
        if c["index"] and not c["primary_key"] and not c["unique"]
    }
    for name, columns in indexes.items():
        for other, longer in indexes.items():
            assert other == name or longer[: len(columns)] != columns, (name, "is the start of", other)


def _index_definitions() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [TABLE]
            )
        else:
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        return {name: (sql or "") for name, sql in cursor.fetchall()}


def test_the_references_most_comments_leave_empty_are_indexed_only_where_set():
    definitions = _index_definitions()
    for index, column in {
        "comment_parent": "parent_id",
        "comment_reply_to": "reply_to_id",
        "comment_anchor_revision": "anchor_revision_id",
        "replies_by_root": "root_id",
    }.items():
        where = definitions[index].partition(" WHERE ")[2].replace('"', "")
        assert f"{column} IS NOT NULL" in where, (index, definitions[index])
