"""The standardised community in the demo (社区建设规范化), through the community services.

石楼小镇社区, the relocation community, carries the article's figures, each a count of rows: the
1,000 m² party-and-public service centre (its rooms add up to it), a school and a kindergarten
with 230 registry children of the community enrolled, a clinic with 6 medical staff, the
integrated service team, a year of weekly 6:30 classes reaching 226 pupils (and so 150+
households), monthly themed team days, opera at the Spring Festival, and the deputies' liaison
station: 118 county-leader visits at which 82 issues were collected — the station's own cases
(channel 代表联络站) that the desk registered on those days and the case engine closed.

The county's standard is the article's: a secretary and 16 posts by open recruitment, the
service centre (≥ 1,000 m²), school, kindergarten and clinic, the four team services, every grid
staffed. 石楼小镇社区 is the standardised community; the other communities of the county seat
are on the way to the standard: each records smaller rooms of other kinds (an activity room, a
service point), no service centre and no team, and its checklist shows those gaps. So the
county's service-centre area is 石楼小镇社区's 1,000 m², from rows.

Deterministic for a seed: it draws from its own `random.Random`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from grassroots.areas.models import Area, Unit
from grassroots.cases.choices import Channel, State
from grassroots.cases.models import Case
from grassroots.community import services as cs
from grassroots.demo import data
from grassroots.demo import post_types as pt
from grassroots.demo.case_plan import Clock
from grassroots.people.choices import ResidentStatus
from grassroots.people.masking import age_on
from grassroots.people.models import Resident

PUPILS = 230
KINDERGARTEN = 62  # of the PUPILS, aged 3–6 on the day of enrolment; the rest at the school
CLASS_PUPILS = 226  # pupils reached by the 6:30 class
CLASS_WEEKS = 40
MEDICAL_STAFF = ("全科医生", "全科医生", "中医师", "护士", "护士", "公卫医生")
LEADER_VISITS = 118
ISSUES = 82
LEADERS = ("县委书记", "县长", "县人大常委会主任", "常务副县长", "县委副书记", "副县长")
CENTRE_ROOMS = (
    ("便民服务大厅", 320, "窗口受理、一站式服务"),
    ("党员活动室", 150, "组织生活、党员教育"),
    ("六点半课堂教室", 180, "课后托管、作业辅导"),
    ("人大代表联络站", 90, "代表接待、议事协商"),
    ("多功能会议室", 160, "居民议事、培训"),
    ("图书阅览室", 100, "阅读、自习"),
)
TEAM = (
    ("property", "石楼小镇物业服务中心", "", "房屋维修、公共设施维护、环境卫生"),
    ("grid", "石楼小镇社区网格服务队", "", "入户走访、信息采集、矛盾排查"),
    ("land_trust", "石楼县农业托管服务合作社", "县农业农村局", "搬迁户原籍承包地托管耕种"),
    ("police", "灵泉派出所驻社区警务室", "县公安局", "治安巡逻、户籍、法治宣传"),
)


@dataclass
class Communities:
    pupils: int = 0
    activities: int = 0
    visits: int = 0
    issues: int = 0


def _standard(county: Area) -> None:
    cs.standard_set(
        actor=None,
        county=county,
        data=cs.StandardIn(
            posts=((pt.SECRETARY, 1), (pt.COMMUNITY_WORKER, 16)),
            facilities=(
                ("service_centre", 1000),
                ("school", 0),
                ("kindergarten", 0),
                ("clinic", 0),
            ),
            services=("property", "grid", "land_trust", "police"),
            grids_staffed=True,
        ),
    )


def _school_year(today: datetime.date) -> datetime.date:
    year = today.year if today >= datetime.date(today.year, 9, 1) else today.year - 1
    return datetime.date(year, 9, 1)


def _children(area: Area, day: datetime.date) -> tuple[list[Resident], list[Resident]]:
    """The community's children of kindergarten (3–6) and school (7–15) age on `day`."""
    kids = Resident.objects.filter(
        area.subtree_q("area__"),
        status=ResidentStatus.ACTIVE,
        birth_date__gt=day.replace(year=day.year - 16),
    ).order_by("id")
    young = [r for r in kids if 3 <= age_on(r.birth_date, day) <= 6]
    older = [r for r in kids if 7 <= age_on(r.birth_date, day) <= 15]
    return young, older


