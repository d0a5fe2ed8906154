"""The rollup queries: each table's rows as one SELECT … GROUP BY, written with INSERT … SELECT.

The refresher (`figures.services`) inserts these selects' rows, the consistency check
(`figures.checks`) and the live part of a figure (`figures.live`) read the same selects back,
so all three compute a row the same way, and nothing but the database touches the cases one
by one. What a row counts comes from the registered source (`figures.registry`).

- `daily_rows`: `DailyFigure` rows of some cases — the counters and durations of the
  source (`cases.figures`) grouped by registration day (Asia/Shanghai), area, matter and
  unit, with the area's path. An inner select evaluates each case's conditions and
  durations once; the outer one only counts and sums them (the inner select is fenced
  with OFFSET 0 so that the database does not fold it into the outer one and evaluate every
  duration once per histogram bucket).
- `subtree_rows`: `SubtreeFigure` rows summed from `DailyFigure` rows.
- `escalation_rows`: `Escalation` rows of the escalate events of some cases.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    Model,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.figures.choices import Grain
from grassroots.figures.columns import FIELDS
from grassroots.figures.models import DailyFigure
from grassroots.figures.registry import source

Select = tuple[str, Any]
# The `SubtreeFigure` rows kept: (grain, the ancestor column whose subtrees they sum).
SUBTREES = (
    (Grain.AREA, "county"),
    (Grain.AREA, "township"),
    (Grain.MATTER_UNIT, "county"),
)
KEYS = {Grain.AREA: (), Grain.MATTER_UNIT: ("matter_id", "unit_id")}
# (table column, select alias) of each table's rows.
PATH = [(c, f"p_{c}") for c in ANCESTOR_COLUMNS]
DAILY_KEYS = [("day", "day"), ("area_id", "area_id"), ("matter_id", "matter_id")]
DAILY_KEYS += [("unit_id", "unit_id"), *PATH]
DAILY_COLUMNS = [*DAILY_KEYS, *[(f, f) for f in FIELDS]]
ESCALATION_COLUMNS = [
    ("event_id", "e_event"),
    ("case_id", "e_case"),
    ("at", "e_at"),
    ("to_unit_id", "e_to_unit"),
    *PATH,
]


class LocalDate(TruncDate):
    """The registration date in the current time zone (Asia/Shanghai), computed in the database.

    SQLite has no time zones: Django's TruncDate calls back into Python for every row, so for a
    zone without daylight saving time (China's since 1992) the date is shifted by the fixed
    offset in SQL instead; the result is the same."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        tz = timezone.get_current_timezone()
        year = timezone.now().year
        winter = datetime.datetime(year, 1, 1, tzinfo=tz).utcoffset()
        summer = datetime.datetime(year, 7, 1, tzinfo=tz).utcoffset()
        if winter is None or winter != summer:
            return super().as_sqlite(compiler, connection, **extra)
        shifted = Func(
            self.lhs,
            template=f"date(%(expressions)s, '{int(winter.total_seconds()) // 60:+d} minutes')",
            output_field=DateField(),
        )
        return compiler.compile(shifted)


def _fence() -> str:
    return "LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else "OFFSET 0"


def daily_rows(cases: QuerySet[Any], now: datetime.datetime) -> Select:
    """The `DailyFigure` rows of `cases` (rows of the cases source) as of `now` (aliases as
    in DAILY_COLUMNS)."""
    src = source()
    flags = src.flags(now)
    conditions = {
        f"f_{name}": ExpressionWrapper(q, output_field=BooleanField()) for name, q in flags.items()
    }
    inner = (
        cases.annotate(day=LocalDate(src.day_field))
        .alias(**{f"d_{k}": v for k, v in src.durations.items()}, **conditions)
        .values(
            "day",
            "area_id",
            "matter_id",
            "unit_id",
            **{alias: F(f"area__{col}_id") for col, alias in PATH},
            **{f"d_{k}": F(f"d_{k}") for k in src.durations},
            **{k: F(k) for k in conditions},
        )
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    q = connection.ops.quote_name
    outer = [(f"COUNT(*) FILTER (WHERE {q(f'f_{name}')})", name) for name in flags]
    for name in src.durations:
        took = q(f"d_{name}")
        outer += [
            (f"COALESCE(SUM({took}), 0) / 3600.0", f"{name}_hours"),
            (f"COUNT({took})", f"{name}_count"),
        ]
    for names, bounds, duration in src.histograms:
        took, low = q(f"d_{duration}"), None
        for name, bound in zip(names, (*bounds, None), strict=True):
            test = [f"{took} IS NOT NULL"]
            test += [f"{took} > {low * 3600:.1f}"] if low is not None else []
            test += [f"{took} <= {bound * 3600:.1f}"] if bound is not None else []
            outer.append((f"COUNT(*) FILTER (WHERE {' AND '.join(test)})", name))
            low = bound
    keys = ", ".join(q(a) for _, a in DAILY_KEYS)
    selected = ", ".join(f"{expr} AS {q(name)}" for expr, name in outer)
    return (
        f"SELECT {keys}, {selected} "  # noqa: S608 — column names and numbers only
        f"FROM ({sql} {_fence()}) AS cases GROUP BY {keys}",
        params,
    )


def subtree_rows(days: list[datetime.date] | None, grain: str, column: str) -> Select:
    """The `SubtreeFigure` rows of `days` (None: every day) for `grain` and the subtrees of
    `column`'s areas, summed from those days' `DailyFigure` rows."""
    keys = KEYS[Grain(grain)]
    daily = DailyFigure.objects.filter(**{f"{column}__isnull": False})
    if days is not None:
        daily = daily.filter(day__in=days)
    rows = (
        daily.values("day", *keys, p_node=F(column), p_grain=Value(str(grain)))
        .annotate(**{f"s_{f}": Sum(f) for f in FIELDS})
        .order_by()
    )
    return rows.query.sql_with_params()


def subtree_columns(grain: str) -> list[tuple[str, str]]:
    keys = KEYS[Grain(grain)]
    return [
        ("day", "day"),
        ("node_id", "p_node"),
        ("grain", "p_grain"),
        *[(k, k) for k in keys],
        *[(f, f"s_{f}") for f in FIELDS],
    ]


def escalation_rows(cases: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The `Escalation` rows of the escalations of `cases` (default: of every case)."""
    return source().escalations(cases)


def insert(
    model: type[Model], columns: list[tuple[str, str]], select: Select | QuerySet[Any]
) -> int:
    """INSERT INTO `model`'s table the rows of `select` (no round trip through Python); returns
    how many rows were written."""
    sql, params = select if isinstance(select, tuple) else select.query.sql_with_params()
    q = connection.ops.quote_name
    targets = ", ".join(q(c) for c, _ in columns)
    sources = ", ".join(q(a) for _, a in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(model._meta.db_table)} ({targets}) "  # noqa: S608 — names are ours
            f"SELECT {sources} FROM ({sql}) AS rollup",
            params,
        )
        return max(cursor.rowcount, 0)


def rows_as(columns: list[tuple[str, str]], select: Select) -> Iterator[dict[str, Any]]:
    """The rows of `select`, each value under its table column's name (for comparisons)."""
    sql, params = select
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        wanted = [(c, names.index(a)) for c, a in columns]
        while chunk := cursor.fetchmany(5000):
            for row in chunk:
                out = {c: row[i] for c, i in wanted}
                if isinstance(out.get("day"), str):  # SQLite returns dates as text
                    out["day"] = datetime.date.fromisoformat(out["day"])
                yield out
