"""Fixed personas on a small tree, built through the real services.

The tree (codes are real-shaped, names synthetic):

    石楼县 141126
    ├── 灵泉镇 141126100
    │   ├── 石楼小镇社区 141126100001
    │   │   └── 一网格 (grid1) ── 一网格1组 (grid2) ─┬─ 微网格A (grid3)   ← gridworker
    │   │                                          └─ 微网格B (grid3)
    │   └── 胡家峪村 141126100201
    └── 罗村镇 141126101
        └── 罗村 141126101201 ── 罗村一网格 ── 罗村一网格1组 ── 罗村微网格 (grid3)
"""

from __future__ import annotations

import base64
import datetime
import importlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import translation
from rest_framework.test import APIClient

from grassroots.areas import services as area_services
from grassroots.areas.models import Area, PostType, Unit
from grassroots.areas.scope import forget_scope
from grassroots.core.models import User
from grassroots.core.otp import second_factor_required
from grassroots.core.roles import Role
from grassroots.core.services import account_create
from grassroots.core.tokens import token_issue
from tests import otp_support

# A fixed field-encryption key for the suite (production reads its own from the environment).
os.environ.setdefault("GRASSROOTS_FIELD_KEY", base64.urlsafe_b64encode(b"k" * 32).decode())
os.environ.setdefault("GRASSROOTS_AUDIT_KEY", base64.urlsafe_b64encode(b"a" * 32).decode())
# Servers the suite starts write audit checkpoints of their test database here, never to var/.
os.environ.setdefault(
    "GRASSROOTS_AUDIT_CHECKPOINT_FILE",
    os.path.join(tempfile.mkdtemp(prefix="grassroots-audit-"), "checkpoints.jsonl"),
)

from tests import privacy_scan

privacy_scan.install()

PASSWORD = "Test-pass-2026"
START = datetime.date(2024, 1, 1)


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


