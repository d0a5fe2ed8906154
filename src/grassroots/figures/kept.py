"""Writing a kept state's table (`registry.KeptState.rebuild`) by difference.

A state is worked out first, outside any transaction (at county scale the visit state takes
seconds); `rows_replaced` then makes the table hold exactly those rows in one short
transaction: it reads the rows held, deletes those gone or changed and adds those new or
changed. On SQLite a write transaction holds the one write lock every intake waits for, so
the lock is held for reading the table and writing the difference, not for the work; and a
rebuild after one visit logged writes one row, not the whole table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

BATCH = 2000


def rows_replaced(
    model: type[models.Model],
    key: tuple[str, ...],
    fields: tuple[str, ...],
    rows: Iterable[dict[str, Any]],
) -> int:
    """Make `model`'s table hold exactly `rows` (each a dict of the `key` and `fields`
    columns, the key unique among them); returns the rows added. Rows held with a key not in
    `rows`, with another value in a field, or twice are deleted; rows held as given stay."""
    wanted = {tuple(row[k] for k in key): row for row in rows}
    for first in wanted.values():  # a column outside both would never be compared
        if extra := set(first) - set(key) - set(fields):
            raise ValueError(f"rows_replaced: {sorted(extra)} neither key nor field")
        break
    width = len(key)
    with transaction.atomic():
        kept: set[tuple[Any, ...]] = set()
        gone: list[Any] = []
        held = model._default_manager.values_list("pk", *key, *fields)
        for pk, *values in held.iterator(chunk_size=BATCH):
            found = tuple(values[:width])
            row = wanted.get(found)
            same = row is not None and all(
                row[f] == v for f, v in zip(fields, values[width:], strict=True)
            )
            if same and found not in kept:
                kept.add(found)
            else:
                gone.append(pk)
        for i in range(0, len(gone), BATCH):
            model._default_manager.filter(pk__in=gone[i : i + BATCH]).delete()
        new = [model(**row) for found, row in wanted.items() if found not in kept]
        model._default_manager.bulk_create(new, batch_size=BATCH)
    return len(new)
