"""The generic rollup of count sources (visits, disputes): refresh, verify and read.

A count source (`registry.CountSource`) registers counters, each a filter over its rows and the
date field that places a row on a day. Its rollup is `SourceCount`: for each counter, the rows
meeting it grouped by day and area (with the area's path, so an area's figure is one
`subtree_q()` filter and one SUM), written with INSERT … SELECT.

- **refresh** (`counts_refresh`, run by `refresh-figures` after the cases): a source is
  recomputed whole — one GROUP BY per counter — when its stamp (`CountSource.stamp()` and the
  local date: counters such as "follow-up overdue" change with the date alone) differs from
  the one its last refresh recorded (`SourceMark`); otherwise it is left alone. Its cost is a
  few GROUP BYs per minute in which the source changed, none otherwise.
- **verify** (`counts_verify`, run by `verify-figures`): when the stamp is unchanged since the
  refresh (as of the refresh's date), every stored row must equal the recomputation — any
  difference is corruption; a changed stamp is lag (the rows are read live meanwhile).
- **read** (`figure_count`): the sum of a figure's rows over an area's subtree and a period,
  from the rollup when the source is unchanged since its refresh, else live over the rows with
  the very filter its list applies (`Figure.q` and `Figure.period_q`): a figure equals its list.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.utils import timezone

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.areas.models import Area
from grassroots.figures import rollup
from grassroots.figures.checks import compare
from grassroots.figures.models import SourceCount, SourceMark
from grassroots.figures.registry import (
    CountSource,
    Figure,
    count_source,
    count_sources,
    counter,
    day_of,
)

COLUMNS = [
    ("source", "c_source"),
    ("figure", "c_figure"),
    ("day", "c_day"),
    ("area_id", "c_area"),
    *[(c, f"p_{c}") for c in ANCESTOR_COLUMNS],
    ("count", "c_count"),
]
KEY = ("figure", "day", "area_id")
VALUES = (*ANCESTOR_COLUMNS, "count")


def stamp_of(src: CountSource, today: datetime.date) -> str:
    """The digest of the source's stamp and the date its counters are taken at."""
    raw = repr((src.stamp(), today.isoformat()))
    return hashlib.sha256(raw.encode()).hexdigest()


def rows_of(src: CountSource, today: datetime.date) -> list[Any]:
    """The `SourceCount` rows of the source as of `today`: one GROUP BY per counter (aliases
    as in COLUMNS)."""
    out = []
    for c in src.counters:
        out.append(
            src.rows()
            .filter(c.q_on(today))
            .values(
                c_source=Value(src.name),
                c_figure=Value(c.name),
                c_day=F(c.day_field),
                c_area=F("area_id"),
                **{f"p_{col}": F(col) for col in ANCESTOR_COLUMNS},
            )
            .annotate(c_count=Sum(c.total) if c.total else Count("pk"))
            .order_by()
        )
    return out


def counts_refresh(*, now: datetime.datetime | None = None, full: bool = False) -> int:
    """Recompute every count source whose stamp changed since its last refresh (every one when
    `full`); returns how many were recomputed. Each source in one transaction, serialised by a
    lock on its mark."""
    now = now or timezone.now()
    today = day_of(now)
    done = 0
    for src in count_sources():
        with transaction.atomic():
            mark, _ = SourceMark.objects.select_for_update().get_or_create(
                source=src.name, defaults={"refreshed_at": now, "stamp": ""}
            )
            stamp = stamp_of(src, today)
            if mark.stamp == stamp and not full:
                continue
            SourceCount.objects.filter(source=src.name).delete()
            for select in rows_of(src, today):
                rollup.insert(SourceCount, COLUMNS, select)
            mark.stamp, mark.refreshed_at = stamp, now
            mark.save()
            done += 1
    return done


@dataclass(frozen=True)
class CountCheck:
    """What verify found for one count source: never refreshed, lag (changed since the
    refresh: not compared), or the differences (empty: consistent)."""

    source: str
    refreshed_at: datetime.datetime | None
    lag: bool
    differences: list[Any]


def _stored(src: CountSource) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows = SourceCount.objects.filter(source=src.name).values(*KEY, *VALUES)
    return {tuple(r[k] for k in KEY): {v: r[v] for v in VALUES} for r in rows}


