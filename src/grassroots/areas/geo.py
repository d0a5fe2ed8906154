"""GeoJSON polygons of areas: validation, bounding box, centre, point-in-polygon. Pure functions.

Coordinates are [longitude, latitude] in WGS-84 or GCJ-02 as the county's maps use; the code does
not care which as long as one county uses one.
"""

from __future__ import annotations

import math
from typing import Any

from grassroots.areas.errors import AreaErrorCode, GeometryError

Ring = list[list[float]]
Polygon = list[Ring]


def _fail(message: str, **where: Any) -> GeometryError:
    return GeometryError(AreaErrorCode.INVALID_POLYGON, message, field="polygon", **where)


def _position(p: Any, where: str) -> list[float]:
    if not isinstance(p, list | tuple) or len(p) < 2:
        raise _fail(f"{where}: a position must be [longitude, latitude]", at=where)
    lon, lat = p[0], p[1]
    for v in (lon, lat):
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise _fail(f"{where}: coordinates must be finite numbers", at=where)
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise _fail(f"{where}: [{lon}, {lat}] is outside longitude/latitude range", at=where)
    return [float(lon), float(lat)]


def _ring(r: Any, where: str) -> Ring:
    if not isinstance(r, list) or len(r) < 4:
        raise _fail(f"{where}: a ring needs at least 4 positions", at=where)
    ring = [_position(p, f"{where}[{i}]") for i, p in enumerate(r)]
    if ring[0] != ring[-1]:
        raise _fail(f"{where}: a ring must end where it starts", at=where)
    if abs(_signed_area(ring)) == 0:
        raise _fail(f"{where}: the ring encloses no area", at=where)
    return ring


def _polygon(coords: Any, where: str) -> Polygon:
    if not isinstance(coords, list) or not coords:
        raise _fail(f"{where}: a polygon is a non-empty list of rings", at=where)
    return [_ring(r, f"{where}[{i}]") for i, r in enumerate(coords)]


def normalise_geometry(value: Any) -> dict[str, Any] | None:
    """A validated GeoJSON Polygon or MultiPolygon geometry (a Feature is unwrapped), or None.

    Raises GeometryError naming the offending ring or position for anything else.
    """
    if value in (None, "", {}):
        return None
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        raise _fail("polygon must be a GeoJSON object")
    kind = value.get("type")
    coords = value.get("coordinates")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(coords, "coordinates")}
    if kind == "MultiPolygon":
        if not isinstance(coords, list) or not coords:
            raise _fail("coordinates: a MultiPolygon is a non-empty list of polygons")
        return {
            "type": "MultiPolygon",
            "coordinates": [_polygon(c, f"coordinates[{i}]") for i, c in enumerate(coords)],
        }
    raise _fail(f"type must be Polygon or MultiPolygon, not {kind!r}")


def _polygons(geometry: dict[str, Any]) -> list[Polygon]:
    coords = geometry["coordinates"]
    return [coords] if geometry["type"] == "Polygon" else list(coords)


def _signed_area(ring: Ring) -> float:
    return 0.5 * sum(
        ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)
    )


def bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a normalised geometry."""
    points = [p for poly in _polygons(geometry) for p in poly[0]]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """The area-weighted centroid (lon, lat) of the outer rings."""
    total = cx = cy = 0.0
    for poly in _polygons(geometry):
        ring = poly[0]
        for i in range(len(ring) - 1):
            cross = ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
            cx += (ring[i][0] + ring[i + 1][0]) * cross
            cy += (ring[i][1] + ring[i + 1][1]) * cross
            total += cross
    if total == 0:
        lo_lon, lo_lat, hi_lon, hi_lat = bbox(geometry)
        return (lo_lon + hi_lon) / 2, (lo_lat + hi_lat) / 2
    return cx / (3 * total), cy / (3 * total)


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict[str, Any], lon: float, lat: float) -> bool:
    """Whether the point lies inside the geometry (holes excluded)."""
    for poly in _polygons(geometry):
        if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False
