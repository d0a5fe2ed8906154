"""Writes of dwellings and households: register, re-head, annotate."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import Relation
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.models import Dwelling, Household
from grassroots.people.services.base import require


def dwelling_create(
    *,
    actor: User | None,
    area: Area,
    address: str,
    building: str = "",
    unit: str = "",
    room: str = "",
) -> Dwelling:
    """A dwelling in a micro grid; the same address twice in one grid is the same dwelling."""
    require(actor, Perm.EDIT_PEOPLE, area, "area")
    if area.level != Level.GRID3:
        raise PeopleError(
            PeopleErrorCode.WRONG_LEVEL, _("房屋必须登记在三级网格（微网格）中"), field="area"
        )
    if not address.strip():
        raise PeopleError(PeopleErrorCode.REQUIRED, _("地址不能为空"), field="address")
    with transaction.atomic():
        dwelling, created = Dwelling.objects.get_or_create(
            area=area,
            address=address.strip(),
            defaults={"building": building, "unit": unit, "room": room},
        )
        if created:
            audit_record(
                actor=actor,
                action=PeopleAuditAction.DWELLING_CREATE,
                object_type="dwelling",
                object_id=dwelling.pk,
                changes={"after": {"address": dwelling.address, "area": area.pk}},
            )
    return dwelling


def household_create(
    *, actor: User | None, number: str, dwelling: Dwelling, notes: str = ""
) -> Household:
    """A household in `dwelling`, numbered `number` (unique county-wide)."""
    require(actor, Perm.EDIT_PEOPLE, dwelling.area, "dwelling")
    number = number.strip()
    if not number:
        raise PeopleError(PeopleErrorCode.REQUIRED, _("户编号不能为空"), field="number")
    with transaction.atomic():
        if Household.objects.filter(number=number).exists():
            raise PeopleError(
                PeopleErrorCode.DUPLICATE, _("户编号 %(n)s 已存在") % {"n": number}, field="number"
            )
        household = Household.objects.create(
            number=number, dwelling=dwelling, area_id=dwelling.area_id, notes=notes
        )
        audit_record(
            actor=actor,
            action=PeopleAuditAction.HOUSEHOLD_CREATE,
            object_type="household",
            object_id=household.pk,
            changes={
                "after": {"number": number, "dwelling": dwelling.pk, "area": dwelling.area_id}
            },
        )
    return household


def household_register(
    *,
    actor: User | None,
    number: str,
    area: Area,
    address: str,
    building: str = "",
    unit: str = "",
    room: str = "",
    notes: str = "",
) -> Household:
    """A household numbered `number` at `address` in micro grid `area`, with its dwelling (the
    grid's dwelling at that address if there is one): both or neither are written, each audited
    as `dwelling_create` and `household_create` audit them."""
    with transaction.atomic():
        dwelling = dwelling_create(
            actor=actor, area=area, address=address, building=building, unit=unit, room=room
        )
        return household_create(actor=actor, number=number, dwelling=dwelling, notes=notes)


def household_update(
    *,
    actor: User | None,
    household: Household,
    head_id: int | None = None,
    notes: str | None = None,
) -> Household:
    """Make member `head_id` the head (the old head becomes "other"), or change the notes."""
    require(actor, Perm.EDIT_PEOPLE, household.area, "household")
    before = {"head": household.head_id, "notes": household.notes}
    with transaction.atomic():
        if head_id is not None:
            member = household.members.filter(pk=head_id).first()
            if member is None:
                raise PeopleError(PeopleErrorCode.NOT_MEMBER, _("户主必须是本户成员"), field="head")
            household.members.filter(relation=Relation.HEAD).exclude(pk=member.pk).update(
                relation=Relation.OTHER
            )
            household.members.filter(pk=member.pk).update(relation=Relation.HEAD)
            household.head = member
        if notes is not None:
            household.notes = notes
        household.save()
        after = {"head": household.head_id, "notes": household.notes}
        audit_record(
            actor=actor,
            action=PeopleAuditAction.HOUSEHOLD_UPDATE,
            object_type="household",
            object_id=household.pk,
            changes={"before": before, "after": after},
        )
    return household
