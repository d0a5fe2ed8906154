"""The one definition of each dashboard figure, as counters over cases and rates over counters.

The counters restate, as named filters, the definitions documented in `grassroots.cases.metrics`
(the hotline's 三率): the same denominators and numerators, so a rate summed from rollup rows
equals `case_metrics` over the same cases (tests/test_dashboard_figures.py asserts it). Pages,
the metrics API and the exports all read figures through `figures_of`; the counters themselves
are defined once, in `grassroots.cases.figures`, which `cases.metrics` aggregates too.

Counters, per case registered on a day (time-dependent ones as of the refresher's `now`):

- received: every case; answered: closed as answered at the seat.
- handed: handed to a unit (not answered, rejected or merged).
- responded: accepted at least once, or dispatched with the response limit passed (unanswered);
  on_time: accepted within the response limit (the first acceptance counts).
- resolved: resolved at least once (has `resolved_at`); solved: handed, resolved or closed and
  never reopened; reopened: reopened at least once (an unsatisfied review).
- reviewed: has a satisfaction; satisfied: satisfied or basically satisfied at every review;
  unsatisfied: the latest review unsatisfied, or reopened after one.
- open: not closed; overdue: open and flagged overdue; supervised: open and supervised.
- patrol: reported on grid patrol or at a home visit (channel patrol/visit).
- handling hours: registration → resolution of resolved cases (sum, count, and a histogram
  for the median); response hours: registration → acceptance (sum, count, and a histogram for
  the median bucket).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from grassroots.cases.figures import (
    BUCKET_BOUNDS,
    BUCKET_FIELDS,
    HANDED,
    HANDLING_FIELDS,
    HOURS,
    SATISFIED,
    counters,
    late_unanswered,
    rate,
)

COUNTERS = tuple(counters(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)))
# Every column of a rollup row, in the order the rollup queries select them.
FIELDS = (*COUNTERS, *HOURS, *BUCKET_FIELDS, *HANDLING_FIELDS)
# What the dashboards sum (the handling histogram serves the metrics API's median only).
SHOWN = (*COUNTERS, *HOURS, *BUCKET_FIELDS)


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
    """The figures of summed counters: the shape pages, API and exports share."""
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


__all__ = ["BUCKET_BOUNDS", "HANDED", "SATISFIED", "counters", "late_unanswered", "rate"]
