"""Scope, driven by the served OpenAPI schema: every path, so a new endpoint is judged unedited.

For every operation of `/api/v1/schema/` (SECURITY.md 7, STYLE "permission test triad"):
- anonymous → 401/403, except the paths in PUBLIC;
- a persona with no post, and the auditor (audit rights only) → 403, except SPECIAL paths — writes
  included, with an empty (invalid) body: the right is checked before the body is read;
- every write (POST/PUT/PATCH/DELETE) names that right on its view (`method_perms`);
- every list (GET without path parameters) for the grid worker of 微网格A → only rows of its
  micro grid, while a county persona sees rows outside it in the same list (so the check bites);
- every detail path ({id}) for an object of the neighbouring micro grid → exactly the answer of a
  missing id: 404, or 403 where the grid worker lacks the operation's permission.

The scene (one per module, rolled back at its end): the personas and households of
tests/conftest.py, plus a visit, a pairing, a dispute and a case in 微网格A, 微网格B and 罗村.
A path the schema lists but PATHS does not fails `test_every_schema_path_is_known`: add it there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import resolve
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.areas import services as area_services
from grassroots.areas.models import Area, Post, PostType
from grassroots.assets import services as asset_services
from grassroots.cases.services import Intake, case_intake
from grassroots.core.models import User
from grassroots.core.otp import confirmed_device
from grassroots.core.rights import method_perm
from grassroots.core.services import account_create
from grassroots.relocation.models import EntitlementItem
from grassroots.relocation.omissions import omission_check
from grassroots.visits import services as visit_services
from tests.cadres_support import cadre_scene
from tests.conftest import PASSWORD, START, build_catalogue, build_registry, build_world
from tests.disputes_support import screen
from tests.otp_support import fresh_code
from tests.relocation_support import items, relocate
from tests.training_support import session as training_session

API = "/api/v1"
MISSING = 987654
METHODS = ("get", "post", "put", "patch", "delete")
PARAM = re.compile(r"\{([^}]+)\}")

# Every test among the database ones, so that none runs after a transactional test's flush (which
# empties the tags a migration seeds, that the scene's residents carry).
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Rule:
    """How the generic checks judge one path of the schema.

    kind: "list" (rows carry the area named by `area`, or none when None), "detail" (an object
    named by the path's first segment), "special" (not judged by the list/detail/no-right rules,
    `note` says why and where it is tested), "public" (no sign-in needed).
    """

    kind: str
    note: str = ""
    area: str | None = "area"
    # list: whether the grid worker has rows of its own there (units: a grid has no unit)
    own_rows: bool = True


def listing(area: str | None = "area", *, own_rows: bool = True, note: str = "") -> Rule:
    return Rule("list", note=note, area=area, own_rows=own_rows)


DETAIL = Rule("detail")


def special(note: str) -> Rule:
    return Rule("special", note=note)


# Every path the schema serves. A new one fails `test_every_schema_path_is_known` until it is here.
PATHS: dict[str, Rule] = {
    "/auth/token/": Rule(
        "public",
        note="POST signs in (a new token); DELETE revokes the caller's own token (test_tokens)",
    ),
    "/me/": special("the actor's own account and scope, for anyone signed in (test_api_scope)"),
    "/me/password/": special("changes the actor's own password, for anyone signed in"),
    "/metrics/cases/": special("figures, not rows: test_metrics_count_only_the_grid_s_rows"),
    "/metrics/dashboard/": special("figures, not rows: test_metrics_count_only_the_grid_s_rows"),
    "/metrics/disputes/": special("figures, not rows: test_metrics_count_only_the_grid_s_rows"),
    "/matters/": special("the county's matter catalogue: configuration for every intake desk"),
    "/areas/": listing("id"),
    "/areas/{id}/": DETAIL,
    "/units/": listing(own_rows=False, note="a micro grid holds no unit"),
    "/units/{id}/": DETAIL,
    "/posts/": listing(),
    "/posts/{id}/": DETAIL,
    "/households/": listing(),
    "/households/{id}/": DETAIL,
    "/residents/": listing(),
    "/residents/{id}/": DETAIL,
    "/residents/{id}/reveal/": DETAIL,
    "/transfer-requests/": special(
        "rows routed by the resident's grid, not the row's area (test_people_transfers)"
    ),
    "/transfer-requests/{id}/decide/": special(
        "the holder's answer; scope by the resident's grid (test_people_transfers)"
    ),
    "/cases/": listing(),
    "/cases/{id}/": DETAIL,
    "/cases/suggest/": special(
        "matters for a description, no rows; an area in the body (test_cases_suggest: 404)"
    ),
    "/cases/{id}/actions/": DETAIL,
    "/cases/{id}/events/": DETAIL,
    "/cases/{id}/reveal/": DETAIL,
    "/community/{id}/": DETAIL,
    "/community/{id}/facilities/": DETAIL,
    "/community/{id}/facilities/{facility_pk}/enrolments/": DETAIL,
    "/community/{id}/facilities/{facility_pk}/staff/": DETAIL,
    "/community/{id}/team/": DETAIL,
    "/community/{id}/activities/": DETAIL,
    "/community/{id}/stations/": DETAIL,
    "/community/{id}/liaison-visits/": DETAIL,
    "/community/{id}/liaison-issues/": DETAIL,
    "/community-standards/{id}/": special(
        "a county's standard: read by staff anywhere in the county, replaced by the "
        "organisation department (test_community_api)"
    ),
    "/visits/": listing(),
    "/visits/due/": listing(),
    "/visits/{id}/": DETAIL,
    "/visits/{id}/case/": DETAIL,
    "/visits/{id}/dispute/": DETAIL,
    "/registry-proposals/": special(
        "the community's proposals to decide (EDIT_PEOPLE): scope in test_visits_links_pages"
    ),
    "/registry-proposals/{id}/accept/": special(
        "a proposal decided by the community: scope in test_visits_links_pages"
    ),
    "/registry-proposals/{id}/reject/": special(
        "a proposal decided by the community: scope in test_visits_links_pages"
    ),
    "/pairings/": listing(),
    "/pairings/bulk/": special("bulk pairing by grid: an area in the body (test_visits_api)"),
    "/pairings/repair/": special("re-pairing by member: ids in the body (test_visits_api)"),
    "/pairings/{id}/end/": DETAIL,
    "/plan-rules/": listing(
        own_rows=False, note="rules are set on communities and above; county defaults: no area"
    ),
    "/disputes/": listing(),
    "/disputes/{id}/": DETAIL,
    "/disputes/{id}/actions/": DETAIL,
    "/cadres/": listing(),
    "/cadres/{id}/": DETAIL,
    "/cadres/{id}/terms/": DETAIL,
    "/cadres/{id}/reveal/": DETAIL,
    "/cadres/{id}/account/": DETAIL,
    "/cadre-schemes/": special("the county's yearly scheme: CONFIGURE_CADRES (test_cadres_api)"),
    "/cadre-pay-rules/": special(
        "the county's yearly pay rule: CONFIGURE_CADRES (test_cadres_api)"
    ),
    "/appraisals/": listing(),
    "/appraisals/{id}/": DETAIL,
    "/appraisals/{id}/inputs/": DETAIL,
    "/appraisals/{id}/actions/": DETAIL,
    "/appraisals/{id}/codes/": DETAIL,
    "/appraisals/{id}/prefill/": DETAIL,
    "/appraisals/{id}/ballots/": DETAIL,
    "/ballots/": Rule(
        "public", note="a rater's one-time code is the credential (test_cadres_api: used once)"
    ),
    "/pay-sheets/": listing(),
    "/pay-sheets/{id}/": DETAIL,
    "/pay-sheets/{id}/lines/": DETAIL,
    "/pay-sheets/{id}/confirm/": DETAIL,
    "/pay-sheets/{id}/xlsx/": DETAIL,
    "/relocation/households/": listing(),
    "/relocation/households/{id}/": DETAIL,
    "/relocation/households/{id}/generate/": DETAIL,
    "/relocation/households/{id}/items/{item_pk}/actions/": DETAIL,
    "/relocation/items/": listing(),
    "/relocation/omissions/": listing(),
    "/relocation/entitlements/": special(
        "the county's entitlement catalogue: configuration (test_relocation_api)"
    ),
    "/metrics/relocation/": special("figures, not rows: test_relocation_api"),
    "/training-sessions/": listing(),
    "/training-sessions/{id}/": DETAIL,
    "/training-sessions/{id}/enrol/": DETAIL,
    "/training-sessions/{id}/unenrol/": DETAIL,
    "/training-sessions/{id}/attendance/": DETAIL,
    "/training-sessions/{id}/signin-codes/": DETAIL,
    "/training-sessions/{id}/signin/": DETAIL,
    "/training-sessions/{id}/attendance-import/": DETAIL,
    "/training-coverage/": special("coverage figures, not rows: scope in test_training"),
    "/collective-assets/": listing(),
    "/asset-problems/": listing(),
    "/asset-problems/{id}/": DETAIL,
    "/asset-problems/{id}/actions/": DETAIL,
    "/asset-totals/": special("totals, not rows: scope in test_assets"),
    "/reports/templates/": special(
        "the template library: layouts, not rows; POST needs MANAGE_REPORT_TEMPLATES "
        "(tests/reports/test_reports.py)"
    ),
    "/reports/templates/{code}/fill/": special(
        "a ledger filled for ?within= (an area): out of scope 404 (tests/reports/test_reports.py)"
    ),
    "/reports/templates/{code}/ledger.xlsx": special(
        "the same ledger as .xlsx: out of scope 404 (tests/reports/test_reports.py)"
    ),
    "/reports/requests/": special(
        "requests issued by or sent to the caller's areas; POST needs ISSUE_REPORTS "
        "(tests/reports/test_reports.py)"
    ),
    "/reports/requests/{id}/": special(
        "a request, seen by its issuer or its targets, else 404 (tests/reports/test_reports.py)"
    ),
    "/reports/answers/{id}/confirm/": special(
        "confirm one's own area's answer, else 404; twice 409 (tests/reports/test_reports.py)"
    ),
    "/accounts/": listing(None, note="the security admin's directory; rows are people"),
    "/accounts/{id}/": DETAIL,
    "/accounts/{id}/disable/": DETAIL,
    "/accounts/{id}/enable/": DETAIL,
    "/accounts/{id}/unlock/": DETAIL,
    "/accounts/{id}/reset-password/": DETAIL,
    "/accounts/{id}/posts/": DETAIL,
    "/accounts/{id}/posts/{post_pk}/end/": DETAIL,
    "/accounts/{id}/sessions/": DETAIL,
    "/accounts/{id}/sessions/{session_pk}/": DETAIL,
    "/accounts/{id}/tokens/": DETAIL,
    "/accounts/{id}/tokens/{token_pk}/": DETAIL,
}

# Writes open to anyone signed in (the actor's own account) or to no one signed in: no right named.
OWN_WRITES = {"/auth/token/", "/me/password/", "/ballots/"}

# Served but left out of the schema on purpose: public, and checked here explicitly.
PUBLIC_UNLISTED = ("/schema/", "/docs/")


@dataclass
class Scene:
    """The world, seen from 微网格A: its objects (`inside`) and its neighbour's (`outside`)."""

    schema: dict[str, Any]
    grid_areas: set[int]
    inside: dict[str, int | None] = field(default_factory=dict)
    outside: dict[str, int] = field(default_factory=dict)


