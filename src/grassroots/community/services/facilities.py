"""Facilities of a community, the pupils enrolled at its schools, the staff of its clinic and
the members of its integrated service team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area, Post, Unit
from grassroots.areas.models import path_of as area_path
from grassroots.community.auditlog import CommunityAuditAction
from grassroots.community.choices import SCHOOL_KINDS, FacilityKind, TeamKind
from grassroots.community.errors import CommunityConflict, CommunityError
from grassroots.community.errors import CommunityErrorCode as E
from grassroots.community.models import Enrolment, Facility, FacilityStaff, Room, TeamMember
from grassroots.community.services.base import (
    audit,
    choice,
    not_negative,
    require_area,
    required,
)
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import ResidentStatus
from grassroots.people.masking import age_on
from grassroots.people.models import Resident

# School age by kind of school: [low, high] whole years on the day of enrolment.
SCHOOL_AGE = {FacilityKind.KINDERGARTEN: (3, 6), FacilityKind.SCHOOL: (6, 15)}


@dataclass(frozen=True)
class RoomIn:
    name: str
    area_sqm: int
    use: str = ""


@dataclass(frozen=True)
class FacilityIn:
    kind: str
    name: str
    area_sqm: int = 0
    places: int = 0
    opening_hours: str = ""
    run_by: int | None = None
    rooms: tuple[RoomIn, ...] = field(default_factory=tuple)


def facility_create(
    *, actor: User | None, community: Area, data: FacilityIn, on: datetime.date | None = None
) -> Facility:
    """Record a facility of `community` with its rooms: every value checked first (a negative
    area names its field, a room its row), the facility and its rooms written together."""
    require_area(actor, Perm.EDIT_COMMUNITY, community, "community")
    kind = choice(data.kind, FacilityKind, "kind")
    name = required(data.name, "name")
    area_sqm = not_negative(data.area_sqm, "area_sqm")
    places = not_negative(data.places, "places")
    rooms = [
        (
            required(r.name, f"rooms[{i}].name"),
            not_negative(r.area_sqm, f"rooms[{i}].area_sqm"),
            r.use,
        )
        for i, r in enumerate(data.rooms)
    ]
    run_by = None
    if data.run_by is not None:
        run_by = Post.objects.filter(pk=data.run_by).select_related("area").first()
        if run_by is None or run_by.area is None or run_by.area.community_id != community.pk:
            raise CommunityError(E.OUTSIDE_COMMUNITY, _("负责岗位不在本社区"), field="run_by")
    if Facility.objects.filter(area=community, name=name).exists():
        raise CommunityConflict(E.DUPLICATE, _("本社区已有同名设施"), field="name")
    with transaction.atomic():
        facility = Facility.objects.create(
            area=community,
            **area_path(community),
            kind=kind,
            name=name,
            area_sqm=area_sqm,
            places=places,
            opening_hours=data.opening_hours.strip(),
            run_by=run_by,
            recorded_on=on or timezone.localdate(),
        )
        Room.objects.bulk_create(
            Room(facility=facility, name=n, area_sqm=a, use=u) for n, a, u in rooms
        )
        audit(
            actor,
            CommunityAuditAction.FACILITY_CREATE,
            "facility",
            facility.pk,
            {"community": community.pk, "kind": kind, "area_sqm": area_sqm, "rooms": len(rooms)},
        )
    return facility


def _pupil(facility: Facility, resident_id: object, on: datetime.date, fld: str) -> Resident:
    """The registry child `resident_id`: living in the facility's community, of school age."""
    try:
        key = int(str(resident_id))
    except ValueError:
        key = 0
    if not 0 < key < 2**63:
        key = 0
    resident = Resident.objects.select_related("area").filter(pk=key).first()
    if (
        resident is None
        or resident.status != ResidentStatus.ACTIVE
        or resident.area.community_id != facility.community
    ):
        raise CommunityError(E.OUTSIDE_COMMUNITY, _("该居民不是本社区在册居民"), field=fld)
    low, high = SCHOOL_AGE[FacilityKind(facility.kind)]
    if not low <= age_on(resident.birth_date, on) <= high:
        raise CommunityError(
            E.INVALID_VALUE,
            _("该居民不在入学年龄（%(lo)s–%(hi)s 岁）") % {"lo": low, "hi": high},
            field=fld,
        )
    return resident


