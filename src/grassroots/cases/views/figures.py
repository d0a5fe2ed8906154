"""The three rates (三率) page: `metrics.case_metrics` over the viewer's scope, for an area or a
unit and a period, each figure linked to the list of the cases behind it.

A bad period (a malformed date, backwards, longer than three years) is shown as a message. The
page says "数据截至 HH:MM" (the refresh mark), in red when the refresher has stopped.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from grassroots.areas.choices import Level
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_list, unit_list
from grassroots.cases import metrics
from grassroots.cases.views import actor_of, query_of, shown
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm
from grassroots.figures import live

PARAMS = ("within", "unit", "from", "to")
AREA_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.VILLAGE)


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _link(**params: Any) -> str:
    return reverse("cases:queue") + "?" + query_of(params).rstrip("&")


def figure_rows(figures: dict[str, Any], within: str, unit: str) -> list[dict[str, Any]]:
    """Each figure with its value, how it was counted and the list behind it: a count links to
    the list of its registered figure (`/cases/?figure=<name>`), a rate to the lists of its
    numerator and its denominator, so each number shown equals the length of its list."""
    c = figures["counts"]
    where = {"within": within, "unit": unit}
    period = {**where, "from": figures["from"], "to": figures["to"], "all": "1"}

    def part(label: str, name: str, value: int) -> dict[str, Any]:
        return {"label": label, "value": value, "link": _link(**period, figure=name)}

    return [
        {
            "label": _("登记总量"),
            "value": figures["total"],
            "link": _link(**period, figure="received"),
        },
        {
            "label": _("即时解答"),
            "value": figures["answered"],
            "link": _link(**period, figure="answered"),
        },
        {"label": _("未结案"), "value": figures["open"], "link": _link(**period, figure="open")},
        {
            "label": _("响应率"),
            "value": _percent(figures["response_rate"]),
            "parts": [
                part(_("按时签收"), "on_time", c["responded_on_time"]),
                part(_("应签收"), "responded", c["responded"]),
            ],
        },
        {
            "label": _("办结率"),
            "value": _percent(figures["resolution_rate"]),
            "parts": [
                part(_("办结且未重办"), "solved", c["solved"]),
                part(_("交办"), "handed", c["handed"]),
            ],
        },
        {
            "label": _("满意率"),
            "value": _percent(figures["satisfaction_rate"]),
            "parts": [
                part(_("满意和基本满意"), "satisfied", c["satisfied"]),
                part(_("已回访"), "reviewed", c["reviewed"]),
            ],
        },
        {
            "label": _("当前超期"),
            "value": figures["overdue"],
            "detail": _("不限登记时间"),
            "link": _link(**where, figure="overdue", all="1"),
        },
        {
            "label": _("办结用时中位数（小时）"),
            "value": "–"
            if figures["median_handling_hours"] is None
            else figures["median_handling_hours"],
        },
    ]


@login_required
@require_GET
def case_figures(request: HttpRequest) -> HttpResponse:
    """The figures for the chosen area, unit and period (default: the last 30 days)."""
    actor = actor_of(request)
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CASES)
    params = {k: request.GET.get(k, "").strip() for k in PARAMS}
    rows: list[dict[str, Any]] = []
    figures: dict[str, Any] | None = None
    error, status = "", 200
    try:
        figures = metrics.case_metrics(
            actor=actor,
            within=params["within"] or None,
            unit=params["unit"] or None,
            start=params["from"] or None,
            end=params["to"] or None,
        )
        rows = figure_rows(figures, params["within"], params["unit"])
    except DomainError as exc:
        if not shown(exc):
            raise
        error, status = str(exc.message), exc.status
    areas: Any = []
    if scope.has(Perm.VIEW_AREAS):
        areas = area_list(actor=actor).filter(level__in=AREA_LEVELS)
    units: Any = unit_list(actor=actor) if scope.has(Perm.VIEW_UNITS) else []
    refreshed = figures["refreshed_at"] if figures else live.mark_at()
    if isinstance(refreshed, str):
        refreshed = datetime.datetime.fromisoformat(refreshed)
    context = {
        "asof": live.asof_of(refreshed),
        "params": params,
        "figures": figures,
        "rows": rows,
        "error": error,
        "areas": areas,
        "units": units,
    }
    return render(request, "cases/figures.html", context, status=status)
