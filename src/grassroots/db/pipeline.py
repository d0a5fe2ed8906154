"""Statements sent together: PostgreSQL's pipeline mode; INSERTs whose ids nobody reads written
as one statement; a block of such INSERTs written as one statement and no transaction around it.

An intake writes four rows (the case, its events, the handler's inbox message, the idempotency
key); one round trip each, with the worker and the server waking each other for every one,
cost more than the writes themselves. Inside `pipelined()` psycopg sends each statement at once
and waits only when a result is read (`fetch…`) and at the end of the block, where an error of
any statement sent is raised (as Django's exception: IntegrityError for a unique key), so that
the enclosing `transaction.atomic()` rolls back as it would have on that statement.

Each statement still costs a message each way and its own pass through the driver and the
server's executor. So the INSERTs `compiled.insert(..., read_ids=False)` makes inside the block
are held, and go as one statement (`WITH w0 AS (INSERT …), w1 AS (INSERT …) INSERT …`:
PostgreSQL runs each as part of one statement, in no set order, so one statement holds at most
one INSERT per table) when the block ends or just before any other statement runs on the
connection, so that whatever runs later sees them. One INSERT failing fails the statement, and
with it every row it carried.

A statement is atomic by itself. `written_at_once()` uses that: when the block's writes are
only such INSERTs and no transaction is open, they go as that one statement with no BEGIN and
COMMIT around it (two messages and a round trip fewer); anywhere else it is
`transaction.atomic()` around `pipelined()`. `on_commit()` runs a callback after the block's
writes are in, in both cases.

On SQLite, which runs in the process, `pipelined()` changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, router, transaction
from django.db.models import Model

# The attribute of a Django connection holding its `Held` inside `pipelined()`.
_ATTR = "grassroots_held"


class Held:
    """The INSERTs held on one connection inside `pipelined()`, in the order made.

    `alone`: the block is `written_at_once()`'s without a transaction, so no write but held
    INSERTs may run in it (each other would be its own transaction; reads may) and the commit
    callbacks wait here for the statement."""

    def __init__(self, connection: Any, *, alone: bool = False) -> None:
        self.connection = connection
        self.alone = alone
        self.statements: list[tuple[str, list[Any]]] = []
        self.tables: set[str] = set()
        self.after: list[Callable[[], Any]] = []
        self._sending = False

    def add(self, table: str, sql: str, params: list[Any]) -> None:
        """Hold an INSERT into `table`. PostgreSQL runs the parts of one statement in no set
        order, so a second INSERT into a table already held sends the held ones first (their
        rows, and ids, stay in the order made); in a block `alone` that is refused."""
        if table in self.tables:
            if self.alone:
                raise RuntimeError(f"written_at_once(): a second INSERT into {table}")
            self.send()
        self.tables.add(table)
        self.statements.append((sql, params))

    def send(self) -> None:
        """Send what is held as one statement (nothing when nothing is)."""
        held, self.statements = self.statements, []
        self.tables = set()
        if not held:
            return
        *leading, (last, _p) = held
        sql = last
        if leading:
            ctes = ", ".join(f"w{i} AS ({s})" for i, (s, _p) in enumerate(leading))
            sql = f"WITH {ctes} {last}"
        self._sending = True
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, [p for _s, params in held for p in params])
        finally:
            self._sending = False

    def before(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        """Django's execute wrapper: what is held goes first; in a block `alone`, a read runs
        at once (it cannot see the held rows, which are not written yet) and a write raises."""
        if self.alone and not self._sending:
            if sql.lstrip()[:6].upper() != "SELECT":
                raise RuntimeError(
                    "written_at_once(): a write other than insert(..., read_ids=False) in the block"
                )
        else:
            self.send()
        return execute(sql, *args)


def held(connection: Any) -> Held | None:
    """Where `compiled.insert` holds an INSERT on `connection` (inside `pipelined()`), if
    anywhere."""
    found: Held | None = getattr(connection, _ATTR, None)
    return found


@contextmanager
def pipelined(model: type[Model], *, alone: bool = False) -> Iterator[None]:
    """Statements on `model`'s write database inside the block pipelined (PostgreSQL), the
    INSERTs whose ids are not read written as one statement; use inside the transaction
    (entering it inside would make psycopg wait for the BEGIN) and read no result that is not
    needed (an INSERT's RETURNING is one: `insert(..., read_ids=False)`). A block inside another
    on the same connection is part of it. (`alone`: see `written_at_once`.)"""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or held(connection) is not None:
        yield
        return
    connection.ensure_connection()
    holding = Held(connection, alone=alone)
    with connection.wrap_database_errors, connection.connection.pipeline():
        setattr(connection, _ATTR, holding)
        try:
            with connection.execute_wrapper(holding.before):
                yield
                holding.send()
        finally:
            setattr(connection, _ATTR, None)
    for callback in holding.after:
        callback()


@contextmanager
def written_at_once(model: type[Model]) -> Iterator[None]:
    """The block's writes on `model`'s write database in, all or none, by the cheapest way the
    engine has: on PostgreSQL outside a transaction, one statement (see the module; the block's
    writes must then all be `insert(..., read_ids=False)`, another raises RuntimeError, and its
    reads do not see them); otherwise `transaction.atomic()` (a savepoint inside a transaction)
    around `pipelined()`."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with pipelined(model, alone=True):
            yield
        return
    with transaction.atomic(using=alias), pipelined(model):
        yield


def on_commit(callback: Callable[[], Any], using: str = "default") -> None:
    """Run `callback` once the writes made so far are committed: `transaction.on_commit`, or
    inside `written_at_once()`'s single statement once that is in."""
    holding = held(connections[using])
    if holding is not None and holding.alone:
        holding.after.append(callback)
    else:
        transaction.on_commit(callback, using=using)
