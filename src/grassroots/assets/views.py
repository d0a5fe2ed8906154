"""Pages of the assets app (清化收): figures with links to their rows, totals by township and
village, the problems with their actions, and the rows behind each figure. Views parse,
authorise (through selectors) and render; none writes. Out of scope is 404."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from grassroots.assets import selectors
from grassroots.assets.export import XLSX, ledger_xlsx
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.roles import Perm
from grassroots.figures import counts, registry
from grassroots.training.views import top_area

PAGE_SIZE = 50
SHOWN = (
    "asset_mu_recovered",
    "asset_yuan_recovered",
    "asset_problems_open",
    "asset_problems_resolved",
)
RELATED = {"assets_problems": ("area",), "assets_actions": ("area", "problem")}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    area = top_area(actor, Perm.VIEW_ASSETS, request.GET.get("within"))
    figs = [f for f in (registry.figure(n) for n in SHOWN) if f is not None]
    values = counts.figure_counts(figs, area=area)
    shown: dict[str, dict[str, Any]] = {}
    for f in figs:
        query = urlencode({"figure": f.name, "within": str(area.pk)})
        link = reverse("assets:rows") + "?" + query
        shown[f.name] = {"label": f.label, "value": values[f.name], "link": link}
    problems = selectors.problem_list(actor=actor, within=area.pk).prefetch_related("actions")
    context = {
        "area": area,
        "figures": shown,
        "totals": selectors.totals(actor=actor, within=area.pk),
        "problems": problems,
    }
    return render(request, "assets/home.html", context)


@login_required
@require_GET
def rows_page(request: HttpRequest) -> HttpResponse:
    """The rows one assets figure counts: exactly its filter, in scope."""
    actor = actor_of(request)
    fig, rows = selectors.figure_rows(
        actor=actor, figure=request.GET.get("figure"), within=request.GET.get("within")
    )
    rows = rows.select_related(*RELATED[fig.source])
    # A period figure (mu recovered) over [from, to), as the scorecard links it.
    start = params.day("from", request.GET.get("from"))
    end = params.day("to", request.GET.get("to"))
    if start and end and not fig.current:
        rows = rows.filter(fig.period_q(start, end))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"figure": fig, "count": page.paginator.count, "page_obj": page, "kind": fig.source}
    return render(request, "assets/rows.html", context)


@login_required
@require_GET
def ledger_download(request: HttpRequest) -> HttpResponse:
    """The clean-up ledger of the area (`within`, else the actor's whole scope) as .xlsx, in the
    economic-management station's layout; audited with the file's hash."""
    actor = actor_of(request)
    area = top_area(actor, Perm.VIEW_ASSETS, request.GET.get("within"))
    content, name = ledger_xlsx(actor=actor, area=area)
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
