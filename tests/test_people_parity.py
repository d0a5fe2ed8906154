"""The registry's rules hold alike on both write paths: `resident_register` and the ledger import.

One actor, one set of inputs; each path must refuse with the same code, or both accept. The actor
holds EDIT/IMPORT_PEOPLE over the whole community but VIEW_VULNERABLE only over micro grid A (a
role without it, plus a grid worker's post in grid A): holding the permission somewhere is not
enough to tag a resident of grid B as vulnerable (the ledger used to ask only `scope.has`).
"""

from __future__ import annotations

import pytest

from grassroots.areas import services as area_services
from grassroots.areas.models import PostType
from grassroots.core.errors import DomainError
from grassroots.core.roles import ROLE_PERMS, Perm, Role
from grassroots.people import services
from grassroots.people.models_ledger import ImportStatus
from grassroots.people.rules import may_tag_vulnerable, resident_refusals
from tests.conftest import START
from tests.test_ledger_support import (  # noqa: F401
    GRID_A,
    GRID_B,
    hh,
    ledger,
    ledger_settings,
    pid,
    problems_at,
    res,
    run_import,
)

# label, grid, service arguments, ledger cells (by header), the code both must give (None: ok)
CASES = [
    ("valid", "A", {}, {}, None),
    ("blank name", "A", {"name": ""}, {"姓名": ""}, "required"),
    ("bad ID number", "A", {"id_number": "12345"}, {"身份证号": "12345"}, "id_length"),
    ("bad phone", "A", {"phone": "12345"}, {"联系电话": "12345"}, "phone_length"),
    ("bad relation", "A", {"relation": "cousin"}, {"与户主关系": "表哥"}, "invalid_choice"),
    ("unknown tag", "A", {"tags": ["no_such"]}, {"标签": "no_such"}, "unknown_tag"),
    ("vulnerable, covered", "A", {"tags": ["disabled"]}, {"标签": "disabled"}, None),
    ("vulnerable, not covered", "B", {"tags": ["disabled"]}, {"标签": "disabled"}, "forbidden_tag"),
    ("plain tag, not covered", "B", {"tags": ["veteran"]}, {"标签": "veteran"}, None),
]


@pytest.fixture
def registrar(world, monkeypatch):
    """The community secretary, without VIEW_VULNERABLE except through a post in grid A."""
    role = Role.COMMUNITY_STAFF
    monkeypatch.setitem(ROLE_PERMS, role, ROLE_PERMS[role] - {Perm.VIEW_VULNERABLE})
    user = world.users["community"]
    area_services.post_create(
        actor=None,
        person=user,
        post_type=PostType.objects.get(code="grid3_worker"),
        area=world.grid3a,
        started_on=START,
    )
    return user


def _service(world, actor, n, grid, args):
    area = world.grid3a if grid == "A" else world.grid3b
    dwelling = services.dwelling_create(actor=None, area=area, address=f"服务路{n}号")
    household = services.household_create(actor=None, number=f"S-{n}", dwelling=dwelling)
    given = {"name": "服务甲", "id_number": pid(200 + n), "relation": "head", **args}
    try:
        services.resident_register(actor=actor, household=household, **given)
    except DomainError as exc:
        return exc.code
    return None


def _ledger(tmp_path, actor, n, grid, cells):
    number = f"L-{n}"
    cells = dict(cells)
    resident = res(
        number,
        cells.pop("姓名", "台账乙"),
        cells.pop("身份证号", pid(300 + n)),
        cells.pop("与户主关系", "户主"),
        **cells,
    )
    grid_code = GRID_A if grid == "A" else GRID_B
    path = ledger(tmp_path / f"p{n}.xlsx", [hh(number, grid_code)], [resident])
    job = run_import(path, actor=actor)
    codes = sorted({p["code"] for p in problems_at(job, "人", 2)})
    if not codes:
        assert job.status == ImportStatus.DONE, (job.message, job.problems)
        return None
    assert job.status == ImportStatus.FAILED
    assert len(codes) == 1, codes
    return codes[0]


@pytest.mark.parametrize("n", range(len(CASES)), ids=[c[0] for c in CASES])
def test_both_write_paths_refuse_and_accept_alike(world, registrar, tmp_path, n):
    # given
    _label, grid, args, cells, expected = CASES[n]
    # when
    by_service = _service(world, registrar, n, grid, args)
    by_ledger = _ledger(tmp_path, registrar, n, grid, cells)
    # then
    assert by_service == by_ledger == expected


def test_the_rule_is_pure_and_asks_for_coverage_not_possession(world, registrar):
    from grassroots.areas.scope import forget_scope, scope_for

    forget_scope(registrar)
    scope = scope_for(registrar)
    assert scope.has(Perm.VIEW_VULNERABLE)
    assert may_tag_vulnerable(scope, world.grid3a) and not may_tag_vulnerable(scope, world.grid3b)
    assert may_tag_vulnerable(None, world.grid3b)
    names = {"disabled": "残疾人", "veteran": "退役军人"}
    refused = resident_refusals(
        values={"name": " ", "relation": "head", "politics": "nope"},
        tags=["veteran", "disabled", "nope"],
        tag_names=names,
        vulnerable=["disabled"],
        may_tag_vulnerable=False,
    )
    assert [(r.field, r.code) for r in refused] == [
        ("name", "required"),
        ("politics", "invalid_choice"),
        ("tags", "forbidden_tag"),
        ("tags", "unknown_tag"),
    ]
    undecided = resident_refusals(tags=["disabled"], tag_names=names, vulnerable=["disabled"])
    assert undecided == []
