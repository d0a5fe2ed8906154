"""Pages of the leaders' view: dashboards, the monthly report, the map, grid health, exports.

Views parse, authorise through the selectors (scope: out of scope is 404 like missing) and
render; a bad period or area is a DomainError with a clear message (400/404), never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_ancestors
from grassroots.cadres import figures as cadre_figures
from grassroots.core.actors import actor_of
from grassroots.core.errors import NotFound
from grassroots.core.middleware import CSP
from grassroots.dashboard import exports, health, mapdata, pillars, selectors
from grassroots.dashboard.api import as_json
from grassroots.relocation import figures as relocation_figures


def cases_link(**params: Any) -> str:
    """The case list (`/cases/`) behind a figure: the queue's own filter names."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse("cases:queue") + "?" + urlencode({**kept, "all": "1"})


# The counted figures a row of the dashboard shows, each linked to its list: the totals and
# each rate's numerator and denominator (registered in cases.figures).
ROW_FIGURES: tuple[str, ...] = ("received", "answered", "on_time", "responded", "solved")
ROW_FIGURES += ("handed", "satisfied", "reviewed")


def _links(where: dict[str, Any], period: selectors.Period, *, current: bool) -> dict[str, str]:
    """The lists behind one row of figures: `figure=<name>` over `where` (within, at, matter,
    unit) and the period; the "now" figures (overdue, supervised) over every registration
    day when `current` (an area's), else over the period (a matter's or a unit's row)."""
    span = {**where, **period.query()}
    links = {name: cases_link(figure=name, **span) for name in ROW_FIGURES}
    links["overdue"] = cases_link(figure="overdue", **(where if current else span))
    links["supervised"] = cases_link(figure="supervised", **where)
    return links


def _context(request: HttpRequest, pk: Any) -> dict[str, Any]:
    actor = actor_of(request)
    area = selectors.dashboard_area(actor=actor, pk=pk)
    period = selectors.period_of(request.GET.get("from"), request.GET.get("to"))
    data = selectors.dashboard(area=area, period=period)
    data["links"] = _links({"within": area.pk}, period, current=True)
    today = timezone.localdate()
    data["today_link"] = cases_link(
        figure="received",
        within=area.pk,
        **{"from": today.isoformat(), "to": (today + datetime.timedelta(days=1)).isoformat()},
    )
    for row in data["children"]:
        # "本级": the cases placed on the area itself, not in any child.
        where = {"within": row["area"].pk} if row["area"] else {"at": area.pk}
        row["links"] = _links(where, period, current=True)
    for row in data["matters"]:
        row["links"] = _links(
            {"within": area.pk, "matter": row["matter__code"]}, period, current=False
        )
    for row in data["units"]:
        row["links"] = _links({"within": area.pk, "unit": row["unit_id"]}, period, current=False)
    data["pillars"] = pillars.pillar_figures(area=area, start=period.start, end=period.end)
    data["relocation"] = relocation_figures.dashboard_section(area=area)
    data["cadres"] = cadre_figures.dashboard_section(area=area, scope=scope_for(actor))
    data["crumbs"] = area_ancestors(area)
    data["query"] = urlencode(period.query())
    data["chart"] = {"trend": data["trend"]}
    return data


@login_required
@require_GET
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """The viewer's own dashboard: the highest area of their scope (a county for a leader)."""
    return render(request, "dashboard/dashboard.html", _context(request, None))


