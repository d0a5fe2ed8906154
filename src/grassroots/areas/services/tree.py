"""Writes to the area tree, one node at a time: create, update, move, delete.

Each function checks its input and the actor's scope (403 without the right, 404 outside its
subtrees), writes in one transaction and records an audit row with before/after values.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from grassroots.areas.auditlog import AreaAuditAction as Action
from grassroots.areas.choices import ALLOWED_CHILDREN, ANCESTOR_COLUMNS, DEPTH, Level
from grassroots.areas.errors import AreaError
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.models import Area, AreaPath, Post, Unit
from grassroots.areas.services.placement import (
    apply_geometry,
    check_placement,
    fill_columns,
    require_manage,
)
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm


def _snapshot(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "level": area.level,
        "parent": area.parent_id,
        "has_polygon": area.polygon is not None,
    }


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
    require_manage(actor, Perm.MANAGE_AREAS, parent)
    code, name = code.strip(), name.strip()
    if not name:
        raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
    check_placement(level=level, parent=parent, code=code)
    area = Area(code=code, name=name, level=level, parent=parent)
    if centre is not None:
        area.centre_lon, area.centre_lat = centre
    apply_geometry(area, polygon)
    fill_columns(area, parent)
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
            action=Action.AREA_CREATE,
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
    """Rename a node or replace its polygon/centre; the code and level never change here.

    The row is locked and read again before the change is applied, so two concurrent updates of
    different fields both survive (neither writes back a stale copy of the other's field).
    `area` is refreshed to the saved row and returned.
    """
    require_manage(actor, Perm.MANAGE_AREAS, area)
    if name is not None and not name.strip():
        raise AreaError(E.INVALID_VALUE, _("名称不能为空"), field="name")
    with transaction.atomic():
        locked = Area.objects.select_for_update().get(pk=area.pk)
        before = _snapshot(locked)
        if name is not None:
            locked.name = name.strip()
        if centre is not None:
            locked.centre_lon, locked.centre_lat = centre
        if polygon is not ...:
            if centre is None:
                locked.centre_lon = locked.centre_lat = None
            apply_geometry(locked, polygon)
        locked.save()
        audit_record(
            actor=actor,
            action=Action.AREA_UPDATE,
            object_type="area",
            object_id=locked.pk,
            changes={"before": before, "after": _snapshot(locked)},
        )
    area.refresh_from_db()
    return area


def area_move(*, actor: User | None, area: Area, new_parent: Area) -> Area:
    """Move `area` and its whole subtree under `new_parent`.

    Refuses a parent of the wrong level and any cycle (the new parent inside the subtree).
    Every descendant's ancestor columns are rewritten in one UPDATE, and so are the copies on
    every `AreaPath` table (cases, rollups) — one UPDATE each, in the same transaction.
    """
    require_manage(actor, Perm.MANAGE_AREAS, area)
    require_manage(actor, Perm.MANAGE_AREAS, new_parent)
    if area.contains(new_parent):
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
            action=Action.AREA_MOVE,
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
    require_manage(actor, Perm.MANAGE_AREAS, area)
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
            action=Action.AREA_DELETE,
            object_type="area",
            object_id=pk,
            changes={"before": before},
        )
