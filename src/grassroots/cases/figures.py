"""The one definition of each case figure: counters over cases, registered as named figures.

The rollups (`grassroots.figures`), the metrics API (`cases.metrics`), the dashboards and the
case list behind every figure link (`/cases/?figure=<name>`) all read these definitions through
the figures registry (`figures.registry`), so a figure and its list count the same cases.

Counters, per case registered in a period (time-dependent ones as of the refresh mark's clock):

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
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.aggregates import Aggregate
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import ANCESTOR_COLUMNS
from grassroots.cases.choices import OPEN_STATES, Action, Channel, Closure, Satisfaction, State
from grassroots.cases.models import Case, CaseEvent
from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.figures.columns import (
    BUCKET_BOUNDS,
    BUCKET_FIELDS,
    COUNTED,
    HANDLING_BOUNDS,
    HANDLING_FIELDS,
    HOURS,
    Seconds,
    bucket_of,
    histogram_median,
    rate,
)

HANDED = ~Q(closure__in=(Closure.ANSWERED, Closure.REJECTED, Closure.MERGED))
# Satisfied at every review: a case reopened after an unsatisfied review never counts as
# satisfied, even when a later review is (otherwise a reopening would hide the complaint).
SATISFIED = Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASIC), reopen_count=0)


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


def lapsed(since: datetime.datetime, now: datetime.datetime) -> Q:
    """Cases whose "responded" changes between the two clocks with no write: dispatched,
    never accepted, the response limit passing in [since, now)."""
    return Q(
        state=State.DISPATCHED,
        accepted_at__isnull=True,
        response_due__gte=since,
        response_due__lt=now,
    )


def escalations(cases: QuerySet[Case] | None = None) -> QuerySet[Any]:
    """The escalate events of `cases` (None: of every case) with their case's area path."""
    events = CaseEvent.objects.filter(action=Action.ESCALATE)
    if cases is not None:
        events = events.filter(case__in=cases)
    return events.values(
        e_event=F("id"),
        e_case=F("case_id"),
        e_at=F("at"),
        e_to_unit=F("to_unit_id"),
        **{f"p_{col}": F(f"case__area__{col}_id") for col in ANCESTOR_COLUMNS},
    ).order_by()


SOURCE = registry.register_source(
    registry.Source(
        name="cases",
        rows=Case.objects.all,
        day_field="created_at",
        changed_field="updated_at",
        flags=flags,
        lapsed=lapsed,
        durations=DURATIONS,
        histograms=HISTOGRAMS,
        escalations=escalations,
        list_url="cases:queue",
    )
)


def _count(name: str, label: Any, *, current: bool = False) -> registry.Figure:
    return registry.Figure(name=name, label=label, source="cases", current=current)


def _rate(name: str, label: Any, numerator: str, denominator: str) -> registry.Figure:
    return registry.Figure(
        name=name,
        label=label,
        source="cases",
        unit=Unit.RATE,
        numerator=numerator,
        denominator=denominator,
    )


registry.register(
    _count("received", _("受理")),
    _count("answered", _("即时解答")),
    _count("handed", _("交办")),
    _count("responded", _("应签收")),
    _count("on_time", _("按时签收")),
    _count("resolved", _("已办结过")),
    _count("solved", _("办结且未重办")),
    _count("reopened", _("重办")),
    _count("reviewed", _("已回访")),
    _count("satisfied", _("满意和基本满意")),
    _count("unsatisfied", _("不满意")),
    _count("open", _("未结案"), current=True),
    _count("overdue", _("当前超期"), current=True),
    _count("supervised", _("督办中"), current=True),
    _count("patrol", _("巡查走访上报")),
)
registry.register(
    _rate("response_rate", _("响应率"), "on_time", "responded"),
    _rate("resolution_rate", _("办结率"), "solved", "handed"),
    _rate("satisfaction_rate", _("满意率"), "satisfied", "reviewed"),
)

__all__ = [
    "BUCKET_BOUNDS",
    "BUCKET_FIELDS",
    "COUNTED",
    "HANDLING_BOUNDS",
    "HANDLING_FIELDS",
    "HOURS",
    "bucket_of",
    "histogram_median",
    "rate",
]
