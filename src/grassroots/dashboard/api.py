"""`GET /api/v1/metrics/dashboard/`: a dashboard's figures as JSON, from rollups only."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.dashboard import selectors


def as_json(data: dict[str, Any]) -> dict[str, Any]:
    """A dashboard (selectors.dashboard) as plain JSON-able values; no personal data."""
    area = data["area"]
    period = data["period"]
    lag = data["lag"]

    def named(area: Any) -> dict[str, Any] | None:
        return None if area is None else {"id": area.pk, "name": area.name, "level": area.level}

    return {
        "area": named(area),
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "refreshed_at": lag["refreshed_at"].isoformat() if lag["refreshed_at"] else None,
        "lag_minutes": lag["minutes"],
        "today": data["today"],
        "figures": data["figures"],
        "children": [{"area": named(c["area"]), **c["figures"]} for c in data["children"]],
        "matters": [
            {"code": m["matter__code"], "name": m["matter__name"], **m["figures"]}
            for m in data["matters"]
        ],
        "units": [
            {"id": u["unit_id"], "name": u["unit__name"], **u["figures"]} for u in data["units"]
        ],
        "trend": data["trend"],
        "escalations": [{**e, "at": e["at"].isoformat()} for e in data["escalations"]],
    }


class DashboardMetrics(APIView):
    """A dashboard's figures: totals, by child area, top matters, unit ranking, trend per day.

    `within` defaults to the highest area of the caller's scope; out of scope is 404.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("within", int),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Exclusive"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        within = params.row_id("within", p.get("within"))
        area = selectors.dashboard_area(actor=actor_of(request), pk=within)
        period = selectors.period_of(p.get("from"), p.get("to"))
        return Response(as_json(selectors.dashboard(area=area, period=period)))
