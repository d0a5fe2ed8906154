"""Multi-row INSERTs for the import writer, and reading the new rows' ids back by natural key.

`bulk_create` prepares every value of every row through the ORM (about 6 µs each), and on
SQLite splits a batch into INSERTs of ~40 rows; for 100,000 residents and their memberships that
preparation alone takes longer than parsing the workbook. `insert` sends one parameterised
statement per batch through the DB-API `executemany` instead. It still fills every concrete
column the way Django would: a column the caller does not pass gets the field's default (or
"now" for auto_now/auto_now_add fields), so a field added to the model later cannot break the
import. Values passed must already be in database form (see `day`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 900


def day(value: datetime.date) -> Any:
    """A date as the database driver wants it."""
    return connection.ops.adapt_datefield_value(value)


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
    columns = ", ".join(quote(str(f.column)) for f in [*given, *rest])
    marks = ", ".join(["%s"] * (len(given) + len(rest)))
    # Identifiers come from the model's own metadata; every value is a bound parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    tail = tuple(defaults)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [row + tail for row in rows])


def ids_by(model: type[Model], field: str, values: Sequence[Any]) -> dict[Any, int]:
    """`value → pk` for the rows of `model` whose unique `field` is among `values`."""
    manager = model._default_manager
    found: dict[Any, int] = {}
    for i in range(0, len(values), CHUNK):
        rows = manager.filter(**{f"{field}__in": values[i : i + CHUNK]}).values_list(field, "pk")
        found.update(rows)
    return found