def _build() -> Scene:
    world = build_world()
    reg = build_registry(world)
    build_catalogue(world)
    users = world.users
    # a township officer of 罗村镇, who logs the visit there
    luocun_staff = account_create(
        actor=None, username="luocunstaff", full_name="罗村镇干部", password=PASSWORD
    )
    area_services.post_create(
        actor=None,
        person=luocun_staff,
        post_type=PostType.objects.get(code="township_officer"),
        area=world.luocun,
        started_on=START,
    )
    today = timezone.localdate()
    homes = (reg.home_a, reg.home_b, reg.home_luocun)
    visitors = (users["gridworker"], users["community"], luocun_staff)
    visits = [
        visit_services.visit_log(
            actor=visitor,
            data=visit_services.VisitInput(household=home.pk, visited_on=today, all_well=True),
        )[0]
        for visitor, home in zip(visitors, homes, strict=True)
    ]
    pairings = [
        visit_services.pairing_create(actor=None, household=reg.home_a, member=reg.father),
        visit_services.pairing_create(actor=None, household=reg.home_b, staff=users["community"]),
        visit_services.pairing_create(actor=None, household=reg.home_luocun, staff=luocun_staff),
    ]
    for area in (world.xiaozhen, world.luocun_village):
        visit_services.plan_rule_set(actor=None, area=area, tag="", interval_days=30)
    grids = (world.grid3a, world.grid3b, world.luocun_grid3)
    disputes = [screen(None, area) for area in grids]
    cases = [
        case_intake(
            actor=None,
            intake=Intake(matter="M001", channel="hotline", description="路灯不亮", area=area.pk),
        )[0]
        for area in grids
    ]
    relocated = [relocate(world, reg.home_a)]
    relocated += [relocate(world, home, actor=None, helper=None) for home in homes[1:]]
    for r in relocated:
        EntitlementItem.objects.filter(pk=items(r).first().pk).delete()
    omission_check()
    posts = {p.person.username: p.pk for p in Post.objects.select_related("person")}
    cadre, appraisal, sheet = cadre_scene(reg.villager, world.luocun_village)
    course = training_session(world, area=world.luocun)
    problem = asset_services.problem_record(
        actor=None,
        area=world.luocun_village,
        kind="debt",
        title="村集体欠款",
        found_on=START,
        amount_yuan=1000,
    )
    asset_services.asset_record(
        actor=None, area=world.luocun_village, kind="building", name="村委会旧址"
    )
    schema = APIClient().get(f"{API}/schema/", {"format": "json"})
    assert schema.status_code == 200, schema.content
    return Scene(
        schema=schema.json(),
        grid_areas=set(Area.objects.filter(world.grid3a.subtree_q()).values_list("pk", flat=True)),
        inside={
            "areas": world.grid3a.pk,
            "units": None,  # a micro grid holds no unit
            "posts": posts["gridworker"],
            "households": reg.home_a.pk,
            "residents": reg.father.pk,
            "cases": cases[0].pk,
            "visits": visits[0].pk,
            "pairings": pairings[0].pk,
            "disputes": disputes[0].pk,
            "accounts": users["gridworker"].pk,
            "relocation": relocated[0].pk,
            "community": None,  # a micro grid's worker sees no community's page
        },
        outside={
            "areas": world.grid3b.pk,
            "units": world.xiaozhen_station.pk,
            "posts": posts["community"],
            "households": reg.home_b.pk,
            "residents": reg.neighbour.pk,
            "cases": cases[1].pk,
            "visits": visits[1].pk,
            "pairings": pairings[1].pk,
            "disputes": disputes[1].pk,
            "accounts": users["community"].pk,
            "cadres": cadre.pk,
            "appraisals": appraisal.pk,
            "pay-sheets": sheet.pk,
            "training-sessions": course.pk,
            "asset-problems": problem.pk,
            "relocation": relocated[1].pk,
            "community": world.xiaozhen.pk,
        },
    )


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


