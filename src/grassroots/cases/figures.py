"""The one definition of each case figure: counters over cases (the dashboard sums them).

`cases.metrics` (the three rates over the caller's scope) and the dashboard's rollups
(`grassroots.dashboard`) both aggregate these, so a rate computed either way is the same.

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
- handling hours: registration → resolution of resolved cases (sum and count);
  response hours: registration → acceptance (sum, count, and a histogram for medians).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.aggregates import Aggregate

from grassroots.cases.choices import OPEN_STATES, Channel, Closure, Satisfaction, State

HANDED = ~Q(closure__in=(Closure.ANSWERED, Closure.REJECTED, Closure.MERGED))
# Satisfied at every review: a case reopened after an unsatisfied review never counts as
# satisfied, even when a later review is (otherwise a reopening would hide the complaint).
SATISFIED = Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC), reopen_count=0)


def late_unanswered(now: datetime.datetime) -> Q:
    """Dispatched, never accepted, and the response limit passed before `now`."""
    return Q(state=State.DISPATCHED, accepted_at__isnull=True, response_due__lt=now)


def counters(now: datetime.datetime) -> dict[str, Aggregate]:
    """Each counter as an aggregate over a queryset of cases (see the module docstring)."""
    return {
        "received": Count("id"),
        "answered": Count("id", filter=Q(closure=Closure.ANSWERED)),
        "handed": Count("id", filter=HANDED),
        "responded": Count("id", filter=Q(responded_on_time__isnull=False) | late_unanswered(now)),
        "on_time": Count("id", filter=Q(responded_on_time=True)),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "solved": Count(
            "id",
            filter=HANDED & Q(state__in=(State.RESOLVED, State.CLOSED), reopen_count=0),
        ),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
        "reviewed": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count("id", filter=SATISFIED),
        "unsatisfied": Count(
            "id", filter=Q(satisfaction=Satisfaction.UNSATISFIED) | Q(reopen_count__gt=0)
        ),
        "open": Count("id", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("id", filter=Q(state__in=OPEN_STATES, overdue=True)),
        "supervised": Count("id", filter=Q(state__in=OPEN_STATES, supervised=True)),
        "patrol": Count("id", filter=Q(channel__in=(Channel.PATROL, Channel.VISIT))),
    }


def rate(num: int, den: int) -> float | None:
    """num / den rounded to 4 places; None when nothing is in the denominator."""
    return round(num / den, 4) if den else None
