"""Pages of the scorecard: an area's scorecard, its .xlsx, and the rows behind the figures the
scorecard registers itself. Views parse, authorise through the selectors (out of scope: 404)
and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_ancestors, area_get
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import invalid_filter
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.scorecard import exports, figures, periods, selectors, served
from grassroots.scorecard.choices import Span

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _page(request: HttpRequest, pk: int | None) -> HttpResponse:
    actor = actor_of(request)
    area = selectors.scorecard_area(actor=actor, pk=pk)
    period = periods.parse(request.GET.get("span"), request.GET.get("at"), timezone.localdate())
    data = selectors.scorecard(actor=actor, area=area, period=period)
    scope = scope_for(actor)
    data["crumbs"] = [
        a
        for a in area_ancestors(area)
        if a.level in selectors.LEVELS and scope.covers_area(Perm.VIEW_SCORECARD, a)
    ]
    data["children"] = Area.objects.filter(parent=area, level__in=selectors.LEVELS).order_by("code")
    data["spans"] = Span.choices
    data["query"] = urlencode(period.query())
    data["previous"] = data["next"] = ""
    if not period.cumulative:
        data["previous"] = urlencode(period.previous().query())
        nxt = periods.period_of(period.span, period.end)
        data["next"] = urlencode(nxt.query()) if nxt.start <= timezone.localdate() else ""
    return render(request, "scorecard/scorecard.html", data)


@login_required
@require_GET
def scorecard_home(request: HttpRequest) -> HttpResponse:
    """The scorecard of the viewer's highest area (a county for a leader)."""
    return _page(request, None)


@login_required
@require_GET
def scorecard_area(request: HttpRequest, pk: int) -> HttpResponse:
    """The scorecard of a county, township, community or village in scope (404 outside)."""
    return _page(request, pk)


@login_required
@require_GET
def scorecard_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The scorecard of the area and period as .xlsx (audited)."""
    actor = actor_of(request)
    area = selectors.scorecard_area(actor=actor, pk=pk)
    period = periods.parse(request.GET.get("span"), request.GET.get("at"), timezone.localdate())
    data = selectors.scorecard(actor=actor, area=area, period=period)
    body, name = exports.scorecard_xlsx(
        actor=actor, data=data, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def rows_page(request: HttpRequest) -> HttpResponse:
    """The rows a figure the scorecard registers counts (grids, units, matters) over `within`
    (an area in the viewer's scope): exactly its filter."""
    actor = actor_of(request)
    fig = registry.figure(request.GET.get("figure") or "")
    if fig is None or fig.source not in figures.SOURCES:
        raise invalid_filter("figure", request.GET.get("figure"))
    area = area_get(actor=actor, pk=request.GET.get("within") or "")
    if fig.source == served.SOURCE:  # households served: rows about people
        scope_for(actor).require_area(Perm.VIEW_PEOPLE, area)
    src = registry.count_source(fig.source)
    rows = src.rows().filter(fig.q(timezone.now()), area.subtree_q())
    start = params.day("from", request.GET.get("from"))
    end = params.day("to", request.GET.get("to"))
    if start and end and not fig.current:
        rows = rows.filter(fig.period_q(start, end))
    if fig.source == figures.MATTERS:
        rows = rows.select_related("unit")
    if fig.source == served.SOURCE:
        rows = rows.select_related("area").order_by("-day", "pk")
    else:
        rows = rows.order_by("code")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "figure": fig,
        "area": area,
        "count": page.paginator.count,
        "page_obj": page,
        "kind": fig.source,
        "query": urlencode(
            {k: str(v) for k, v in request.GET.items() if k in ("figure", "within", "from", "to")}
        )
        + "&",
    }
    return render(request, "scorecard/rows.html", context)
