"""Statements built once, for the reads and writes every posted comment makes.

Django compiles a queryset or `Model.objects.create()` anew on each call, which costs several times
what the database takes to run it (bench/bench_posting.py). `select()` and `insert()` build their
statement once per model and database vendor. `insert()` asks each field to prepare its value, as
`save()` does, so the row is the one `save()` would write (tests/discussion/test_posting_sql.py
compares them column by column).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save


@functools.cache
def _select_sql(model: type[Model], fields: tuple[str, ...], where: str, vendor: str) -> str:
    quote = connection.ops.quote_name
    column_of = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    columns = ", ".join(quote(column_of[name]) for name in fields)
    return f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {where}"  # noqa: S608 - names are ours


def select(model: type[Model], fields: tuple[str, ...], where: str, params: list) -> list:
    """`model.objects.only(*fields)` under a condition fixed in the code, unordered. `where` names the
    columns as the database does (lower case, unquoted, which both databases read alike); every value
    goes in `params`. Each caller's test compares the answer with its queryset."""
    with connection.cursor() as cursor:
        cursor.execute(_select_sql(model, fields, where, connection.vendor), params)
        rows = cursor.fetchall()
    return [model.from_db(connection.alias, fields, row) for row in rows]


class _Insert(NamedTuple):
    sql: str
    fields: tuple[Field, ...]
    returns_pk: bool  # the statement answers the new primary key (RETURNING)


@functools.cache
def _insert_sql(model: type[Model], vendor: str, ignore_conflicts: bool) -> _Insert:
    meta = model._meta
    if meta.parents or any(f.has_db_default() or f.generated for f in meta.local_concrete_fields):
        raise TypeError(f"{meta.label}: only plain models without database defaults are supported")
    # The columns save() writes for a new row without a primary key: every one but the auto field.
    fields = tuple(f for f in meta.local_concrete_fields if f is not meta.auto_field)
    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    columns = ", ".join(ops.quote_name(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    suffix = ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    if suffix:
        sql += " " + suffix
    # As bulk_create(ignore_conflicts=True), an ignored row has no primary key to answer.
    returns_pk = not ignore_conflicts and connection.features.can_return_columns_from_insert
    if returns_pk:
        sql += f" RETURNING {ops.quote_name(meta.db_table)}.{ops.quote_name(str(meta.pk.column))}"
    return _Insert(sql, fields, returns_pk)


def insert(obj: Model, *, ignore_conflicts: bool = False) -> None:
    """Save a new instance (no primary key yet) as `save(force_insert=True)` would, in one statement.

    Values must be plain values, not expressions. With `ignore_conflicts` it stands for
    bulk_create([obj], ignore_conflicts=True) instead: a row that breaks a unique constraint is
    skipped, the instance gets no primary key, and no save signals are sent.
    """
    cls = type(obj)
    meta = cls._meta
    if obj.pk is not None:
        raise ValueError(f"{meta.label}: insert() is for new rows, without a primary key")
    built = _insert_sql(cls, connection.vendor, ignore_conflicts)
    alias = connection.alias
    if not ignore_conflicts:
        pre_save.send(sender=cls, instance=obj, raw=False, using=alias, update_fields=None)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection=connection) for f in built.fields]
    with transaction.mark_for_rollback_on_error(alias), connection.cursor() as cursor:
        cursor.execute(built.sql, params)
        if ignore_conflicts:
            pk = None
        elif built.returns_pk:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column))
    if pk is not None:
        setattr(obj, meta.pk.attname, pk)
    obj._state.adding = False
    obj._state.db = alias
    if not ignore_conflicts:
        post_save.send(sender=cls, instance=obj, created=True, update_fields=None, raw=False, using=alias)