def enrolment_create(
    *,
    actor: User | None,
    facility: Facility,
    residents: tuple[int, ...],
    enrolled_on: datetime.date,
) -> list[Enrolment]:
    """Enrol registry children at a school or kindergarten: each a resident of the community of
    school age, not enrolled elsewhere (an error names the row); all or none are written."""
    require_area(actor, Perm.EDIT_COMMUNITY, facility.area, "facility")
    if facility.kind not in SCHOOL_KINDS:
        raise CommunityError(E.INVALID_VALUE, _("只有学校和幼儿园登记学生"), field="facility")
    if not residents:
        raise CommunityError(E.REQUIRED, _("请选择学生"), field="residents")
    pupils = [_pupil(facility, r, enrolled_on, f"residents[{i}]") for i, r in enumerate(residents)]
    with transaction.atomic():
        taken = set(
            Enrolment.objects.select_for_update()
            .filter(resident__in=pupils, left_on__isnull=True)
            .values_list("resident_id", flat=True)
        )
        for i, p in enumerate(pupils):
            if p.pk in taken or [q.pk for q in pupils].count(p.pk) > 1:
                raise CommunityConflict(
                    E.DUPLICATE, _("该学生已在校登记"), field=f"residents[{i}]", row=i
                )
        path = area_path(facility.area)
        rows = Enrolment.objects.bulk_create(
            Enrolment(
                facility=facility, resident=p, area=facility.area, enrolled_on=enrolled_on, **path
            )
            for p in pupils
        )
        audit(
            actor,
            CommunityAuditAction.ENROLMENT_CREATE,
            "facility",
            facility.pk,
            {"residents": [p.pk for p in pupils], "enrolled_on": enrolled_on.isoformat()},
        )
    return rows


def enrolment_end(*, actor: User | None, enrolment: Enrolment, left_on: datetime.date) -> Enrolment:
    """The pupil left the school on `left_on` (not before enrolling; once)."""
    require_area(actor, Perm.EDIT_COMMUNITY, enrolment.area, "enrolment")
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if locked.left_on is not None:
            raise CommunityConflict(E.DUPLICATE, _("该学生已登记离校"), field="left_on")
        if left_on < locked.enrolled_on:
            raise CommunityError(E.INVALID_VALUE, _("离校日期早于入学日期"), field="left_on")
        locked.left_on = left_on
        locked.save(update_fields=["left_on", "updated_at"])
        audit(
            actor,
            CommunityAuditAction.ENROLMENT_END,
            "facility",
            locked.facility_id,
            {"resident": locked.resident_id, "left_on": left_on.isoformat()},
        )
    return locked


def facility_staff_add(
    *,
    actor: User | None,
    facility: Facility,
    name: str,
    role: str,
    started_on: datetime.date,
) -> FacilityStaff:
    """A person working at `facility` (a clinic's doctor or nurse) from `started_on`."""
    require_area(actor, Perm.EDIT_COMMUNITY, facility.area, "facility")
    name = required(name, "name")
    role = required(role, "role")
    with transaction.atomic():
        row = FacilityStaff.objects.create(
            facility=facility,
            area=facility.area,
            **area_path(facility.area),
            name=name,
            role=role,
            started_on=started_on,
        )
        audit(
            actor,
            CommunityAuditAction.FACILITY_STAFF_ADD,
            "facility",
            facility.pk,
            {"staff": row.pk, "role": role},
        )
    return row


def team_member_add(
    *,
    actor: User | None,
    community: Area,
    kind: str,
    name: str,
    unit: int | None = None,
    duties: str = "",
    started_on: datetime.date | None = None,
) -> TeamMember:
    """A member of the community's integrated service team; `unit` is where the hotline desk
    sends the team member's cases (an active unit)."""
    require_area(actor, Perm.EDIT_COMMUNITY, community, "community")
    kind = choice(kind, TeamKind, "kind")
    name = required(name, "name")
    unit_row = None
    if unit is not None:
        unit_row = Unit.objects.filter(pk=unit, active=True).first()
        if unit_row is None:
            raise CommunityError(E.INVALID_VALUE, _("派单单位不存在"), field="unit")
    with transaction.atomic():
        member = TeamMember.objects.create(
            area=community,
            **area_path(community),
            kind=kind,
            name=name,
            unit=unit_row,
            duties=duties.strip(),
            started_on=started_on or timezone.localdate(),
        )
        audit(
            actor,
            CommunityAuditAction.TEAM_MEMBER_ADD,
            "team_member",
            member.pk,
            {"community": community.pk, "kind": kind, "unit": unit},
        )
    return member
