"""The deputies' liaison station (人大代表联络站): leader visits and the issues collected at them,
each followed to closure as a case (channel 代表联络站) through the case engine."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.models import path_of as area_path
from grassroots.cases import services as case_services
from grassroots.cases.choices import Channel
from grassroots.cases.models import Case
from grassroots.community.auditlog import CommunityAuditAction
from grassroots.community.errors import CommunityConflict, CommunityError
from grassroots.community.errors import CommunityErrorCode as E
from grassroots.community.models import LiaisonIssue, LiaisonVisit, Station
from grassroots.community.services.base import audit, not_negative, require_area, required
from grassroots.core.models import User
from grassroots.core.roles import Perm


def station_create(
    *,
    actor: User | None,
    community: Area,
    name: str,
    address: str = "",
    deputies: str = "",
    opening_days: str = "",
) -> Station:
    """A liaison station in `community`."""
    require_area(actor, Perm.EDIT_COMMUNITY, community, "community")
    name = required(name, "name")
    with transaction.atomic():
        station = Station.objects.create(
            area=community,
            **area_path(community),
            name=name,
            address=address.strip(),
            deputies=deputies.strip(),
            opening_days=opening_days.strip(),
        )
        audit(
            actor,
            CommunityAuditAction.STATION_CREATE,
            "liaison_station",
            station.pk,
            {"community": community.pk},
        )
    return station


def liaison_visit_record(
    *,
    actor: User | None,
    station: Station,
    visited_on: datetime.date,
    leader: str,
    residents_met: Any = 0,
    topics: str = "",
) -> LiaisonVisit:
    """A county leader's visit to `station`: date, leader, residents met, topics."""
    require_area(actor, Perm.EDIT_COMMUNITY, station.area, "station")
    leader = required(leader, "leader")
    met = not_negative(residents_met, "residents_met")
    with transaction.atomic():
        visit = LiaisonVisit.objects.create(
            station=station,
            area=station.area,
            **area_path(station.area),
            visited_on=visited_on,
            leader=leader,
            residents_met=met,
            topics=topics.strip(),
        )
        audit(
            actor,
            CommunityAuditAction.LIAISON_VISIT,
            "liaison_visit",
            visit.pk,
            {"station": station.pk, "visited_on": visited_on.isoformat(), "met": met},
        )
    return visit


def liaison_issue_collect(
    *,
    actor: User | None,
    visit: Any,
    summary: str,
    matter: str = "",
    case: Case | None = None,
    at: datetime.datetime | None = None,
) -> LiaisonIssue:
    """An issue collected at a leader's visit, followed as a case: a new case of `matter` with
    channel 代表联络站 in the visit's community (`cases.services.case_intake`, which checks the
    matter and the actor's right to register), or the `case` the desk already registered from
    the station (channel 代表联络站, same community, not yet linked). No visit, no issue (field
    `visit`); the issue and its case are written together."""
    if not isinstance(visit, LiaisonVisit):
        found = LiaisonVisit.objects.filter(pk=visit).select_related("area").first()
        if visit in (None, "") or found is None:
            raise CommunityError(E.REQUIRED, _("联络站问题须来自一次进站接待"), field="visit")
        visit = found
    require_area(actor, Perm.EDIT_COMMUNITY, visit.area, "visit")
    text = required(summary, "summary")
    with transaction.atomic():
        if case is None:
            if not matter:
                raise CommunityError(E.REQUIRED, _("请选择事项"), field="matter")
            case, _created = case_services.case_intake(
                actor=actor,
                intake=case_services.Intake(
                    matter=matter,
                    channel=Channel.STATION,
                    description=text,
                    area=visit.area_id,
                    extra={"liaison_visit": visit.pk},
                ),
                at=at,
            )
        else:
            if case.channel != Channel.STATION or case.community != visit.community:
                raise CommunityError(E.INVALID_VALUE, _("诉求不是本社区联络站登记的"), field="case")
            if LiaisonIssue.objects.filter(case=case).exists():
                raise CommunityConflict(E.DUPLICATE, _("该诉求已关联联络站问题"), field="case")
        issue = LiaisonIssue.objects.create(
            visit=visit,
            area=visit.area,
            **area_path(visit.area),
            summary=text[:300],
            collected_on=visit.visited_on,
            case=case,
        )
        audit(
            actor,
            CommunityAuditAction.LIAISON_ISSUE,
            "liaison_issue",
            issue.pk,
            {"visit": visit.pk, "case": case.pk},
        )
    return issue
