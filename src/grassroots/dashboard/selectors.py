"""Reads of the dashboards: scope-checked, summed from rollup rows only, a fixed number of
queries whatever the number of cases (STYLE rule 2; DESIGN §7).

Every figure comes from `definitions.figures_of` over `DailyFigure` sums; the period follows
`cases.metrics.period` ([from, to), Asia/Shanghai dates) so the links to `/cases/` list exactly
the cases counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import ANCESTOR_COLUMNS, DEPTH, Level
from grassroots.areas.models import Area
from grassroots.areas.selectors import area_get
from grassroots.cases import metrics
from grassroots.cases.choices import Action
from grassroots.cases.models import CaseEvent
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.core.scope import scope_for
from grassroots.dashboard.definitions import FIELDS, figures_of
from grassroots.dashboard.models import DailyFigure, RefreshMark

NOW_FIELDS = ("open", "overdue", "supervised")
TOP = 10


@dataclass(frozen=True)
class Period:
    """Registration dates [start, end) of a dashboard."""

    start: datetime.date
    end: datetime.date

    @property
    def last(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def max_days() -> int:
    return int(getattr(settings, "DASHBOARD_MAX_DAYS", 366))


def period_of(start: str | None, end: str | None) -> Period:
    """The requested period, checked (format, not backwards, not over DASHBOARD_MAX_DAYS);
    default: the 30 days up to today. Raises DomainError(invalid_period) with a clear message."""
    begin, finish = metrics.period(start or None, end or None)
    p = Period(timezone.localtime(begin).date(), timezone.localtime(finish).date())
    if p.days > max_days():
        raise DomainError(
            "invalid_period",
            _("统计区间不能超过 %(n)d 天") % {"n": max_days()},
            field="to",
        )
    return p


def month_period(month: str | None) -> Period:
    """One calendar month ("YYYY-MM"; default the current month)."""
    today = timezone.localdate()
    try:
        first = datetime.date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    except ValueError:
        raise DomainError(
            "invalid_period", _("月份格式应为 YYYY-MM：%(v)s") % {"v": month}, field="month"
        ) from None
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period(first, nxt)


def dashboard_area(*, actor: User, pk: Any = None) -> Area:
    """The area whose dashboard `actor` asks for; without `pk`, the highest area of their scope.

    403 without the right to see cases; an area outside the scope is NotFound (404), exactly as
    a missing one; so is asking without any area in scope.
    """
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CASES)
    if pk in (None, ""):
        roots = Area.objects.filter(pk__in=scope.area_ids(Perm.VIEW_CASES)).order_by(
            "depth", "code"
        )
        area = roots.first()
        if area is None:
            raise NotFound("area")
        return area
    area = area_get(actor=actor, pk=pk)
    scope.require_area(Perm.VIEW_CASES, area)
    return area


def rows_within(area: Area) -> QuerySet[DailyFigure]:
    return DailyFigure.objects.filter(area.subtree_q())


def _sums(period: Period) -> dict[str, Any]:
    """Period sums of every counter plus the "now" counters (open, overdue, supervised) over
    every day: one aggregate expression set."""
    in_period = Q(day__gte=period.start, day__lt=period.end)
    sums: dict[str, Any] = {f"s_{f}": Sum(f, filter=in_period) for f in FIELDS}
    sums.update({f"now_{f}": Sum(f) for f in NOW_FIELDS})
    return sums


def totals() -> dict[str, Any]:
    """A Sum of every counter, named `s_<counter>` (a name may not shadow its column)."""
    return {f"s_{name}": Sum(name) for name in FIELDS}


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `s_<counter>` sums with the prefixes removed."""
    return {k[2:] if k.startswith("s_") else k: v for k, v in row.items()}


def _relevant(period: Period) -> Q:
    return Q(day__gte=period.start, day__lt=period.end) | Q(open__gt=0)


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    row = plain(row)
    figs = figures_of(row)
    figs["now"] = {f: int(row.get(f"now_{f}") or 0) for f in NOW_FIELDS}
    return figs


def child_column(area: Area) -> str | None:
    depth = DEPTH[Level(area.level)]
    return ANCESTOR_COLUMNS[depth] if depth < len(ANCESTOR_COLUMNS) else None


