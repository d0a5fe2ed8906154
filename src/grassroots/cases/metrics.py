"""The hotline's figures (三率) over the actor's scope, with their exact definitions.

Over the cases registered in [start, end) (Asia/Shanghai dates; default: the last 30 days) in
the actor's scope — in the area subtrees of their posts, owned by their units, and for a
county-wide post not yet placed in any area (a case co-handled by a unit counts for its owner,
not for the co-handler) — narrowed by `within` (an area subtree), `unit` (the owner) and
`matter`:

- total: every case registered, including questions answered at the seat.
- answered: closed as "answered directly" at the seat.
- response_rate: of the cases a unit has responded to or should have by now (accepted at least
  once, or dispatched with the response limit passed), the share accepted within the limit.
- resolution_rate: of the cases handed to a unit (not answered, rejected or merged), the share
  resolved or closed and never reopened.
- satisfaction_rate: of the reviewed cases, the share satisfied or basically satisfied at every
  review (a case reopened after an unsatisfied review does not count as satisfied).
- overdue: open cases flagged overdue now (whenever registered).
- median_handling_hours: median hours from registration to resolution of resolved cases, from
  the rollups' histogram (`cases.figures.HANDLING_BOUNDS`): interpolated inside the bucket that
  holds the middle case, so exact to within that bucket (at most 12 hours wide up to two days,
  a day up to a week, coarser beyond; over 720 hours it reads 720).

Rates are null when their denominator is zero. The counters are defined once, in
`cases.figures` (registered as named figures in `grassroots.figures`). Every figure is the
rollups of the days untouched since the last refresh plus the live rows of the days touched
since (`figures.live`), with time-dependent counters as of the refresh, `refreshed_at` (every
minute in production; null before the first): so a figure equals the case list behind it
(`/cases/?figure=<name>`) at any moment, and a request costs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.scope import Scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases.errors import CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.cases.figures import COUNTED, histogram_median
from grassroots.cases.models import Matter
from grassroots.core import params
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS, Perm
from grassroots.figures import live, sources
from grassroots.figures.choices import Grain
from grassroots.figures.columns import figures_of
from grassroots.figures.models import DailyFigure

DEFAULT_DAYS = 30
MAX_DAYS = 3 * 366
# The figures the metrics API shares with the dashboards (figures.columns.figures_of).
_SHARED = ("total", "answered", "open", "response_rate", "resolution_rate", "satisfaction_rate")


def _date(field: str, value: str | None) -> datetime.date | None:
    return params.day(field, value)


def period(start: str | None, end: str | None) -> tuple[datetime.datetime, datetime.datetime]:
    """The aware [start, end) of the requested dates, checked: not backwards, not too long."""
    today = timezone.localdate()
    end_day = _date("to", end) or today + datetime.timedelta(days=1)
    start_day = _date("from", start) or end_day - datetime.timedelta(days=DEFAULT_DAYS)
    if start_day >= end_day:
        raise CaseError(E.INVALID_PERIOD, _("开始日期必须早于结束日期"), field="from")
    if (end_day - start_day).days > MAX_DAYS:
        raise CaseError(E.INVALID_PERIOD, _("统计区间不能超过三年"), field="to")
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start_day, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end_day, datetime.time.min, tzinfo=tz),
    )


def _visible(scope: Scope) -> Q:
    """Rollup rows (or cases: both carry the area path, `unit` and `matter`) of the cases the
    scope may see (see the module docstring)."""
    q = scope.area_q(Perm.VIEW_CASES)
    units = scope.unit_ids(Perm.VIEW_CASES)
    if units:
        q |= Q(unit_id__in=units)
    if scope.county_wide(Perm.VIEW_CASES):
        q |= Q(county__isnull=True)  # not placed in any area
    return q


Part = tuple[QuerySet[Any], Q]


def _parts(
    *, actor: User, scope: Scope, within: Any, grain: str | None, cut: live.Cut
) -> list[Part]:
    """Disjoint sets of cases that together hold the cases asked for, each as the rollup rows
    that hold it (of the days the cut reads from the rollups) and the same set as a filter
    over cases (for the live days): a whole subtree's own rows where it has them (`grain`: what
    they must be fine enough for; None: both matter and unit), else the `DailyFigure` rows
    that pass the scope."""

    def daily(q: Q) -> Part:
        return DailyFigure.objects.filter(q & cut.rollup_q), q

    def whole(area_id: int, column: str) -> Part:
        q = Q(**{column: area_id})
        if grain is None:
            return daily(q)
        return sources.subtree(area_id, column, grain, cut), q

    if within:
        area = area_get(actor=actor, pk=within)
        if scope.covers_area(Perm.VIEW_CASES, area):
            return [whole(area.pk, area.column)]
        return [daily(area.subtree_q() & _visible(scope))]
    roots = {
        (g.area_id, g.area_column)
        for g in scope.grants
        if g.area_id is not None
        and g.area_column is not None
        and Perm.VIEW_CASES in ROLE_PERMS.get(g.role, ())
    }
    if len(roots) == 1 and not scope.unit_ids(Perm.VIEW_CASES):
        parts = [whole(*roots.pop())]
        if scope.county_wide(Perm.VIEW_CASES):
            parts.append(daily(Q(county__isnull=True)))  # not placed
        return parts
    return [daily(_visible(scope))]


def case_metrics(
    *,
    actor: User,
    within: Any = None,
    unit: Any = None,
    matter: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> dict[str, Any]:
    """The figures over the actor's scope; see the module docstring for each definition.

    403 without the right to see cases; `within` outside the scope is 404, a malformed one or
    a malformed `unit` 400. A fixed number of queries (at most nine) whatever the cases.
    """
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CASES)
    unit_id = params.row_id("unit", unit)
    begin, finish = period(start, end)
    first, stop = timezone.localtime(begin).date(), timezone.localtime(finish).date()
    grain = Grain.MATTER_UNIT if unit_id or matter else Grain.AREA
    cut = live.cut()
    parts = _parts(actor=actor, scope=scope, within=within, grain=grain, cut=cut)
    matter_id = None
    if matter:
        matter_id = Matter.objects.filter(code=matter).values_list("pk", flat=True).first()
    agg: dict[str, Any] = {}
    for rows, q in parts:
        if unit_id:
            rows, q = rows.filter(unit_id=unit_id), q & Q(unit_id=unit_id)
        if matter:
            rows = rows.filter(matter_id=matter_id) if matter_id else rows.none()
            q &= Q(matter_id=matter_id) if matter_id else Q(pk__in=[])
        got = sources.summed(rows, first, stop, COUNTED, live=live.live_rows(cut, q))
        agg = sources.added([agg, got.get((), {})])
    c = {f: int(agg.get(f"s_{f}") or 0) for f in COUNTED if not f.startswith("hand_b")}
    shared = figures_of(c)  # the dashboards' definitions of the totals and rates
    return {
        "from": first.isoformat(),
        "to": stop.isoformat(),
        "refreshed_at": cut.refreshed_at.isoformat() if cut.refreshed_at else None,
        **{k: shared[k] for k in _SHARED},
        "overdue": int(agg.get("now_overdue") or 0),
        "median_handling_hours": histogram_median(sources.plain(agg)),
        "counts": {
            "responded": c["responded"],
            "responded_on_time": c["on_time"],
            "handed": c["handed"],
            "solved": c["solved"],
            "reviewed": c["reviewed"],
            "satisfied": c["satisfied"],
        },
    }
