"""The hotline's figures (三率) over the actor's scope, with their exact definitions.

Over the cases registered in [start, end) (Asia/Shanghai dates; default: the last 30 days):

- total: every case registered, including questions answered at the seat.
- answered: closed as "answered directly" at the seat.
- response_rate: of the cases a unit has responded to or should have by now (accepted at least
  once, or dispatched with the response limit passed), the share accepted within the limit.
- resolution_rate: of the cases handed to a unit (not answered, rejected or merged), the share
  resolved or closed and never reopened.
- satisfaction_rate: of the reviewed cases, the share satisfied or basically satisfied at every
  review (a case reopened after an unsatisfied review does not count as satisfied).
- overdue: open cases flagged overdue now (whenever registered).
- median_handling_hours: median hours from registration to resolution of resolved cases.

Rates are null when their denominator is zero. The counters are defined once, in
`cases.figures`, and the dashboard's rollups sum the same counters.
"""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.selectors import area_get
from grassroots.cases.choices import OPEN_STATES
from grassroots.cases.figures import counters, rate
from grassroots.cases.selectors import cases_visible
from grassroots.core.errors import DomainError
from grassroots.core.models import User

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366


def _date(field: str, value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DomainError(
            "invalid_filter", _("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": value}, field=field
        ) from None


def period(start: str | None, end: str | None) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware [start, end) of the requested dates, checked: not backwards, not too long."""
    today = timezone.localdate()
    end_day = _date("to", end) or today + datetime.timedelta(days=1)
    start_day = _date("from", start) or end_day - datetime.timedelta(days=DEFAULT_DAYS)
    if start_day >= end_day:
        raise DomainError("invalid_period", _("开始日期必须早于结束日期"), field="from")
    if (end_day - start_day).days > MAX_DAYS:
        raise DomainError("invalid_period", _("统计区间不能超过三年"), field="to")
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end_day, datetime.time.min, tzinfo=tz),
    )


def case_metrics(
    *,
    actor: User,
    within: Any = None,
    unit: Any = None,
    matter: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    """The figures over the actor's scope; see the module docstring for each definition."""
    qs = cases_visible(actor=actor)
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q("area__"))
    if unit:
        try:
            qs = qs.filter(unit_id=int(unit))
        except (TypeError, ValueError):
            raise DomainError("invalid_filter", _("单位无效"), field="unit") from None
    if matter:
        qs = qs.filter(matter__code=matter)
    overdue_now = qs.filter(state__in=OPEN_STATES, overdue=True).count()
    begin, finish = period(start, end)
    now = timezone.now()
    in_period = qs.filter(created_at__gte=begin, created_at__lt=finish)
    agg = in_period.aggregate(**counters(now))
    hours = [
        (resolved - created).total_seconds() / 3600
        for created, resolved in in_period.filter(resolved_at__isnull=False).values_list(
            "created_at", "resolved_at"
        )
        if resolved is not None
    ]
    return {
        "from": timezone.localtime(begin).date().isoformat(),
        "to": timezone.localtime(finish).date().isoformat(),
        "total": agg["received"],
        "answered": agg["answered"],
        "open": agg["open"],
        "response_rate": rate(agg["on_time"], agg["responded"]),
        "resolution_rate": rate(agg["solved"], agg["handed"]),
        "satisfaction_rate": rate(agg["satisfied"], agg["reviewed"]),
        "overdue": overdue_now,
        "median_handling_hours": round(statistics.median(hours), 2) if hours else None,
        "counts": {
            "responded": agg["responded"],
            "responded_on_time": agg["on_time"],
            "handed": agg["handed"],
            "solved": agg["solved"],
            "reviewed": agg["reviewed"],
            "satisfied": agg["satisfied"],
        },
    }
