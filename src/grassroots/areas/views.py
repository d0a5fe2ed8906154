"""Pages of the area tree, units and posts. Views parse, authorise through selectors, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.areas import selectors
from grassroots.areas.choices import DEPTH, Level, UnitLevel
from grassroots.areas.mapsvg import svg_paths
from grassroots.core.actors import actor_of
from grassroots.core.roles import Role


def _levels_below(level: str) -> list[tuple[str, Any]]:
    depth = DEPTH[Level(level)]
    return [(lv.value, lv.label) for lv in Level if DEPTH[lv] > depth]


@login_required
def browser(request: HttpRequest) -> HttpResponse:
    """The roots of the viewer's scope, each with the size of its subtree."""
    roots = selectors.area_roots(actor=actor_of(request))
    if len(roots) == 1:
        return area_page(request, roots[0].pk)
    rows = [{"area": a, "counts": selectors.area_level_counts(area=a)} for a in roots]
    return render(request, "areas/browser.html", {"rows": rows})


@login_required
def area_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One node: breadcrumbs, its children with per-level counts, a map of the children."""
    area = selectors.area_get(actor=actor_of(request), pk=pk)
    children = selectors.area_children(area=area)
    levels = _levels_below(area.level)[1:]
    rows = [{"area": c.area, "cells": [c.counts.get(lv, 0) for lv, _l in levels]} for c in children]
    totals = selectors.area_level_counts(area=area)
    shapes = svg_paths([c.area for c in children] or [area])
    context: dict[str, Any] = {
        "area": area,
        "ancestors": selectors.area_ancestors(area),
        "rows": rows,
        "levels": levels,
        "below": [(label, totals.get(lv, 0)) for lv, label in _levels_below(area.level)],
        "shapes": shapes,
        "units": area.units.order_by("code"),
    }
    return render(request, "areas/area.html", context)


def _page(request: HttpRequest, qs: Any, per_page: int = 50) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level") or None
    units = selectors.unit_list(actor=actor_of(request), level=level)
    query = f"level={level}&" if level else ""
    return render(
        request,
        "areas/units.html",
        {
            "page_obj": _page(request, units),
            "levels": UnitLevel.choices,
            "level": level,
            "query": query,
        },
    )


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role") or None
    area = request.GET.get("area") or None
    posts = selectors.post_list(actor=actor_of(request), role=role, area=area)
    query = "".join(f"{k}={v}&" for k, v in (("role", role), ("area", area)) if v)
    return render(
        request,
        "areas/posts.html",
        {"page_obj": _page(request, posts), "roles": Role.choices, "role": role, "query": query},
    )


@login_required
def post_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A post with its duty list; prints on one A4 page."""
    post = selectors.post_get(actor=actor_of(request), pk=pk)
    return render(request, "areas/post.html", {"post": post})
