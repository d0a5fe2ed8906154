"""Writes of residents: register, change, move. Each locks what it changes and writes one
change row (masked before/after values)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import MoveReason, Relation, ResidentStatus
from grassroots.people.errors import PeopleError, PeopleErrorCode
from grassroots.people.models import Household, Membership, Resident
from grassroots.people.privacy import sealed_id, sealed_phone
from grassroots.people.rules import resident_refusals
from grassroots.people.services.base import (
    EDITABLE,
    audit_resident,
    clean,
    refuse,
    require,
    resident_snapshot,
)
from grassroots.people.services.tags import resident_set_tags


def unknown_field(name: str) -> PeopleError:
    return PeopleError(
        PeopleErrorCode.UNKNOWN_FIELD, _("未知字段：%(f)s") % {"f": name}, field=name
    )


def _duplicate_id() -> PeopleError:
    return PeopleError(PeopleErrorCode.DUPLICATE_ID, _("该身份证号已登记"), field="id_number")


def registration_values(*, name: str, relation: str, fields: dict[str, Any]) -> dict[str, str]:
    """The editable values of a registration, stripped and held to the registry's rules; a bad
    value or a field that is not editable is refused (400 naming it)."""
    asked = {
        f: str(v if v is not None else "").strip()
        for f, v in {"name": name, "relation": relation, **fields}.items()
        if f in EDITABLE
    }
    refuse(resident_refusals(values=asked))
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise unknown_field(unknown[0])
    return asked


def resident_register(
    *,
    actor: User | None,
    household: Household,
    name: str,
    id_number: str,
    relation: str = Relation.OTHER,
    phone: str = "",
    started_on: datetime.date | None = None,
    reason: str = MoveReason.MOVED_IN,
    tags: Iterable[str] = (),
    **fields: Any,
) -> Resident:
    """Register a person into `household`.

    Guarantees: the ID number passes GB 11643 (checksum and real birth date), sex and birth date
    come from it, no one else holds it, the phone is a valid mainland number, the values keep the
    registry's rules (`people.rules`, as the ledger import does); the household gets the person
    as head when `relation` is head; an open membership row starts the history.
    """
    require(actor, Perm.EDIT_PEOPLE, household.area, "household")
    info, sealed = sealed_id(id_number)
    phone_sealed = sealed_phone(phone)
    asked = registration_values(name=name, relation=relation, fields=fields)
    with transaction.atomic():
        if Resident.objects.filter(id_number_index=sealed.index).exists():
            raise _duplicate_id()
        resident = Resident(
            id_number_enc=sealed.enc,
            id_number_index=sealed.index,
            id_number_masked=sealed.masked,
            sex=info.sex,
            birth_date=info.birth_date,
            phone_enc=phone_sealed.enc,
            phone_index=phone_sealed.index,
            phone_masked=phone_sealed.masked,
            household=household,
            area_id=household.area_id,
            status=ResidentStatus.ACTIVE,
            **asked,
        )
        try:
            with transaction.atomic():
                resident.save(force_insert=True)
        except IntegrityError:
            raise _duplicate_id() from None
        Membership.objects.create(
            resident=resident,
            household=household,
            relation=resident.relation,
            started_on=started_on or timezone.localdate(),
            start_reason=reason,
        )
        if resident.relation == Relation.HEAD:
            Household.objects.filter(pk=household.pk).update(head=resident)
            household.head = resident
        audit_resident(actor, PeopleAuditAction.RESIDENT_REGISTER, resident, None)
        if tags:
            resident_set_tags(actor=actor, resident=resident, codes=tags)
    return resident


def resident_update(*, actor: User | None, resident: Resident, changes: dict[str, Any]) -> Resident:
    """Change a resident's details; `id_number` and `phone` are re-validated and re-sealed.

    Unknown fields are refused by name (no mass assignment); nothing is written on any error.
    The row is locked and re-read before the change, so two concurrent changes of one resident
    both land (the later sees the earlier); the returned row is the one written.
    """
    require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    allowed = set(EDITABLE) | {"id_number", "phone"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise unknown_field(unknown[0])
    values = {f: clean(f, v) for f, v in changes.items() if f in EDITABLE}
    id_sealed = sealed_id(str(changes["id_number"])) if "id_number" in changes else None
    phone = sealed_phone(str(changes["phone"] or "")) if "phone" in changes else None
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        before = resident_snapshot(locked)
        for f, v in values.items():
            setattr(locked, f, v)
        if id_sealed is not None:
            info, sealed = id_sealed
            locked.id_number_enc, locked.id_number_index = sealed.enc, sealed.index
            locked.id_number_masked, locked.sex, locked.birth_date = (
                sealed.masked,
                info.sex,
                info.birth_date,
            )
            if Resident.objects.filter(id_number_index=sealed.index).exclude(pk=locked.pk).exists():
                raise _duplicate_id()
        if phone is not None:
            locked.phone_enc, locked.phone_index, locked.phone_masked = (
                phone.enc,
                phone.index,
                phone.masked,
            )
        locked.save()
        if locked.household_id and "relation" in changes:
            Membership.objects.filter(resident=locked, ended_on__isnull=True).update(
                relation=locked.relation
            )
            if locked.relation == Relation.HEAD:
                Household.objects.filter(pk=locked.household_id).update(head=locked)
        audit_resident(actor, PeopleAuditAction.RESIDENT_UPDATE, locked, before)
    return locked


def resident_change(
    *,
    actor: User | None,
    resident: Resident,
    changes: dict[str, Any],
    tags: Iterable[str] | None = None,
) -> Resident:
    """`resident_update` with `changes` (when there are any) and `resident_set_tags` with `tags`
    (when given), in one transaction: both are written or neither, each audited as on its own."""
    with transaction.atomic():
        if changes:
            resident = resident_update(actor=actor, resident=resident, changes=changes)
        if tags is not None:
            resident_set_tags(actor=actor, resident=resident, codes=tags)
    return resident


def resident_move(
    *,
    actor: User | None,
    resident: Resident,
    to: Household | None,
    reason: str,
    on: datetime.date | None = None,
    relation: str = Relation.OTHER,
) -> Resident:
    """End the current stay and start one in `to`; `to=None` with reason moved_out or died ends it.

    The actor needs the right over the resident's current grid and over the new household's grid.
    """
    require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    if to is not None:
        require(actor, Perm.EDIT_PEOPLE, to.area, "household")
    if reason not in MoveReason.values:
        raise PeopleError(
            PeopleErrorCode.INVALID_CHOICE,
            _("变动原因无效：%(r)s") % {"r": reason},
            field="reason",
        )
    if to is None and reason not in (MoveReason.MOVED_OUT, MoveReason.DIED):
        raise PeopleError(
            PeopleErrorCode.REASON_REQUIRED,
            _("不迁入新户时，原因只能是迁出或死亡"),
            field="reason",
        )
    if to is not None and to.pk == resident.household_id:
        raise PeopleError(PeopleErrorCode.SAME_HOUSEHOLD, _("已经在这一户中"), field="household")
    day = on or timezone.localdate()
    before = resident_snapshot(resident)
    with transaction.atomic():
        locked = Resident.objects.select_for_update().get(pk=resident.pk)
        Membership.objects.filter(resident=locked, ended_on__isnull=True).update(
            ended_on=day, end_reason=reason
        )
        if locked.household_id:
            Household.objects.filter(pk=locked.household_id, head=locked).update(head=None)
        if to is None:
            locked.household = None
            locked.status = (
                ResidentStatus.DECEASED if reason == MoveReason.DIED else ResidentStatus.MOVED_OUT
            )
        else:
            locked.household, locked.area_id, locked.status = to, to.area_id, ResidentStatus.ACTIVE
            locked.relation = clean("relation", relation)
            Membership.objects.create(
                resident=locked,
                household=to,
                relation=locked.relation,
                started_on=day,
                start_reason=reason,
            )
            if locked.relation == Relation.HEAD:
                Household.objects.filter(pk=to.pk).update(head=locked)
        locked.save()
        audit_resident(actor, PeopleAuditAction.RESIDENT_MOVE, locked, before)
    return locked
