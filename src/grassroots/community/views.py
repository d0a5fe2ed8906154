"""Pages of the community app: a community's page at a glance, and the rows behind each of its
figures (`/community/rows/?figure=…&within=…`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from grassroots.community import selectors
from grassroots.core.actors import actor_of

PAGE_SIZE = 50

Columns = tuple[tuple[Any, Callable[[Any], Any]], ...]

# What the list behind each source's figures shows of a row.
COLUMNS: dict[str, Columns] = {
    "community_facilities": (
        (_("设施"), lambda r: r.name),
        (_("类型"), lambda r: r.get_kind_display()),
        (_("面积（平方米）"), lambda r: r.area_sqm),
    ),
    "community_enrolments": (
        (_("学生"), lambda r: r.resident.name),
        (_("学校"), lambda r: r.facility.name),
        (_("入学日期"), lambda r: r.enrolled_on),
    ),
    "community_facility_staff": (
        (_("姓名"), lambda r: r.name),
        (_("职务"), lambda r: r.role),
        (_("设施"), lambda r: r.facility.name),
    ),
    "community_participants": (
        (_("活动"), lambda r: r.activity.title),
        (_("日期"), lambda r: r.activity.held_on),
        (_("户编号"), lambda r: r.household.number),
        (_("参与人"), lambda r: r.resident.name if r.resident else "-"),
    ),
    "community_liaison_visits": (
        (_("日期"), lambda r: r.visited_on),
        (_("县领导"), lambda r: r.leader),
        (_("接待群众（人）"), lambda r: r.residents_met),
        (_("议题"), lambda r: r.topics),
    ),
    "community_liaison_issues": (
        (_("收集日期"), lambda r: r.collected_on),
        (_("问题"), lambda r: r.summary),
        (_("诉求编号"), lambda r: r.case.number),
        (_("诉求状态"), lambda r: r.case.get_state_display()),
    ),
    "community_compliance": (
        (_("社区（村）"), lambda r: r.area.name),
        (_("类别"), lambda r: r.get_kind_display()),
        (_("规范要求"), lambda r: r.label),
        (_("标准"), lambda r: r.required),
        (_("现有"), lambda r: r.found),
        (_("差距"), lambda r: r.gap or "-"),
    ),
}
RELATED = {
    "community_enrolments": ("resident", "facility"),
    "community_facility_staff": ("facility",),
    "community_participants": ("activity", "household", "resident"),
    "community_liaison_issues": ("case",),
    "community_compliance": ("area",),
}


@login_required
@require_GET
def index_page(request: HttpRequest) -> HttpResponse:
    """The communities and villages in the actor's scope, by township, each a link to its page."""
    rows = selectors.community_list(actor=actor_of(request))
    return render(request, "community/index.html", {"communities": rows})


@login_required
@require_GET
def community_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A community at a glance: compliance and its gaps, people, facilities, the service team,
    this month's activities, the liaison station — every figure a link to its rows."""
    actor = actor_of(request)
    community = selectors.community_get(actor=actor, pk=pk)
    page = selectors.community_page(actor=actor, community=community)
    return render(request, "community/page.html", {"page": page, "community": community})


@login_required
@require_GET
def rows_page(request: HttpRequest) -> HttpResponse:
    """The rows one community figure counts: exactly its filter over the community."""
    fig, community, rows = selectors.figure_rows(
        actor=actor_of(request),
        figure=request.GET.get("figure"),
        within=request.GET.get("within"),
        date_from=request.GET.get("from"),
        date_to=request.GET.get("to"),
    )
    rows = rows.select_related(*RELATED.get(fig.source, ()))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    columns = COLUMNS[fig.source]
    context = {
        "figure": fig,
        "community": community,
        "count": page.paginator.count,
        "page_obj": page,
        "headers": [label for label, _cell in columns],
        "cells": [[cell(r) for _label, cell in columns] for r in page],
    }
    return render(request, "community/rows.html", context)
