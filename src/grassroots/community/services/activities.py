"""Activities of a community (6:30 class, team days, performances …) and who they reached."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.models import path_of as area_path
from grassroots.community.auditlog import CommunityAuditAction
from grassroots.community.choices import ActivityKind
from grassroots.community.errors import CommunityError
from grassroots.community.errors import CommunityErrorCode as E
from grassroots.community.models import Activity, Participant
from grassroots.community.services.base import (
    audit,
    choice,
    not_negative,
    require_area,
    required,
)
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.masking import age_on
from grassroots.people.models import Household, Resident

# A pupil reached by an activity: a child of this age (whole years) on the day.
PUPIL_AGE = (3, 18)


@dataclass(frozen=True)
class ParticipantIn:
    """A household reached, and the resident of it who came (a pupil: a child)."""

    household: int
    resident: int | None = None
    pupil: bool = False
    volunteer_hours: str = "0"


@dataclass(frozen=True)
class ActivityIn:
    kind: str
    title: str
    held_on: datetime.date
    series: str = ""
    place: str = ""
    organiser: str = ""
    open_count: int = 0
    participants: tuple[ParticipantIn, ...] = field(default_factory=tuple)


def _participants(
    community: Area, rows: tuple[ParticipantIn, ...], day: datetime.date
) -> list[tuple[Household, Resident | None, bool, Decimal]]:
    homes = Household.objects.select_related("area").in_bulk([p.household for p in rows])
    people = Resident.objects.in_bulk([p.resident for p in rows if p.resident is not None])
    out: list[tuple[Household, Resident | None, bool, Decimal]] = []
    seen: set[tuple[int, int | None]] = set()
    for i, p in enumerate(rows):
        home = homes.get(p.household)
        if home is None or home.area.community_id != community.pk:
            raise CommunityError(
                E.OUTSIDE_COMMUNITY,
                _("参与户不在本社区"),
                field=f"participants[{i}].household",
                row=i,
            )
        person = people.get(p.resident) if p.resident is not None else None
        if p.resident is not None and (person is None or person.household_id != home.pk):
            raise CommunityError(
                E.OUTSIDE_COMMUNITY,
                _("参与人不是该户在册成员"),
                field=f"participants[{i}].resident",
                row=i,
            )
        if p.pupil and (
            person is None or not PUPIL_AGE[0] <= age_on(person.birth_date, day) <= PUPIL_AGE[1]
        ):
            raise CommunityError(
                E.INVALID_VALUE,
                _("学生须为该户 3–18 岁的在册成员"),
                field=f"participants[{i}].pupil",
                row=i,
            )
        try:
            hours = Decimal(str(p.volunteer_hours or "0"))
        except InvalidOperation:
            hours = Decimal(-1)
        if not hours.is_finite():
            hours = Decimal(-1)
        if not Decimal(0) <= hours < Decimal(1000):
            raise CommunityError(
                E.INVALID_VALUE,
                _("志愿服务时长须在 0 到 999.9 小时之间"),
                field=f"participants[{i}].volunteer_hours",
                row=i,
            )
        key = (home.pk, person.pk if person else None)
        if key in seen:
            raise CommunityError(
                E.DUPLICATE, _("参与人重复"), field=f"participants[{i}].household", row=i
            )
        seen.add(key)
        out.append((home, person, p.pupil, hours))
    return out


def activity_record(*, actor: User | None, community: Area, data: ActivityIn) -> Activity:
    """Record one activity session of `community` with its participants: each a household of
    the community (and one of its members; a pupil of school age) — an error names the row;
    the session and its participants are written together or not at all."""
    require_area(actor, Perm.EDIT_COMMUNITY, community, "community")
    kind = choice(data.kind, ActivityKind, "kind")
    title = required(data.title, "title")
    open_count = not_negative(data.open_count, "open_count")
    rows = _participants(community, data.participants, data.held_on)
    path = area_path(community)
    with transaction.atomic():
        activity = Activity.objects.create(
            area=community,
            **path,
            kind=kind,
            title=title,
            series=data.series.strip(),
            held_on=data.held_on,
            place=data.place.strip(),
            organiser=data.organiser.strip(),
            open_count=open_count,
        )
        Participant.objects.bulk_create(
            Participant(
                activity=activity,
                area=community,
                **path,
                household=home,
                resident=person,
                pupil=pupil,
                volunteer_hours=hours,
            )
            for home, person, pupil, hours in rows
        )
        audit(
            actor,
            CommunityAuditAction.ACTIVITY_RECORD,
            "activity",
            activity.pk,
            {"community": community.pk, "kind": kind, "participants": len(rows)},
        )
    return activity
