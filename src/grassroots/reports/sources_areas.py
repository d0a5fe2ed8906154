"""The area row source: one row per area (the filled area's children, or every area of a
level below it), each cell a count over that area's whole subtree.

Its figure columns are the registered figures (`figures.registry`), so a ledger cell counts
exactly what the figure's list shows: ``figure:<name>`` counts the figure's definition over the
row area's subtree in the period, and links to the figure's list (``?figure=<name>&within=<area>``
with the period). A rate is its numerator over its denominator, in per cent, linking to the
numerator's list. Each figure source needs the permission that reads its rows (`FIGURE_PERMS`);
a figure of a source not named there is not in the catalogue.

Cells are computed in bulk: one grouped query per figure source and period, not one per cell.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.areas.choices import Level, column_of
from grassroots.areas.models import Area, Post
from grassroots.areas.scope import scope_for
from grassroots.core.roles import Perm, Role
from grassroots.figures import registry
from grassroots.figures.choices import Unit
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Household, Resident
from grassroots.reports.catalogue import Column, Ctx, RowSource, attr, display, register

# The permission that reads each figure source's rows (as that source's own list requires).
FIGURE_PERMS: dict[str, str] = {
    "cases": Perm.VIEW_CASES,
    "visits": Perm.VIEW_PEOPLE,
    "visit_plan": Perm.VIEW_PEOPLE,
    "community_facilities": Perm.VIEW_AREAS,
    "community_enrolments": Perm.VIEW_AREAS,
    "community_facility_staff": Perm.VIEW_AREAS,
    "community_participants": Perm.VIEW_AREAS,
    "community_liaison_visits": Perm.VIEW_AREAS,
    "community_liaison_issues": Perm.VIEW_AREAS,
    "disputes": Perm.VIEW_DISPUTES,
    "cadres": Perm.VIEW_CADRE_SCORES,
    "cadre_pay": Perm.VIEW_CADRE_PAY,
    "relocation_households": Perm.VIEW_PEOPLE,
    "relocation_items": Perm.VIEW_PEOPLE,
    "relocation_omissions": Perm.VIEW_PEOPLE,
    "training_sessions": Perm.VIEW_CADRES,
    "training_enrolments": Perm.VIEW_CADRES,
    "training_coverage": Perm.VIEW_CADRES,
    "assets_problems": Perm.VIEW_ASSETS,
    "assets_actions": Perm.VIEW_ASSETS,
}
# The lists whose period parameters are not `from` / `to`.
PERIOD_PARAMS: dict[str, tuple[str, str]] = {
    "cadres": ("period_from", "period_to"),
    "cadre_pay": ("period_from", "period_to"),
}
UNIT_LABELS: dict[str, Any] = {
    **{u.value: u.label for u in Unit},
    Unit.COUNT: "",
    Unit.RATE: "%",
}


def _level_column(ctx: Ctx) -> str:
    level = ctx.level or _child_level(ctx.area)
    return column_of(level)


def _child_level(area: Area) -> str:
    child = Area.objects.filter(parent=area).values_list("level", flat=True).first()
    return child or area.level


def area_rows(ctx: Ctx) -> Any:
    """The row areas: the filled area's children, or every area of `ctx.level` in its
    subtree."""
    qs = Area.objects.select_related("parent")
    if ctx.level:
        return qs.filter(level=ctx.level)
    return qs.filter(parent=ctx.area)


def _figure_rows(fig: registry.Figure) -> Any:
    if fig.source == "cases":
        return registry.source("cases").rows()
    return registry.count_source(fig.source).rows()


def _count_part(fig: registry.Figure, name: str, ctx: Ctx, col: str) -> dict[int, Any]:
    """{row area id: value} of the counter figure `name` (fig's source), in scope and period."""
    part = registry.figure(name) or fig
    rows = _figure_rows(part)
    scope = scope_for(ctx.actor)
    rows = rows.filter(scope.area_q(FIGURE_PERMS[fig.source])).filter(ctx.area.subtree_q())
    if fig.source == "cases":
        rows = rows.filter(registry.source("cases").flags(ctx.clock)[name])
        if not part.current and ctx.period.start is not None:
            start, end = _aware(ctx.period.start), _aware(ctx.period.end or ctx.period.start)
            rows = rows.filter(created_at__gte=start, created_at__lt=end)
        agg: Any = Count("pk")
    else:
        counter = registry.counter(part.counter_name)
        rows = rows.filter(part.q(ctx.clock))
        if ctx.period.start is not None and ctx.period.end is not None:
            rows = rows.filter(part.period_q(ctx.period.start, ctx.period.end))
        if part.distinct:
            agg = Count(part.distinct, distinct=True)
        elif counter.total:
            agg = Sum(counter.total)
        else:
            agg = Count("pk")
    grouped = rows.order_by().values(col).annotate(v=agg).values_list(col, "v")
    return {k: v or 0 for k, v in grouped}


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def figure_link(fig: registry.Figure, name: str, area_id: int, ctx: Ctx) -> str:
    """The list behind a figure cell: the figure's own list for the row area and period."""
    url_name = (
        "cases:queue" if fig.source == "cases" else registry.count_source(fig.source).list_url
    )
    query: dict[str, Any] = {"figure": name, "within": area_id}
    part = registry.figure(name) or fig
    if ctx.period.start is not None and not part.current:
        lo, hi = PERIOD_PARAMS.get(fig.source, ("from", "to"))
        query[lo], query[hi] = ctx.period.start.isoformat(), ctx.period.end.isoformat()  # type: ignore[union-attr]
    if fig.source == "cases":
        query["all"] = "1"
    return reverse(url_name) + "?" + urlencode(query)


def _prepare(rows: list[Any], ctx: Ctx, names: list[str]) -> None:
    """Fill `row.values` and `row.links` for the area columns `names`, in bulk."""
    col = _level_column(ctx)
    for row in rows:
        row.values, row.links, row.parts = {}, {}, {}
    ids = [r.pk for r in rows]
    for name in names:
        if name.startswith("figure:"):
            _prepare_figure(rows, ctx, name.removeprefix("figure:"), col)
        elif name in _REGISTRY:
            by_area = _REGISTRY[name](ids, ctx, col)
            for row in rows:
                row.values[name] = by_area.get(row.pk, 0)


def _prepare_figure(rows: list[Any], ctx: Ctx, name: str, col: str) -> None:
    fig = registry.figure(name)
    if fig is None:  # the definition was checked against the registry
        return
    key = f"figure:{name}"
    if fig.is_rate and fig.numerator and fig.denominator:
        num = _count_part(fig, fig.numerator, ctx, col)
        den = _count_part(fig, fig.denominator, ctx, col)
        for row in rows:
            n, d = num.get(row.pk, 0), den.get(row.pk, 0)
            row.values[key] = rate_percent(n, d)
            row.parts[key] = (n, d)
            row.links[key] = figure_link(fig, fig.numerator, row.pk, ctx)
        return
    values = _count_part(fig, name, ctx, col)
    for row in rows:
        row.values[key] = values.get(row.pk, 0)
        row.links[key] = figure_link(fig, name, row.pk, ctx)


def _households(ids: list[int], ctx: Ctx, col: str) -> dict[int, Any]:
    scope = scope_for(ctx.actor)
    rows = Household.objects.filter(scope.area_q(Perm.VIEW_PEOPLE, "area__"))
    rows = rows.filter(ctx.area.subtree_q("area__"))
    grouped = rows.order_by().values(f"area__{col}").annotate(v=Count("pk"))
    return {r[f"area__{col}"]: r["v"] for r in grouped}


def _residents(ids: list[int], ctx: Ctx, col: str) -> dict[int, Any]:
    scope = scope_for(ctx.actor)
    rows = Resident.objects.filter(
        scope.area_q(Perm.VIEW_PEOPLE, "area__"), status=ResidentStatus.ACTIVE
    ).filter(ctx.area.subtree_q("area__"))
    grouped = rows.order_by().values(f"area__{col}").annotate(v=Count("pk"))
    return {r[f"area__{col}"]: r["v"] for r in grouped}


def _posts_in_post(ctx: Ctx) -> Any:
    today = timezone.localdate()
    return Post.objects.filter(post_type__role=Role.GRID_WORKER, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )


def _grid_worker_count(ids: list[int], ctx: Ctx, col: str) -> dict[int, Any]:
    posts = _posts_in_post(ctx).filter(ctx.area.subtree_q("area__"))
    grouped = posts.order_by().values(f"area__{col}").annotate(v=Count("pk"))
    return {r[f"area__{col}"]: r["v"] for r in grouped}


def _grid_workers(ids: list[int], ctx: Ctx, col: str) -> dict[int, Any]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = _posts_in_post(ctx).filter(area_id__in=ids).order_by("person__full_name")
    for area_id, name in rows.values_list("area_id", "person__full_name"):
        names[area_id].append(name)
    return {k: "、".join(v) for k, v in names.items()}


_REGISTRY = {
    "households": _households,
    "residents": _residents,
    "grid_worker_count": _grid_worker_count,
    "grid_workers": _grid_workers,
}
_REGISTRY_PERMS = {
    "households": Perm.VIEW_PEOPLE,
    "residents": Perm.VIEW_PEOPLE,
    "grid_worker_count": Perm.VIEW_POSTS,
    "grid_workers": Perm.VIEW_POSTS,
}


def rate_percent(n: int, d: int) -> float | None:
    """A rate in per cent to one decimal; None (blank) when nothing was counted."""
    return round(100 * n / d, 1) if d else None


def _rate_total(key: str) -> Any:
    def total(rows: list[Any]) -> float | None:
        n = sum(r.parts[key][0] for r in rows)
        d = sum(r.parts[key][1] for r in rows)
        return rate_percent(n, d)

    return total


def _value(name: str) -> Any:
    return lambda row, ctx: row.values.get(name)


def _link(name: str) -> Any:
    return lambda row, ctx: row.links.get(name)


def _drill_down(row: Any, ctx: Ctx) -> str:
    """The same ledger for the row's area (a relative link: the page's or the API's own)."""
    return "?" + urlencode({"within": row.pk, "period": ctx.period.key})


def _households_link(row: Any, ctx: Ctx) -> str:
    return reverse("people:households") + "?" + urlencode({"within": row.pk})


def _columns() -> dict[str, Column]:
    cols: dict[str, Column] = {
        "name": Column(_("区域名称"), attr("name"), link=_drill_down),
        "code": Column(_("区划代码"), attr("code"), text=True),
        "level": Column(_("层级"), lambda r, c: display(r, "level")),
        "parent": Column(_("上级区域"), attr("parent.name")),
        "households": Column(
            _("户数"), _value("households"), unit=_("户"), number=True, link=_households_link
        ),
        "residents": Column(
            _("在册人口"), _value("residents"), unit=_("人"), number=True, link=_households_link
        ),
        "grid_workers": Column(_("网格员"), _value("grid_workers")),
        "grid_worker_count": Column(
            _("网格员人数"), _value("grid_worker_count"), unit=_("人"), number=True
        ),
    }
    for name, needs in _REGISTRY_PERMS.items():
        cols[name] = dataclasses.replace(cols[name], perm=needs)
    for fig in registry.figures():
        perm = FIGURE_PERMS.get(fig.source)
        if perm is None:
            continue
        key = f"figure:{fig.name}"
        cols[key] = Column(
            fig.label,
            _value(key),
            unit=UNIT_LABELS.get(fig.unit, ""),
            link=_link(key),
            perm=perm,
            number=not fig.is_rate,
            total=_rate_total(key) if fig.is_rate else None,
        )
    return cols


register(
    RowSource(
        name="areas",
        label=_("区域（按乡镇、村社区或网格）"),
        perm=Perm.VIEW_AREAS,
        rows=area_rows,
        columns=_columns(),
        record=lambda r: None,
        order=("code",),
        areas=True,
        prepare=_prepare,
        period_field="-",  # a figure column applies the period itself
    )
)

LEVELS = tuple(Level.values)
