"""A small community scene for the community tests: the county's standard, a service centre,
a school with a pupil, a clinic with staff, a 6:30 class and a liaison station visit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.cases.choices import Channel
from grassroots.cases.services import Intake, case_intake
from grassroots.community import services as cs
from grassroots.community.models import Facility, LiaisonVisit, Station

STANDARD = cs.StandardIn(
    posts=(("community_secretary", 1),),
    facilities=(("service_centre", 1000), ("school", 0), ("clinic", 0)),
    services=("police",),
    grids_staffed=False,
)


@dataclass
class Scene:
    centre: Facility
    school: Facility
    clinic: Facility
    station: Station
    visit: LiaisonVisit


def build_scene(world: Any, registry: Any, *, actor: Any = None) -> Scene:
    """The standard and one of everything in 石楼小镇社区 (written by `actor`, None: the system)."""
    xz = world.xiaozhen
    today = timezone.localdate()
    cs.standard_set(actor=None, county=world.county, data=STANDARD)
    centre = cs.facility_create(
        actor=actor,
        community=xz,
        data=cs.FacilityIn(
            kind="service_centre",
            name="党群服务中心",
            area_sqm=1000,
            rooms=(cs.RoomIn("便民服务大厅", 300), cs.RoomIn("会议室", 120)),
        ),
    )
    school = cs.facility_create(
        actor=actor, community=xz, data=cs.FacilityIn(kind="school", name="石楼小镇小学")
    )
    cs.enrolment_create(
        actor=actor, facility=school, residents=(registry.child.pk,), enrolled_on=today
    )
    clinic = cs.facility_create(
        actor=actor, community=xz, data=cs.FacilityIn(kind="clinic", name="社区卫生室")
    )
    for name in ("医生甲", "护士乙"):
        cs.facility_staff_add(
            actor=actor, facility=clinic, name=name, role="医生", started_on=today
        )
    cs.activity_record(
        actor=actor,
        community=xz,
        data=cs.ActivityIn(
            kind="class630",
            title="六点半课堂",
            held_on=today - datetime.timedelta(days=3),
            participants=(
                cs.ParticipantIn(
                    household=registry.home_a.pk, resident=registry.child.pk, pupil=True
                ),
                cs.ParticipantIn(household=registry.home_b.pk),
            ),
        ),
    )
    station = cs.station_create(actor=actor, community=xz, name="人大代表联络站")
    visit = cs.liaison_visit_record(
        actor=actor, station=station, visited_on=today, leader="县领导甲", residents_met=12
    )
    return Scene(centre, school, clinic, station, visit)


def answered_station_case(world: Any) -> Any:
    """A case the desk registered from the station and answered on the spot (closed)."""
    case, _new = case_intake(
        actor=None,
        intake=Intake(
            matter="M001",
            channel=Channel.STATION,
            description="路灯不亮",
            area=world.grid3a.pk,
            answer="已当场答复",
        ),
    )
    return case
