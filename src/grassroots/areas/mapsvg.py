"""Areas drawn as SVG paths, server-side: a map that needs no tile server and no script."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grassroots.areas import geo
from grassroots.areas.models import Area

SIZE = 500.0


@dataclass
class Shape:
    area: Area
    d: str


@dataclass
class Drawing:
    view_box: str
    shapes: list[Shape]


def _rings(polygon: dict[str, Any]) -> list[list[list[float]]]:
    polys = [polygon["coordinates"]] if polygon["type"] == "Polygon" else polygon["coordinates"]
    return [ring for poly in polys for ring in poly]


def svg_paths(areas: Sequence[Area]) -> Drawing | None:
    """Project the areas' polygons onto one square canvas (equirectangular, north up)."""
    drawn = [a for a in areas if a.polygon]
    if not drawn:
        return None
    boxes = [geo.bbox(a.polygon) for a in drawn]  # type: ignore[arg-type]
    lo_lon = min(b[0] for b in boxes)
    lo_lat = min(b[1] for b in boxes)
    hi_lon = max(b[2] for b in boxes)
    hi_lat = max(b[3] for b in boxes)
    kx = math.cos(math.radians((lo_lat + hi_lat) / 2))
    width = max((hi_lon - lo_lon) * kx, 1e-9)
    height = max(hi_lat - lo_lat, 1e-9)
    scale = SIZE / max(width, height)
    shapes = []
    for area in drawn:
        parts = []
        for ring in _rings(area.polygon):  # type: ignore[arg-type]
            pts = " ".join(
                f"{(lon - lo_lon) * kx * scale:.1f},{(hi_lat - lat) * scale:.1f}"
                for lon, lat, *_ in ring
            )
            parts.append(f"M{pts}Z")
        shapes.append(Shape(area=area, d="".join(parts)))
    return Drawing(view_box=f"0 0 {width * scale:.1f} {height * scale:.1f}", shapes=shapes)
