"""The auditor's audit log page: human labels, names with posts, filters, detail, case events."""

from __future__ import annotations

import datetime
import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.module_loading import module_has_submodule

import grassroots
from grassroots.cases.models import Case, CaseEvent
from grassroots.core.audit import audit_catalogue, audit_record
from grassroots.core.models import AuditEvent
from grassroots.people.services import resident_reveal
from tests.conftest import inside, person_id, signed_in
from tests.test_cases_flow import act, intake


@pytest.fixture(autouse=True)
def _chinese_afterwards():
    """Requests in English leave English active in this thread; later tests expect Chinese."""
    yield
    translation.deactivate()


SRC = Path(grassroots.__file__).parent


def _enum_members() -> dict[str, str]:
    """`{"CaseAuditAction.ATTACH": "case.attach", …}`: every StrEnum member in the source."""
    named = {}
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for name, body in re.findall(
            r"^class (\w+)\((?:enum\.)?StrEnum\):\n((?:\n|    .*\n)*)", text, re.M
        ):
            for member, value in re.findall(r'^    ([A-Z][A-Z0-9_]*) = "([^"]*)"', body, re.M):
                named[f"{name}.{member}"] = value
    return named


def _codes_named_in_enums() -> set[str]:
    """Every member of each app's audit-action enum (`<app>.auditlog.<App>CoreAuditAction`)."""
    codes: set[str] = set()
    for config in apps.get_app_configs():
        if config.name.startswith("grassroots.") and module_has_submodule(
            config.module, "auditlog"
        ):
            module = importlib.import_module(f"{config.name}.auditlog")
            for name, value in vars(module).items():
                if name.endswith("CoreAuditAction") and isinstance(value, type):
                    codes |= {str(member) for member in value}
    return codes


def _codes_written_in_the_source() -> set[str]:
    """Every action code passed to audit_record (or to the people app's helper): a literal, or a
    member of an app's audit-action StrEnum (`action=CaseAuditAction.ATTACH`), and every member
    of those enums."""
    codes = _codes_named_in_enums()
    named = _enum_members()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        if not any(w in text for w in ("audit_record", "_audit_resident", "sealed_reveal(")):
            continue
        # each audit_record( call's own arguments (up to the next call), not other `action=`s
        for call in text.split("audit_record(")[1:]:
            codes |= set(re.findall(r'^[^#]{0,400}?\baction="([a-z0-9_.]+)"', call, re.S)[:1])
            members = re.findall(
                r"^[^#]{0,400}?\baction=([A-Za-z]\w*\.[A-Z][A-Z0-9_]*)\b", call, re.S
            )
            codes |= {named[m] for m in members[:1] if m in named}
        codes |= set(re.findall(r'\b_audit\(\s*\w+,\s*"([a-z0-9_.]+)"', text))
        members = re.findall(r"\b_audit\(\s*\w+,\s*([A-Za-z]\w*\.[A-Z][A-Z0-9_]*)\b", text)
        codes |= {named[m] for m in members if m in named}
        # people.sealed_reveal audits `<object_type>.reveal`
        codes |= {
            f"{t}.reveal"
            for t in re.findall(r'sealed_reveal\(.{0,400}?object_type="([a-z0-9_]+)"', text, re.S)
        }
        codes |= set(re.findall(r'_audit_resident\(\s*\w+,\s*"([a-z0-9_.]+)"', text))
    return codes


def test_every_audit_code_in_the_source_has_a_label(db):
    cat = audit_catalogue()
    codes = _codes_written_in_the_source()
    assert {"login", "resident.reveal", "case.reveal", "people.import", "case.attach"} <= codes
    unlabelled = sorted(c for c in codes if cat.action_label(c) == c)
    assert unlabelled == [], "add labels to the app's auditlog.py: " + ", ".join(unlabelled)
    for result in ("ok", "failed", "locked", "rejected"):
        assert cat.result_label(result) != result


def _case(api, world):
    """A case through the API: created, dispatched at intake, accepted by the station."""
    case = intake(
        api("hotline"), matter="M001", description="路灯不亮", location=inside(world.grid3a)
    ).json()
    act(api("community"), case["id"], "accept")
    return Case.objects.get(pk=case["id"])


@pytest.fixture
def logged(world, registry, catalogue, api):
    """A reveal with a purpose, a failed login, and a case's workflow events."""
    resident_reveal(
        actor=world.users["township"],
        resident=registry.father,
        field="id_number",
        purpose="核对低保申请材料",
    )
    audit_record(actor=None, actor_name="ghost", action="login", result="failed")
    return _case(api, world)


