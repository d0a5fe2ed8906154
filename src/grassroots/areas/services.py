"""Writes to the area tree, units, post types and posts: the only code that saves them.

Post types and posts live in `areas.posts` (with the rules of 三员分立) and are re-exported here,
so `services.post_create` stays the one way to give someone a post.

Each function checks its input and the actor's permission, writes in one transaction and records
an audit row with before/after values. `actor=None` means the system itself (a command such as
``loaddemo``); such writes are audited too, with the command as their source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from grassroots.areas import geo
from grassroots.areas.choices import (
    ALLOWED_CHILDREN,
    ANCESTOR_COLUMNS,
    DEPTH,
    Level,
    UnitLevel,
    column_of,
)
from grassroots.areas.codes import code_problem
from grassroots.areas.errors import AreaError
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.models import Area, AreaPath, Post, Unit
from grassroots.areas.posts import (
    PostRuleError,
    post_create,
    post_end,
    post_separation_problem,
    post_type_define,
    post_validate,
)
from grassroots.areas.scope import scope_for
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm

# Which area levels a unit of each level may serve.
UNIT_AREA_LEVELS = {
    UnitLevel.COUNTY: {Level.COUNTY},
    UnitLevel.TOWNSHIP: {Level.TOWNSHIP},
    UnitLevel.COMMUNITY: {Level.COMMUNITY, Level.VILLAGE},
}


def _require_manage(actor: User | None, perm: str, area: Area | None) -> None:
    """Refuse unless `actor` (None: the system) holds `perm` over `area` (None: anywhere)."""
    if actor is None:
        return
    scope = scope_for(actor)
    scope.require(perm)
    if area is not None:
        ancestors = {area.pk, *area.ancestor_ids()}
        if not ancestors & set(scope.area_ids(perm)):
            raise AreaError("forbidden", _("该区域不在您的管理范围内"), field="area")


def _snapshot(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent_id,
        "has_polygon": area.polygon is not None,
    }


def _check_placement(*, level: str, parent: Area | None, code: str, field_prefix: str = "") -> None:
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


def _fill_columns(area: Area, parent: Area | None) -> None:
    """Copy the parent's ancestor columns onto `area` (its own column is set after insert)."""
    area.depth = DEPTH[Level(area.level)]
    for col in ANCESTOR_COLUMNS:
        setattr(area, f"{col}_id", getattr(parent, f"{col}_id") if parent else None)


def _apply_geometry(area: Area, polygon: Any, field_prefix: str = "") -> None:
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
    """Raise AreaError (field ``polygon``) unless `polygon` is empty or valid GeoJSON."""
    _apply_geometry(Area(), polygon)


def area_validate(*, code: str, level: str, parent: Area | None, polygon: Any = None) -> None:
    """Every check `area_create` makes before writing, for forms that want errors per field."""
    _check_placement(level=level, parent=parent, code=code.strip())
    area_validate_polygon(polygon)
    if Area.objects.filter(code=code.strip()).exists():
        raise AreaError(
            E.DUPLICATE_CODE, _("代码 %(code)s 已被使用") % {"code": code}, field="code"
        )


def area_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Area | None = None,
    polygon: Any = None,
    centre: tuple[float, float] | None = None,
) -> Area:
    """Create one node under `parent`, or raise AreaError naming the field.

    Guarantees: the level fits under the parent, the code is well-formed and unused, the polygon
    is valid GeoJSON, and every ancestor column is set, the node's own included.
    """
    _require_manage(actor, Perm.MANAGE_AREAS, parent)
    code, name = code.strip(), name.strip()
    if not name:
        raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
    _check_placement(level=level, parent=parent, code=code)
    area = Area(code=code, name=name, level=level, parent=parent)
    if centre is not None:
        area.centre_lon, area.centre_lat = centre
    _apply_geometry(area, polygon)
    _fill_columns(area, parent)
    with transaction.atomic():
        if Area.objects.filter(code=code).exists():
            raise AreaError(
                E.DUPLICATE_CODE, _("代码 %(code)s 已被使用") % {"code": code}, field="code"
            )
        try:
            with transaction.atomic():
                area.save(force_insert=True)
        except IntegrityError:
            raise AreaError(
                E.DUPLICATE_CODE, _("代码 %(code)s 已被使用") % {"code": code}, field="code"
            ) from None
        setattr(area, f"{area.column}_id", area.pk)
        Area.objects.filter(pk=area.pk).update(**{area.column: area.pk})
        audit_record(
            actor=actor,
            action="area.create",
            object_type="area",
            object_id=area.pk,
            changes={"after": _snapshot(area)},
        )
    return area


