"""Writes to the registry: the only code that saves dwellings, households, residents and tags.

Each function checks the actor's permission over the area concerned (out of scope is NotFound, as
everywhere), validates its input into named-field errors, writes in one transaction and records a
change row with before/after values — masked, never the full ID number or phone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level
from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core import crypto
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import (
    Education,
    Employment,
    MoveReason,
    Politics,
    Relation,
    ResidentStatus,
    RevealField,
)
from grassroots.people.errors import PeopleError
from grassroots.people.models import Dwelling, Household, Membership, Resident, ResidentTag, Tag
from grassroots.people.privacy import sealed_id, sealed_phone, tag_token

# Fields a registry change may touch, and the choices each must come from (None: free text).
EDITABLE: dict[str, Any] = {
    "name": None,
    "relation": Relation,
    "ethnicity": None,
    "education": Education,
    "employment": Employment,
    "occupation": None,
    "politics": Politics,
    "notes": None,
}
MIN_PURPOSE = 4


def _require(actor: User | None, perm: str, area: Area, what: str) -> None:
    if actor is not None:
        scope_for(actor).require_area(perm, area, what)


def resident_snapshot(resident: Resident) -> dict[str, Any]:
    """What a change row records of a resident: masked identifiers, never full ones."""
    return {
        "name": resident.name,
        "id_number": resident.id_number_masked,
        "phone": resident.phone_masked,
        "household": resident.household_id,
        "area": resident.area_id,
        "relation": resident.relation,
        "status": resident.status,
        **{
            f: getattr(resident, f)
            for f in ("ethnicity", "education", "employment", "occupation", "politics")
        },
    }


def _audit_resident(
    actor: User | None, action: str, resident: Resident, before: dict[str, Any] | None
) -> None:
    after = resident_snapshot(resident)
    changes: dict[str, Any] = {"after": after}
    if before is not None:
        changes["before"] = {k: v for k, v in before.items() if after.get(k) != v}
        changes["after"] = {k: v for k, v in after.items() if before.get(k) != v}
    audit_record(
        actor=actor, action=action, object_type="resident", object_id=resident.pk, changes=changes
    )


def _choice(field: str, value: Any) -> str:
    kind = EDITABLE[field]
    text = str(value if value is not None else "").strip()
    if kind is not None and text not in kind.values:
        raise PeopleError(
            "invalid_choice", _("%(f)s 的取值无效：%(v)s") % {"f": field, "v": text}, field=field
        )
    if field == "name" and not text:
        raise PeopleError("required", _("姓名不能为空"), field="name")
    return text


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
    _require(actor, Perm.EDIT_PEOPLE, area, "area")
    if area.level != Level.GRID3:
        raise PeopleError("wrong_level", _("房屋必须登记在三级网格（微网格）中"), field="area")
    if not address.strip():
        raise PeopleError("required", _("地址不能为空"), field="address")
    with transaction.atomic():
        dwelling, created = Dwelling.objects.get_or_create(
            area=area,
            address=address.strip(),
            defaults={"building": building, "unit": unit, "room": room},
        )
        if created:
            audit_record(
                actor=actor,
                action="dwelling.create",
                object_type="dwelling",
                object_id=dwelling.pk,
                changes={"after": {"address": dwelling.address, "area": area.pk}},
            )
    return dwelling


def household_create(
    *, actor: User | None, number: str, dwelling: Dwelling, notes: str = ""
) -> Household:
    """A household in `dwelling`, numbered `number` (unique county-wide)."""
    _require(actor, Perm.EDIT_PEOPLE, dwelling.area, "dwelling")
    number = number.strip()
    if not number:
        raise PeopleError("required", _("户编号不能为空"), field="number")
    with transaction.atomic():
        if Household.objects.filter(number=number).exists():
            raise PeopleError("duplicate", _("户编号 %(n)s 已存在") % {"n": number}, field="number")
        household = Household.objects.create(
            number=number, dwelling=dwelling, area_id=dwelling.area_id, notes=notes
        )
        audit_record(
            actor=actor,
            action="household.create",
            object_type="household",
            object_id=household.pk,
            changes={
                "after": {"number": number, "dwelling": dwelling.pk, "area": dwelling.area_id}
            },
        )
    return household


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
    come from it, no one else holds it, the phone is a valid mainland number; the household gets
    the person as head when `relation` is head; an open membership row starts the history.
    """
    _require(actor, Perm.EDIT_PEOPLE, household.area, "household")
    info, sealed = sealed_id(id_number)
    phone_sealed = sealed_phone(phone)
    values = {
        f: _choice(f, v)
        for f, v in {"name": name, "relation": relation, **fields}.items()
        if f in EDITABLE
    }
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise PeopleError(
            "unknown_field",
            _("未知字段：%(f)s") % {"f": sorted(unknown)[0]},
            field=sorted(unknown)[0],
        )
    with transaction.atomic():
        if Resident.objects.filter(id_number_index=sealed.index).exists():
            raise PeopleError("duplicate_id", _("该身份证号已登记"), field="id_number")
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
            **values,
        )
        try:
            with transaction.atomic():
                resident.save(force_insert=True)
        except IntegrityError:
            raise PeopleError("duplicate_id", _("该身份证号已登记"), field="id_number") from None
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
        _audit_resident(actor, "resident.register", resident, None)
        if tags:
            resident_set_tags(actor=actor, resident=resident, codes=tags)
    return resident


