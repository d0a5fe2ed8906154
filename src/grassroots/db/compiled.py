"""Read queries compiled to SQL once per process, run with new values: ORM prepared statements.

Django compiles a queryset to SQL each time it runs. For the few lookups every intake and every
API request makes (the token, the actor's posts, the matter, the area, the handler, the
reporter's resident) the compiling cost ≈ 0.35 ms each against ≈ 0.05 ms for running the SQL
(SQLite, measured in-process over 2,000 runs), most of what the lookup costs.
`CompiledQuery` builds its queryset once with marker values, compiles it once per database
alias, finds where each marker's value landed among the SQL parameters, and from then on runs
that SQL with the caller's values in those places — through the same cursor (query logging,
the replica router, `assertNumQueries` all see it) and the same row conversion and model
building as the queryset itself.

The queryset must keep its shape whatever the values are: markers are plain equality or
comparison values (str, int, float, date, datetime), never a list for `__in`, never a value a
lookup rewrites (`contains` wraps its text in %), and each marker must land among the
parameters (a test compiles every compiled query of the code on both engines). The SQL is
that of the first compile, so a query whose SQL depends on anything but the alias's engine must
not be compiled.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.db.models.sql.compiler import SQLCompiler

from grassroots.db.pipeline import held

T = TypeVar("T")

# Every compiled query of the code, in the order defined (tests compile each on each engine).
ALL: list[CompiledQuery[Any]] = []


class _Frozen:
    """What `ModelIterable` reads of a queryset, answering with a prepared compiler."""

    _known_related_objects: dict[Any, Any] = {}

    def __init__(self, compiler: SQLCompiler, alias: str, model: type[Model]) -> None:
        self.db = alias
        self.model = model
        self.query = self
        self._compiler = compiler

    def get_compiler(self, using: str | None = None) -> SQLCompiler:
        return self._compiler


class _Plan:
    """One alias's compiled query: its compiler (state after `as_sql`), SQL, parameters and the
    parameter positions of each marker."""

    def __init__(self, qs: QuerySet[Any], alias: str, markers: dict[str, Any]) -> None:
        self.compiler = qs.query.get_compiler(using=alias)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.values = qs._iterable_class is not ModelIterable
        self.model = qs.model
        ops = connections[alias].ops
        self.places: dict[str, list[int]] = {}
        for name, marker in markers.items():
            landed = _adapt(ops, marker)
            found = [
                i for i, p in enumerate(self.params) if type(p) is type(landed) and p == landed
            ]
            if not found:
                raise ValueError(f"compiled query: marker {name!r} is not among the parameters")
            self.places[name] = found

    def send(self, alias: str, values: dict[str, Any]) -> Sent[Any]:
        ops = connections[alias].ops
        params = list(self.params)
        for name, places in self.places.items():
            value = _adapt(ops, values[name])
            for i in places:
                params[i] = value
        cursor = connections[alias].cursor()
        try:
            cursor.execute(self.sql, params)
        except Exception:
            cursor.close()
            raise
        return Sent(self, alias, cursor)


class Sent(Generic[T]):
    """A compiled query sent: its rows are read (inside `db.pipelined`, waited for) only when
    asked for, so that several queries sent one after another travel together."""

    def __init__(self, plan: _Plan, alias: str, cursor: Any) -> None:
        self._plan, self._alias, self._cursor = plan, alias, cursor

    def iterate(self) -> Iterator[T]:
        """The rows one by one: all are fetched at once, each converted (its JSON decoded, its
        model built) only when reached."""
        plan = self._plan
        try:
            fetched = self._cursor.fetchall()
        finally:
            self._cursor.close()
        compiler = copy.copy(plan.compiler)
        compiler.connection = connections[self._alias]
        if compiler.has_extra_select:
            fetched = [row[: compiler.col_count] for row in fetched]
        if plan.values:
            return iter(compiler.results_iter([fetched], tuple_expected=True))
        compiler.execute_sql = lambda *a, **k: [fetched]
        return iter(ModelIterable(_Frozen(compiler, self._alias, plan.model)))  # type: ignore[arg-type]

    def rows(self) -> list[T]:
        return list(self.iterate())

    def first(self) -> T | None:
        found = self.rows()
        return found[0] if found else None


def _adapt(ops: Any, value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return ops.adapt_datefield_value(value)
    return value


class CompiledQuery(Generic[T]):
    """`build(**markers)` compiled once per alias; `rows(**values)` runs it with `values`.

    `markers` gives each parameter a value of its type that no real call passes (a negative
    id, a text no user types, a date of 1901); `rows` answers what `list(build(**values))`
    would: model instances, or tuples for a `values_list` queryset. `send(**values)` sends the
    query and returns at once; its `rows()` reads the answer (inside `db.pipelined`, queries
    sent one after another go to the database together and are answered together).
    """

    def __init__(self, build: Callable[..., QuerySet[Any]], **markers: Any) -> None:
        self.build = build
        self.markers = markers
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()
        self._model: type[Model] | None = None
        ALL.append(self)

    def plan(self, alias: str) -> _Plan:
        plan = self._plans.get(alias)
        if plan is None:
            with self._lock:
                plan = self._plans.get(alias)
                if plan is None:
                    plan = _Plan(self.build(**self.markers), alias, self.markers)
                    self._plans[alias] = plan
        return plan

    def send(self, **values: Any) -> Sent[T]:
        """The query sent with `values`; its rows read later (`Sent.rows`)."""
        if values.keys() != self.markers.keys():
            raise TypeError(f"compiled query takes {sorted(self.markers)}, got {sorted(values)}")
        if self._model is None:
            self._model = self.build(**self.markers).model
        alias = router.db_for_read(self._model)
        return self.plan(alias).send(alias, values)

    def rows(self, **values: Any) -> list[T]:
        return self.send(**values).rows()

    def first(self, **values: Any) -> T | None:
        return self.send(**values).first()


# INSERT statements by (model, alias, rows, ids given, ids read back): built once, like the
# queries above.
_INSERTS: dict[tuple[type[Model], str, int, bool, bool], str] = {}


def insert(objs: Sequence[Model], *, read_ids: bool = True) -> None:
    """INSERT `objs` (one model; all with their ids set, or none) in one statement whose SQL is
    built once per model, alias and number of rows: what `save(force_insert=True)` and
    `bulk_create` write (each field's `pre_save`, so `auto_now` holds, then its
    `get_db_prep_save`), without compiling the statement each time (≈ 1 ms for a case's 45
    columns). Ids the database gives are read back (RETURNING) and set on `objs`, unless
    `read_ids` is false (their pk stays None; inside `db.pipelined` the INSERT is held and goes
    with the block's others as one statement, see there). A
    value that is an expression is left to the ORM (`bulk_create`). Call inside a
    transaction."""
    model = type(objs[0])
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    with_ids = objs[0].pk is not None
    fields = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and (with_ids or f is not meta.auto_field)
    ]
    params: list[Any] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        for f in fields:
            value = f.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                model._default_manager.db_manager(alias).bulk_create(list(objs))
                return
            params.append(f.get_db_prep_save(value, connection))
    reads = read_ids and not with_ids
    key = (model, alias, len(objs), with_ids, reads)
    sql = _INSERTS.get(key)
    if sql is None:
        ops: Any = connection.ops
        quote = ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        columns = ", ".join(quote(str(f.column)) for f in fields)
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(objs))}"  # noqa: S608
        )
        if reads:
            sql += " " + ops.return_insert_columns([meta.pk])[0]
        _INSERTS[key] = sql
    holding = None if reads else held(connection)
    ids: list[Any] = []
    if holding is not None:
        holding.add(meta.db_table, sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = cursor.fetchall() if reads else []
    for i, obj in enumerate(objs):
        if ids:
            obj.pk = ids[i][0]
        obj._state.adding = False
        obj._state.db = alias
