"""Reads of the dashboards: scope-checked, summed from rollup rows only, a fixed number of
queries whatever the number of cases (STYLE rule 2; DESIGN §7).

Every figure comes from `definitions.figures_of` over rollup sums (`dashboard.sources` picks
the rows: a county's or township's own `SubtreeFigure` rows, else `DailyFigure` rows); the
period follows `cases.metrics.period` ([from, to), Asia/Shanghai dates) so the links to
`/cases/` list exactly the cases counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import ANCESTOR_COLUMNS, DEPTH, Level
from grassroots.areas.models import Area
from grassroots.areas.selectors import area_get
from grassroots.cases import metrics
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.core.scope import scope_for
from grassroots.dashboard import sources
from grassroots.dashboard.choices import Grain
from grassroots.dashboard.definitions import SHOWN, figures_of
from grassroots.dashboard.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure
from grassroots.dashboard.sources import NOW_FIELDS, plain

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


def totals() -> dict[str, Any]:
    """A Sum of every counter the dashboards show, named `s_<counter>` (a name may not shadow
    its column)."""
    return {f"s_{name}": Sum(name) for name in SHOWN}


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    row = plain(row)
    figs = figures_of(row)
    figs["now"] = {f: int(row.get(f"now_{f}") or 0) for f in NOW_FIELDS}
    return figs


def child_column(area: Area) -> str | None:
    depth = DEPTH[Level(area.level)]
    return ANCESTOR_COLUMNS[depth] if depth < len(ANCESTOR_COLUMNS) else None


def _by_child(
    area: Area, children: list[Area], col: str, period: Period
) -> dict[int | None, dict[str, Any]]:
    """Sums per child area of `area` (key None: the cases placed on `area` itself)."""
    if not sources.has_subtree_rows(col):
        fine = DailyFigure.objects.filter(area.subtree_q())
        got = sources.summed(fine, period.start, period.end, SHOWN, (col,))
        return {k[0]: v for k, v in got.items()}
    # The children's own subtree rows and the area's: what is left is the area's own cases.
    nodes = SubtreeFigure.objects.filter(
        grain=Grain.AREA, node_id__in=[area.pk, *(c.pk for c in children)]
    )
    got = sources.summed(nodes, period.start, period.end, SHOWN, ("node_id",))
    grouped: dict[int | None, dict[str, Any]] = {k[0]: v for k, v in got.items()}
    whole = grouped.pop(area.pk, {})
    own = sources.added([whole, *grouped.values()], sign=-1)
    # Each rollup row holds a case of the period or an open one: so does the area's own part.
    if own.get("s_received") or own.get("now_open"):
        grouped[None] = own
    return grouped


def breakdown(area: Area, period: Period) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The area's figures and one row per child area (plus "本级" for cases placed on the area
    itself): two queries."""
    col = child_column(area)
    if col is None:
        got = sources.summed(sources.rows_within(area), period.start, period.end, SHOWN)
        return _figures(got.get((), {})), []
    areas = list(Area.objects.filter(parent=area).order_by("code"))
    grouped = _by_child(area, areas, col, period)
    total = sources.added(list(grouped.values()))
    children = [{"area": a, "figures": _figures(grouped.get(a.pk, {}))} for a in areas]
    if None in grouped:
        children.append({"area": None, "figures": _figures(grouped[None])})
    return _figures(total), children


def trend(area: Area, period: Period) -> list[dict[str, Any]]:
    """One row per day of the period (days without cases included): one query."""
    in_period = sources.rows_within(area).filter(sources.in_days(period.start, period.end))
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
    got = sources.rows_within(area).filter(day=today).aggregate(n=Sum("received"))["n"]
    return int(got or 0)


MATTER_KEYS = ("matter_id", "matter__code", "matter__name")
UNIT_KEYS = ("unit_id", "unit__name")


def _rank_unit(row: dict[str, Any]) -> tuple[Any, ...]:
    f = row["figures"]
    rates = ("resolution_rate", "satisfaction_rate", "response_rate")
    return (*(-(f[k] if f[k] is not None else -1.0) for k in rates), row["unit__name"])


def matters_and_units(
    area: Area, period: Period, limit: int = TOP
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `limit` matters with the most cases in the period (most first), and the units owning
    cases of the area in the period ranked by resolution, satisfaction and response rate (a
    unit without a denominator ranks last): one query, grouped by matter and unit."""
    qs = sources.rows_within(area, Grain.MATTER_UNIT).filter(
        sources.in_days(period.start, period.end)
    )
    rows: Any = qs.values(*MATTER_KEYS, *UNIT_KEYS).annotate(**totals()).order_by()
    matters: dict[Any, dict[str, Any]] = {}
    units: dict[Any, dict[str, Any]] = {}
    for r in rows:
        for by, keys in ((matters, MATTER_KEYS), (units, UNIT_KEYS)):
            row = by.get(r[keys[0]])
            if row is None:
                row = by[r[keys[0]]] = {k: r[k] for k in keys} | {"sums": dict.fromkeys(SHOWN, 0)}
            acc = row["sums"]
            for f in SHOWN:
                acc[f] += r[f"s_{f}"] or 0
    for row in (*matters.values(), *units.values()):
        row["figures"] = figures_of(row.pop("sums"))
    top = sorted(matters.values(), key=lambda r: (-r["figures"]["total"], r["matter__code"]))
    ranked = sorted((u for u in units.values() if u["unit_id"]), key=_rank_unit)
    return top[:limit], ranked


def top_matters(area: Area, period: Period, limit: int = TOP) -> list[dict[str, Any]]:
    """The matters with the most cases in the period, most first: one query."""
    return matters_and_units(area, period, limit)[0]


def unit_ranking(area: Area, period: Period) -> list[dict[str, Any]]:
    """Units owning cases of the area in the period, ranked (see `matters_and_units`)."""
    return matters_and_units(area, period)[1]


def newest_escalations(area: Area, limit: int = 8) -> list[dict[str, Any]]:
    """The newest escalations of cases in the area: number, matter, to which unit, when (no
    personal data): one query."""
    events = (
        Escalation.objects.filter(area.subtree_q())
        .select_related("case__matter", "to_unit")
        .order_by("-event_id")[:limit]
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
    """Everything a dashboard shows, in a fixed number of queries (seven)."""
    figures, children = breakdown(area, period)
    matters, units = matters_and_units(area, period)
    return {
        "area": area,
        "period": period,
        "figures": figures,
        "today": today_intake(area),
        "children": children,
        "trend": trend(area, period),
        "matters": matters,
        "units": units,
        "escalations": newest_escalations(area),
        "lag": refresh_lag(),
    }