@dataclass
class World:
    county: Area
    lingquan: Area
    luocun: Area
    xiaozhen: Area
    hujiayu: Area
    grid1: Area
    grid2: Area
    grid3a: Area
    grid3b: Area
    luocun_village: Area
    luocun_grid3: Area
    hrss: Unit
    civil: Unit
    lingquan_office: Unit
    xiaozhen_station: Unit
    users: dict[str, User]


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language: a request in English leaves English active in
    the thread (Django's middleware does not undo it), which a later test must not inherit."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _own_checkpoint_file(settings, tmp_path_factory):
    """Each test's audit checkpoints in a file of its own (its database is its own too)."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path_factory.mktemp("audit") / "checkpoints.jsonl"
    settings.AUDIT_SYSLOG = ""
    settings.SUGGEST_DIR = tmp_path_factory.mktemp("suggest")  # no test reads var/'s model


def _area(
    code: str, name: str, level: str, parent: Area | None, lon: float, lat: float, size=0.01
) -> Area:
    return area_services.area_create(
        actor=None,
        code=code,
        name=name,
        level=level,
        parent=parent,
        polygon=square(lon, lat, size),
    )


def build_world() -> World:
    c = _area("141126000000", "石楼县", "county", None, 110.8, 37.0)
    lq = _area("141126100000", "灵泉镇", "township", c, 110.8, 37.0)
    lc = _area("141126101000", "罗村镇", "township", c, 110.9, 37.0)
    xz = _area("141126100001", "石楼小镇社区", "community", lq, 110.80, 37.00)
    hjy = _area("141126100201", "胡家峪村", "village", lq, 110.82, 37.00)
    g1 = _area("14112610000101", "一网格", "grid1", xz, 110.80, 37.00)
    g2 = _area("1411261000010101", "一网格1组", "grid2", g1, 110.80, 37.00)
    # the two micro grids tile their small grid side by side, without overlapping
    g3a = _area("1411261000010101001", "微网格A", "grid3", g2, 110.800, 37.000, 0.005)
    g3b = _area("1411261000010101002", "微网格B", "grid3", g2, 110.805, 37.000, 0.005)
    lv = _area("141126101201", "罗村", "village", lc, 110.9, 37.0)
    lg1 = _area("14112610120101", "罗村一网格", "grid1", lv, 110.9, 37.0)
    lg2 = _area("1411261012010101", "罗村一网格1组", "grid2", lg1, 110.9, 37.0)
    lg3 = _area("1411261012010101001", "罗村微网格", "grid3", lg2, 110.9, 37.0)

    def unit(code: str, name: str, level: str, area: Area) -> Unit:
        return area_services.unit_create(actor=None, code=code, name=name, level=level, area=area)

    hrss = unit("U01", "县人力资源和社会保障局", "county", c)
    civil = unit("U02", "县民政局", "county", c)
    office = unit("T01", "灵泉镇便民服务中心", "township", lq)
    station = unit("S01", "石楼小镇社区党群服务站", "community", xz)

    def ptype(code: str, role: str) -> PostType:
        return area_services.post_type_define(
            actor=None,
            code=code,
            name=code,
            role=role,
            duties=[f"{code}的职责一", f"{code}的职责二"],
        )

    personas = {
        "gridworker": (ptype("grid3_worker", Role.GRID_WORKER), g3a, None),
        "community": (ptype("community_secretary", Role.COMMUNITY_STAFF), xz, station),
        "township": (ptype("township_officer", Role.TOWNSHIP_STAFF), lq, office),
        "dept": (ptype("dept_handler", Role.DEPARTMENT_HANDLER), None, hrss),
        "hotline": (ptype("hotline_operator", Role.HOTLINE), c, None),
        "orgdept": (ptype("org_officer", Role.ORGANISATION), c, None),
        "leader": (ptype("county_leader", Role.LEADER), c, None),
        "admin": (ptype("system_admin", Role.SYSTEM_ADMIN), c, None),
        "secadmin": (ptype("security_admin", Role.SECURITY_ADMIN), c, None),
        "auditor": (ptype("auditor", Role.AUDITOR), c, None),
    }
    users: dict[str, User] = {}
    for username, (post_type, area, unit_) in personas.items():
        user = account_create(
            actor=None, username=username, full_name=f"测试{username}", password=PASSWORD
        )
        area_services.post_create(
            actor=None, person=user, post_type=post_type, area=area, unit=unit_, started_on=START
        )
        users[username] = user
        if second_factor_required(user):
            otp_support.enrol(user)
        forget_scope(user)
    users["nobody"] = account_create(
        actor=None, username="nobody", full_name="无岗位", password=PASSWORD
    )
    return World(c, lq, lc, xz, hjy, g1, g2, g3a, g3b, lv, lg3, hrss, civil, office, station, users)


@pytest.fixture
def builtin_tags(transactional_db) -> None:
    """The tags a migration seeds, again: a transactional test's flush empties every table."""
    from grassroots.people.services import tag_define

    seeded = importlib.import_module("grassroots.people.migrations.0002_builtin_tags")
    for code, name, vulnerable, description in seeded.BUILTIN:
        tag_define(
            actor=None,
            code=code,
            name=name,
            vulnerable=vulnerable,
            description=description,
            builtin=True,
        )


@pytest.fixture
def world(db) -> World:
    return build_world()


def signed_in(username: str):
    """A browser-like client signed in through the login page as the persona `username`, its
    session verified by the persona's second factor when it has one."""
    from django.test import Client

    client = Client()
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    otp_support.verify_session(client, User.objects.get(username=username))
    return client


@pytest.fixture
def api():
    """An API client factory: `api("gridworker")` is authenticated as that persona."""

    def make(username: str | None = None) -> APIClient:
        client = APIClient()
        if username is not None:
            _token, raw = token_issue(user=User.objects.get(username=username))
            client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return make


def person_id(n: int, birth: datetime.date = datetime.date(1980, 5, 17), sex: str = "male") -> str:
    """A valid, synthetic ID number, different for each `n`."""
    from grassroots.people.idnumber import make_id

    return make_id("141126", birth, n, sex)


@dataclass
class Registry:
    home_a: object  # a household in 微网格A (the grid worker's)
    home_b: object  # a household in 微网格B
    home_luocun: object  # a household in 罗村
    father: object
    mother: object
    child: object
    neighbour: object
    villager: object


@pytest.fixture
def registry(world) -> Registry:
    """Three households through the real services: two in 石楼小镇社区, one in 罗村."""
    return build_registry(world)


def build_registry(world: World) -> Registry:
    """The `registry` fixture's households, for a module-scoped world (tests/test_demo.py's way)."""
    from grassroots.people import services as ps

    def home(number, area, address):
        dwelling = ps.dwelling_create(actor=None, area=area, address=address)
        return ps.household_create(actor=None, number=number, dwelling=dwelling)

    a = home("H001", world.grid3a, "石楼小镇1号楼1单元101")
    b = home("H002", world.grid3b, "石楼小镇2号楼1单元202")
    c = home("H003", world.luocun_grid3, "罗村三组12号")
    father = ps.resident_register(
        actor=None,
        household=a,
        name="王建国",
        id_number=person_id(11),
        relation="head",
        phone="13812345678",
        politics="party",
    )
    mother = ps.resident_register(
        actor=None,
        household=a,
        name="李秀英",
        relation="spouse",
        phone="13912345678",
        id_number=person_id(12, datetime.date(1982, 3, 9), "female"),
        tags=["disabled"],
    )
    child = ps.resident_register(
        actor=None,
        household=a,
        name="王小明",
        relation="child",
        id_number=person_id(13, datetime.date(2015, 9, 1)),
        tags=["left_behind_child", "relocated"],
    )
    neighbour = ps.resident_register(
        actor=None,
        household=b,
        name="赵大爷",
        relation="head",
        phone="0358-5212345",
        id_number=person_id(14, datetime.date(1940, 1, 2)),
        tags=["elderly_alone", "veteran"],
    )
    villager = ps.resident_register(
        actor=None,
        household=c,
        name="张村民",
        relation="head",
        phone="13712345678",
        id_number=person_id(15, datetime.date(1970, 7, 7)),
    )
    return Registry(a, b, c, father, mother, child, neighbour, villager)


@dataclass
class Catalogue:
    streetlight: object  # community level, needs a site check when found on patrol
    pension: object  # county level (人社局)
    dispute: object  # township level


@pytest.fixture
def catalogue(world) -> Catalogue:
    """Three matters through the real configuration service."""
    return build_catalogue(world)


def build_catalogue(world: World) -> Catalogue:
    """The `catalogue` fixture's matters, for a module-scoped world."""
    from grassroots.cases.catalogue import matter_define

    light = matter_define(
        actor=None,
        code="M001",
        name="路灯不亮",
        category="公共设施",
        unit=world.civil,
        level="community",
        response=(2, "working_hours"),
        resolution=(3, "working_days"),
        keywords=["路灯", "不亮"],
        needs_site_check=True,
    )
    pension = matter_define(
        actor=None,
        code="M002",
        name="城乡居民养老保险参保",
        category="社会保障",
        unit=world.hrss,
        level="county",
        response=(1, "working_days"),
        resolution=(5, "working_days"),
        keywords=["养老保险", "参保"],
    )
    dispute = matter_define(
        actor=None,
        code="M003",
        name="邻里纠纷调解",
        category="矛盾纠纷",
        unit=world.civil,
        level="township",
        response=(4, "calendar_hours"),
        resolution=(7, "working_days"),
    )
    return Catalogue(light, pension, dispute)


def inside(area) -> dict:
    """A point inside `area`'s polygon (the centre of its square)."""
    return {"lat": area.centre_lat, "lon": area.centre_lon}


_FLUSHING = {"transactional_db", "live_server", "django_db_serialized_rollback"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a test that flushed the tables (all its fixtures torn down), put the data
    migrations' seeds back (tests/seeds.py), so no later test depends on the order. After the
    worker's last test the test database is gone already: nothing to restore."""
    yield
    if nextitem is None:
        return
    marker = item.get_closest_marker("django_db")
    flushed = bool(_FLUSHING & set(getattr(item, "fixturenames", ()))) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not flushed:
        return
    from pytest_django.plugin import blocking_manager_key

    from tests import seeds

    with item.config.stash[blocking_manager_key].unblock():
        seeds.restore()