def area_update(
    *,
    actor: User | None,
    area: Area,
    name: str | None = None,
    polygon: Any = ...,
    centre: tuple[float, float] | None = None,
) -> Area:
    """Rename a node or replace its polygon/centre; the code and level never change here."""
    _require_manage(actor, Perm.MANAGE_AREAS, area)
    before = _snapshot(area)
    if name is not None:
        if not name.strip():
            raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
        area.name = name.strip()
    if centre is not None:
        area.centre_lon, area.centre_lat = centre
    if polygon is not ...:
        if centre is None:
            area.centre_lon = area.centre_lat = None
        _apply_geometry(area, polygon)
    with transaction.atomic():
        area.save()
        audit_record(
            actor=actor,
            action="area.update",
            object_type="area",
            object_id=area.pk,
            changes={"before": before, "after": _snapshot(area)},
        )
    return area


def area_move(*, actor: User | None, area: Area, new_parent: Area) -> Area:
    """Move `area` and its whole subtree under `new_parent`.

    Refuses a parent of the wrong level and any cycle (the new parent inside the subtree).
    Every descendant's ancestor columns are rewritten in one UPDATE, and so are the copies on
    every `AreaPath` table (cases, rollups) — one UPDATE each, in the same transaction.
    """
    _require_manage(actor, Perm.MANAGE_AREAS, area)
    _require_manage(actor, Perm.MANAGE_AREAS, new_parent)
    if new_parent.pk == area.pk or getattr(new_parent, f"{area.column}_id") == area.pk:
        raise AreaError(E.CYCLE, _("不能把区域移到它自己或它的下级之下"), field="parent")
    if area.level not in ALLOWED_CHILDREN[new_parent.level]:
        raise AreaError(
            E.WRONG_LEVEL,
            _("%(level)s 不能直接设在 %(where)s 之下")
            % {"level": area.get_level_display(), "where": new_parent.get_level_display()},
            field="parent",
        )
    before = _snapshot(area)
    with transaction.atomic():
        locked = Area.objects.select_for_update().get(pk=area.pk)
        parent = Area.objects.select_for_update().get(pk=new_parent.pk)
        upper = ANCESTOR_COLUMNS[: DEPTH[Level(locked.level)] - 1]
        new_values = {col: getattr(parent, f"{col}_id") for col in upper}
        Area.objects.filter(**{locked.column: locked.pk}).update(**new_values)
        for model in path_holders():
            model._default_manager.filter(**{locked.column: locked.pk}).update(**new_values)
        Area.objects.filter(pk=locked.pk).update(parent=parent)
        area.refresh_from_db()
        audit_record(
            actor=actor,
            action="area.move",
            object_type="area",
            object_id=area.pk,
            changes={"before": before, "after": _snapshot(area)},
        )
    return area


def path_holders() -> list[type[AreaPath]]:
    """Every installed model that keeps copies of its area's ancestor ids."""
    return [m for m in apps.get_models() if issubclass(m, AreaPath)]