def resident_update(*, actor: User | None, resident: Resident, changes: dict[str, Any]) -> Resident:
    """Change a resident's details; `id_number` and `phone` are re-validated and re-sealed.

    Unknown fields are refused by name (no mass assignment); nothing is written on any error.
    """
    _require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    allowed = set(EDITABLE) | {"id_number", "phone"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise PeopleError(
            "unknown_field", _("未知字段：%(f)s") % {"f": unknown[0]}, field=unknown[0]
        )
    before = resident_snapshot(resident)
    for f, v in changes.items():
        if f in EDITABLE:
            setattr(resident, f, _choice(f, v))
    if "id_number" in changes:
        info, sealed = sealed_id(str(changes["id_number"]))
        resident.id_number_enc, resident.id_number_index = sealed.enc, sealed.index
        resident.id_number_masked, resident.sex, resident.birth_date = (
            sealed.masked,
            info.sex,
            info.birth_date,
        )
    if "phone" in changes:
        p = sealed_phone(str(changes["phone"] or ""))
        resident.phone_enc, resident.phone_index, resident.phone_masked = p.enc, p.index, p.masked
    with transaction.atomic():
        if (
            "id_number" in changes
            and Resident.objects.filter(id_number_index=resident.id_number_index)
            .exclude(pk=resident.pk)
            .exists()
        ):
            raise PeopleError("duplicate_id", _("该身份证号已登记"), field="id_number")
        resident.save()
        if resident.household_id and "relation" in changes:
            Membership.objects.filter(resident=resident, ended_on__isnull=True).update(
                relation=resident.relation
            )
            if resident.relation == Relation.HEAD:
                Household.objects.filter(pk=resident.household_id).update(head=resident)
        _audit_resident(actor, "resident.update", resident, before)
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
    _require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    if to is not None:
        _require(actor, Perm.EDIT_PEOPLE, to.area, "household")
    if reason not in MoveReason.values:
        raise PeopleError(
            "invalid_choice", _("变动原因无效：%(r)s") % {"r": reason}, field="reason"
        )
    if to is None and reason not in (MoveReason.MOVED_OUT, MoveReason.DIED):
        raise PeopleError(
            "reason_required", _("不迁入新户时，原因只能是迁出或死亡"), field="reason"
        )
    if to is not None and to.pk == resident.household_id:
        raise PeopleError("same_household", _("已经在这一户中"), field="household")
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
            locked.relation = _choice("relation", relation)
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
        _audit_resident(actor, "resident.move", locked, before)
    return locked


def _tags_by_code(codes: Iterable[str]) -> dict[str, Tag]:
    wanted = {c.strip() for c in codes if c and c.strip()}
    found = {t.code: t for t in Tag.objects.filter(code__in=wanted)}
    missing = sorted(wanted - set(found))
    if missing:
        raise PeopleError("unknown_tag", _("未知标签：%(t)s") % {"t": missing[0]}, field="tags")
    return found


def resident_set_tags(*, actor: User | None, resident: Resident, codes: Iterable[str]) -> list[str]:
    """Make the resident carry exactly `codes` among the tags the actor may see.

    Vulnerable tags need VIEW_VULNERABLE to set; tags the actor cannot see are left as they are.
    Returns the codes now carried that the actor may see.
    """
    _require(actor, Perm.EDIT_PEOPLE, resident.area, "resident")
    may_see_vulnerable = actor is None or scope_for(actor).covers_area(
        Perm.VIEW_VULNERABLE, resident.area
    )
    wanted = _tags_by_code(codes)
    if not may_see_vulnerable and any(t.vulnerable for t in wanted.values()):
        raise PeopleError("forbidden_tag", _("无权标记特殊人群"), field="tags")
    visible = [t for t in Tag.objects.all() if may_see_vulnerable or not t.vulnerable]
    token_of = {t.code: tag_token(t.code) for t in visible}
    sensitive = {t.code for t in visible if t.vulnerable}
    with transaction.atomic():
        current = set(ResidentTag.objects.filter(resident=resident).values_list("token", flat=True))
        keep = {token_of[c] for c in wanted}
        drop = (set(token_of.values()) & current) - keep
        ResidentTag.objects.filter(resident=resident, token__in=drop).delete()
        ResidentTag.objects.bulk_create(
            [ResidentTag(resident=resident, token=t) for t in keep - current], ignore_conflicts=True
        )
        if drop or keep - current:
            names = {v: k for k, v in token_of.items()}
            audit_record(
                actor=actor,
                action="resident.tags",
                object_type="resident",
                object_id=resident.pk,
                # vulnerable tags are themselves sensitive: the row says how many changed, not which
                changes={
                    "added": sorted(names[t] for t in keep - current if names[t] not in sensitive),
                    "removed": sorted(names[t] for t in drop if names[t] not in sensitive),
                    "sensitive_changed": sum(
                        1 for t in (keep - current) | drop if names[t] in sensitive
                    ),
                },
            )
    return sorted(wanted)


def resident_reveal(*, actor: User, resident: Resident, field: str, purpose: str) -> str:
    """One full ID number or phone, for a permitted actor with a stated purpose; audited.

    Raises 403 without the permission, NotFound out of scope, a field error for an unknown field
    or a purpose shorter than four characters.
    """
    scope_for(actor).require_area(Perm.REVEAL_PEOPLE, resident.area, "resident")
    if field not in RevealField.values:
        raise PeopleError("invalid_choice", _("只能查看身份证号或联系电话"), field="field")
    token = resident.id_number_enc if field == RevealField.ID_NUMBER else resident.phone_enc
    return sealed_reveal(
        actor=actor,
        sealed=token,
        field=field,
        purpose=purpose,
        object_type="resident",
        object_id=resident.pk,
    )


def sealed_reveal(
    *, actor: User, sealed: str, field: str, purpose: str, object_type: str, object_id: object
) -> str:
    """The plain value of one sealed ID number or phone, audited as `<object_type>.reveal` with
    the field and the purpose (the one reveal audit of every app). The caller has checked the
    actor's right; a purpose shorter than four characters is a field error, nothing audited."""
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE:
        raise PeopleError("purpose_required", _("请说明查看用途（至少 4 个字）"), field="purpose")
    value = crypto.decrypt(sealed) if sealed else ""
    audit_record(
        actor=actor,
        action=f"{object_type}.reveal",
        object_type=object_type,
        object_id=object_id,
        changes={"field": field, "purpose": purpose[:200]},
    )
    return value


def tag_define(
    *,
    actor: User | None,
    code: str,
    name: str,
    vulnerable: bool,
    description: str = "",
    builtin: bool = False,
) -> Tag:
    """Create or rename a tag (system admins; `builtin` only from the system)."""
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    code = code.strip()
    if not code or not name.strip():
        raise PeopleError("required", _("标签代码和名称不能为空"), field="code")
    with transaction.atomic():
        tag, _created = Tag.objects.update_or_create(
            code=code,
            defaults={
                "name": name.strip(),
                "vulnerable": vulnerable,
                "description": description,
                "builtin": builtin,
            },
        )
        audit_record(
            actor=actor,
            action="tag.define",
            object_type="tag",
            object_id=tag.pk,
            changes={"after": {"code": code, "name": tag.name, "vulnerable": vulnerable}},
        )
    return tag


def household_update(
    *,
    actor: User | None,
    household: Household,
    head_id: int | None = None,
    notes: str | None = None,
) -> Household:
    """Make member `head_id` the head (the old head becomes "other"), or change the notes."""
    _require(actor, Perm.EDIT_PEOPLE, household.area, "household")
    before = {"head": household.head_id, "notes": household.notes}
    with transaction.atomic():
        if head_id is not None:
            member = household.members.filter(pk=head_id).first()
            if member is None:
                raise PeopleError("not_member", _("户主必须是本户成员"), field="head")
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
            action="household.update",
            object_type="household",
            object_id=household.pk,
            changes={"before": before, "after": after},
        )
    return household
