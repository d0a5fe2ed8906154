"""Which rollup rows a figure over an area is summed from: the fewest that hold it.

A county or township's figures come from its `SubtreeFigure` rows (one per day, or per day and
matter or unit for a county), any other area's from the `DailyFigure` rows of its subtree. Both
carry the same counters, so a sum is the same either way (tests/test_dashboard_figures.py
asserts it); only the number of rows read differs, and for a county or township it is bounded
by the days, the matters and the units, never by the cases.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum

from grassroots.areas.models import Area
from grassroots.dashboard.choices import Grain
from grassroots.dashboard.definitions import FIELDS
from grassroots.dashboard.models import DailyFigure, SubtreeFigure
from grassroots.dashboard.rollup import SUBTREES

# Counters about the cases' state now, summed over every registration day.
NOW_FIELDS = ("open", "overdue", "supervised")
Rows = QuerySet[DailyFigure] | QuerySet[SubtreeFigure]


def has_subtree_rows(column: str, grain: str = Grain.AREA) -> bool:
    """Whether `SubtreeFigure` keeps `grain` rows for the areas of ancestor column `column`."""
    return (Grain(grain), column) in SUBTREES


def subtree(area_id: int, column: str, grain: str = Grain.AREA) -> Rows:
    """The rows of the subtree of the area `area_id` (whose ancestor column is `column`)."""
    if has_subtree_rows(column, grain):
        return SubtreeFigure.objects.filter(grain=grain, node_id=area_id)
    return DailyFigure.objects.filter(**{column: area_id})


def rows_within(area: Area, grain: str = Grain.AREA) -> Rows:
    """The rows of `area`'s subtree, fine enough to group by `grain` (and by day)."""
    return subtree(area.pk, area.column, grain)


def in_days(start: datetime.date, end: datetime.date) -> Q:
    """Rows of cases registered in [start, end)."""
    return Q(day__gte=start, day__lt=end)


def relevant(start: datetime.date, end: datetime.date) -> Q:
    """Rows a figure over [start, end) needs: those of the period, and any with open cases."""
    return in_days(start, end) | Q(open__gt=0)


def summed(
    rows: Rows,
    start: datetime.date,
    end: datetime.date,
    fields: tuple[str, ...] = FIELDS,
    keys: tuple[str, ...] = (),
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """One query: for each value of `keys` among `rows`, the sum of each of `fields` over the
    rows of [start, end) as `s_<field>` and of each "now" counter over every day as
    `now_<field>`. It reads the period's rows and those with open cases, grouped by whether
    they lie in the period (plain sums: far cheaper to build than a filtered sum per field)."""
    flag = ExpressionWrapper(in_days(start, end), output_field=BooleanField())
    needed = tuple(dict.fromkeys((*fields, *NOW_FIELDS)))
    grouped: Any = (
        rows.filter(relevant(start, end))
        .values(*keys, p_in=flag)
        .annotate(**{f"t_{f}": Sum(f) for f in needed})
        .order_by()
    )
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for g in grouped:
        acc = out.setdefault(tuple(g[k] for k in keys), {})
        names = [(f"s_{f}", f) for f in fields] if g["p_in"] else []
        for name, f in [*names, *((f"now_{f}", f) for f in NOW_FIELDS)]:
            acc[name] = (acc.get(name) or 0) + (g[f"t_{f}"] or 0)
    return out


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `s_<counter>` sums with the prefixes removed (`now_` sums kept as they are)."""
    return {k[2:] if k.startswith("s_") else k: v for k, v in row.items()}


def added(rows: list[dict[str, Any]], sign: int = 1) -> dict[str, Any]:
    """The key-by-key sum of sum rows (None counts as 0); `sign=-1` subtracts the others from
    the first."""
    out: dict[str, Any] = {}
    for i, row in enumerate(rows):
        factor = 1 if i == 0 else sign
        for k, v in row.items():
            out[k] = (out.get(k) or 0) + factor * (v or 0)
    return out
