"""The map's data (一张图): micro-grid polygons with their figures and the open cases as points.

GeoJSON, read from rollups, the household register and the open cases' coordinates in a fixed
number of queries. Points carry a case number, matter and state only — no personal data. The
names of the townships, communities and villages under the area ride along as ``labels`` (a
foreign member of the FeatureCollection), each at the centre of its area's extent, for the map
to show at the zooms where they help.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.cases.choices import OPEN_STATES
from grassroots.cases.models import Case
from grassroots.core.models import User
from grassroots.dashboard.definitions import rate
from grassroots.dashboard.health import grid_health
from grassroots.dashboard.models import DailyFigure
from grassroots.dashboard.selectors import Period
from grassroots.people.models import Household

MAX_POINTS = 500
FIGURES = ("per_household", "overdue_share", "satisfaction")
LABEL_LEVELS = (Level.TOWNSHIP, Level.COMMUNITY, Level.VILLAGE)


def area_labels(area: Area) -> list[dict[str, Any]]:
    """The townships, communities and villages under `area` (itself included), each with its
    level and the centre of its extent; areas without an extent are left out. One query."""
    areas = (
        Area.objects.filter(area.subtree_q(), level__in=LABEL_LEVELS)
        .only("id", "name", "level", "min_lon", "min_lat", "max_lon", "max_lat")
        .order_by("code")
    )
    labels = []
    for a in areas:
        if a.min_lon is None or a.min_lat is None or a.max_lon is None or a.max_lat is None:
            continue
        labels.append(
            {
                "id": a.pk,
                "name": a.name,
                "level": a.level,
                "lat": round((a.min_lat + a.max_lat) / 2, 6),
                "lon": round((a.min_lon + a.max_lon) / 2, 6),
            }
        )
    return labels


def map_data(*, area: Area, period: Period, actor: User | None = None) -> dict[str, Any]:
    """A FeatureCollection of the grids under `area` (figures in `properties`) followed by the
    open cases with coordinates (at most MAX_POINTS, newest first). Grid health is judged as
    `health.grid_health(area, actor)` judges it."""
    in_period = Q(day__gte=period.start, day__lt=period.end)
    sums: Any = (
        DailyFigure.objects.filter(area.subtree_q(), grid3__isnull=False)
        .filter(in_period | Q(open__gt=0))
        .values("grid3")
        .annotate(
            n_received=Sum("received", filter=in_period),
            n_reviewed=Sum("reviewed", filter=in_period),
            n_satisfied=Sum("satisfied", filter=in_period),
            open_now=Sum("open"),
            overdue_now=Sum("overdue"),
        )
        .order_by()
    )
    by_grid = {r["grid3"]: r for r in sums}
    homes = dict(
        Household.objects.filter(area.subtree_q("area__"))
        .values_list("area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    judged = grid_health(area, actor)
    unhealthy = {h["area"].pk: [code for code, _ in h["rules"]] for h in judged}
    features: list[dict[str, Any]] = []
    for grid in judged.grids:
        if not grid.polygon:
            continue
        r = by_grid.get(grid.pk, {})
        received = int(r.get("n_received") or 0)
        households = int(homes.get(grid.pk, 0))
        features.append(
            {
                "type": "Feature",
                "geometry": grid.polygon,
                "properties": {
                    "kind": "grid",
                    "id": grid.pk,
                    "name": grid.name,
                    "url": reverse("dashboard:area", args=[grid.pk]),
                    "received": received,
                    "households": households,
                    "per_household": rate(received, households),
                    "open": int(r.get("open_now") or 0),
                    "overdue": int(r.get("overdue_now") or 0),
                    "overdue_share": rate(
                        int(r.get("overdue_now") or 0), int(r.get("open_now") or 0)
                    ),
                    "satisfaction": rate(
                        int(r.get("n_satisfied") or 0), int(r.get("n_reviewed") or 0)
                    ),
                    "unhealthy": unhealthy.get(grid.pk, []),
                },
            }
        )
    points = (
        Case.objects.filter(area.subtree_q("area__"), state__in=OPEN_STATES)
        .filter(lat__isnull=False, lon__isnull=False)
        .values("id", "number", "lat", "lon", "state", "overdue", "matter__name")
        .order_by("-id")[:MAX_POINTS]
    )
    for p in points:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                "properties": {
                    "kind": "case",
                    "id": p["id"],
                    "name": p["number"] or f"#{p['id']}",
                    "matter": p["matter__name"],
                    "state": p["state"],
                    "overdue": p["overdue"],
                    "url": reverse("cases:case", args=[p["id"]]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features, "labels": area_labels(area)}
