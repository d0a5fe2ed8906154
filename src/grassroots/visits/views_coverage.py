"""The list behind the plan figures (应走访户数, 按期/逾期, 覆盖率): `/visits/coverage/?figure=…`
over `within`'s subtree, read from the households' visit state (`visits.coverage`), so its rows
are exactly what the figure counts. The deciding tag is never shown (it may be a vulnerable
group's, SECURITY.md 8): only the interval."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.figures import registry
from grassroots.visits import coverage

PAGE_SIZE = 50


@login_required
@require_GET
def plan_page(request: HttpRequest) -> HttpResponse:
    """The households of one plan figure, most overdue first (a rate: its denominator's)."""
    figure = request.GET.get("figure") or ""
    rows = coverage.plan_list(
        actor=actor_of(request),
        figure=figure,
        within=params.row_id("within", request.GET.get("within")),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for row in page:
        row.overdue_days = max((today - row.due_on).days, 0)  # type: ignore[attr-defined]
    context = {
        "figure": registry.figure(figure),
        "count": page.paginator.count,
        "page_obj": page,
    }
    return render(request, "visits/coverage.html", context)