def breakdown(area: Area, period: Period) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The area's figures and one row per child area (plus "本级" for cases placed on the area
    itself): two queries."""
    col = child_column(area)
    qs = rows_within(area).filter(_relevant(period))
    if col is None:
        return _figures(qs.aggregate(**_sums(period))), []
    grouped = {g[col]: g for g in qs.values(col).annotate(**_sums(period)).order_by()}
    total: dict[str, Any] = {}
    for g in grouped.values():
        for k, v in g.items():
            if k != col:
                total[k] = (total.get(k) or 0) + (v or 0)
    children = []
    for child in Area.objects.filter(parent=area).order_by("code"):
        children.append({"area": child, "figures": _figures(grouped.get(child.pk, {}))})
    if None in grouped:
        children.append({"area": None, "figures": _figures(grouped[None])})
    return _figures(total), children


def trend(area: Area, period: Period) -> list[dict[str, Any]]:
    """One row per day of the period (days without cases included): one query."""
    in_period = rows_within(area).filter(day__gte=period.start, day__lt=period.end)
    grouped: Any = in_period.values("day").annotate(**totals()).order_by()
    by_day: dict[Any, dict[str, Any]] = {g["day"]: g for g in grouped}
    out = []
    day = period.start
    while day < period.end:
        figs = figures_of(plain(by_day.get(day, {})))
        out.append({"day": day.isoformat(), **{k: v for k, v in figs.items() if k != "counts"}})
        day += datetime.timedelta(days=1)
    return out


def today_intake(area: Area) -> int:
    today = timezone.localdate()
    got = rows_within(area).filter(day=today).aggregate(n=Sum("received"))["n"]
    return int(got or 0)


def _grouped(area: Area, period: Period, *keys: str) -> list[dict[str, Any]]:
    qs = rows_within(area).filter(day__gte=period.start, day__lt=period.end)
    rows = qs.values(*keys).annotate(**totals()).order_by()
    return [{**{k: r[k] for k in keys}, "figures": figures_of(plain(r))} for r in rows]


def top_matters(area: Area, period: Period, limit: int = TOP) -> list[dict[str, Any]]:
    """The matters with the most cases in the period, most first: one query."""
    rows = _grouped(area, period, "matter_id", "matter__code", "matter__name")
    rows.sort(key=lambda r: (-r["figures"]["total"], r["matter__code"]))
    return rows[:limit]


def unit_ranking(area: Area, period: Period) -> list[dict[str, Any]]:
    """Units owning cases of the area in the period, ranked by resolution, satisfaction and
    response rate (a unit without a denominator ranks last): one query."""
    rows = [r for r in _grouped(area, period, "unit_id", "unit__name") if r["unit_id"]]

    def key(r: dict[str, Any]) -> tuple[float, ...]:
        f = r["figures"]
        return tuple(
            -(f[k] if f[k] is not None else -1.0)
            for k in ("resolution_rate", "satisfaction_rate", "response_rate")
        )

    rows.sort(key=lambda r: (*key(r), r["unit__name"]))
    return rows


def newest_escalations(area: Area, limit: int = 8) -> list[dict[str, Any]]:
    """The newest escalations of cases in the area: number, matter, to which unit, when (no
    personal data): one query."""
    events = (
        CaseEvent.objects.filter(action=Action.ESCALATE)
        .filter(area.subtree_q("case__area__"))
        .select_related("case__matter", "to_unit")
        .order_by("-id")[:limit]
    )
    return [
        {
            "case_id": e.case_id,
            "number": e.case.number or f"#{e.case_id}",
            "matter": e.case.matter.name,
            "to_unit": e.to_unit.name if e.to_unit else "",
            "at": timezone.localtime(e.at),
        }
        for e in events
    ]


def refresh_lag() -> dict[str, Any]:
    """When the rollups were last refreshed and how many whole minutes ago (None: never)."""
    mark = RefreshMark.objects.filter(pk=1).first()
    if mark is None:
        return {"refreshed_at": None, "minutes": None}
    minutes = int((timezone.now() - mark.refreshed_at).total_seconds() // 60)
    return {"refreshed_at": mark.refreshed_at, "minutes": max(minutes, 0)}


def dashboard(*, area: Area, period: Period) -> dict[str, Any]:
    """Everything a dashboard shows, in a fixed number of queries (eight)."""
    figures, children = breakdown(area, period)
    return {
        "area": area,
        "period": period,
        "figures": figures,
        "today": today_intake(area),
        "children": children,
        "trend": trend(area, period),
        "matters": top_matters(area, period),
        "units": unit_ranking(area, period),
        "escalations": newest_escalations(area),
        "lag": refresh_lag(),
    }
