"""Where a case goes: the location decides the area, the matter and the area decide the handler.

`send_locate` and `located` find the micro grid whose polygon contains a point: the
bounding boxes narrow the candidates in one query (sent with the intake's other look-ups; on
PostgreSQL one probe of a GiST index), the exact polygon test runs on those few only.
`route` is a pure decision over already-loaded rows, recorded with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from grassroots.areas import geo
from grassroots.areas.choices import UnitLevel
from grassroots.areas.models import Area, Unit
from grassroots.cases.choices import Level
from grassroots.cases.models import Matter
from grassroots.db.compiled import CompiledQuery, Sent

# The areas whose bounding box holds a point. On PostgreSQL the test is written as the box
# containing the point's zero-sized box (GiST's box operator class has `box @> box`, not
# `box @> point`), on the expression of the index areas/migrations/0004 builds: one
# index probe whatever the number of areas (the four-column range it replaces read every
# area: ≈ 300,000 at province scale, where intake fell to 60–76/s). On SQLite, which serves a
# county (a few thousand areas), the columns are compared as they are.
BBOX_CONTAINS = (
    'box(point("areas_area"."min_lon", "areas_area"."min_lat"), '
    'point("areas_area"."max_lon", "areas_area"."max_lat")) @> box(point(%s, %s), point(%s, %s))'
)


def _around(lon: float, lat: float) -> QuerySet[Area]:
    """Areas with a polygon whose bounding box holds (lon, lat), deepest first (a candidate's
    polygon is decoded only when reached: the grid's usually holds the point, and its
    ancestors' large polygons are then never decoded)."""
    areas = Area.objects.exclude(polygon=None)
    if connection.vendor == "postgresql":
        held = RawSQL(BBOX_CONTAINS, (lon, lat, lon, lat), output_field=BooleanField())  # noqa: S611
        areas = areas.filter(held)
    else:
        areas = areas.filter(min_lon__lte=lon, max_lon__gte=lon, min_lat__lte=lat, max_lat__gte=lat)
    return areas.order_by("-depth")


_CANDIDATES: CompiledQuery[Area] = CompiledQuery(_around, lon=-1234.5678, lat=-8765.4321)


def send_locate(lon: float, lat: float) -> Sent[Area]:
    """The candidate grids around (lon, lat), sent (`CompiledQuery.send`); `located` reads."""
    return _CANDIDATES.send(lon=float(lon), lat=float(lat))


def located(sent: Sent[Area], lon: float, lat: float) -> Area | None:
    """The micro grid (else the lowest area) whose polygon contains (lon, lat), or None."""
    for area in sent.iterate():
        if area.polygon is not None and geo.contains(area.polygon, lon, lat):
            return area
    return None


@dataclass(frozen=True)
class Route:
    """A routing decision: the unit that owns the case, its level, whether it is dispatched."""

    unit: Unit | None  # None: the county hotline desk
    level: str
    dispatched: bool
    reason: str


# Every intake placed in a community or township reads its unit: compiled once (db.compiled).
_UNIT: CompiledQuery[Unit] = CompiledQuery(
    lambda area, level: Unit.objects.filter(area_id=area, level=level, active=True).order_by("id")[
        :1
    ],
    area=-(2**40),
    level="marker:level",
)


def _unit_for(area_id: int | None, level: str) -> Unit | None:
    if area_id is None:
        return None
    unit_level = UnitLevel.TOWNSHIP if level == Level.TOWNSHIP else UnitLevel.COMMUNITY
    return _UNIT.first(area=area_id, level=str(unit_level))


def handler_for(matter: Matter, area: Area | None, level: str) -> Unit | None:
    """The unit that handles `matter` at `level` for `area` (None if the area is not known there).

    County level: the matter's responsible unit. Township: the township's office. Community: the
    station of the community or village.
    """
    if level == Level.COUNTY:
        return matter.unit
    if area is None:
        return None
    if level == Level.TOWNSHIP:
        return _unit_for(area.township_id, Level.TOWNSHIP)
    return _unit_for(area.community_id, Level.COMMUNITY)


def route(matter: Matter, area: Area | None) -> Route:
    """Dispatch straight to the handler when matter and area determine it (接诉即办).

    Otherwise the case waits at the desk of the lowest level that covers the area: the
    community's or the township's, or the county hotline desk when nothing is known.
    """
    level = matter.level
    unit = handler_for(matter, area, level)
    if unit is not None:
        return Route(unit, level, True, f"matter {matter.code} is handled at {level} level")
    if area is not None and area.township_id is not None:
        desk = _unit_for(area.community_id, Level.COMMUNITY) if area.community_id else None
        if desk is not None:
            return Route(
                desk, Level.COMMUNITY, False, "area above the matter's level: community desk"
            )
        desk = _unit_for(area.township_id, Level.TOWNSHIP)
        if desk is not None:
            return Route(
                desk, Level.TOWNSHIP, False, "area above the matter's level: township desk"
            )
    return Route(None, Level.COUNTY, False, "location unknown: county hotline desk")


def next_level_handler(matter: Matter, area: Area | None, level: str) -> tuple[Unit | None, str]:
    """The handler one level up (community → township → county department) and that level."""
    order = [Level.COMMUNITY, Level.TOWNSHIP, Level.COUNTY]
    for higher in order[order.index(Level(level)) + 1 :]:
        unit = handler_for(matter, area, higher)
        if unit is not None:
            return unit, higher
    return None, level
