"""The value of registered figures over several areas of one level at once: the engine of the
scorecard's values, trends and peer comparisons.

`Reader` holds one cut of the cases' rollups (`figures.live`) and the freshness of every count
source (`figures.counts`), taken once per page. `Reader.values(names, base, column, start,
end)` answers, for every area whose ancestor column `column` lies in `base`'s subtree (the
areas of one level: `base` itself, or its children), each named figure over that area's
subtree and [start, end) (a `current` figure: the rows in that state now, whatever the
period). It is summed exactly as the figures' own readers sum it:

- a case figure: the rollup rows of the days untouched since the refresh plus the live rows
  of the days touched since (`figures.sources.summed`), grouped by `column`: one query;
- a count-source figure: the rollup (`SourceCount`) when its source is unchanged since its
  refresh, grouped by `column`: one query for all such figures; otherwise, and for a figure
  of distinct values, its list's own filter over the rows, grouped by `column`: one query each.

So a page's query count depends on the figures and periods it shows, never on the number of
areas. A rate figure is not summed: the caller divides its numerator by its denominator.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.figures import counts, live, registry, sources
from grassroots.figures.choices import Grain
from grassroots.figures.columns import COUNTERS, NOW_FIELDS
from grassroots.figures.live import Cut
from grassroots.figures.models import DailyFigure, SourceCount, SourceMark, SubtreeFigure

Values = dict[int, dict[str, int]]


@dataclass
class Reader:
    """One page's view of the figures: one cut, one freshness check per count source."""

    now: datetime.datetime = field(default_factory=timezone.now)
    cut: Cut | None = None
    fresh_sources: set[str] = field(default_factory=set)
    stale_sources: set[str] = field(default_factory=set)
    _live: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    def cut_now(self) -> Cut:
        """The cut every case figure of the page is read through (taken once)."""
        if self.cut is None:
            self.cut = live.cut()
        return self.cut

    def _fresh(self, names: set[str]) -> set[str]:
        """The count sources (of `names`) unchanged since their refresh (each checked once)."""
        unknown = names - self.fresh_sources - self.stale_sources
        if unknown:
            today = registry.day_of(self.now)
            marks = dict(
                SourceMark.objects.filter(source__in=unknown).values_list("source", "stamp")
            )
            for n in unknown:
                same = marks.get(n) == counts.stamp_of(registry.count_source(n), today)
                (self.fresh_sources if same else self.stale_sources).add(n)
        return self.fresh_sources & names

    def values(
        self,
        names: list[str],
        *,
        base: Area,
        column: str,
        start: datetime.date,
        end: datetime.date,
    ) -> Values:
        """{area id: {figure name: value}} for the areas of ancestor column `column` in
        `base`'s subtree (an area without rows is absent: read it as 0)."""
        figs = [f for f in (registry.figure(n) for n in names) if f and not f.is_rate]
        out: Values = defaultdict(dict)
        cases = [f for f in figs if f.source == "cases"]
        if cases:
            self._cases(cases, base, column, start, end, out)
        counted = [f for f in figs if f.source != "cases"]
        if counted:
            self._counted(counted, base, column, start, end, out)
        return out

    def _cases(
        self,
        figs: list[registry.Figure],
        base: Area,
        column: str,
        start: datetime.date,
        end: datetime.date,
        out: Values,
    ) -> None:
        cut = self.cut_now()
        if base.pk not in self._live:
            self._live[base.pk] = live.live_rows(cut, base.subtree_q())
        rows: Any
        if sources.has_subtree_rows(column, cut=cut) and column != base.column:
            ids = Area.objects.filter(**{base.column: base.pk}, level__in=_levels(column))
            rows = SubtreeFigure.objects.filter(
                cut.rollup_q, grain=Grain.AREA, node_id__in=ids.values("pk")
            )
            keys: tuple[str, ...] = ("node_id",)
        elif sources.has_subtree_rows(column, cut=cut):
            rows = SubtreeFigure.objects.filter(cut.rollup_q, grain=Grain.AREA, node_id=base.pk)
            keys = ("node_id",)
        else:
            rows = DailyFigure.objects.filter(base.subtree_q() & cut.rollup_q)
            keys = (column,)
        got = sources.summed(
            rows,
            start,
            end,
            COUNTERS,
            keys,
            live=self._live[base.pk],
            key_of=lambda r: (r[column],),
        )
        for (area_id,), sums in got.items():
            if area_id is None:
                continue
            for f in figs:
                key = f"now_{f.name}" if f.name in NOW_FIELDS else f"s_{f.name}"
                out[area_id][f.name] = int(sums.get(key) or 0)

    def _counted(
        self,
        figs: list[registry.Figure],
        base: Area,
        column: str,
        start: datetime.date,
        end: datetime.date,
        out: Values,
    ) -> None:
        fresh = self._fresh({f.source for f in figs})
        summed = [f for f in figs if f.source in fresh and not f.distinct]
        if summed:
            aliases = {f"v{i}": f for i, f in enumerate(summed)}
            sums = {}
            for alias, f in aliases.items():
                where = Q(source=f.source, figure=f.name)
                if not f.current:
                    where &= Q(day__gte=start, day__lt=end)
                sums[alias] = Sum("count", filter=where)
            grouped = (
                SourceCount.objects.filter(base.subtree_q(), source__in=fresh)
                .values(column)
                .annotate(**sums)
                .order_by()
            )
            for row in grouped:
                if row[column] is None:
                    continue
                for alias, f in aliases.items():
                    out[row[column]][f.name] = int(row[alias] or 0)
        for f in figs:
            if f in summed:
                continue
            for area_id, n in live_by(f, base, column, start, end, self.now).items():
                out[area_id][f.name] = n


def live_by(
    f: registry.Figure,
    base: Area,
    column: str,
    start: datetime.date | None,
    end: datetime.date | None,
    now: datetime.datetime,
) -> dict[int, int]:
    """A count-source figure counted from its rows with its list's own filter (`Figure.q`,
    `Figure.period_q`), grouped by `column` over `base`'s subtree: one query."""
    src = registry.count_source(f.source)
    rows = src.rows().filter(f.q(now), base.subtree_q())
    if start is not None and end is not None and not f.current:
        rows = rows.filter(f.period_q(start, end))
    total = registry.counter(f.counter_name).total
    if f.distinct:
        agg: Any = Count(f.distinct, distinct=True)
    elif total:
        agg = Sum(total)
    else:
        agg = Count("pk")
    grouped = rows.values(column).annotate(n=agg).order_by()
    return {r[column]: int(r["n"] or 0) for r in grouped if r[column] is not None}


def _levels(column: str) -> list[str]:
    from grassroots.areas.choices import ANCESTOR_COLUMNS, DEPTH

    depth = ANCESTOR_COLUMNS.index(column) + 1
    return [str(level) for level, d in DEPTH.items() if d == depth]
