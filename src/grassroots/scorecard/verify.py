"""The scorecard's check for `verify-figures`: every indicator of every area and period the
scorecard shows, recomputed from the rows and compared with what the page reads.

Shown: the county, every township, community and village; for each length (month, quarter,
year) the current period and the trend before it (`periods.TREND` periods). The page reads
each figure through `values.Reader` (rollups plus live rows); the check counts the same
figure from its rows alone, with its list's own filter — a case figure with the cases'
registered definition (`Source.flags`, as of the cut's clock, registered in the period), a
count-source figure with `Figure.q` and `Figure.period_q` — grouped by area in one query per
figure, level and period. Any difference is reported as a line naming the indicator's figure,
the area, the period and both values. Read-only.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.figures import registry
from grassroots.figures.columns import NOW_FIELDS
from grassroots.scorecard import selectors
from grassroots.scorecard.choices import Span
from grassroots.scorecard.periods import Period, period_of, trend_of
from grassroots.scorecard.values import Reader, Values, live_by

# The levels a scorecard is shown for, by the ancestor column that holds them.
COLUMNS = ("county", "township", "community")


def _bounds(day: datetime.date) -> datetime.datetime:
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def cases_from_rows(
    names: list[str], base: Area, column: str, p: Period, clock: datetime.datetime
) -> Values:
    """Case figures counted from the cases themselves, grouped by `column`: one query."""
    src = registry.source("cases")
    flags = src.flags(clock)
    period = Q(
        **{f"{src.day_field}__gte": _bounds(p.start), f"{src.day_field}__lt": _bounds(p.end)}
    )
    aggs = {}
    for i, name in enumerate(names):
        q = flags[name] if name in NOW_FIELDS else flags[name] & period
        aggs[f"v{i}"] = Count("pk", filter=q)
    out: Values = {}
    rows = src.rows().filter(base.subtree_q()).values(column).annotate(**aggs).order_by()
    for r in rows:
        if r[column] is not None:
            out[r[column]] = {n: int(r[f"v{i}"]) for i, n in enumerate(names)}
    return out


def from_rows(names: list[str], base: Area, column: str, p: Period, reader: Reader) -> Values:
    """Each named figure over each area of `column` in `base`, counted from its rows."""
    figs = [f for f in (registry.figure(n) for n in names) if f is not None and not f.is_rate]
    cases = [f.name for f in figs if f.source == "cases"]
    out: Values = {}
    if cases:
        out = cases_from_rows(cases, base, column, p, reader.cut_now().clock)
    for f in figs:
        if f.source == "cases":
            continue
        for area_id, n in live_by(f, base, column, p.start, p.end, reader.now).items():
            out.setdefault(area_id, {})[f.name] = n
    return out


def shown_periods(today: datetime.date) -> list[Period]:
    """The periods the scorecard shows by default: each length's current one and its trend."""
    out: list[Period] = []
    for span in Span:
        out += trend_of(period_of(span, today))
    return out


def scorecard_verify(today: datetime.date | None = None) -> list[str]:
    """Every difference between the scorecard's values and its rows (empty: consistent)."""
    reader = Reader()
    today = today or timezone.localdate()
    names = selectors.figure_names(selectors.indicators())
    county = Area.objects.filter(level="county").order_by("code")
    found: list[str] = []
    for root in county:
        for column in COLUMNS:
            for p in shown_periods(today):
                shown = reader.values(names, base=root, column=column, start=p.start, end=p.end)
                rows = from_rows(names, root, column, p, reader)
                found += _differences(shown, rows, names, column, p)
    return found


def _differences(
    shown: Values, rows: Values, names: list[str], column: str, p: Period
) -> list[str]:
    out = []
    for area_id in sorted(set(shown) | set(rows)):
        for name in names:
            a = shown.get(area_id, {}).get(name, 0)
            b = rows.get(area_id, {}).get(name, 0)
            if a != b:
                out.append(f"{name} {column} {area_id} {p.start}..{p.end}: shown={a} rows={b}")
    return out
