"""Inserting many rows of one model: primary keys reserved first, then one INSERT run by executemany.

Why not QuerySet.bulk_create: on SQLite, whose statements take at most 999 parameters, it
compiles a new INSERT for every 33 comments and passes each of their 30 values through its
field's preparation; for 100,000 comments that was half of an import's time. Here the statement
is built once, only the fields whose values need the database's form (dates, JSON, addresses)
adapt them, and the keys are known before anything is written, so a reply can name its parent
without waiting for the database to return the parent's key.

For models whose key the database numbers (AutoField and its kin). Rows are dicts of attname
-> value; fields a row leaves out get their default, as a model instance would. Like
bulk_create, nothing here validates the values or sends signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

# Fields whose Python values the database drivers take as they are: passing them through
# get_db_prep_save would only check their type, 30 times per comment. Exact types, not
# subclasses: a subclass may well store its values in another form.
_AS_IS = {
    models.BigIntegerField,
    models.BooleanField,
    models.CharField,
    models.EmailField,
    models.FloatField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SlugField,
    models.SmallIntegerField,
    models.TextField,
    models.URLField,
}


def _column(field: models.Field | None) -> str:
    """A concrete field's column (Django's types allow None for fields that have none)."""
    assert field is not None and field.column is not None
    return field.column


class BulkInsert:
    def __init__(self, model: type[models.Model]) -> None:
        # The connection itself, not django.db.connection's per-thread proxy: it is asked for
        # every adapted value.
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.model = model
        self.table = model._meta.db_table
        self.pk = model._meta.pk
        self.fields = [f for f in model._meta.concrete_fields if f is not self.pk]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(f)) for f in [self.pk, *self.fields])
        marks = ", ".join(["%s"] * (len(self.fields) + 1))
        self.sql = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names are ours
        self.defaults = {f.attname: self._default(f, connection) for f in self.fields}
        self.adapters: list[tuple[str, Callable[[Any], Any] | None]] = [
            (f.attname, None if type(f) in _AS_IS else self._adapter(f, connection)) for f in self.fields
        ]

    @staticmethod
    def _default(field: models.Field, connection) -> Any:
        """The database form of the field's default (auto_now_add fields: now), computed once."""
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            value: Any = timezone.now()
        else:
            value = field.get_default()
        return field.get_db_prep_save(value, connection)

    @staticmethod
    def _adapter(field: models.Field, connection) -> Callable[[Any], Any]:
        prepare = field.get_db_prep_save
        if prepare(None, connection) is None:  # most rows leave most nullable fields empty
            return lambda value: None if value is None else prepare(value, connection)
        return lambda value: prepare(value, connection)

    def reserve(self, n: int) -> list[int]:
        """n new primary keys, in increasing order, that no other writer will take.

        PostgreSQL: drawn from the column's sequence. SQLite: the writer holds the database's
        write lock for the whole import (transaction_mode IMMEDIATE), so the keys after both
        the largest in the table and the largest AUTOINCREMENT ever gave (keys of deleted rows
        are never reused) are free; inserting them moves sqlite_sequence past them.
        """
        if n <= 0:
            return []
        connection = self.connection
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.pk.column, n],
                )
                return sorted(row[0] for row in cursor.fetchall())
            if connection.vendor != "sqlite":
                raise NotImplementedError(f"imports write to SQLite or PostgreSQL, not {connection.vendor}")
            quote = connection.ops.quote_name
            largest = f"SELECT max({quote(_column(self.pk))}) FROM {quote(self.table)}"  # noqa: S608 - names are ours
            sequence = "SELECT seq FROM sqlite_sequence WHERE name = %s"
            cursor.execute(f"SELECT max(coalesce(({sequence}), 0), coalesce(({largest}), 0))", [self.table])
            last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + n))

    def insert(self, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Insert (primary key, values) pairs; the keys come from reserve()."""
        defaults, adapters = self.defaults, self.adapters
        # One list per row, in the statement's column order: its key, then each field's value
        # (adapted if the field needs it) or the field's default.
        params = [
            [pk]
            + [
                (values[name] if adapt is None else adapt(values[name])) if name in values else defaults[name]
                for name, adapt in adapters
            ]
            for pk, values in rows
        ]
        if params:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, params)
