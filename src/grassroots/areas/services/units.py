"""Writes to units (offices and stations that serve an area): create and update."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.auditlog import AreaAuditAction as Action
from grassroots.areas.choices import Level, UnitLevel
from grassroots.areas.errors import AreaError
from grassroots.areas.errors import AreaErrorCode as E
from grassroots.areas.models import Area, Unit
from grassroots.areas.services.placement import require_manage
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm

# Which area levels a unit of each level may serve.
UNIT_AREA_LEVELS = {
    UnitLevel.COUNTY: {Level.COUNTY},
    UnitLevel.TOWNSHIP: {Level.TOWNSHIP},
    UnitLevel.COMMUNITY: {Level.COMMUNITY, Level.VILLAGE},
}


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
    """Create a unit serving `area` (a county unit serves a county, and so on down).

    The actor manages areas over `area` (403 without the right, 404 outside their subtrees).
    """
    require_manage(actor, Perm.MANAGE_AREAS, area)
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
            action=Action.UNIT_CREATE,
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
    """Change a unit's names, contacts or active flag (its code, level and area stay).

    The actor manages areas over the unit's area (403 without the right, 404 outside).
    """
    require_manage(actor, Perm.MANAGE_AREAS, unit.area, "unit")
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
            action=Action.UNIT_UPDATE,
            object_type="unit",
            object_id=unit.pk,
            changes={"before": before, "after": {f: getattr(unit, f) for f in fields}},
        )
    return unit
