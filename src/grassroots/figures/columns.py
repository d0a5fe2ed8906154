"""The columns of a rollup row and the figures read from summed columns.

Every rollup row (`figures.models.Figures`) holds the same counters: how many of a set of rows
meet each registered counter's definition (`registry.Source.flags`), two duration sums with
their counts, and two histograms (response: `resp_b*` over BUCKET_BOUNDS, handling: `hand_b*`
over HANDLING_BOUNDS). `figures_of` turns summed columns into the shape that pages, APIs and
exports share; nothing here reads a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, FloatField, Func

# The counters, in the order of the rollup columns; a source's `flags` must name exactly these.
COUNTERS: tuple[str, ...] = ("received", "answered", "handed", "responded", "on_time")
COUNTERS += ("resolved", "solved", "reopened", "reviewed", "satisfied", "unsatisfied")
COUNTERS += ("open", "overdue", "supervised", "patrol")
# Upper bounds (hours) of the response-time histogram; the last bucket is open-ended.
BUCKET_BOUNDS = (1.0, 4.0, 8.0, 24.0, 72.0)
BUCKET_FIELDS = tuple(f"resp_b{i}" for i in range(len(BUCKET_BOUNDS) + 1))
# Upper bounds (hours) of the handling-time histogram: at most 12 hours wide up to two days, a day
# up to a week; the last bucket (over 30 days) is open-ended.
HANDLING_BOUNDS: tuple[float, ...] = (2.0, 4.0, 8.0, 12.0, 24.0, 36.0, 48.0, 72.0, 96.0)
HANDLING_BOUNDS += (120.0, 144.0, 168.0, 240.0, 360.0, 720.0)
HANDLING_FIELDS = tuple(f"hand_b{i}" for i in range(len(HANDLING_BOUNDS) + 1))
HOURS = ("handling_hours", "handling_count", "response_hours", "response_count")
# Every column of a rollup row, in the order the rollup queries select them.
FIELDS = (*COUNTERS, *HOURS, *BUCKET_FIELDS, *HANDLING_FIELDS)
# What the dashboards sum (the handling histogram serves the metrics API's median only).
SHOWN = (*COUNTERS, *HOURS, *BUCKET_FIELDS)
# The counters the metrics API sums (its rates, counts and median).
COUNTED: tuple[str, ...] = ("received", "answered", "open", "handed", "solved", "responded")
COUNTED += ("on_time", "reviewed", "satisfied", *HANDLING_FIELDS)
# Counters about the rows' state now, summed over every registration day.
NOW_FIELDS = ("open", "overdue", "supervised")


class Seconds(Func):
    """Seconds from the first datetime to the second, computed in the database (to the
    millisecond on SQLite, the microsecond on PostgreSQL)."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday() reads milliseconds; rounding keeps whole-hour durations exact.
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0, 3)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra,
        )

    def __init__(self, start: str, end: str) -> None:
        # The end comes first in the SQL: end - start.
        super().__init__(F(end), F(start))


def rate(num: int, den: int) -> float | None:
    """num / den rounded to 4 places; None when nothing is in the denominator."""
    return round(num / den, 4) if den else None


def bucket_of(hours: float, bounds: tuple[float, ...] = BUCKET_BOUNDS) -> int:
    """The index of the histogram bucket (of `bounds`) that counts a duration of `hours`."""
    for i, bound in enumerate(bounds):
        if hours <= bound:
            return i
    return len(bounds)


def histogram_median(counts: Mapping[str, Any]) -> float | None:
    """The median handling hours from the `hand_b*` sums: interpolated linearly inside the
    bucket holding the middle case, so exact to within that bucket's width; the lower bound of
    the open-ended last bucket when the middle case lies there. None without resolved cases."""
    values = [int(counts.get(f) or 0) for f in HANDLING_FIELDS]
    total = sum(values)
    if not total:
        return None
    half, seen = total / 2, 0
    for i, n in enumerate(values):
        low = HANDLING_BOUNDS[i - 1] if i else 0.0
        if n and seen + n >= half:
            if i == len(HANDLING_BOUNDS):
                return low
            return round(low + (half - seen) / n * (HANDLING_BOUNDS[i] - low), 2)
        seen += n
    return None  # pragma: no cover — the loop always reaches the middle


def median_bucket(counts: Mapping[str, Any]) -> int | None:
    """The index of the histogram bucket holding the median response, None without responses."""
    values = [int(counts.get(f) or 0) for f in BUCKET_FIELDS]
    total = sum(values)
    if not total:
        return None
    seen = 0
    for i, n in enumerate(values):
        seen += n
        if seen * 2 >= total:
            return i
    return len(values) - 1


def bucket_label(index: int | None) -> str:
    """ "≤ 4 小时" style label of a histogram bucket ("–" for none)."""
    if index is None:
        return "–"
    if index < len(BUCKET_BOUNDS):
        low = 0.0 if index == 0 else BUCKET_BOUNDS[index - 1]
        return f"{low:g}–{BUCKET_BOUNDS[index]:g} h"
    return f"> {BUCKET_BOUNDS[-1]:g} h"


def figures_of(sums: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of summed counters: the shape pages, API and exports share. The rates are
    the registered rate figures (`registry`): numerator ÷ denominator of two counters."""
    c = {f: int(sums.get(f) or 0) for f in (*COUNTERS, "handling_count", "response_count")}
    handling = float(sums.get("handling_hours") or 0)
    response = float(sums.get("response_hours") or 0)
    return {
        "total": c["received"],
        "answered": c["answered"],
        "open": c["open"],
        "overdue": c["overdue"],
        "supervised": c["supervised"],
        "response_rate": rate(c["on_time"], c["responded"]),
        "resolution_rate": rate(c["solved"], c["handed"]),
        "satisfaction_rate": rate(c["satisfied"], c["reviewed"]),
        "mean_handling_hours": (
            round(handling / c["handling_count"], 2) if c["handling_count"] else None
        ),
        "mean_response_hours": (
            round(response / c["response_count"], 2) if c["response_count"] else None
        ),
        "median_response_bucket": bucket_label(median_bucket(sums)),
        "counts": c,
    }
