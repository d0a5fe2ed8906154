"""Reads of the dashboards: scope-checked, a fixed number of queries whatever the number of
cases (STYLE rule 2; DESIGN §7). The dashboard only reads figures (`grassroots.figures`).

Every figure comes from `figures.columns.figures_of` over sums of one cut (`figures.live`):
the rollup rows of the days untouched since the last refresh (`figures.sources` picks them: a
county's or township's own `SubtreeFigure` rows, else `DailyFigure` rows) plus the live rows of
the days touched since, time-dependent counters as of the refresh. The period follows
`cases.metrics.period` ([from, to), Asia/Shanghai dates), and each figure links to the case
list of the same registered figure (`/cases/?figure=<name>`), so a figure equals its list.
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
from grassroots.areas.models import Area, Unit
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import metrics
from grassroots.cases.models import Matter
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.dashboard.errors import DashboardError
from grassroots.dashboard.errors import DashboardErrorCode as E
from grassroots.figures import live, sources
from grassroots.figures.choices import Grain
from grassroots.figures.columns import NOW_FIELDS, SHOWN, figures_of
from grassroots.figures.live import Cut
from grassroots.figures.models import DailyFigure, Escalation, RefreshMark, SubtreeFigure
from grassroots.figures.sources import plain

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
    default: the 30 days up to today. Raises DashboardError(INVALID_PERIOD) with a clear message."""
    begin, finish = metrics.period(start or None, end or None)
    p = Period(timezone.localtime(begin).date(), timezone.localtime(finish).date())
    if p.days > max_days():
        raise DashboardError(
            E.INVALID_PERIOD,
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
        raise DashboardError(
            E.INVALID_PERIOD, _("月份格式应为 YYYY-MM：%(v)s") % {"v": month}, field="month"
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


@dataclass(frozen=True)
class Cutoff:
    """One cut (`figures.live.Cut`) and the live rows of an area's subtree under it: every
    figure of one page is read through the same one."""

    cut: Cut
    rows: list[dict[str, Any]]


def cutoff(area: Area, cut: Cut | None = None) -> Cutoff:
    """The cut at this moment and the live rows of `area`'s subtree (four queries at most)."""
    cut = cut or live.cut()
    return Cutoff(cut, live.live_rows(cut, area.subtree_q()))


def _by_child(
    area: Area, children: list[Area], col: str, period: Period, at: Cutoff
) -> dict[int | None, dict[str, Any]]:
    """Sums per child area of `area` (key None: the cases placed on `area` itself)."""
    if not sources.has_subtree_rows(col, cut=at.cut):
        fine = DailyFigure.objects.filter(area.subtree_q() & at.cut.rollup_q)
        got = sources.summed(fine, period.start, period.end, SHOWN, (col,), live=at.rows)
        return {k[0]: v for k, v in got.items()}
    # The children's own subtree rows and the area's: what is left is the area's own cases.
    nodes = SubtreeFigure.objects.filter(
        at.cut.rollup_q, grain=Grain.AREA, node_id__in=[area.pk, *(c.pk for c in children)]
    )
    got = sources.summed(nodes, period.start, period.end, SHOWN, ("node_id",))
    grouped: dict[int | None, dict[str, Any]] = {k[0]: v for k, v in got.items()}
    whole = grouped.pop(area.pk, {})
    own = sources.added([whole, *grouped.values()], sign=-1)
    fresh = sources.summed(
        DailyFigure.objects.none(), period.start, period.end, SHOWN, (col,), live=at.rows
    )
    for (child,), sums in fresh.items():
        if child is None:
            own = sources.added([own, sums])
        else:
            grouped[child] = sources.added([grouped.get(child, {}), sums])
    # Each rollup row holds a case of the period or an open one: so does the area's own part.
    if own.get("s_received") or own.get("now_open"):
        grouped[None] = own
    return grouped


def breakdown(
    area: Area, period: Period, at: Cutoff | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The area's figures and one row per child area (plus "本级" for cases placed on the area
    itself): two queries besides the cut."""
    at = at or cutoff(area)
    col = child_column(area)
    if col is None:
        rows = sources.rows_within(area, cut=at.cut)
        got = sources.summed(rows, period.start, period.end, SHOWN, live=at.rows)
        return _figures(got.get((), {})), []
    areas = list(Area.objects.filter(parent=area).order_by("code"))
    grouped = _by_child(area, areas, col, period, at)
    total = sources.added(list(grouped.values()))
    children = [{"area": a, "figures": _figures(grouped.get(a.pk, {}))} for a in areas]
    if None in grouped:
        children.append({"area": None, "figures": _figures(grouped[None])})
    return _figures(total), children


def trend(area: Area, period: Period, at: Cutoff | None = None) -> list[dict[str, Any]]:
    """One row per day of the period (days without cases included, up to the period's last
    day: today by default): one query besides the cut."""
    at = at or cutoff(area)
    in_period = sources.rows_within(area, cut=at.cut).filter(
        sources.in_days(period.start, period.end)
    )
    grouped: Any = in_period.values("day").annotate(**totals()).order_by()
    by_day: dict[Any, dict[str, Any]] = {g["day"]: g for g in grouped}
    for row in at.rows:
        if period.start <= row["day"] < period.end:
            acc = by_day.setdefault(row["day"], {})
            for f in SHOWN:
                acc[f"s_{f}"] = (acc.get(f"s_{f}") or 0) + (row[f] or 0)
    out = []
    day = period.start
    while day < period.end:
        figs = figures_of(plain(by_day.get(day, {})))
        out.append({"day": day.isoformat(), **{k: v for k, v in figs.items() if k != "counts"}})
        day += datetime.timedelta(days=1)
    return out


def today_intake(area: Area, at: Cutoff | None = None) -> int:
    """The cases registered today in the area: one query besides the cut."""
    at = at or cutoff(area)
    today = timezone.localdate()
    rows = sources.rows_within(area, cut=at.cut).filter(day=today)
    got = int(rows.aggregate(n=Sum("received"))["n"] or 0)
    return got + sum(r["received"] for r in at.rows if r["day"] == today)


MATTER_KEYS = ("matter_id", "matter__code", "matter__name")
UNIT_KEYS = ("unit_id", "unit__name")


def _rank_unit(row: dict[str, Any]) -> tuple[Any, ...]:
    f = row["figures"]
    rates = ("resolution_rate", "satisfaction_rate", "response_rate")
    return (*(-(f[k] if f[k] is not None else -1.0) for k in rates), row["unit__name"] or "")


def _names(rows: dict[Any, dict[str, Any]], what: str) -> None:
    """Fill in the names of the matters or units that only live rows brought (one query)."""
    missing = [k for k, r in rows.items() if k is not None and r.get("unnamed")]
    if what == "matter" and missing:
        for pk, code, name in Matter.objects.filter(pk__in=missing).values_list(
            "pk", "code", "name"
        ):
            rows[pk].update({"matter__code": code, "matter__name": name})
    if what == "unit" and missing:
        for pk, name in Unit.objects.filter(pk__in=missing).values_list("pk", "name"):
            rows[pk]["unit__name"] = name
    for r in rows.values():
        r.pop("unnamed", None)


def matters_and_units(
    area: Area, period: Period, limit: int = TOP, at: Cutoff | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `limit` matters with the most cases in the period (most first), and the units owning
    cases of the area in the period ranked by resolution, satisfaction and response rate (a
    unit without a denominator ranks last): one query grouped by matter and unit, besides
    the cut (and one for the names of matters or units only the live rows hold)."""
    at = at or cutoff(area)
    qs = sources.rows_within(area, Grain.MATTER_UNIT, cut=at.cut).filter(
        sources.in_days(period.start, period.end)
    )
    rows: Any = qs.values(*MATTER_KEYS, *UNIT_KEYS).annotate(**totals()).order_by()
    fresh = [
        {"matter_id": r["matter_id"], "unit_id": r["unit_id"], "unnamed": True}
        | {f"s_{f}": r[f] for f in SHOWN}
        for r in at.rows
        if period.start <= r["day"] < period.end
    ]
    matters: dict[Any, dict[str, Any]] = {}
    units: dict[Any, dict[str, Any]] = {}
    for r in [*rows, *fresh]:
        for by, keys in ((matters, MATTER_KEYS), (units, UNIT_KEYS)):
            row = by.get(r[keys[0]])
            if row is None:
                row = by[r[keys[0]]] = {k: r.get(k) for k in keys} | {
                    "sums": dict.fromkeys(SHOWN, 0),
                    "unnamed": r.get("unnamed", False),
                }
            acc = row["sums"]
            for f in SHOWN:
                acc[f] += r[f"s_{f}"] or 0
    _names(matters, "matter")
    _names(units, "unit")
    for row in (*matters.values(), *units.values()):
        row["figures"] = figures_of(row.pop("sums"))
    top = sorted(matters.values(), key=lambda r: (-r["figures"]["total"], r["matter__code"]))
    ranked = sorted((u for u in units.values() if u["unit_id"]), key=_rank_unit)
    return top[:limit], ranked


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
    """ "数据截至 HH:MM": the last refresh (local time), minutes since, and whether it is stale
    (none for over 5 minutes: the scheduler has stopped). One query."""
    mark = RefreshMark.objects.filter(pk=1).first()
    return live.asof_of(mark.refreshed_at if mark else None)


def dashboard(*, area: Area, period: Period) -> dict[str, Any]:
    """Everything a dashboard shows, from one cut: a fixed number of queries (the cut's four,
    seven reads, and at most two for names only live rows hold)."""
    at = cutoff(area)
    figures, children = breakdown(area, period, at)
    matters, units = matters_and_units(area, period, at=at)
    return {
        "area": area,
        "period": period,
        "figures": figures,
        "today": today_intake(area, at),
        "children": children,
        "trend": trend(area, period, at),
        "matters": matters,
        "units": units,
        "escalations": newest_escalations(area),
        "lag": at.cut.asof(),
        "clock": at.cut.clock,
    }