def operations(scene: Scene) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path without the /api/v1 prefix, method, operation) for every operation served."""
    for full, item in sorted(scene.schema["paths"].items()):
        assert full.startswith(API), full
        for method in METHODS:
            if method in item:
                yield full[len(API) :], method, item[method]


def segment(path: str) -> str:
    return path.strip("/").split("/")[0]


def fill(path: str, first: int | None) -> str:
    """`path` with its first parameter set to `first` and any further one to a missing id."""
    params = PARAM.findall(path)
    for i, name in enumerate(params):
        value = first if i == 0 and first is not None else MISSING
        path = path.replace("{" + name + "}", str(value))
    return API + path


def call(client: APIClient, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, {}, format="json")


def shown(resp: Any) -> str:
    return f"{resp.status_code} {resp.content[:200]!r}"


def test_every_schema_path_is_known(scene: Scene) -> None:
    served = {full[len(API) :] for full in scene.schema["paths"]}
    new = sorted(served - PATHS.keys())
    assert not new, (
        f"new API paths {new}: add each to PATHS in tests/test_api_schema_scope.py, as a list, "
        "a detail (and its object in Scene.inside/outside) or a special case with the reason"
    )
    gone = sorted(PATHS.keys() - served)
    assert not gone, f"PATHS names paths the schema no longer serves: {gone}; remove them"


def test_anonymous_is_refused_everywhere_but_the_public_paths(scene: Scene, db: Any) -> None:
    anonymous = APIClient()
    wrong = []
    for path, method, _op in operations(scene):
        if PATHS.get(path, DETAIL).kind == "public":
            continue
        resp = call(anonymous, method, fill(path, scene.inside.get(segment(path)) or MISSING))
        if resp.status_code not in (401, 403):
            wrong.append(f"{method.upper()} {path}: {shown(resp)}")
    assert not wrong, "anonymous got through:\n" + "\n".join(wrong)
    for path in PUBLIC_UNLISTED:
        assert anonymous.get(API + path).status_code == 200, path
    credentials = {"username": "gridworker", "password": PASSWORD}
    assert anonymous.post(f"{API}/auth/token/", credentials).status_code == 400  # no code
    device = confirmed_device(User.objects.get(username="gridworker"))
    token = anonymous.post(f"{API}/auth/token/", {**credentials, "otp": fresh_code(device)})
    assert token.status_code == 200


@pytest.mark.parametrize("persona", ["nobody", "auditor"])
def test_no_right_is_403_on_every_operation(scene: Scene, db: Any, api: Any, persona: str) -> None:
    client = api(persona)
    wrong = []
    for path, method, _op in operations(scene):
        if PATHS.get(path, DETAIL).kind in ("public", "special"):
            continue
        target = scene.inside.get(segment(path)) or scene.outside.get(segment(path), MISSING)
        resp = call(client, method, fill(path, target))
        if resp.status_code != 403:
            wrong.append(f"{method.upper()} {path}: {shown(resp)}")
    assert not wrong, f"{persona} (no right) was not refused:\n" + "\n".join(wrong)


def test_every_write_names_its_right_before_the_body(scene: Scene) -> None:
    """Each POST/PUT/PATCH/DELETE view names the permission checked before its body is read
    (`core.rights.HoldsRight`), so a caller without it gets 403, never a 400 about fields."""
    unnamed = []
    for path, method, _op in operations(scene):
        if method == "get" or path in OWN_WRITES:
            continue
        view = resolve(fill(path, 1)).func.view_class  # type: ignore[attr-defined]
        if method_perm(view, method) is None:
            unnamed.append(f"{method.upper()} {path} ({view.__name__})")
    assert not unnamed, "writes without method_perms:\n" + "\n".join(unnamed)


def _rows(resp: Any) -> list[dict[str, Any]]:
    body = resp.json()
    return body["results"] if isinstance(body, dict) else body


def _area_id(row: dict[str, Any], key: str) -> int | None:
    value = row.get(key)
    return value["id"] if isinstance(value, dict) else value


def test_every_list_shows_the_grid_worker_only_its_grid(scene: Scene, db: Any, api: Any) -> None:
    worker, county = api("gridworker"), api("leader")
    wrong = []
    for path, method, op in operations(scene):
        rule = PATHS.get(path, listing())
        if method != "get" or PARAM.search(path) or rule.kind != "list":
            continue
        query = {"page_size": 500} if _paginated(op) else {}
        resp = worker.get(API + path, query)
        if resp.status_code == 403:
            continue  # no right to the list at all: sees nothing
        if resp.status_code != 200:
            wrong.append(f"{path}: {shown(resp)}")
            continue
        if rule.area is None:
            continue
        rows = _rows(resp)
        areas = {_area_id(r, rule.area) for r in rows} - {None}
        if not areas <= scene.grid_areas:
            wrong.append(f"{path}: rows of areas {sorted(areas - scene.grid_areas)} leak")
        if rule.own_rows and not areas:
            wrong.append(f"{path}: the grid worker sees none of its own rows (scene too thin?)")
        witness = {_area_id(r, rule.area) for r in _rows(county.get(API + path, query))}
        if not (witness - {None}) - scene.grid_areas:
            wrong.append(f"{path}: the scene has no row outside 微网格A here; add one to _build")
    assert not wrong, "lists out of the grid worker's scope:\n" + "\n".join(wrong)


def _paginated(op: dict[str, Any]) -> bool:
    return any(p["name"] == "page_size" for p in op.get("parameters", []))


def _needs_missing_permission(resp: Any) -> bool:
    return resp.status_code == 403 and resp.json().get("code") == "forbidden"


def test_every_detail_answers_out_of_scope_exactly_like_missing(
    scene: Scene, db: Any, api: Any
) -> None:
    worker = api("gridworker")
    wrong = []
    for path, method, _op in operations(scene):
        if PATHS.get(path, DETAIL).kind != "detail" or not PARAM.search(path):
            continue
        name = segment(path)
        assert name in scene.outside, f"{path}: give Scene.outside an object of '{name}'"
        out = call(worker, method, fill(path, scene.outside[name]))
        missing = call(worker, method, fill(path, MISSING))
        label = f"{method.upper()} {path}"
        if (out.status_code, out.content) != (missing.status_code, missing.content):
            wrong.append(f"{label}: out of scope {shown(out)} ≠ missing {shown(missing)}")
        elif out.status_code != 404 and not _needs_missing_permission(out):
            wrong.append(f"{label}: out of scope and missing answer {shown(out)}, not 404")
        own = scene.inside.get(name)
        if method == "get" and own is not None and len(PARAM.findall(path)) == 1:
            mine = worker.get(fill(path, own))
            if mine.status_code != 200 and not _needs_missing_permission(mine):
                wrong.append(f"{label}: the grid worker's own object answers {shown(mine)}")
    assert not wrong, "details that tell out of scope from missing:\n" + "\n".join(wrong)


def test_metrics_count_only_the_grid_s_rows(scene: Scene, db: Any, api: Any) -> None:
    worker, county = api("gridworker"), api("leader")
    for client in (worker, county):
        cases = client.get(f"{API}/cases/").json()["count"]
        assert client.get(f"{API}/metrics/cases/").json()["total"] == cases
        assert client.get(f"{API}/metrics/dashboard/").json()["figures"]["total"] == cases
        disputes = client.get(f"{API}/disputes/").json()["count"]
        figures = client.get(f"{API}/metrics/disputes/").json()["figures"]
        assert {f["code"]: f["value"] for f in figures}["found"] == disputes
    assert worker.get(f"{API}/cases/").json()["count"] == 1
    assert worker.get(f"{API}/disputes/").json()["count"] == 1