def _facilities(area: Area, clock: Clock, done: Communities) -> list[Resident]:
    """Record the facilities; returns the community's children of school age (7–15)."""
    first = clock.first_day
    cs.facility_create(
        actor=None,
        community=area,
        on=first,
        data=cs.FacilityIn(
            kind="service_centre",
            name="石楼小镇社区党群服务中心",
            area_sqm=sum(a for _n, a, _u in CENTRE_ROOMS),
            opening_hours="周一至周日 8:00–18:00",
            rooms=tuple(cs.RoomIn(n, a, u) for n, a, u in CENTRE_ROOMS),
        ),
    )
    school = cs.facility_create(
        actor=None,
        community=area,
        on=first,
        data=cs.FacilityIn(kind="school", name="石楼小镇学校", places=200, area_sqm=4200),
    )
    kindergarten = cs.facility_create(
        actor=None,
        community=area,
        on=first,
        data=cs.FacilityIn(kind="kindergarten", name="石楼小镇幼儿园", places=90, area_sqm=1500),
    )
    day = _school_year(clock.today)
    young, older = _children(area, day)
    small = young[:KINDERGARTEN]
    big = older[: PUPILS - len(small)]
    if len(small) + len(big) != PUPILS:
        raise RuntimeError(f"demo: {data.RELOCATION_COMMUNITY} has too few children")
    cs.enrolment_create(
        actor=None, facility=kindergarten, residents=tuple(r.pk for r in small), enrolled_on=day
    )
    cs.enrolment_create(
        actor=None, facility=school, residents=tuple(r.pk for r in big), enrolled_on=day
    )
    done.pupils = len(small) + len(big)
    clinic = cs.facility_create(
        actor=None,
        community=area,
        on=first,
        data=cs.FacilityIn(
            kind="clinic", name="石楼小镇社区卫生服务站", area_sqm=260, opening_hours="8:00–20:00"
        ),
    )
    surnames = "王李张刘陈杨"
    for i, role in enumerate(MEDICAL_STAFF):
        cs.facility_staff_add(
            actor=None, facility=clinic, name=f"{surnames[i]}医护", role=role, started_on=first
        )
    cs.facility_create(
        actor=None,
        community=area,
        on=first,
        data=cs.FacilityIn(kind="elderly_canteen", name="长者食堂", places=60, area_sqm=180),
    )
    return older


def _team(area: Area, first: datetime.date) -> None:
    for kind, name, unit, duties in TEAM:
        unit_id = Unit.objects.filter(name=unit).values_list("pk", flat=True).first()
        cs.team_member_add(
            actor=None,
            community=area,
            kind=kind,
            name=name,
            unit=unit_id,
            duties=duties,
            started_on=first,
        )


