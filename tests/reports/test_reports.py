"""一表通 on the test world: definitions refused naming the field, scope (404 outside, 403
without the right), the request → generate → confirm flow with the file's hash, the audit,
formula-safe cells, the pages and the API."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from grassroots.core.errors import Forbidden, NotFound
from grassroots.core.models import AuditEvent
from grassroots.reports import services
from grassroots.reports.definition import definition_parse
from grassroots.reports.errors import ReportConflict, ReportError
from grassroots.reports.fill import Cell
from grassroots.reports.models import LedgerTemplate, ReportAnswer
from grassroots.reports.preloaded import PRELOADED
from grassroots.reports.xlsx import _put
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "纠纷台账",
    "rows": "disputes",
    "period": "month",
    "columns": [{"source": "number"}, {"label": "涉及金额", "unknown": "平台不记录"}],
}


def test_every_preloaded_template_is_a_valid_definition_and_is_loaded() -> None:
    codes = set(LedgerTemplate.objects.filter(builtin=True).values_list("code", flat=True))
    assert codes == {t["code"] for t in PRELOADED}
    assert len(codes) == 8
    for t in PRELOADED:
        parsed = definition_parse(t["definition"])
        assert parsed.columns, t["code"]
        assert any(c.unknown for c in parsed.columns), f"{t['code']} names no blank column"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rows": "salaries"}, "rows"),
        ({"colour": "red"}, "colour"),
        ({"title": ""}, "title"),
        ({"period": "week"}, "period"),
        ({"columns": []}, "columns"),
        ({"columns": [{"source": "number"}, {"source": "__class__"}]}, "columns[1].source"),
        ({"columns": [{"source": "number", "format": "x"}]}, "columns[0].format"),
        ({"columns": [{"label": "金额", "unknown": "", "source": "number"}]}, "columns[0].source"),
        ({"columns": [{"label": "金额", "unknown": ""}]}, "columns[0].unknown"),
        ({"filters": {"state": "won"}}, "filters.state"),
        ({"filters": {"colour": "red"}}, "filters.colour"),
        ({"rows": "relocated_households", "columns": [{"source": "household"}]}, "period"),
        ({"level": "grid3"}, "level"),
        ({"total": "yes"}, "total"),
        ({"signatures": [1]}, "signatures"),
    ],
)
def test_a_bad_definition_is_refused_naming_the_field_and_nothing_is_saved(
    world, change, field
) -> None:
    bad = {**GOOD, **change}
    with pytest.raises(ReportError) as refused:
        services.template_save(
            actor=world.users["orgdept"], code="county-disputes", name="纠纷台账", definition=bad
        )
    assert refused.value.detail["field"] == field
    assert not LedgerTemplate.objects.filter(code="county-disputes").exists()
    with pytest.raises(ValidationError):
        LedgerTemplate(code="x", name="x", definition=bad).clean()


def test_a_county_adds_a_template_audited_and_a_builtin_one_is_not_changed(world) -> None:
    org = world.users["orgdept"]
    saved = services.template_save(actor=org, code="county-disputes", name="纠纷", definition=GOOD)
    assert saved.definition == GOOD and not saved.builtin
    event = AuditEvent.objects.get(action="report_template.save")
    assert event.object_id == str(saved.pk)
    with pytest.raises(ReportError) as refused:
        services.template_save(actor=org, code="dispute-ledger", name="x", definition=GOOD)
    assert refused.value.detail["field"] == "code"
    with pytest.raises(Forbidden):
        services.template_save(
            actor=world.users["township"], code="mine", name="x", definition=GOOD
        )


def _hotline() -> LedgerTemplate:
    return LedgerTemplate.objects.get(code="hotline-12345-monthly")


def test_filling_outside_the_scope_is_not_found_and_without_the_right_forbidden(world) -> None:
    t = _hotline()
    community, township = world.users["community"], world.users["township"]
    with pytest.raises(NotFound):
        services.template_fill(
            actor=community, template=t, area_pk=world.lingquan.pk, period="2026-10"
        )
    with pytest.raises(NotFound):
        services.template_fill(
            actor=township, template=t, area_pk=world.luocun.pk, period="2026-10"
        )
    with pytest.raises(Forbidden):
        services.template_fill(
            actor=world.users["nobody"], template=t, area_pk=world.lingquan.pk, period="2026-10"
        )
    # the cadres' ledger needs the scores' right, which a community's staff do not hold
    secretaries = LedgerTemplate.objects.get(code="secretary-appraisal-ledger")
    with pytest.raises(Forbidden):
        services.template_fill(
            actor=community, template=secretaries, area_pk=world.xiaozhen.pk, period="2025"
        )
    filled = services.template_fill(
        actor=township, template=t, area_pk=world.lingquan.pk, period="2026-10"
    )
    assert [r.cells[0].value for r in filled.rows] == ["石楼小镇社区", "胡家峪村"]
    # an area's name opens the same ledger for that area, a figure the list of its rows
    assert filled.rows[0].cells[0].link == f"?within={world.xiaozhen.pk}&period=2026-10"
    assert filled.rows[0].cells[1].link == (
        f"/cases/?figure=received&within={world.xiaozhen.pk}&from=2026-10-01&to=2026-11-01&all=1"
    )


def test_the_pages_answer_404_out_of_scope_and_the_ledger_names_its_blank_columns(world) -> None:
    client = signed_in("township")
    ok = client.get(f"/reports/t/hotline-12345-monthly/?within={world.lingquan.pk}&period=2026-10")
    assert ok.status_code == 200
    page = ok.content.decode()
    assert "data-unknown-note" in page and "省级平台转办件数" in page
    assert f"/cases/?figure=received&amp;within={world.xiaozhen.pk}" in page
    assert (
        client.get(f"/reports/t/hotline-12345-monthly/?within={world.luocun.pk}").status_code == 404
    )
    assert client.get("/reports/t/no-such-template/").status_code == 404
    bad = client.get(f"/reports/t/hotline-12345-monthly/?within={world.lingquan.pk}&period=2026-13")
    assert bad.status_code == 400
    xlsx = client.get(
        f"/reports/t/dispute-ledger/ledger.xlsx?within={world.lingquan.pk}&period=2026"
    )
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/reports/").status_code == 200
    assert signed_in("nobody").get("/reports/").status_code == 403


def test_a_request_is_answered_by_generation_and_confirmation_and_the_issuer_sees_who(
    world,
) -> None:
    leader, township = world.users["leader"], world.users["township"]
    req = services.request_issue(actor=leader, template=_hotline(), period="2026-10")
    answers = {a.area.name: a for a in ReportAnswer.objects.filter(request=req)}
    assert set(answers) == {"灵泉镇", "罗村镇"} and req.issuer_area == world.county
    assert all(a.state == "pending" for a in answers.values())

    # the township confirms its own answer: generated from records, the file and hash kept
    confirmed = services.answer_confirm(actor=township, answer_pk=answers["灵泉镇"].pk)
    assert confirmed.state == "confirmed" and confirmed.confirmed_by == township
    assert confirmed.sha256 == hashlib.sha256(bytes(confirmed.content)).hexdigest()
    book = load_workbook(io.BytesIO(bytes(confirmed.content)))
    assert book.worksheets[0]["A1"].value == "12345政务服务便民热线工单办理情况月报"
    assert AuditEvent.objects.filter(action="report_answer.confirm", result="ok").count() == 1
    assert AuditEvent.objects.filter(action="report_request.issue").count() == 1

    # not twice, and never another township's answer
    with pytest.raises(ReportConflict):
        services.answer_confirm(actor=township, answer_pk=answers["灵泉镇"].pk)
    with pytest.raises(NotFound):
        services.answer_confirm(actor=township, answer_pk=answers["罗村镇"].pk)

    # the issuer sees both, who confirmed and who has not; the township only its own
    page = signed_in("leader").get(f"/reports/requests/{req.pk}/").content.decode()
    assert page.count("data-answer=") == 2
    assert 'data-state="confirmed"' in page and 'data-state="pending"' in page
    assert confirmed.sha256 in page
    own = signed_in("township").get(f"/reports/requests/{req.pk}/").content.decode()
    assert own.count("data-answer=") == 1
    assert signed_in("community").get(f"/reports/requests/{req.pk}/").status_code == 404
    download = signed_in("leader").get(f"/reports/answers/{confirmed.pk}/file.xlsx")
    assert hashlib.sha256(download.content).hexdigest() == confirmed.sha256


def test_only_county_roles_issue_and_only_to_their_areas(world) -> None:
    with pytest.raises(Forbidden):
        services.request_issue(actor=world.users["township"], template=_hotline(), period="2026-10")
    leader = world.users["leader"]
    chosen = services.request_issue(
        actor=leader, template=_hotline(), period="2026-10", areas=[world.luocun.pk]
    )
    assert list(chosen.answers.values_list("area__name", flat=True)) == ["罗村镇"]
    with pytest.raises(ReportError) as refused:
        services.request_issue(actor=leader, template=_hotline(), period="2026-10", areas=[999999])
    assert refused.value.detail["field"] == "areas"
    with pytest.raises(ReportError) as refused:
        services.request_issue(actor=leader, template=_hotline(), period="October")
    assert refused.value.detail["field"] == "period"


def test_the_api_fills_issues_and_confirms(world, api) -> None:
    leader, township = api("leader"), api("township")
    filled = township.get(
        f"/api/v1/reports/templates/hotline-12345-monthly/fill/?within={world.lingquan.pk}&period=2026-10"
    )
    assert filled.status_code == 200
    body = filled.json()
    assert [c["label"] for c in body["unknown"]] == ["省级平台转办件数"]
    assert body["rows"][0]["cells"][1]["link"].startswith("/cases/?figure=received")
    assert (
        township.get(
            f"/api/v1/reports/templates/hotline-12345-monthly/fill/?within={world.luocun.pk}"
        ).status_code
        == 404
    )
    issued = leader.post(
        "/api/v1/reports/requests/",
        {"template": "dispute-ledger", "period": "2026"},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    answer = next(a for a in issued.json()["answers"] if a["area"] == world.lingquan.pk)
    assert (
        township.post(
            "/api/v1/reports/requests/", {"template": "dispute-ledger"}, format="json"
        ).status_code
        == 403
    )
    done = township.post(f"/api/v1/reports/answers/{answer['id']}/confirm/")
    assert done.status_code == 200 and done.json()["state"] == "confirmed"
    again = township.post(f"/api/v1/reports/answers/{answer['id']}/confirm/")
    assert again.status_code == 409
    bad = api("orgdept").post(
        "/api/v1/reports/templates/",
        {"code": "mine", "name": "x", "definition": {**GOOD, "rows": "salaries"}},
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["detail"]["field"] == "rows"


def test_cells_cannot_run_as_formulas(world) -> None:
    # a county's title, labels and reasons, and record text, all start like formulas
    evil = {
        "title": '=HYPERLINK("http://x","台账")',
        "rows": "areas",
        "period": "month",
        "columns": [
            {"source": "name", "label": "+区域"},
            {"source": "figure:received", "group": "@受理"},
            {"label": "-备注", "unknown": "=1+1"},
        ],
    }
    t = services.template_save(actor=world.users["orgdept"], code="evil", name="x", definition=evil)
    content, _name, _filled = services.ledger_export(
        actor=world.users["leader"], template=t, area_pk=world.lingquan.pk, period="2026-10"
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts and not [t for t in texts if t[0] in "=+-@\t\r"]
    assert ws["A1"].value.startswith("'=")
    from openpyxl import Workbook

    sheet = Workbook().worksheets[0]
    _put(sheet, 1, 1, Cell("=cmd|' /C calc'!A0"))
    _put(sheet, 1, 2, Cell("@SUM(1)", text=True))
    assert sheet["A1"].value.startswith("'=") and sheet["B1"].value.startswith("'@")


def test_a_ledger_costs_a_fixed_number_of_queries_and_masks_personal_numbers(
    world, registry, django_assert_max_num_queries
) -> None:
    people = {
        "title": "居民花名册",
        "rows": "residents",
        "period": "none",
        "columns": [
            {"source": "name"},
            {"source": "id_number"},
            {"source": "phone"},
            {"source": "household"},
        ],
    }
    t = services.template_save(
        actor=world.users["orgdept"], code="roster", name="x", definition=people
    )
    township = world.users["township"]
    with django_assert_max_num_queries(12):
        filled = services.template_fill(
            actor=township, template=t, area_pk=world.lingquan.pk, period=""
        )
    names = [r.cells[0].value for r in filled.rows]
    assert sorted(names) == sorted(["王建国", "李秀英", "王小明", "赵大爷"])  # not 罗村's
    content, _name, _filled = services.ledger_export(
        actor=township, template=t, area_pk=world.lingquan.pk, period=""
    )
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "13812345678" not in cells and "138****5678" in cells
    assert not [c for c in cells if len(c) == 18 and c[:17].isdigit()]
    households = {
        **people,
        "rows": "households",
        "columns": [{"source": "number"}, {"source": "members"}],
    }
    t2 = services.template_save(
        actor=world.users["orgdept"], code="homes", name="x", definition=households
    )
    with django_assert_max_num_queries(12):
        filled = services.template_fill(
            actor=township, template=t2, area_pk=world.lingquan.pk, period=""
        )
    assert [[c.value for c in r.cells] for r in filled.rows] == [["H001", 3], ["H002", 1]]
