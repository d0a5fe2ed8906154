"""Reads of the scorecard: the area in scope and everything its page shows.

`scorecard(area, period, actor)` reads every active indicator (`Indicator`) over `area`:
its value for the period, its trend over the previous periods, its rank and the median among
the areas of the same level under the same parent (peers), and the links to the rows behind.
All values come from `values.Reader` (one cut, grouped queries): the number of queries grows
with the indicators' figures and the periods, never with the number of areas or rows.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.scorecard.choices import Pillar
from grassroots.scorecard.links import link
from grassroots.scorecard.models import Indicator
from grassroots.scorecard.periods import Period, trend_of
from grassroots.scorecard.values import Reader, Values

LEVELS = ("county", "township", "community", "village")
# Figures whose values need more than the scorecard's own right (SECURITY.md 8).
SOURCE_PERMS = {"cadres": Perm.VIEW_CADRE_SCORES, "cadre_pay": Perm.VIEW_CADRE_PAY}


def scorecard_area(*, actor: User, pk: Any = None) -> Area:
    """The area whose scorecard `actor` asks for (county, township, community or village);
    without `pk` the highest area of their scope. 403 without the right; out of scope, a
    grid, or missing: NotFound (404)."""
    scope = scope_for(actor)
    scope.require(Perm.VIEW_SCORECARD)
    if pk in (None, ""):
        area = (
            Area.objects.filter(pk__in=scope.area_ids(Perm.VIEW_SCORECARD), level__in=LEVELS)
            .order_by("depth", "code")
            .first()
        )
        if area is None:
            raise NotFound("area")
        return area
    area = area_get(actor=actor, pk=pk)
    scope.require_area(Perm.VIEW_SCORECARD, area)
    if area.level not in LEVELS:
        raise NotFound("area")
    return area


def indicators() -> list[Indicator]:
    """The active indicators, by pillar and position (one query)."""
    return list(Indicator.objects.filter(active=True).order_by("pillar", "position", "code"))


def parts(ind: Indicator) -> tuple[registry.Figure | None, registry.Figure | None]:
    """The counted figures of an indicator: (numerator or the figure itself, denominator)."""
    fig = registry.figure(ind.figure)
    if fig is not None and fig.is_rate:
        return registry.figure(str(fig.numerator)), registry.figure(str(fig.denominator))
    return fig, registry.figure(ind.per) if ind.per else None


def value_of(ind: Indicator, values: dict[str, int]) -> float | int | None:
    """The indicator's value from its figures' values (a ratio: None without a denominator)."""
    num, den = parts(ind)
    if num is None:
        return None
    top = values.get(num.name, 0)
    if den is None:
        return top
    bottom = values.get(den.name, 0)
    return round(top / bottom, 4) if bottom else None


def shown(ind: Indicator, value: float | int | None) -> str:
    """A value as the page and the export show it: a rate in %, fen in yuan."""
    if value is None:
        return "—"
    if ind.is_ratio or ind.unit == Unit.RATE:
        return f"{float(value) * 100:.1f}%"
    if ind.unit == Unit.FEN:
        return str((Decimal(int(value)) / 100).quantize(Decimal("0.01")))
    return f"{int(value):,}"


def _current(ind: Indicator) -> bool:
    num, den = parts(ind)
    return all(f is None or f.current for f in (num, den))


@dataclass
class Row:
    """One indicator on one area's scorecard."""

    indicator: Indicator
    allowed: bool
    current: bool
    value: float | int | None = None
    shown: str = "—"
    numerator: int | None = None
    denominator: int | None = None
    trend: list[dict[str, Any]] = field(default_factory=list)
    rank: int | None = None
    peers: int = 0
    median: str = "—"
    links: list[dict[str, str]] = field(default_factory=list)


def figure_names(rows: list[Indicator]) -> list[str]:
    """The counted figures the indicators read (rates as their two parts), each once."""
    names: list[str] = []
    for ind in rows:
        for f in parts(ind):
            if f is not None and f.name not in names:
                names.append(f.name)
    return names


def peers_of(area: Area) -> tuple[Area, list[int]]:
    """The base whose subtree holds `area`'s peers, and their ids (same level, same parent;
    the county alone has none but itself). One query."""
    if area.parent_id is None:
        return area, [area.pk]
    parent = Area.objects.get(pk=area.parent_id)
    ids = list(
        Area.objects.filter(parent_id=area.parent_id, level=area.level).values_list("pk", flat=True)
    )
    return parent, ids


def _rank(value: float | int | None, others: list[float | int | None]) -> int | None:
    if value is None:
        return None
    return 1 + sum(1 for v in others if v is not None and v > value)


def scorecard(
    *, actor: User, area: Area, period: Period, reader: Reader | None = None
) -> dict[str, Any]:
    """Everything an area's scorecard shows for `period`, by pillar."""
    reader = reader or Reader()
    scope = scope_for(actor)
    inds = indicators()
    allowed = {
        ind.pk: all(
            f is None
            or f.source not in SOURCE_PERMS
            or scope.covers_area(SOURCE_PERMS[f.source], area)
            for f in parts(ind)
        )
        for ind in inds
    }
    visible = [i for i in inds if allowed[i.pk]]
    names = figure_names(visible)
    base, peer_ids = peers_of(area)
    now_values: Values = reader.values(
        names, base=base, column=area.column, start=period.start, end=period.end
    )
    periods = trend_of(period)
    flowing = [i for i in visible if not _current(i)]
    flow_names = figure_names(flowing)
    trend: list[tuple[Period, Values]] = []
    for p in periods[:-1]:
        vals = reader.values(flow_names, base=area, column=area.column, start=p.start, end=p.end)
        trend.append((p, vals))
    trend.append((period, now_values))
    pillars: dict[str, list[Row]] = {p.value: [] for p in Pillar}
    for ind in inds:
        row = Row(ind, allowed[ind.pk], _current(ind))
        pillars.setdefault(ind.pillar, []).append(row)
        if not row.allowed:
            continue
        mine = now_values.get(area.pk, {})
        row.value = value_of(ind, mine)
        row.shown = shown(ind, row.value)
        num, den = parts(ind)
        row.numerator = mine.get(num.name, 0) if num else None
        row.denominator = mine.get(den.name, 0) if den else None
        for f in (num, den):
            if f is not None:
                row.links.append(
                    {
                        "label": str(f.label),
                        "url": link(
                            f, area, period.start, period.end, cumulative=period.cumulative
                        ),
                    }
                )
        if not row.current and len(trend) > 1:
            row.trend = [
                {"label": p.label, "shown": shown(ind, value_of(ind, v.get(area.pk, {})))}
                for p, v in trend
            ]
        peer_values = [value_of(ind, now_values.get(pk, {})) for pk in peer_ids]
        row.peers = len(peer_ids)
        row.rank = _rank(row.value, peer_values)
        known = [v for v in peer_values if v is not None]
        row.median = shown(ind, statistics.median(known)) if known else "—"
    return {
        "area": area,
        "period": period,
        "periods": periods,
        "pillars": [
            {"code": p.value, "label": p.label, "rows": pillars.get(p.value, [])} for p in Pillar
        ],
        "lag": reader.cut_now().asof(),
        "note": _("指标值均由业务记录统计得出，点击可查看对应记录。"),
    }
