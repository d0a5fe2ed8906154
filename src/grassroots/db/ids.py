"""A new row's id before its INSERT, so that what is made from the id goes in with the row.

A case's number is made from its id. Written by an UPDATE after the INSERT, it cost a second
statement and, on PostgreSQL, a second version of the row with a new entry in every one of its
indexes (the number is indexed, so the update is never HOT). `next_id` draws the id first:
on PostgreSQL from the table's sequence (`nextval`, never handed out twice, even to a
transaction that rolls back); on SQLite from the AUTOINCREMENT counter, under the write lock
that the enclosing transaction holds from its first statement (our SQLite transactions begin
IMMEDIATE), so no other writer can take the same id before the INSERT raises the counter.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Model


def next_id(model: type[Model], using: str = "default") -> int:
    """The id the next row of `model` may take; call inside the transaction that inserts it."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("next_id must be called inside the transaction that inserts the row")
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        else:
            cur.execute(
                "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0) + 1",
                [table],
            )
        return int(cur.fetchone()[0])
