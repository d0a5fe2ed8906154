"""The map's data (一张图): micro-grid polygons with their figures and the open cases as points.

GeoJSON, read from rollups, the household register and the open cases' coordinates in a fixed
number of queries. Points carry a case number, matter and state only — no personal data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse

from grassroots.areas.models import Area
from grassroots.cases.choices import OPEN_STATES
from grassroots.cases.models import Case
from grassroots.dashboard.definitions import rate
from grassroots.dashboard.health import grid_health
from grassroots.dashboard.models import DailyFigure
from grassroots.dashboard.selectors import Period
from grassroots.people.models import Household

MAX_POINTS = 500
FIGURES = ("per_household", "overdue_share", "satisfaction")


def map_data(*, area: Area, period: Period) -> dict[str, Any]:
    """A FeatureCollection of the grids under `area` (figures in `properties`) followed by the
    open cases with coordinates (at most MAX_POINTS, newest first)."""
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
    unhealthy = {h["area"].pk: [code for code, _ in h["rules"]] for h in grid_health(area)}
    features: list[dict[str, Any]] = []
    grids = (
        [area]
        if area.level == "grid3"
        else Area.objects.filter(area.subtree_q(), level="grid3").order_by("code")
    )
    for grid in grids:
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
    return {"type": "FeatureCollection", "features": features}