def _table(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_log_reads_as_people_speak(logged):
    html = _table(signed_in("auditor").get("/audit/").content.decode())
    # labels, not codes
    assert "查看完整证件号或电话" in html and "resident.reveal" not in html
    assert "失败" in html and ">ok<" not in html
    # the actor by name, with the post held that day
    assert "测试township" in html and "township_officer（灵泉镇 灵泉镇便民服务中心）" in html
    # case workflow events are in the same list
    assert "签收" in html and "诉求办理" in html and logged.number in html


def test_a_reveal_shows_its_purpose_and_never_the_value(logged, registry):
    auditor = signed_in("auditor")
    event = AuditEvent.objects.get(action="resident.reveal")
    resp = auditor.get(f"/audit/log/{event.pk}/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "核对低保申请材料" in html and "查看用途" in html and "身份证号" in html
    assert person_id(11) not in html
    assert "测试township" in html and "居民" in html


def test_a_case_event_in_detail(logged):
    event = CaseEvent.objects.get(case=logged, action="accept")
    html = signed_in("auditor").get(f"/audit/case/{event.pk}/").content.decode()
    assert "签收" in html and logged.number in html
    assert "已派单" in html and "已签收" in html  # from → to state
    assert "测试community" in html
    assert "路灯不亮" not in html  # the case's content stays with the case


def test_filter_case_actions(logged):
    auditor = signed_in("auditor")
    page = auditor.get("/audit/", {"group": "cases"})
    kinds = {r["r_kind"] for r in page.context["rows"]}
    assert kinds == {"case"} and len(page.context["rows"]) == CaseEvent.objects.count()
    accept = auditor.get("/audit/", {"action": "case.accept"}).context["rows"]
    assert [r["r_action"] for r in accept] == ["case.accept"]
    by_number = auditor.get("/audit/", {"object_type": "case", "object_id": logged.number})
    assert {r["r_object_label"] for r in by_number.context["rows"]} == {logged.number}
    assert len(by_number.context["rows"]) == CaseEvent.objects.filter(case=logged).count()


def test_filter_by_who_what_object_and_result(logged, registry):
    auditor = signed_in("auditor")
    rows = auditor.get("/audit/", {"who": "测试township"}).context["rows"]
    assert rows and all(r["r_actor_name"] == "township" for r in rows)
    rows = auditor.get("/audit/", {"who": "ghost", "result": "failed"}).context["rows"]
    assert [(r["r_action"], r["r_result"]) for r in rows] == [("login", "failed")]
    rows = auditor.get(
        "/audit/", {"object_type": "resident", "object_id": str(registry.father.pk)}
    ).context["rows"]
    assert {r["r_action"] for r in rows} == {"resident.register", "resident.reveal"}
    assert all(r["r_kind"] == "log" for r in rows)


def test_filter_by_dates(logged):
    auditor = signed_in("auditor")
    today = datetime.date.today()
    everything = auditor.get("/audit/").context["page_obj"].paginator.count
    todays = auditor.get("/audit/", {"date_from": today, "date_to": today})
    assert todays.context["page_obj"].paginator.count == everything
    tomorrow = today + datetime.timedelta(days=1)
    later = auditor.get("/audit/", {"date_from": tomorrow})
    assert later.status_code == 200 and later.context["rows"] == []


@pytest.mark.parametrize(
    ("params", "label"),
    [
        ({"date_from": "2026-13-45"}, "起始日期"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "截止日期"),
        ({"action": "no.such.code"}, "操作"),
        ({"object_type": "spaceship"}, "对象类型"),
        ({"who": "x" * 200}, "操作人"),
    ],
)
def test_an_invalid_filter_names_its_field(world, params, label):
    resp = signed_in("auditor").get("/audit/", params)
    assert resp.status_code == 400
    assert f"筛选条件“{label}”无效" in resp.content.decode()


def test_pages_of_fifty(world):
    for i in range(60):
        audit_record(actor=None, action="area.update", object_type="area", object_id=i)
    auditor = signed_in("auditor")
    first = auditor.get("/audit/", {"group": "areas"})
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    assert "group=areas&amp;page=2" in html
    areas = next(g for g in audit_catalogue().groups if g.code == "areas")
    in_group = AuditEvent.objects.filter(action__in=areas.actions).count()
    assert first.context["page_obj"].paginator.count == in_group
    second = auditor.get("/audit/", {"group": "areas", "page": 2})
    assert len(second.context["rows"]) == in_group - 50


def test_query_count_does_not_grow_with_the_rows(world, catalogue, api):
    auditor = signed_in("auditor")
    _case(api, world)
    with CaptureQueriesContext(connection) as few:
        assert auditor.get("/audit/").status_code == 200
    # more cases, more actors, more posts on the page: the same queries
    for _i in range(4):
        _case(api, world)
    audit_record(actor=world.users["leader"], action="login")
    with CaptureQueriesContext(connection) as many:
        assert auditor.get("/audit/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries) <= 12


@pytest.mark.parametrize("username", ["leader", "secadmin", "admin", "gridworker", "nobody"])
def test_only_the_auditor_reads_the_log(logged, username):
    client = signed_in(username)
    event = AuditEvent.objects.first()
    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/log/{event.pk}/").status_code == 403


def test_missing_entries_are_not_found(world):
    auditor = signed_in("auditor")
    assert auditor.get("/audit/log/999999/").status_code == 404
    assert auditor.get("/audit/case/999999/").status_code == 404
    assert auditor.get("/audit/nothing/1/").status_code == 404


def test_english_labels(logged):
    auditor = signed_in("auditor")
    auditor.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = _table(auditor.get("/audit/").content.decode())
    assert "Reveal a full ID number or phone" in html and "Failed" in html


def _auditlog_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("grassroots.") and module_has_submodule(
            config.module, "auditlog"
        ):
            yield config.label, importlib.import_module(f"{config.name}.auditlog")


def test_each_app_names_its_audit_actions_once():
    # every app that writes audit rows names its actions in one <App>AuditAction enum, and the
    # labels the auditor reads are keyed by exactly those members: one place for both (besides
    # the case workflow's events, labelled from the workflow's own Action choices)
    for label, module in _auditlog_modules():
        enums = [v for k, v in vars(module).items() if k.endswith("AuditAction")]
        labelled = {code for group in getattr(module, "GROUPS", []) for code in group.actions}
        labelled -= set(getattr(module, "WORKFLOW", {}))
        if not labelled:
            continue
        assert len(enums) == 1, f"{label}: one <App>AuditAction enum in auditlog.py"
        members = {str(m) for m in enums[0]}
        assert labelled == members, f"{label}: labels and enum differ: {labelled ^ members}"
