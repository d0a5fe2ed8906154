"""Statements sent together: PostgreSQL's pipeline mode for writes whose results nobody reads.

An intake writes four rows (the case, its events, the handler's inbox message, the idempotency
key); one round trip each, with the worker and the server waking each other for every one,
cost more than the writes themselves. Inside `pipelined()` psycopg sends each statement at once
and waits only when a result is read (`fetch…`) and at the end of the block, where an error of
any statement sent is raised (as Django's exception: IntegrityError for a unique key), so that
the enclosing `transaction.atomic()` rolls back as it would have on that statement. On SQLite,
which runs in the process, the block changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, router
from django.db.models import Model


@contextmanager
def pipelined(model: type[Model]) -> Iterator[None]:
    """Statements on `model`'s write database inside the block pipelined (PostgreSQL); use
    inside the transaction (entering it inside would make psycopg wait for the BEGIN) and read
    no result that is not needed (an INSERT's RETURNING is one: `insert(..., read_ids=False)`)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield
