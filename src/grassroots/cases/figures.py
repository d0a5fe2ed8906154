"""The one definition of each case figure: counters over cases (the dashboard sums them).

`cases.metrics` (the three rates over the caller's scope) and the dashboard's rollups
(`grassroots.dashboard`) both read sums of these, so a rate computed either way is the same.

Counters, per case registered in a period (time-dependent ones as of the refresher's `now`):

- received: every case; answered: closed as answered at the seat.
- handed: handed to a unit (not answered, rejected or merged).
- responded: accepted at least once, or dispatched with the response limit passed (unanswered);
  on_time: accepted within the response limit (the first acceptance counts).
- resolved: resolved at least once (has `resolved_at`); solved: handed, resolved or closed and
  never reopened; reopened: reopened at least once (an unsatisfied review).
- reviewed: has a satisfaction; satisfied: satisfied or basically satisfied at every review
  (never reopened after an unsatisfied one); unsatisfied:
  the latest review unsatisfied, or reopened after one.
- open: not closed; overdue: open and flagged overdue; supervised: open and supervised.
- patrol: reported on grid patrol or at a home visit (channel patrol/visit).
- handling hours: registration → resolution of resolved cases (sum, count, and a histogram
  `hand_b*` for the median); response hours: registration → acceptance (sum, count, and a
  histogram `resp_b*` for the median bucket).

Durations are measured in the database (`Seconds`), to the millisecond on SQLite and the
microsecond on PostgreSQL; a histogram bucket holds the durations up to and including its bound.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, FloatField, Func, Q
from django.db.models.aggregates import Aggregate

from grassroots.cases.choices import OPEN_STATES, Channel, Closure, Satisfaction, State

HANDED = ~Q(closure__in=(Closure.ANSWERED, Closure.REJECTED, Closure.MERGED))
# Satisfied at every review: a case reopened after an unsatisfied review never counts as
# satisfied, even when a later review is (otherwise a reopening would hide the complaint).
SATISFIED = Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC), reopen_count=0)

# Upper bounds (hours) of the response-time histogram; the last bucket is open-ended.
BUCKET_BOUNDS = (1.0, 4.0, 8.0, 24.0, 72.0)
BUCKET_FIELDS = tuple(f"resp_b{i}" for i in range(len(BUCKET_BOUNDS) + 1))
# Upper bounds (hours) of the handling-time histogram: at most 12 hours wide up to two days, a day
# up to a week; the last bucket (over 30 days) is open-ended.
HANDLING_BOUNDS: tuple[float, ...] = (2.0, 4.0, 8.0, 12.0, 24.0, 36.0, 48.0, 72.0, 96.0)
HANDLING_BOUNDS += (120.0, 144.0, 168.0, 240.0, 360.0, 720.0)
HANDLING_FIELDS = tuple(f"hand_b{i}" for i in range(len(HANDLING_BOUNDS) + 1))
HOURS = ("handling_hours", "handling_count", "response_hours", "response_count")
# The counters the metrics API sums (its rates, counts and median).
COUNTED: tuple[str, ...] = ("received", "answered", "open", "handed", "solved", "responded")
COUNTED += ("on_time", "reviewed", "satisfied", *HANDLING_FIELDS)


class Seconds(Func):
    """Seconds from the first datetime to the second, computed in the database."""

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


def late_unanswered(now: datetime.datetime) -> Q:
    """Dispatched, never accepted, and the response limit passed before `now`."""
    return Q(state=State.DISPATCHED, accepted_at__isnull=True, response_due__lt=now)


def flags(now: datetime.datetime) -> dict[str, Q]:
    """Each counter as the condition a case must meet to count (see the module docstring)."""
    return {
        "received": Q(pk__isnull=False),  # every case
        "answered": Q(closure=Closure.ANSWERED),
        "handed": HANDED,
        "responded": Q(responded_on_time__isnull=False) | late_unanswered(now),
        "on_time": Q(responded_on_time=True),
        "resolved": Q(resolved_at__isnull=False),
        "solved": HANDED & Q(state__in=(State.RESOLVED, State.CLOSED), reopen_count=0),
        "reopened": Q(reopen_count__gt=0),
        "reviewed": ~Q(satisfaction=""),
        "satisfied": SATISFIED,
        "unsatisfied": Q(satisfaction=Satisfaction.UNSATISFIED) | Q(reopen_count__gt=0),
        "open": Q(state__in=OPEN_STATES),
        "overdue": Q(state__in=OPEN_STATES, overdue=True),
        "supervised": Q(state__in=OPEN_STATES, supervised=True),
        "patrol": Q(channel__in=(Channel.PATROL, Channel.VISIT)),
    }


def counters(now: datetime.datetime) -> dict[str, Aggregate]:
    """Each counter as an aggregate over a queryset of cases."""
    return {name: Count("id", filter=q) for name, q in flags(now).items()}


# Durations of a case, in seconds (None until it happened): registration → resolution, → acceptance.
DURATIONS = {
    "handling": Seconds("created_at", "resolved_at"),
    "response": Seconds("created_at", "accepted_at"),
}
# The histograms: (fields, upper bounds in hours, duration).
HISTOGRAMS = (
    (HANDLING_FIELDS, HANDLING_BOUNDS, "handling"),
    (BUCKET_FIELDS, BUCKET_BOUNDS, "response"),
)


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


def rate(num: int, den: int) -> float | None:
    """num / den rounded to 4 places; None when nothing is in the denominator."""
    return round(num / den, 4) if den else None