@login_required
@require_GET
def dashboard_area(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard of any area in the viewer's scope (404 outside it)."""
    return render(request, "dashboard/dashboard.html", _context(request, pk))


@login_required
@require_GET
def monthly_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A print-friendly (A4) report of one month's figures: ?month=YYYY-MM, by default the last
    full month. Grids are summarised by community; at most REPORT_GRIDS flagged grids and
    REPORT_MATTERS matters are listed, the page links to the full lists."""
    from django.utils import timezone

    area = selectors.dashboard_area(actor=actor_of(request), pk=pk)
    month = request.GET.get("month") or ""
    if not month:
        last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
        month = last_month.strftime("%Y-%m")
    period = selectors.month_period(month)
    data = selectors.dashboard(area=area, period=period)
    grids = health.grid_health(area, actor_of(request))
    data["health"] = grids
    data["health_shown"] = grids[: health.REPORT_GRIDS]
    data["health_more"] = max(0, len(grids) - health.REPORT_GRIDS)
    data["matters_more"] = max(0, len(data["matters"]) - health.REPORT_MATTERS)
    data["matters"] = data["matters"][: health.REPORT_MATTERS]
    data["month"] = period.start.strftime("%Y-%m")
    return render(request, "dashboard/report.html", data)


@login_required
@require_GET
def grid_health_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The micro grids that do not run smoothly, by the rules shown on the page."""
    area = selectors.dashboard_area(actor=actor_of(request), pk=pk)
    context = {
        "area": area,
        "crumbs": area_ancestors(area),
        "rules": health.rules_shown(),
        "health": health.grid_health(area, actor_of(request)),
        "lag": selectors.refresh_lag(),
    }
    return render(request, "dashboard/health.html", context)


def _map_csp(tile_url: str) -> str:
    """The site's policy, with the tile server's origin allowed for images when one is set."""
    if not tile_url:
        return CSP
    parts = urlsplit(tile_url.replace("{s}", "a"))
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
    host = f"{parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}" if "{s}" in tile_url else ""
    return CSP.replace("img-src 'self'", " ".join(x for x in ("img-src 'self'", origin, host) if x))


@login_required
@require_GET
def map_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The map (一张图): grids coloured by a chosen figure, open cases as points (Leaflet)."""
    actor = actor_of(request)
    area = selectors.dashboard_area(actor=actor, pk=pk)
    period = selectors.period_of(request.GET.get("from"), request.GET.get("to"))
    figure = request.GET.get("figure", "per_household")
    if figure not in mapdata.FIGURES:
        figure = "per_household"
    tile_url = str(getattr(settings, "MAP_TILE_URL", "") or "")
    config: dict[str, str] = {
        "data": reverse("dashboard:map-data")
        + "?"
        + urlencode({"within": str(area.pk), **period.query()}),
        "tiles": tile_url,
        "figure": figure,
    }
    context = {
        "area": area,
        "crumbs": area_ancestors(area),
        "config": config,
        "figure": figure,
        "period": period,
        "lag": selectors.refresh_lag(),
    }
    response = render(request, "dashboard/map.html", context)
    response.headers["Content-Security-Policy"] = _map_csp(tile_url)
    return response


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the grids of `within` with their figures, and the open cases as points."""
    area = selectors.dashboard_area(actor=actor_of(request), pk=request.GET.get("within"))
    period = selectors.period_of(request.GET.get("from"), request.GET.get("to"))
    return JsonResponse(mapdata.map_data(area=area, period=period, actor=actor_of(request)))


@login_required
@require_GET
def export(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    """One table of a dashboard as .xlsx (children, matters, units, trend, health)."""
    actor = actor_of(request)
    area = selectors.dashboard_area(actor=actor, pk=pk)
    period = selectors.period_of(request.GET.get("from"), request.GET.get("to"))
    if table not in exports.TABLES:
        raise NotFound("table")
    data = selectors.dashboard(area=area, period=period)
    if table == "health":
        data["health"] = health.grid_health(area, actor)
    body, name = exports.export_table(actor=actor, data=data, table=table)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def dashboard_json(request: HttpRequest, pk: int) -> JsonResponse:
    """The same figures as the API, for pages that refresh with htmx or scripts."""
    area = selectors.dashboard_area(actor=actor_of(request), pk=pk)
    period = selectors.period_of(request.GET.get("from"), request.GET.get("to"))
    return JsonResponse(as_json(selectors.dashboard(area=area, period=period)))