def _activities(
    area: Area, pupils: list[Resident], clock: Clock, rng: random.Random, done: Communities
) -> None:
    today = clock.today
    reached = pupils[:CLASS_PUPILS]
    if len(reached) != CLASS_PUPILS:
        raise RuntimeError(f"demo: {data.RELOCATION_COMMUNITY} has too few pupils")
    # every pupil comes to three of the weekly classes of the last CLASS_WEEKS weeks
    sessions: list[list[Resident]] = [[] for _ in range(CLASS_WEEKS)]
    for j, pupil in enumerate(reached):
        for k in (0, CLASS_WEEKS // 3, 2 * CLASS_WEEKS // 3):
            sessions[(j + k) % CLASS_WEEKS].append(pupil)
    for week, group in enumerate(sessions):
        held = today - datetime.timedelta(days=7 * (CLASS_WEEKS - 1 - week))
        cs.activity_record(
            actor=None,
            community=area,
            data=cs.ActivityIn(
                kind="class630",
                title="六点半课堂",
                series="六点半课堂",
                held_on=held,
                place="党群服务中心六点半课堂教室",
                organiser="社区团工委",
                participants=tuple(
                    cs.ParticipantIn(household=p.household_id or 0, resident=p.pk, pupil=True)
                    for p in group
                ),
            ),
        )
    homes = sorted({p.household_id for p in pupils if p.household_id})
    for month in range(1, 12):
        held = today - datetime.timedelta(days=30 * month)
        cs.activity_record(
            actor=None,
            community=area,
            data=cs.ActivityIn(
                kind="team_day",
                title="主题团队日",
                series="主题团队日",
                held_on=held,
                place="党群服务中心",
                organiser="社区团工委",
                participants=tuple(
                    cs.ParticipantIn(household=h) for h in rng.sample(homes, min(12, len(homes)))
                ),
            ),
        )
    festival = _spring_festival(clock)
    for offset, title in ((0, "春节晋剧进社区"), (14, "元宵节秧歌晋剧汇演")):
        cs.activity_record(
            actor=None,
            community=area,
            data=cs.ActivityIn(
                kind="performance",
                title=title,
                held_on=festival + datetime.timedelta(days=offset),
                place="社区文化广场",
                organiser="县文化和旅游局",
                open_count=rng.randint(300, 600),
            ),
        )
    done.activities = CLASS_WEEKS + 11 + 2


def _spring_festival(clock: Clock) -> datetime.date:
    """The Spring Festival inside the demo's year (the first of these that falls in it)."""
    for day in (datetime.date(2026, 2, 17), datetime.date(2027, 2, 6), datetime.date(2025, 1, 29)):
        if clock.first_day <= day <= clock.today:
            return day
    return clock.first_day + datetime.timedelta(days=60)


def _liaison(area: Area, clock: Clock, rng: random.Random, done: Communities) -> None:
    station = cs.station_create(
        actor=None,
        community=area,
        name="石楼小镇社区人大代表联络站",
        address="石楼小镇社区党群服务中心二楼",
        deputies="县人大代表 5 名、镇人大代表 8 名",
        opening_days="每周三",
    )
    closed = list(
        Case.objects.filter(area.subtree_q(), channel=Channel.STATION, state=State.CLOSED).order_by(
            "created_at"
        )[:ISSUES]
    )
    if len(closed) < ISSUES:
        raise RuntimeError(f"demo: {len(closed)} closed station cases, {ISSUES} needed")
    by_day: dict[datetime.date, list[Case]] = {}
    for case in closed:
        by_day.setdefault(timezone.localtime(case.created_at).date(), []).append(case)
    days = set(by_day)
    candidates = [
        clock.first_day + datetime.timedelta(days=i)
        for i in range((clock.today - clock.first_day).days + 1)
    ]
    spare = [d for d in candidates if d not in days and d.weekday() == 2]
    spare += [d for d in candidates if d not in days and d.weekday() != 2]
    extra = LEADER_VISITS - len(days)
    all_days = sorted(days | set(spare[:extra]))
    for day in all_days:
        cases = by_day.get(day, [])
        visit = cs.liaison_visit_record(
            actor=None,
            station=station,
            visited_on=day,
            leader=rng.choice(LEADERS),
            residents_met=rng.randint(6, 30) + 2 * len(cases),
            topics="搬迁后续帮扶、就业、子女上学、物业服务",
        )
        for case in cases:
            cs.liaison_issue_collect(
                actor=None, visit=visit, summary=case.description[:300], case=case
            )
    done.visits, done.issues = len(all_days), len(closed)


# What the other communities have on the way to the standard: (kind, name, m² range) — rooms of
# other kinds than the service centre, each smaller than the centre the standard asks.
ON_THE_WAY = (
    ("culture", "社区文化活动室", (60, 160)),
    ("other", "便民服务站", (40, 120)),
)


def _others(areas: dict[str, Area], rng: random.Random, first: datetime.date) -> None:
    """The other communities: an activity room and a service point each, no service centre."""
    for name in data.COMMUNITIES[1:]:
        area = next(a for a in areas.values() if a.name == name and a.level == "community")
        for kind, room, (low, high) in ON_THE_WAY:
            cs.facility_create(
                actor=None,
                community=area,
                on=first,
                data=cs.FacilityIn(
                    kind=kind, name=f"{name}{room}", area_sqm=rng.randrange(low, high, 10)
                ),
            )


def load_communities(*, seed: int, areas: dict[str, Area], clock: Clock) -> Communities:
    """Write the county's standard and the communities' facilities, team, activities and
    liaison station (see the module docstring). Runs inside the demo's transaction."""
    rng = random.Random(seed * 104729 + 19)
    done = Communities()
    county = areas[data.COUNTY_CODE]
    _standard(county)
    home = next(
        a for a in areas.values() if a.name == data.RELOCATION_COMMUNITY and a.level == "community"
    )
    pupils = _facilities(home, clock, done)
    _team(home, clock.first_day)
    _activities(home, pupils, clock, rng, done)
    _liaison(home, clock, rng, done)
    _others(areas, rng, clock.first_day)
    return done
