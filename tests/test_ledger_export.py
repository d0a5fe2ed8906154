"""Exports: masked by default, unmasked only with the permission and in its scope, audited with
the file's hash, formula-safe, identifiers as text; and the import template."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.core.errors import Forbidden
from grassroots.core.models import AuditEvent
from grassroots.people import services
from grassroots.people.errors import PeopleError
from grassroots.people.ledger.export import households_export, residents_export
from grassroots.people.ledger.template import template_bytes
from grassroots.people.selectors import ResidentFilters
from tests.conftest import person_id
from tests.test_ledger_support import ledger_settings, read_xlsx  # noqa: F401

FATHER = person_id(11)


def _sheet(result):
    content = result.handle.read()
    return content, read_xlsx(content)


def _column(rows, header):
    index = [c.value for c in rows[0]].index(header)
    return [r[index] for r in rows[1:]]


def test_resident_export_is_masked_by_default_and_audited(world, registry):
    community = world.users["community"]
    result = residents_export(actor=community, filters=ResidentFilters(within=world.xiaozhen.pk))
    content, sheets = _sheet(result)
    rows = sheets["人"]
    assert result.rows == 4 and len(rows) == 5
    ids = _column(rows, "身份证号")
    assert {c.value for c in ids} == {
        registry.father.id_number_masked,
        registry.mother.id_number_masked,
        registry.child.id_number_masked,
        registry.neighbour.id_number_masked,
    }
    assert all(c.data_type == "s" and c.number_format == "@" for c in ids)
    phones = {c.value for c in _column(rows, "联系电话")}
    assert "138****5678" in phones and "13812345678" not in phones
    relations = {c.value for c in _column(rows, "与户主关系")}
    assert relations == {"户主", "配偶", "子女"}
    audit = AuditEvent.objects.get(action="people.export")
    assert audit.changes["sha256"] == hashlib.sha256(content).hexdigest() == result.sha256
    assert audit.changes["rows"] == 4 and audit.changes["masked"] is True
    assert audit.changes["filters"]["within"] == world.xiaozhen.pk
    assert audit.actor_name == "community"


def test_export_has_the_lists_scope_and_filters(world, registry):
    community = world.users["community"]
    result = residents_export(actor=community, filters=ResidentFilters(q="王"))
    names = {c.value for c in _column(_sheet(result)[1]["人"], "姓名")}
    assert names == {"王建国", "王小明"}  # 罗村's 张村民 is out of scope anyway
    result = residents_export(actor=community, filters=ResidentFilters(id_number=FATHER))
    assert result.rows == 1
    audit = AuditEvent.objects.filter(action="people.export").latest("id")
    assert audit.changes["filters"]["id_number"] == registry.father.id_number_masked


def test_unmasked_export_needs_the_permission(world, registry):
    with pytest.raises(Forbidden):
        residents_export(actor=world.users["community"], unmasked=True, purpose="入户走访核对")


def test_unmasked_export_needs_a_purpose(world, registry):
    with pytest.raises(PeopleError) as caught:
        residents_export(actor=world.users["township"], unmasked=True, purpose="")
    assert caught.value.code == "purpose_required"


def test_unmasked_export_decrypts_within_its_scope(world, registry):
    result = residents_export(actor=world.users["township"], unmasked=True, purpose="入户走访核对")
    content, sheets = _sheet(result)
    rows = sheets["人"]
    ids = {c.value for c in _column(rows, "身份证号")}
    assert FATHER in ids and len(ids) == 4  # 灵泉镇 only: 罗村's villager is not there
    assert "13812345678" in {c.value for c in _column(rows, "联系电话")}
    assert all(c.data_type == "s" and c.number_format == "@" for c in _column(rows, "身份证号"))
    audit = AuditEvent.objects.get(action="people.export")
    assert audit.changes["masked"] is False and audit.changes["rows"] == 4
    assert audit.changes["sha256"] == hashlib.sha256(content).hexdigest()
    assert audit.changes["filters"]["purpose"] == "入户走访核对"
    assert FATHER not in str(audit.changes)


def test_formulas_come_back_as_neutralised_text(world, registry):
    services.resident_register(
        actor=None,
        household=registry.home_b,
        name='=HYPERLINK("http://evil.example","点我")',
        id_number=person_id(30, datetime.date(1990, 1, 1)),
        relation="other",
        occupation="@SUM(1+1)",
    )
    rows = _sheet(residents_export(actor=world.users["community"]))[1]["人"]
    names = [c for c in _column(rows, "姓名") if "HYPERLINK" in str(c.value)]
    (cell,) = names
    assert cell.value == '\'=HYPERLINK("http://evil.example","点我")' and cell.data_type == "s"
    assert "'@SUM(1+1)" in {c.value for c in _column(rows, "职业")}


def test_household_export(world, registry):
    result = households_export(actor=world.users["community"])
    rows = _sheet(result)[1]["户"]
    assert [c.value for c in rows[0]][:3] == ["户编号", "网格代码", "地址"]
    numbers = {c.value for c in _column(rows, "户编号")}
    assert numbers == {"H001", "H002"}
    assert {c.value for c in _column(rows, "户主")} == {"王建国", "赵大爷"}
    assert all(c.data_type == "s" and c.number_format == "@" for c in _column(rows, "网格代码"))
    audit = AuditEvent.objects.get(action="people.export")
    assert audit.object_type == "household" and audit.changes["rows"] == 2


def test_export_without_the_right_is_forbidden(world, registry):
    with pytest.raises(Forbidden):
        residents_export(actor=world.users["auditor"])


def test_the_template_explains_every_column(db):
    sheets = read_xlsx(template_bytes())
    assert list(sheets) == ["说明", "户", "人"]
    assert [c.value for c in sheets["户"][0]] == [
        "户编号", "网格代码", "地址", "楼栋/村组", "单元", "门牌/室", "备注"
    ]  # fmt: skip
    resident_headers = [c.value for c in sheets["人"][0]]
    assert resident_headers[:4] == ["户编号", "姓名", "身份证号", "与户主关系"]
    guide = {(r[0].value, r[1].value): r for r in sheets["说明"] if r[0].value in ("户", "人")}
    assert set(guide) == {("户", h) for h in [c.value for c in sheets["户"][0]]} | {
        ("人", h) for h in resident_headers
    } | {("人", h) for h in ("网格代码", "地址", "楼栋/村组", "单元", "门牌/室")}
    relation = guide[("人", "与户主关系")]
    assert relation[2].value == "必填" and "户主、配偶、子女" in relation[4].value
    assert len(guide[("人", "身份证号")][5].value) == 18  # the example


def test_export_queries_do_not_grow_with_rows(world, registry):
    community = world.users["community"]
    residents_export(actor=community)  # the actor's scope is read once, then cached
    with CaptureQueriesContext(connection) as few:
        residents_export(actor=community)
    for n in range(12):
        services.resident_register(
            actor=None,
            household=registry.home_b,
            name=f"新居民{n}",
            id_number=person_id(40 + n, datetime.date(1991, 1, 1)),
            relation="other",
            tags=["veteran"],
        )
    with CaptureQueriesContext(connection) as many:
        result = residents_export(actor=community)
    assert result.rows == 16
    assert len(many.captured_queries) == len(few.captured_queries)
