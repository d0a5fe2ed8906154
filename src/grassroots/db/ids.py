"""A new row's id before its INSERT, so that what is made from the id goes in with the row.

A case's number is made from its id. Written by an UPDATE after the INSERT, it cost a second
statement and, on PostgreSQL, a second version of the row with a new entry in every one of its
indexes (the number is indexed, so the update is never HOT). `next_id` draws the id first:
on PostgreSQL from the table's sequence (`nextval`, never handed out twice, even to a
transaction that rolls back); on SQLite from the AUTOINCREMENT counter, under the write lock
that the enclosing transaction holds from its first statement (our SQLite transactions begin
IMMEDIATE), so no other writer can take the same id before the INSERT raises the counter.

On PostgreSQL the id can be drawn before the transaction, even sent with other queries
(`send_next_id`, for `db.pipelined`): a sequence never hands a value out twice.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models import Model

# The sequence of each table's id column, by (alias, table): looked up once per process.
_SEQUENCES: dict[tuple[str, str], str] = {}


def next_id(model: type[Model], using: str = "default") -> int:
    """The id the next row of `model` may take; call inside the transaction that inserts it."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("next_id must be called inside the transaction that inserts the row")
    drawn = send_next_id(model, using)
    if drawn is not None:
        return drawn.value()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) + 1",
            [model._meta.db_table],
        )
        return int(cur.fetchone()[0])


class Drawn:
    """An id drawn from a sequence, sent; `value()` reads it."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def value(self) -> int:
        try:
            return int(self._cursor.fetchone()[0])
        finally:
            self._cursor.close()


def send_next_id(model: type[Model], using: str = "default") -> Drawn | None:
    """On PostgreSQL the next value of `model`'s id sequence, sent now and read by `value()`,
    inside a transaction or not (any transaction may insert it); None on SQLite, where an id is
    drawn only inside the transaction that inserts it (`next_id`)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    table = model._meta.db_table
    sequence = _SEQUENCES.get((using, table))
    if sequence is None:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = _SEQUENCES[using, table] = str(cur.fetchone()[0])
    cursor = connection.cursor()
    cursor.execute("SELECT nextval(%s::regclass)", [sequence])
    return Drawn(cursor)