def _expected(src: CountSource, today: datetime.date) -> dict[tuple[Any, ...], dict[str, Any]]:
    out = {}
    for select in rows_of(src, today):
        for r in select:
            key = (r["c_figure"], r["c_day"], r["c_area"])
            out[key] = {c: r[a] for c, a in COLUMNS if c in VALUES}
    return out


def counts_verify() -> list[CountCheck]:
    """Each count source's rollup against a recomputation as of its refresh's date. Read-only."""
    out = []
    for src in count_sources():
        mark = SourceMark.objects.filter(source=src.name).first()
        if mark is None:
            out.append(CountCheck(src.name, None, False, []))
            continue
        today = day_of(mark.refreshed_at)
        if stamp_of(src, today) != mark.stamp:
            out.append(CountCheck(src.name, mark.refreshed_at, True, []))
            continue
        found = compare(src.name, _expected(src, today), _stored(src))
        out.append(CountCheck(src.name, mark.refreshed_at, False, found))
    return out


def fresh(src: CountSource, now: datetime.datetime | None = None) -> bool:
    """Whether the rollup of the source holds its rows as of today (unchanged since refresh)."""
    mark = SourceMark.objects.filter(source=src.name).first()
    return mark is not None and mark.stamp == stamp_of(src, day_of(now or timezone.now()))


def figure_count(
    fig: Figure,
    *,
    area: Area | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """A counted figure (not a rate) over `area`'s subtree (None: everywhere) and [start, end)
    (ignored for a `current` figure): the rollup's sum when the source is fresh, else the
    count of the rows its list shows (`Figure.q` & `Figure.period_q`)."""
    src = count_source(fig.source)
    now = now or timezone.now()
    period = start is not None and end is not None and not fig.current
    if fig.distinct:
        return _live(fig, src, area, start if period else None, end, now)
    if fresh(src, now):
        rows = SourceCount.objects.filter(source=src.name, figure=fig.name)
        if area is not None:
            rows = rows.filter(area.subtree_q())
        if period:
            rows = rows.filter(day__gte=start, day__lt=end)
        return int(rows.aggregate(n=Sum("count"))["n"] or 0)
    return _live(fig, src, area, start if period else None, end, now)


def _live(
    fig: Figure,
    src: CountSource,
    area: Area | None,
    start: datetime.date | None,
    end: datetime.date | None,
    now: datetime.datetime,
) -> int:
    """The count of the rows the figure's list shows (distinct values of `fig.distinct`)."""
    live = src.rows().filter(fig.q(now))
    if area is not None:
        live = live.filter(area.subtree_q())
    if start is not None and end is not None:
        live = live.filter(fig.period_q(start, end))
    if fig.distinct:
        return live.values(fig.distinct).order_by().distinct().count()
    total = counter(fig.counter_name).total
    if total:
        return int(live.aggregate(n=Sum(total))["n"] or 0)
    return live.count()


def figure_counts(
    figs: list[Figure],
    *,
    area: Area | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """`figure_count` of each of `figs` (no rate), by name, in a fixed number of queries: the
    marks of their sources (one), each source's stamp, one sum over the rollup rows of the
    fresh sources, one live count per figure of a source changed since its refresh and per
    distinct figure."""
    now = now or timezone.now()
    today = day_of(now)
    names = list(dict.fromkeys(f.source for f in figs))
    marks = dict(SourceMark.objects.filter(source__in=names).values_list("source", "stamp"))
    fresh_sources = {n for n in names if marks.get(n) == stamp_of(count_source(n), today)}
    summed = [f for f in figs if not f.distinct and f.source in fresh_sources]
    out: dict[str, int] = {}
    if summed:
        rows = SourceCount.objects.filter(source__in=fresh_sources)
        if area is not None:
            rows = rows.filter(area.subtree_q())
        sums = {}
        for f in summed:
            where = Q(source=f.source, figure=f.name)
            if start is not None and end is not None and not f.current:
                where &= Q(day__gte=start, day__lt=end)
            sums[f.name] = Sum("count", filter=where)
        got = rows.aggregate(**sums)
        out.update({k: int(v or 0) for k, v in got.items()})
    for f in figs:
        if f.name in out:
            continue
        period = start is not None and end is not None and not f.current
        src = count_source(f.source)
        out[f.name] = _live(f, src, area, start if period else None, end, now)
    return out
