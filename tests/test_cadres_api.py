"""Cadres through the API and the services: scope, rights, the appraisal workflow, one-time
ballots, pay sheets and their .xlsx."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from grassroots.cadres import services, workflow
from grassroots.cadres.models import Appraisal, Ballot, PayLine, PayRule, PaySheet, Scheme
from grassroots.core.models import AuditEvent
from tests.cadres_support import ANNUAL, QUARTER, YEAR, cadre_with_terms, scored, year_confirmed

API = "/api/v1"
pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world, registry):
    """A cadre of 石楼小镇社区 (灵泉镇, the township persona's) and one of 罗村 (罗村镇)."""
    ours = cadre_with_terms(registry.father, world.xiaozhen, "secretary", "director")
    theirs = cadre_with_terms(registry.villager, world.luocun_village, "member")
    return ours, theirs


def ids(resp) -> set[int]:
    assert resp.status_code == 200, resp.content
    return {row["id"] for row in resp.json()}


def test_township_sees_its_villages_cadres_only_and_the_county_sees_all(two, api) -> None:
    ours, theirs = two
    assert ids(api("township").get(f"{API}/cadres/")) == {ours.pk}
    assert ids(api("orgdept").get(f"{API}/cadres/")) == {ours.pk, theirs.pk}
    assert api("gridworker").get(f"{API}/cadres/").status_code == 403
    out = api("township").get(f"{API}/cadres/{theirs.pk}/")
    missing = api("township").get(f"{API}/cadres/987654/")
    assert out.status_code == missing.status_code == 404
    assert out.content == missing.content


def test_both_posts_is_derived_from_overlapping_terms_and_the_phone_is_masked(two, api) -> None:
    ours, theirs = two
    body = api("orgdept").get(f"{API}/cadres/{ours.pk}/").json()
    assert body["holds_both_posts"] is True
    assert body["posts"] == ["secretary", "director"]
    assert body["phone"] == "138****5678"
    assert len(body["terms"]) == 2
    assert api("orgdept").get(f"{API}/cadres/{theirs.pk}/").json()["holds_both_posts"] is False


def test_phone_reveal_goes_through_the_audited_reveal(two, api) -> None:
    ours, _theirs = two
    client = api("township")
    short = client.post(f"{API}/cadres/{ours.pk}/reveal/", {"purpose": "联系"}, format="json")
    assert short.status_code == 400 and short.json()["detail"]["field"] == "purpose"
    resp = client.post(
        f"{API}/cadres/{ours.pk}/reveal/", {"purpose": "通知参加培训"}, format="json"
    )
    assert resp.status_code == 200 and resp.json()["phone"] == "13812345678"
    assert resp["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="cadre.reveal", object_id=str(ours.pk)).count() == 1


def test_scores_and_pay_need_their_own_rights(two, api, world) -> None:
    _ours, _theirs = two
    leader = api("leader")  # reads the registry, scores and pay; enters none of them
    assert leader.get(f"{API}/cadres/").status_code == 200
    assert leader.get(f"{API}/appraisals/").status_code == 200
    assert leader.get(f"{API}/pay-sheets/").status_code == 200
    assert leader.post(f"{API}/appraisals/", {}, format="json").status_code == 403
    assert leader.post(f"{API}/pay-sheets/", {}, format="json").status_code == 403
    dept = api("dept")  # a department handler: no cadres at all
    assert dept.get(f"{API}/appraisals/").status_code == 403
    assert dept.get(f"{API}/pay-sheets/").status_code == 403
    township = api("township")  # scores and sees pay, does not draw it
    assert township.get(f"{API}/appraisals/").status_code == 200
    draw = {"area": world.xiaozhen.pk, "year": YEAR, "month": 1}
    assert township.post(f"{API}/pay-sheets/", draw, format="json").status_code == 403
    assert township.post(f"{API}/cadres/", {}, format="json").status_code == 403
    assert api("orgdept").post(f"{API}/pay-sheets/", draw, format="json").status_code == 201


def test_the_appraisal_flow_locks_on_confirm_and_corrections_are_recorded(two, api) -> None:
    ours, _theirs = two
    client = api("township")
    for q in ("q1", "q2", "q3", "q4"):
        scored(None, ours, YEAR, q, QUARTER)
    opened = client.post(
        f"{API}/appraisals/", {"cadre": ours.pk, "year": YEAR, "period": "annual"}, format="json"
    )
    assert opened.status_code == 201
    pk = opened.json()["id"]
    for wrong, field in (
        (dict(ANNUAL, township=5), "township"),
        (dict(ANNUAL, pledges=7), "pledges"),
    ):
        resp = client.post(f"{API}/appraisals/{pk}/inputs/", {"inputs": wrong}, format="json")
        assert resp.status_code == 400 and resp.json()["detail"]["field"] == field
    bad = dict(ANNUAL, township={**ANNUAL["township"], "tasks": 120})
    resp = client.post(f"{API}/appraisals/{pk}/inputs/", {"inputs": bad}, format="json")
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "township.tasks"
    assert (
        client.post(f"{API}/appraisals/{pk}/inputs/", {"inputs": ANNUAL}, format="json").status_code
        == 200
    )

    def act(action, **extra):
        return client.post(
            f"{API}/appraisals/{pk}/actions/", {"action": action, **extra}, format="json"
        )

    assert act("confirm").status_code == 409  # draft: not yet
    assert act("collect").status_code == 200
    scored_ = act("score").json()
    assert (scored_["total"], scored_["stars"], scored_["grade"]) == ("89.88", 4, "competent")
    assert act("confirm").json()["state"] == "confirmed"
    locked = client.post(f"{API}/appraisals/{pk}/inputs/", {"inputs": ANNUAL}, format="json")
    assert locked.status_code == 409 and locked.json()["code"] == "locked"
    assert act("correct", inputs=dict(ANNUAL, penalty=True), approver="组织部").status_code == 400
    fixed = act(
        "correct", inputs=dict(ANNUAL, penalty=True), reason="补记党纪处分", approver="组织部"
    )
    assert fixed.status_code == 200 and fixed.json()["stars"] == 2
    detail = client.get(f"{API}/appraisals/{pk}/").json()
    correction = detail["events"][-1]
    assert correction["action"] == "correct" and correction["approver"] == "组织部"
    assert correction["changes"]["before"]["stars"] == 4
    assert correction["changes"]["after"]["stars"] == 2
    assert "penalty" in detail["result"]["caps"]


def test_an_annual_appraisal_needs_its_four_quarters(two) -> None:
    ours, _theirs = two
    scored(None, ours, YEAR, "q1", QUARTER)
    a = workflow.appraisal_open(actor=None, cadre=ours, year=YEAR, period="annual")
    workflow.appraisal_input(actor=None, appraisal=a, inputs=ANNUAL)
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    with pytest.raises(Exception) as err:
        workflow.appraisal_apply(appraisal_id=a.pk, action="score", actor=None)
    assert err.value.detail["field"] == "quarters.q2"
    assert Appraisal.objects.get(pk=a.pk).state == "collecting"


def test_a_ballot_code_counts_once_and_the_ballot_is_anonymous(two, api) -> None:
    ours, _theirs = two
    for q in ("q1", "q2", "q3", "q4"):
        scored(None, ours, YEAR, q, QUARTER)
    a = workflow.appraisal_open(actor=None, cadre=ours, year=YEAR, period="annual")
    paper = dict(
        ANNUAL, reviews={k: v for k, v in ANNUAL["reviews"].items() if k != "representatives"}
    )
    workflow.appraisal_input(actor=None, appraisal=a, inputs=paper)
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    resp = api("township").post(
        f"{API}/appraisals/{a.pk}/codes/", {"group": "representatives", "count": 2}, format="json"
    )
    first, second = resp.json()["codes"]
    rater = api()
    assert (
        rater.post(
            f"{API}/ballots/", {"code": first, "vote": "incompetent"}, format="json"
        ).status_code
        == 201
    )
    again = rater.post(f"{API}/ballots/", {"code": first, "vote": "excellent"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "code_used"
    assert (
        rater.post(f"{API}/ballots/", {"code": second, "score": "95"}, format="json").status_code
        == 201
    )
    assert Ballot.objects.filter(appraisal=a).count() == 2
    a = workflow.appraisal_apply(appraisal_id=a.pk, action="score", actor=None)
    # one 不称职 vote of two: 50% ≥ 30% → at most 2★ and a warning talk
    assert a.result["unfit_shares"]["representatives"] == "50.00"
    assert a.stars == 2 and a.warning_talk


def test_a_rater_group_without_ballots_cannot_be_scored(two) -> None:
    ours, _theirs = two
    for q in ("q1", "q2", "q3", "q4"):
        scored(None, ours, YEAR, q, QUARTER)
    paper = dict(
        ANNUAL, reviews={k: v for k, v in ANNUAL["reviews"].items() if k != "party_members"}
    )
    a = workflow.appraisal_open(actor=None, cadre=ours, year=YEAR, period="annual")
    workflow.appraisal_input(actor=None, appraisal=a, inputs=paper)
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    with pytest.raises(Exception) as err:
        workflow.appraisal_apply(appraisal_id=a.pk, action="score", actor=None)
    assert (err.value.code, err.value.detail["field"]) == ("no_ballots", "reviews.party_members")


def test_pay_sheets_lock_on_confirm_and_corrections_are_new_lines(two, api, world) -> None:
    ours, _theirs = two
    client = api("orgdept")
    drawn = client.post(
        f"{API}/pay-sheets/", {"area": world.xiaozhen.pk, "year": YEAR, "month": 12}, format="json"
    )
    assert drawn.status_code == 201
    sheet = drawn.json()
    # secretary since 2018 (7 years by Dec 2025) and director: 3000 + 200 + 300
    assert [line["amount"] for line in sheet["lines"]] == ["3500.00"]
    url = f"{API}/pay-sheets/{sheet['id']}"
    penalty = {"cadre": ours.pk, "amount": "-200.00", "reason": "会议缺席", "approver": "镇党委"}
    assert client.post(f"{url}/lines/", penalty, format="json").status_code == 201
    no_reason = dict(penalty, reason="")
    assert "reason" in client.post(f"{url}/lines/", no_reason, format="json").json()["detail"]
    assert client.post(f"{url}/confirm/", {}, format="json").json()["state"] == "confirmed"
    before = PayLine.objects.count()
    refused = client.post(f"{url}/lines/", penalty, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "locked"
    assert PayLine.objects.count() == before
    fix = dict(penalty, amount="200.00", reason="缺席系公务，撤销扣减", correction=True)
    body = client.post(f"{url}/lines/", fix, format="json").json()
    assert [line["kind"] for line in body["lines"]] == ["base", "penalty", "correction"]
    assert body["total"] == "3500.00"


def test_the_xlsx_totals_equal_the_sum_of_its_lines(two, api, world) -> None:
    ours, _theirs = two  # 罗村's cadre is not on 石楼小镇社区's sheet
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=3)
    services.sheet_adjust(
        actor=None, sheet=sheet, cadre=ours, amount="150.50", reason="表彰", approver="县委组织部"
    )
    resp = api("township").get(f"{API}/pay-sheets/{sheet.pk}/xlsx/")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[2]
    total_row = next(r for r in rows if r[0] == "合计")
    body = rows[3 : rows.index(total_row)]
    assert [r[1] for r in body] == [ours.resident.name]
    for col in range(3, len(header) - 1):
        assert Decimal(str(total_row[col])) == sum(Decimal(str(r[col])) for r in body), header[col]
    due = header.index("应发合计")
    assert Decimal(str(total_row[due])) == services.sheet_total(sheet) == Decimal("3650.50")
    assert AuditEvent.objects.filter(action="pay_sheet.export").exists()


def test_performance_sheet_from_confirmed_stars(two, world) -> None:
    ours, _theirs = two
    year_confirmed(None, ours)
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR)
    line = sheet.lines.get()
    assert (line.kind, line.amount) == ("performance", Decimal("13200.00"))  # 4★ × 1.1
    assert sheet.kind == "annual" and PaySheet.objects.count() == 1


def test_bad_configuration_is_refused_naming_the_field_and_writes_nothing(world, api) -> None:
    client = api("orgdept")
    township = [
        {"code": "a", "name": "党建", "weight": 50},
        {"code": "b", "name": "APP登录次数", "weight": 50, "measure": "logins"},
    ]
    resp = client.post(
        f"{API}/cadre-schemes/", {"year": YEAR, "config": {"township": township}}, format="json"
    )
    assert resp.status_code == 400
    assert (resp.json()["code"], resp.json()["detail"]["field"]) == (
        "activity_indicator",
        "township[1]",
    )
    bands = [
        {"min_years": 0, "max_years": 5, "step": 0},
        {"min_years": 3, "max_years": None, "step": 100},
    ]
    resp = client.post(
        f"{API}/cadre-pay-rules/", {"year": YEAR, "config": {"tenure_bands": bands}}, format="json"
    )
    assert (resp.json()["code"], resp.json()["detail"]["field"]) == (
        "tenure_bands",
        "tenure_bands[1]",
    )
    parts = {"quarterly": 40, "pledges": 20, "township": 30, "reviews": 20}
    resp = client.post(
        f"{API}/cadre-schemes/", {"year": YEAR, "config": {"parts": parts}}, format="json"
    )
    assert (resp.json()["code"], resp.json()["detail"]["field"]) == ("weights_not_100", "parts")
    assert not Scheme.objects.exists() and not PayRule.objects.exists()
    assert api("township").post(f"{API}/cadre-schemes/", {}, format="json").status_code == 403


def test_a_configured_scheme_applies_and_locks_with_the_year(two) -> None:
    ours, _theirs = two
    services.scheme_set(
        actor=None, year=YEAR, config={"star_thresholds": {"5": 99, "4": 98, "3": 97, "2": 60}}
    )
    a = year_confirmed(None, ours)
    assert a.stars == 2
    with pytest.raises(Exception) as err:
        services.scheme_set(actor=None, year=YEAR, config={})
    assert err.value.code == "locked"


def test_term_dates_are_checked(two) -> None:
    ours, _theirs = two
    with pytest.raises(Exception) as err:
        services.term_add(
            actor=None,
            cadre=ours,
            post="member",
            started_on=datetime.date(2024, 1, 2),
            ended_on=datetime.date(2024, 1, 1),
        )
    assert err.value.detail["field"] == "ended_on"
    with pytest.raises(Exception) as err:
        services.term_add(
            actor=None, cadre=ours, post="secretary", started_on=datetime.date(2020, 1, 1)
        )
    assert err.value.detail["field"] == "started_on"


def test_lists_are_scoped_and_cost_the_same_whatever_their_length(
    two, api, world, django_assert_max_num_queries
) -> None:
    ours, theirs = two
    for cadre in (ours, theirs):
        workflow.appraisal_open(actor=None, cadre=cadre, year=YEAR, period="q1")
    services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=1)
    services.sheet_draw(actor=None, area=world.luocun_village, year=YEAR, month=1)
    township, county = api("township"), api("orgdept")
    assert {r["cadre"] for r in township.get(f"{API}/appraisals/").json()} == {ours.pk}
    assert len(county.get(f"{API}/appraisals/").json()) == 2
    assert {r["area"] for r in township.get(f"{API}/pay-sheets/").json()} == {world.xiaozhen.pk}
    assert len(county.get(f"{API}/pay-sheets/").json()) == 2
    with django_assert_max_num_queries(12):
        assert len(county.get(f"{API}/cadres/").json()) == 2
    with django_assert_max_num_queries(12):
        county.get(f"{API}/appraisals/")


def test_prefill_reads_outcomes_the_platform_records(two, api, world) -> None:
    from django.utils import timezone

    from tests.disputes_support import screen

    _ours, theirs = two
    screen(None, world.luocun_grid3)  # found today in 罗村, still open: 0 of 1 settled
    year = timezone.localdate().year
    a = workflow.appraisal_open(actor=None, cadre=theirs, year=year, period="annual")
    client = api("orgdept")
    resp = client.post(f"{API}/appraisals/{a.pk}/prefill/", {}, format="json")
    assert resp.status_code == 200 and resp.json()["filled"] == {"stability": "0.00"}
    assert Appraisal.objects.get(pk=a.pk).inputs["township"] == {"stability": "0.00"}
    q = workflow.appraisal_open(actor=None, cadre=theirs, year=year, period="q1")
    # no case of 罗村 resolved in the quarter: nothing measured, nothing filled
    assert client.post(f"{API}/appraisals/{q.pk}/prefill/", {}, format="json").json() == {
        "filled": {}
    }


def _xlsx(rows) -> io.BytesIO:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "ballots.xlsx"
    return out


def test_paper_ballots_import_all_or_nothing_naming_the_row(two, api) -> None:
    ours, _theirs = two
    for q in ("q1", "q2", "q3", "q4"):
        scored(None, ours, YEAR, q, QUARTER)
    a = workflow.appraisal_open(actor=None, cadre=ours, year=YEAR, period="annual")
    workflow.appraisal_apply(appraisal_id=a.pk, action="collect", actor=None)
    client = api("township")
    url = f"{API}/appraisals/{a.pk}/ballots/"
    template = client.get(url)
    assert template.status_code == 200 and template.content[:2] == b"PK"
    header = ("评议组", "评议意见", "分数")
    bad = _xlsx([header, ("党员评议", "称职", None), ("村民代表评议", "优秀", 90)])
    resp = client.post(url, {"file": bad}, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["detail"] == {"field": "分数", "row": 3}
    assert not Ballot.objects.exists()
    good = _xlsx(
        [
            header,
            ("党员评议", "称职", None),
            ("乡镇党委评议", None, 88),
            ("representatives", "不称职", None),
        ]
    )
    resp = client.post(url, {"file": good}, format="multipart")
    assert resp.status_code == 201 and resp.json() == {"counted": 3}
    assert sorted(Ballot.objects.values_list("group", flat=True)) == [
        "party_members",
        "representatives",
        "township_committee",
    ]
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    assert client.post(url, {"file": junk}, format="multipart").json()["detail"]["field"] == "file"