def area_delete(*, actor: User | None, area: Area) -> None:
    """Delete a leaf that no unit or post refers to; anything else is refused, nothing changes."""
    _require_manage(actor, Perm.MANAGE_AREAS, area)
    if Area.objects.filter(parent=area).exists():
        raise AreaError(E.HAS_CHILDREN, _("该区域还有下级，不能删除"), field="area")
    if Unit.objects.filter(area=area).exists() or Post.objects.filter(area=area).exists():
        raise AreaError(E.HAS_CHILDREN, _("该区域仍有单位或岗位，不能删除"), field="area")
    before = _snapshot(area)
    pk = area.pk
    with transaction.atomic():
        area.delete()
        audit_record(
            actor=actor,
            action="area.delete",
            object_type="area",
            object_id=pk,
            changes={"before": before},
        )


@dataclass
class AreaRow:
    """One node to import; `line` is its row or feature number in the source file."""

    line: int
    code: str
    name: str
    level: str
    parent_code: str | None
    polygon: Any = None
    centre: tuple[float, float] | None = None


@dataclass
class RowErrors:
    """Every problem found in an import, each with the row and field it is about."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def add(self, line: int, field_name: str, message: str) -> None:
        self.items.append({"row": line, "field": field_name, "message": message})


class AreaImportError(AreaError):
    """An import refused as a whole; `detail["errors"]` lists every row problem found."""


def _chunks(values: Sequence[str], size: int = 900) -> Iterable[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _existing(codes: Sequence[str]) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for chunk in _chunks(codes):
        found.update({a.code: a for a in Area.objects.filter(code__in=chunk)})
    return found


def area_import(*, actor: User | None, rows: Sequence[AreaRow], batch_size: int = 2000) -> int:
    """Create many nodes at once, all or nothing; return how many were created.

    Parents may be earlier rows of the same import or existing nodes. Every row is checked first
    (level under parent, code shape, duplicates in the file and against the tree, unknown parent
    codes, polygons); with any problem nothing is written and AreaImportError lists them all.
    """
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    errors = RowErrors()
    in_file: dict[str, AreaRow] = {}
    for row in rows:
        row.code, row.name = row.code.strip(), row.name.strip()
        if row.code in in_file:
            errors.add(
                row.line,
                "code",
                f"duplicate code {row.code} (first on row {in_file[row.code].line})",
            )
            continue
        in_file[row.code] = row
    existing = _existing(list(in_file))
    for code, area in existing.items():
        errors.add(in_file[code].line, "code", f"code {code} already exists ({area.name})")
    outside = sorted(
        {r.parent_code for r in rows if r.parent_code and r.parent_code not in in_file}
    )
    parents = _existing(outside)
    if actor is not None:
        for area in parents.values():
            try:
                _require_manage(actor, Perm.MANAGE_AREAS, area)
            except AreaError:
                bad = [r for r in rows if r.parent_code == area.code]
                errors.add(bad[0].line, "parent_code", f"{area.code} is outside your scope")

    # Resolve each row's parent level and code, and check placement without touching the DB.
    prepared: list[tuple[AreaRow, Area]] = []
    for row in in_file.values():
        parent_level: str | None = None
        parent_code = row.parent_code or None
        if parent_code:
            if parent_code in in_file:
                parent_level = in_file[parent_code].level
            elif parent_code in parents:
                parent_level = parents[parent_code].level
            else:
                errors.add(row.line, "parent_code", f"unknown parent code {parent_code}")
                continue
        if not row.name:
            errors.add(row.line, "name", "name is empty")
        stub = Area(code=parent_code or "", level=parent_level or "") if parent_code else None
        try:
            _check_placement(level=row.level, parent=stub, code=row.code)
            area = Area(code=row.code, name=row.name, level=row.level)
            if row.centre is not None:
                area.centre_lon, area.centre_lat = row.centre
            _apply_geometry(area, row.polygon)
        except DomainError as exc:
            errors.add(row.line, str(exc.detail.get("field", "")), str(exc.message))
            continue
        prepared.append((row, area))
    if errors.items:
        raise AreaImportError(
            "import_invalid",
            _("导入文件有 %(n)d 处错误，未写入任何数据") % {"n": len(errors.items)},
            errors=errors.items[:500],
            error_count=len(errors.items),
        )

    by_code: dict[str, Area] = dict(parents)
    with transaction.atomic():
        for depth in range(1, 7):
            batch = [(r, a) for r, a in prepared if DEPTH[Level(a.level)] == depth]
            if not batch:
                continue
            for row, area in batch:
                parent = by_code.get(row.parent_code) if row.parent_code else None
                area.parent = parent
                _fill_columns(area, parent)
            Area.objects.bulk_create([a for _r, a in batch], batch_size=batch_size)
            for level in {a.level for _r, a in batch}:
                col = column_of(level)
                Area.objects.filter(level=level, **{f"{col}__isnull": True}).update(
                    **{col: F("pk")}
                )
            for _row, area in batch:
                setattr(area, f"{area.column}_id", area.pk)
                by_code[area.code] = area
        audit_record(
            actor=actor,
            action="area.import",
            object_type="area",
            changes={"created": len(prepared)},
        )
    return len(prepared)


def _check_unit_area(level: str, area: Area) -> None:
    try:
        allowed = UNIT_AREA_LEVELS[UnitLevel(level)]
    except ValueError:
        raise AreaError(
            E.INVALID_VALUE, _("未知单位层级：%(l)s") % {"l": level}, field="level"
        ) from None
    if area.level not in allowed:
        raise AreaError(
            E.UNIT_AREA_MISMATCH,
            _("%(unit)s 不能服务 %(area)s")
            % {"unit": UnitLevel(level).label, "area": area.get_level_display()},
            field="area",
        )


def unit_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    area: Area,
    short_name: str = "",
    office_phone: str = "",
    address: str = "",
) -> Unit:
    """Create a unit serving `area` (a county unit serves a county, and so on down)."""
    _require_manage(actor, Perm.MANAGE_AREAS, area)
    if not code.strip():
        raise AreaError(E.INVALID_VALUE, _("代码不能为空"), field="code")
    if not name.strip():
        raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
    _check_unit_area(level, area)
    with transaction.atomic():
        if Unit.objects.filter(code=code.strip()).exists():
            raise AreaError(
                E.DUPLICATE_CODE, _("单位代码 %(c)s 已被使用") % {"c": code}, field="code"
            )
        unit = Unit.objects.create(
            code=code.strip(),
            name=name.strip(),
            short_name=short_name,
            level=level,
            area=area,
            office_phone=office_phone,
            address=address,
        )
        audit_record(
            actor=actor,
            action="unit.create",
            object_type="unit",
            object_id=unit.pk,
            changes={"after": {"code": unit.code, "name": unit.name, "area": area.pk}},
        )
    return unit


def unit_update(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    short_name: str = "",
    office_phone: str = "",
    address: str = "",
    active: bool = True,
) -> Unit:
    """Change a unit's names, contacts or active flag (its code, level and area stay)."""
    _require_manage(actor, Perm.MANAGE_AREAS, unit.area)
    if not name.strip():
        raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
    current = Unit.objects.get(pk=unit.pk)
    fields = ("name", "short_name", "office_phone", "address", "active")
    before = {f: getattr(current, f) for f in fields}
    unit.name, unit.short_name, unit.office_phone = name.strip(), short_name, office_phone
    unit.address, unit.active = address, active
    with transaction.atomic():
        unit.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action="unit.update",
            object_type="unit",
            object_id=unit.pk,
            changes={"before": before, "after": {f: getattr(unit, f) for f in fields}},
        )
    return unit


__all__ = [
    "AreaError",
    "PostRuleError",
    "post_create",
    "post_end",
    "post_separation_problem",
    "post_type_define",
    "post_validate",
]
