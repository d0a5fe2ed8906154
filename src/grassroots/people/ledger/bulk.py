"""Bulk INSERTs for the import writer, the new rows' ids, and ``__in`` lookups that stay cheap.

`bulk_create` prepares every value of every row through the ORM (about 6 µs each), and on
SQLite splits a batch into INSERTs of ~40 rows; for 100,000 residents and their memberships that
preparation alone takes longer than parsing the workbook. `insert` writes a batch of value tuples
in one go instead: one parameterised ``executemany`` on SQLite, one ``COPY … FROM STDIN`` on
PostgreSQL (psycopg 3; ``executemany`` there still runs one INSERT per row on the server, several
times slower than COPY). Either way it fills every concrete column the way Django would: a column
the caller does not pass gets the field's default (or "now" for auto_now/auto_now_add fields), so
a field added to the model later cannot break the import; constraints and indexes are checked
exactly as for an INSERT, in the caller's transaction, and a database error surfaces as Django's
(``django.db.IntegrityError`` …). Values passed must already be in database form (see `day`).
`create` also gives the new rows' pks; `among` keeps long ``__in`` lists cheap on PostgreSQL.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import RawSQL

CHUNK = 900
_ARRAY_TYPES = frozenset({"text", "bigint"})


def day(value: datetime.date | str) -> str:
    """A date, or its ISO text (``2024-01-31``, as `validate` keeps dates), for a date column:
    ISO text, which SQLite stores exactly as Django does and PostgreSQL's COPY reads as a date."""
    return value if isinstance(value, str) else value.isoformat()


def insert(
    model: type[Model], fields: Sequence[str], rows: list[tuple[Any, ...]], now: datetime.datetime
) -> None:
    """INSERT `rows` (values for `fields`, in order) into `model`'s table in one executemany."""
    if not rows:
        return
    meta = model._meta
    by_name = {f.name: f for f in meta.concrete_fields}
    given = [by_name[name] for name in fields]
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.name not in set(fields)]
    defaults = []
    for f in rest:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        defaults.append(f.get_db_prep_save(now if auto else f.get_default(), connection))
    quote = connection.ops.quote_name
    # Identifiers come from the model's own metadata; every value is a bound parameter (or a
    # COPY row, which the driver escapes).
    table = quote(meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in [*given, *rest])
    tail = tuple(defaults)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, connection.wrap_database_errors:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
        return
    marks = ", ".join(["%s"] * (len(given) + len(rest)))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [row + tail for row in rows])


def create(
    model: type[Model],
    fields: Sequence[str],
    rows: list[tuple[Any, ...]],
    now: datetime.datetime,
    *,
    key: Sequence[str],
) -> list[int]:
    """`insert` the rows, and return their new pks in the order of `rows`.

    `key` names fields among `fields` that are unique together. On PostgreSQL the pks are drawn
    from the table's own sequence first and written with the rows (nothing is read back); on
    SQLite the rows are read back by `key`.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        meta = model._meta
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # The sequence's name first: looked up inside the nextval() it would cost ~7 µs a row.
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)", [quote(meta.db_table), meta.pk.column]
            )
            (sequence,) = cursor.fetchone() or (None,)
            if sequence is None:
                raise RuntimeError(f"{meta.db_table} has no id sequence")
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)]
            )
            pks = [int(r[0]) for r in cursor.fetchall()]
        pk_name = str(meta.pk.name)
        insert(
            model,
            (pk_name, *fields),
            [(pk, *row) for pk, row in zip(pks, rows, strict=True)],
            now,
        )
        return pks
    insert(model, fields, rows, now)
    at = [list(fields).index(k) for k in key]
    wanted = [tuple(row[i] for i in at) for row in rows]
    found = _pks_by(model, key, wanted)
    return [found[w] for w in wanted]


def _pks_by(
    model: type[Model], key: Sequence[str], wanted: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], int]:
    """`key values → pk` for the rows of `model` whose `key` is among `wanted`."""
    manager = model._default_manager
    *outer, last = key
    narrow = {f"{k}__in": sorted({w[j] for w in wanted}) for j, k in enumerate(outer)}
    values = sorted({w[-1] for w in wanted})
    found: dict[tuple[Any, ...], int] = {}
    for i in range(0, len(values), CHUNK):
        chunk = values[i : i + CHUNK]
        for *k, pk in manager.filter(**narrow, **{f"{last}__in": chunk}).values_list(*key, "pk"):
            found[tuple(k)] = pk
    return found


def among(values: Sequence[Any], db_type: str = "text") -> Any:
    """The right-hand side of an ``__in`` filter on `values` (of SQL type `db_type`, "text" or
    "bigint"): on PostgreSQL one array parameter, elsewhere the values themselves.

    Why: 900 quoted literals cost the driver more to quote and the server more to plan than the
    lookup itself costs (about 25 ms a query against 5 ms); an array is one parameter.
    """
    if db_type not in _ARRAY_TYPES:
        raise ValueError("db_type must be text or bigint")
    if connection.vendor != "postgresql":
        return values
    # The type is one of two fixed words; the values travel as one bound parameter.
    return RawSQL(f"SELECT unnest(%s::{db_type}[])", [list(values)])  # noqa: S611
