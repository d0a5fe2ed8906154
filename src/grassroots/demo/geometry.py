"""Rectangles for the demo map: exact tilings of a parent by its children. Pure functions.

A rectangle is ``(west, south, east, north)`` in degrees. Every cut is rounded to 6 decimals
once and shared by the two pieces it separates, so children tile their parent exactly: no gaps,
no overlaps, whatever the float arithmetic.
"""

from __future__ import annotations

import math
from typing import Any

Rect = tuple[float, float, float, float]

# A degree of longitude at Shilou's latitude is this much shorter than a degree of latitude;
# "the longer side" is judged in metres, not in degrees.
_LON_SCALE = math.cos(math.radians(37.0))


def _cut(low: float, high: float, fraction: float) -> float:
    return round(low + (high - low) * fraction, 6)


def polygon(rect: Rect) -> dict[str, Any]:
    """The rectangle as a GeoJSON Polygon: one closed, counter-clockwise ring of 5 positions."""
    west, south, east, north = rect
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def metric_area(rect: Rect) -> float:
    """The rectangle's area in square degrees of latitude (for comparing sizes only)."""
    west, south, east, north = rect
    return (east - west) * _LON_SCALE * (north - south)


def split(rect: Rect, n: int) -> list[Rect]:
    """`n` rectangles that tile `rect` exactly, of equal size up to the rounding of the cuts.

    Cuts run across the longer side, recursively (n = 7 gives 3 + 4), so pieces stay close to
    square. Pieces come west to east and north to south.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    if n == 1:
        return [rect]
    west, south, east, north = rect
    first = n // 2
    if (east - west) * _LON_SCALE >= north - south:
        x = _cut(west, east, first / n)
        return split((west, south, x, north), first) + split((x, south, east, north), n - first)
    y = _cut(north, south, first / n)
    return split((west, y, east, north), first) + split((west, south, east, y), n - first)


def grid(rect: Rect, cols: int, rows: int) -> list[list[Rect]]:
    """`rect` cut into `rows` rows (north first) of `cols` cells (west first), tiling it."""
    west, south, east, north = rect
    xs = [west, *[_cut(west, east, i / cols) for i in range(1, cols)], east]
    ys = [north, *[_cut(north, south, j / rows) for j in range(1, rows)], south]
    return [[(xs[i], ys[j + 1], xs[i + 1], ys[j]) for i in range(cols)] for j in range(rows)]


def frame(outer: Rect, inner: Rect) -> list[Rect]:
    """Four rectangles (west, east, north, south strips) that tile `outer` minus `inner`.

    `inner` must lie strictly inside `outer`.
    """
    ow, os_, oe, on = outer
    iw, is_, ie, in_ = inner
    if not (ow < iw < ie < oe and os_ < is_ < in_ < on):
        raise ValueError("inner must lie strictly inside outer")
    return [(ow, os_, iw, on), (ie, os_, oe, on), (iw, in_, ie, on), (iw, os_, ie, is_)]


def fill(rects: list[Rect], n: int) -> list[Rect]:
    """At least `len(rects)` pieces grown to `n` by halving the largest piece (first on ties).

    The result tiles the union of `rects`; with `n < len(rects)` the rectangles come back as they
    are.
    """
    pieces = list(rects)
    while len(pieces) < n:
        sizes = [metric_area(r) for r in pieces]
        i = sizes.index(max(sizes))
        pieces[i : i + 1] = split(pieces[i], 2)
    return pieces


def contains(outer: Rect, inner: Rect) -> bool:
    """Whether `inner` lies within `outer` (edges may touch)."""
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )
