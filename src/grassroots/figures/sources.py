"""Which rollup rows a figure over an area is summed from, and how the live rows join them.

A county or township's figures come from its `SubtreeFigure` rows (one per day, or per day and
matter or unit for a county), any other area's from the `DailyFigure` rows of its subtree. Both
carry the same counters, so a sum is the same either way (tests/test_dashboard_figures.py
asserts it); only the number of rows read differs, and for a county or township it is bounded
by the days, the matters and the units, never by the cases.

With a cut (`figures.live.Cut`), rollup rows are read only for the days untouched since the
refresh, and the live rows of the touched days are added (`summed(..., live=...)`), so the sum
is the cases' own at this moment.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum

from grassroots.areas.models import Area
from grassroots.figures.choices import Grain
from grassroots.figures.columns import FIELDS, NOW_FIELDS
from grassroots.figures.live import Cut
from grassroots.figures.models import DailyFigure, SubtreeFigure
from grassroots.figures.rollup import SUBTREES

Rows = QuerySet[DailyFigure] | QuerySet[SubtreeFigure]
Live = Iterable[dict[str, Any]]


def has_subtree_rows(column: str, grain: str = Grain.AREA, cut: Cut | None = None) -> bool:
    """Whether `SubtreeFigure` keeps `grain` rows for the areas of ancestor column `column`
    (and they hold the current tree: no area moved since the cut's refresh)."""
    return (Grain(grain), column) in SUBTREES and not (cut is not None and cut.moved)


def subtree(area_id: int, column: str, grain: str = Grain.AREA, cut: Cut | None = None) -> Rows:
    """The rows of the subtree of the area `area_id` (whose ancestor column is `column`), of
    the days the cut reads from the rollups."""
    rows: Rows
    if has_subtree_rows(column, grain, cut):
        rows = SubtreeFigure.objects.filter(grain=grain, node_id=area_id)
    else:
        rows = DailyFigure.objects.filter(**{column: area_id})
    return rows.filter(cut.rollup_q) if cut is not None else rows


def rows_within(area: Area, grain: str = Grain.AREA, cut: Cut | None = None) -> Rows:
    """The rows of `area`'s subtree, fine enough to group by `grain` (and by day)."""
    return subtree(area.pk, area.column, grain, cut)


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
    live: Live = (),
    key_of: Callable[[dict[str, Any]], tuple[Any, ...]] | None = None,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """One query: for each value of `keys` among `rows`, the sum of each of `fields` over the
    rows of [start, end) as `s_<field>` and of each "now" counter over every day as
    `now_<field>`. It reads the period's rows and those with open cases, grouped by whether
    they lie in the period (plain sums: far cheaper to build than a filtered sum per field).
    The `live` rows (`live.live_rows`) are added the same way, keyed by `key_of` (default:
    their values of `keys`)."""
    flag = ExpressionWrapper(in_days(start, end), output_field=BooleanField())
    needed = tuple(dict.fromkeys((*fields, *NOW_FIELDS)))
    grouped: Any = (
        rows.filter(relevant(start, end))
        .values(*keys, p_in=flag)
        .annotate(**{f"t_{f}": Sum(f) for f in needed})
        .order_by()
    )
    out: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add(key: tuple[Any, ...], inside: bool, value: Callable[[str], Any]) -> None:
        acc = out.setdefault(key, {})
        names = [(f"s_{f}", f) for f in fields] if inside else []
        for name, f in [*names, *((f"now_{f}", f) for f in NOW_FIELDS)]:
            acc[name] = (acc.get(name) or 0) + (value(f) or 0)

    for g in grouped:
        sums = {f: g[f"t_{f}"] for f in needed}
        add(tuple(g[k] for k in keys), bool(g["p_in"]), sums.get)
    for row in live:
        inside = start <= row["day"] < end
        if not inside and not row["open"]:
            continue
        key = key_of(row) if key_of else tuple(row[k] for k in keys)
        add(key, inside, row.get)
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
