"""Units, post types, staff and the demo log-in accounts, all created through the services.

Everything here runs inside `load_demo`'s transaction with `actor=None` (the system).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from grassroots.areas.choices import Level, UnitLevel
from grassroots.areas.models import Area, PostType, Unit
from grassroots.areas.services import post_create, post_type_define, unit_create
from grassroots.core.models import User
from grassroots.core.services import account_create
from grassroots.demo import data
from grassroots.demo import post_types as pt
from grassroots.demo.names import NameMaker
from grassroots.demo.tree import Node

STARTED_ON = datetime.date(2024, 1, 1)

# The ten accounts one can log in with, in the order the table lists them.
DEMO_USERNAMES: tuple[str, ...] = (
    "admin",
    "secadmin",
    "auditor",
    "hotline",
    "gridworker",
    "community",
    "township",
    "dept",
    "orgdept",
    "leader",
)

# Demo accounts whose only post is a county-wide one of this type.
_COUNTY_WIDE = {
    "admin": pt.SYSTEM_ADMIN,
    "secadmin": pt.SECURITY_ADMIN,
    "auditor": pt.SECURITY_AUDITOR,
    "hotline": pt.HOTLINE_OPERATOR,
    "orgdept": pt.ORGANISATION_CADRE,
    "leader": pt.COUNTY_LEADER,
}


@dataclass
class Places:
    """The loaded areas by code, and the units created for them."""

    areas: dict[str, Area]
    county_units: list[Unit] = field(default_factory=list)
    offices: dict[str, Unit] = field(default_factory=dict)  # township code → office
    stations: dict[str, Unit] = field(default_factory=dict)  # community/village code → station


def create_units(tree: Node, areas: dict[str, Area]) -> Places:
    """The 27 county units, one office per township, one station per community and village."""
    places = Places(areas=areas)
    county = areas[tree.code]
    for i, spec in enumerate(data.COUNTY_UNITS, 1):
        places.county_units.append(
            unit_create(
                actor=None,
                code=data.county_unit_code(i),
                name=spec.name,
                short_name=spec.short_name,
                level=UnitLevel.COUNTY,
                area=county,
                office_phone=data.office_phone(i),
            )
        )
    for t, township in enumerate(tree.children, 1):
        places.offices[township.code] = unit_create(
            actor=None,
            code=data.township_office_code(township.code),
            name=data.township_office_name(township.name),
            short_name=township.name,
            level=UnitLevel.TOWNSHIP,
            area=areas[township.code],
            office_phone=data.office_phone(100 + t),
            address=f"{data.COUNTY_NAME}{township.name}人民政府",
        )
        for place in township.children:
            places.stations[place.code] = unit_create(
                actor=None,
                code=data.station_code(place.code),
                name=data.station_name(place.name, community=place.level == Level.COMMUNITY),
                level=UnitLevel.COMMUNITY,
                area=areas[place.code],
            )
    return places


def define_post_types() -> dict[str, PostType]:
    """Every post type of `post_types.POST_TYPES`, by code, with its duty list."""
    return {
        spec.code: post_type_define(
            actor=None,
            code=spec.code,
            name=spec.name,
            role=spec.role,
            duties=list(spec.duties),
            description=spec.description,
        )
        for spec in pt.POST_TYPES
    }


class Staffing:
    """Hires synthetic staff and gives them posts; the demo accounts get `password`."""

    def __init__(
        self, *, rng: random.Random, types: dict[str, PostType], places: Places, password: str
    ) -> None:
        self.rng = rng
        self.names = NameMaker(rng)
        self.types = types
        self.places = places
        self.password = password
        self.logins: dict[str, User] = {}
        self._serial: dict[str, int] = {}

    def hire(self, prefix: str) -> User:
        """A new staff account without a usable password, named ``<prefix><4 digits>``."""
        n = self._serial[prefix] = self._serial.get(prefix, 0) + 1
        return account_create(actor=None, username=f"{prefix}{n:04d}", full_name=self.names())

    def login(self, username: str) -> User:
        """A demo account that logs in with the demo password (not checked: SECURITY.md 1)."""
        user = account_create(
            actor=None,
            username=username,
            full_name=self.names(),
            password=self.password,
            check_password=False,
        )
        self.logins[username] = user
        return user

    def post(
        self,
        person: User,
        type_code: str,
        *,
        area: Area | None = None,
        unit: Unit | None = None,
        title: str = "",
    ) -> None:
        post_create(
            actor=None,
            person=person,
            post_type=self.types[type_code],
            area=area,
            unit=unit,
            title=title,
            started_on=STARTED_ON,
        )


def _staff_community(s: Staffing, community: Node) -> None:
    area = s.places.areas[community.code]
    station = s.places.stations[community.code]
    relocation = community.name == data.RELOCATION_COMMUNITY
    secretary = s.login("community") if relocation else s.hire("sq")
    s.post(secretary, pt.SECRETARY, area=area, unit=station, title="社区党组织书记")
    total = s.rng.randint(data.COMMUNITY_POSTS_MIN, data.COMMUNITY_POSTS_MAX)
    workers = []
    for title in data.COMMUNITY_TITLES[: total - 1]:
        worker = s.hire("sq")
        s.post(worker, pt.COMMUNITY_WORKER, area=area, unit=station, title=title)
        workers.append(worker)
    # 多员合一: each large grid is led by one of the community's own workers.
    for i, grid1 in enumerate(community.children):
        s.post(workers[i % len(workers)], pt.GRID1_LEADER, area=s.places.areas[grid1.code])
    grid3s = [n for n in community.walk() if n.level == Level.GRID3]
    for i, grid3 in enumerate(grid3s):
        person = s.login("gridworker") if relocation and i == 0 else s.hire("wg")
        s.post(person, pt.GRID3_WORKER, area=s.places.areas[grid3.code])


def _staff_township(s: Staffing, township: Node) -> None:
    area = s.places.areas[township.code]
    office = s.places.offices[township.code]
    if township.code == data.SEAT.code:
        user = s.login("township")
        s.post(user, pt.TOWNSHIP_CADRE, area=area, unit=office, title=data.TOWNSHIP_LOGIN_TITLE)
    count = s.rng.randint(data.TOWNSHIP_STAFF_MIN, data.TOWNSHIP_STAFF_MAX)
    for title in s.rng.sample(data.TOWNSHIP_TITLES, count):
        s.post(s.hire("xz"), pt.TOWNSHIP_CADRE, area=area, unit=office, title=title)


def _staff_unit(s: Staffing, unit: Unit) -> None:
    count = s.rng.randint(data.HANDLERS_MIN, data.HANDLERS_MAX)
    people = [s.login("dept")] if unit.name == data.HRSS.name else []
    people += [s.hire("bm") for _ in range(count - len(people))]
    for person in people:
        s.post(person, pt.DEPARTMENT_HANDLER, unit=unit)


def create_staff(
    *,
    tree: Node,
    places: Places,
    types: dict[str, PostType],
    rng: random.Random,
    password: str,
) -> dict[str, User]:
    """Every staff account and post of the demo; returns the ten demo accounts by username.

    Guarantees: each community has one secretary and 15–18 community-staff posts in all (over
    the community, at its station); each grid1 has a 大网格长 (one of its community's workers)
    and each grid3 a 微网格员; each township a few cadres; each county unit 1–2 handlers; the
    demo accounts hold exactly the posts listed in the module's table, with `password`.
    """
    s = Staffing(rng=rng, types=types, places=places, password=password)
    county = places.areas[tree.code]
    for username in DEMO_USERNAMES:
        if username in _COUNTY_WIDE:
            s.post(s.login(username), _COUNTY_WIDE[username], area=county)
    for township in tree.children:
        for place in township.children:
            if place.level == Level.COMMUNITY:
                _staff_community(s, place)
    for township in tree.children:
        _staff_township(s, township)
    for unit in places.county_units:
        _staff_unit(s, unit)
    missing = set(DEMO_USERNAMES) - set(s.logins)
    if missing:
        raise RuntimeError(f"demo accounts not created: {sorted(missing)}")
    return {u: s.logins[u] for u in DEMO_USERNAMES}
