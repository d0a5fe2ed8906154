"""The checks shared by every write to the tree: who may manage where, and where a node fits.

Used by `tree` (one node at a time) and `imports` (many at once), so both refuse the same input.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from grassroots.areas import geo
from grassroots.areas.choices import ALLOWED_CHILDREN, ANCESTOR_COLUMNS, DEPTH, Level
from grassroots.areas.codes import code_problem
from grassroots.areas.errors import AreaError
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core.models import User


def require_manage(actor: User | None, perm: str, area: Area | None, what: str = "area") -> None:
    """Refuse unless `actor` (None: the system) holds `perm` over `area` (None: anywhere).

    Asks the scope: Forbidden (403) without `perm`, NotFound (404) when `area` lies outside
    every subtree the actor holds it over, exactly like a missing row.
    """
    if actor is None:
        return
    scope = scope_for(actor)
    if area is None:
        scope.require(perm)
    else:
        scope.require_area(perm, area, what)


def check_placement(*, level: str, parent: Area | None, code: str, field_prefix: str = "") -> None:
    """Raise AreaError unless a node of `level` and `code` may sit under `parent` (None: top)."""
    try:
        lv = Level(level)
    except ValueError:
        raise AreaError(
            E.INVALID_VALUE,
            _("未知层级：%(level)s") % {"level": level},
            field=f"{field_prefix}level",
        ) from None
    allowed = ALLOWED_CHILDREN[parent.level if parent else None]
    if lv not in allowed:
        where = parent.get_level_display() if parent else _("顶层")
        raise AreaError(
            E.WRONG_LEVEL,
            _("%(level)s 不能直接设在 %(where)s 之下") % {"level": lv.label, "where": where},
            field=f"{field_prefix}level",
        )
    problem = code_problem(code, lv, parent.code if parent else None)
    if problem:
        raise AreaError(
            E.INVALID_CODE,
            _("代码 %(code)s 无效：%(problem)s") % {"code": code, "problem": problem},
            field=f"{field_prefix}code",
        )


def fill_columns(area: Area, parent: Area | None) -> None:
    """Copy the parent's ancestor columns onto `area` (its own column is set after insert)."""
    area.depth = DEPTH[Level(area.level)]
    for col in ANCESTOR_COLUMNS:
        setattr(area, f"{col}_id", getattr(parent, f"{col}_id") if parent else None)


def apply_geometry(area: Area, polygon: Any, field_prefix: str = "") -> None:
    """Set `area`'s polygon, bounding box and (when unset) centre; GeometryError if invalid."""
    try:
        geometry = geo.normalise_geometry(polygon)
    except geo.GeometryError as exc:
        exc.detail["field"] = f"{field_prefix}polygon"
        raise
    area.polygon = geometry
    if geometry is None:
        area.min_lon = area.min_lat = area.max_lon = area.max_lat = None
        return
    area.min_lon, area.min_lat, area.max_lon, area.max_lat = geo.bbox(geometry)
    if area.centre_lon is None or area.centre_lat is None:
        area.centre_lon, area.centre_lat = geo.centre(geometry)


def area_validate_polygon(polygon: Any) -> None:
    """Raise GeometryError (field ``polygon``) unless `polygon` is empty or valid GeoJSON."""
    apply_geometry(Area(), polygon)


def area_validate(*, code: str, level: str, parent: Area | None, polygon: Any = None) -> None:
    """Every check `area_create` makes before writing, for forms that want errors per field."""
    check_placement(level=level, parent=parent, code=code.strip())
    area_validate_polygon(polygon)
    if Area.objects.filter(code=code.strip()).exists():
        raise AreaError(
            E.DUPLICATE_CODE, _("代码 %(code)s 已被使用") % {"code": code}, field="code"
        )
