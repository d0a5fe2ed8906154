"""Collective assets (清化收): problems, actions with evidence, recoveries, totals, figures and
scope, through the services and the API."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from grassroots.assets import services
from grassroots.assets.models import Problem, ProblemAction
from grassroots.cases.attachments import CleanFile
from grassroots.core.models import AuditEvent
from grassroots.figures import counts, registry
from tests.conftest import signed_in

API = "/api/v1"
pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 1)


def png(name: str = "协议.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue())


def evidence() -> CleanFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return CleanFile("退还协议.png", "image/png", out.getvalue())


def dam_land_problem(world) -> Problem:
    land = services.asset_record(
        actor=None,
        area=world.hujiayu,
        kind="land",
        name="后沟坝地",
        land_type="dam_land",
        area_mu=50,
    )
    return services.problem_record(
        actor=None,
        area=world.hujiayu,
        asset=land,
        kind="mortgaged",
        title="原村干部将50亩坝沟地抵押给村民",
        found_on=DAY,
        area_mu=50,
    )


def test_a_status_change_without_evidence_is_refused_and_nothing_written(world, api) -> None:
    p = dam_land_problem(world)
    url = f"{API}/asset-problems/{p.pk}/actions/"
    client = api("township")
    resp = client.post(url, {"description": "约谈原村干部", "status": "in_progress"})
    assert resp.status_code == 400
    assert resp.json()["code"] == "evidence_required"
    assert resp.json()["detail"]["field"] == "evidence"
    p.refresh_from_db()
    assert p.status == "open" and not ProblemAction.objects.exists()
    # an action without a status change needs no evidence
    resp = client.post(url, {"description": "入户核实抵押情况"})
    assert resp.status_code == 201, resp.content
    # with evidence, the status moves and the audit row says from what to what
    resp = client.post(
        url,
        {"description": "约谈原村干部", "status": "in_progress", "evidence": png()},
        format="multipart",
    )
    assert resp.status_code == 201, resp.content
    assert len(resp.json()["evidence_sha256"]) == 64
    row = AuditEvent.objects.filter(action="asset_problem.act").last()
    assert row.changes["before"]["status"] == "open"
    assert row.changes["after"]["status"] == "in_progress"


def test_a_recovered_area_larger_than_the_problems_is_refused(world, api) -> None:
    p = dam_land_problem(world)
    url = f"{API}/asset-problems/{p.pk}/actions/"
    client = api("township")
    body = {"description": "收回坝地", "recovered_mu": 30, "evidence": png()}
    assert client.post(url, body, format="multipart").status_code == 201
    body = {
        "description": "收回其余坝地",
        "recovered_mu": 21,
        "evidence": png(),
        "status": "resolved",
    }
    resp = client.post(url, body, format="multipart")
    assert resp.status_code == 400
    assert resp.json()["code"] == "recovered_exceeds"
    assert resp.json()["detail"]["field"] == "recovered_mu"
    p.refresh_from_db()
    assert (p.recovered_mu, p.status) == (30, "open")
    assert ProblemAction.objects.count() == 1
    body["recovered_mu"] = 20
    body["evidence"] = png()
    assert client.post(url, body, format="multipart").status_code == 201
    p.refresh_from_db()
    assert (p.recovered_mu, p.status, p.resolved_on) == (50, "resolved", timezone.localdate())


def test_totals_and_figures_count_the_rows(world, api) -> None:
    p = dam_land_problem(world)
    services.problem_act(
        actor=None,
        problem_id=p.pk,
        taken_on=DAY,
        description="签订退还协议",
        status="resolved",
        recovered_mu=50,
        evidence=evidence(),
    )
    services.problem_record(
        actor=None,
        area=world.luocun_village,
        kind="fees_unpaid",
        title="承包费拖欠",
        found_on=DAY,
        amount_yuan=12000,
    )
    call_command("refresh-figures")
    figs = [
        registry.figure(n)
        for n in ("asset_mu_recovered", "asset_problems_open", "asset_problems_resolved")
    ]
    got = counts.figure_counts(figs, area=world.county)
    assert got == {"asset_mu_recovered": 50, "asset_problems_open": 1, "asset_problems_resolved": 1}
    assert counts.figure_counts(figs, area=world.lingquan)["asset_problems_open"] == 0
    body = api("orgdept").get(f"{API}/asset-totals/").json()
    assert body["total"]["recovered_mu"] == 50 and body["total"]["open"] == 1
    assert {t["name"] for t in body["townships"]} == {"灵泉镇", "罗村镇"}
    browser = signed_in("orgdept")
    page = browser.get("/assets/")
    for name, fig in page.context["figures"].items():
        rows = browser.get(fig["link"])
        listed = rows.context["page_obj"].paginator.object_list
        if name == "asset_mu_recovered":
            assert sum(a.recovered_mu for a in listed) == fig["value"] == 50
        elif name == "asset_yuan_recovered":
            assert sum(a.recovered_yuan for a in listed) == fig["value"] == 0
        else:
            assert rows.context["count"] == fig["value"], name
    assert all(not c.differences for c in counts.counts_verify())


def test_a_village_sees_its_own_a_township_its_villages_the_county_all(world, api) -> None:
    ours = dam_land_problem(world)
    theirs = services.problem_record(
        actor=None,
        area=world.luocun_village,
        kind="debt",
        title="村集体欠款",
        found_on=DAY,
        amount_yuan=5000,
    )
    ids = lambda who: {r["id"] for r in api(who).get(f"{API}/asset-problems/").json()}  # noqa: E731
    assert ids("township") == {ours.pk}
    assert ids("orgdept") == {ours.pk, theirs.pk}
    assert ids("community") == set()  # 石楼小镇社区 has no problem recorded
    assert api("gridworker").get(f"{API}/asset-problems/").status_code == 403
    out = api("township").get(f"{API}/asset-problems/{theirs.pk}/")
    missing = api("township").get(f"{API}/asset-problems/987654/")
    assert out.status_code == missing.status_code == 404
    # a leader reads but does not write
    resp = api("leader").post(f"{API}/asset-problems/{ours.pk}/actions/", {"description": "x"})
    assert resp.status_code == 403


def test_the_ledger_export_adds_up_its_rows_is_scoped_safe_and_audited(world) -> None:
    import hashlib

    from openpyxl import load_workbook

    dam = dam_land_problem(world)
    services.problem_act(
        actor=None,
        problem_id=dam.pk,
        taken_on=DAY,
        description="签订退还协议",
        status="resolved",
        recovered_mu=50,
        evidence=evidence(),
    )
    services.problem_record(
        actor=None,
        area=world.hujiayu,
        kind="debt",
        title='=HYPERLINK("http://x","欠款")',
        found_on=DAY,
        amount_yuan=3000,
    )
    fees = services.problem_record(
        actor=None,
        area=world.luocun_village,
        kind="fees_unpaid",
        title="承包费拖欠",
        found_on=DAY,
        area_mu=20,
        amount_yuan=12000,
    )
    services.problem_act(
        actor=None,
        problem_id=fees.pk,
        taken_on=DAY,
        description="追缴部分承包费",
        status="in_progress",
        recovered_yuan=8000,
        evidence=evidence(),
    )
    resp = signed_in("orgdept").get("/assets/ledger.xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    header = [c.value for c in ws[3]]
    assert header[:3] == ["序号", "乡镇", "村（社区）"]
    cols = [
        header.index(h)
        for h in ("涉及面积（亩）", "涉及金额（元）", "收回面积（亩）", "收回金额（元）")
    ]
    lines = [[c.value for c in r] for r in ws.iter_rows(min_row=4) if r[0].value is not None]
    rows = [r for r in lines if isinstance(r[0], int)]
    assert len(rows) == 3
    sums = lambda rs: [sum(r[c] for r in rs) for c in cols]  # noqa: E731
    labelled = {r[0]: [r[c] for c in cols] for r in lines if isinstance(r[0], str)}
    village_rows = lambda name: [r for r in rows if r[2] == name]  # noqa: E731
    town_rows = lambda name: [r for r in rows if r[1] == name]  # noqa: E731
    assert labelled["胡家峪村 小计"] == sums(village_rows("胡家峪村")) == [50, 3000, 50, 0]
    assert labelled["罗村 小计"] == sums(village_rows("罗村")) == [20, 12000, 0, 8000]
    assert labelled["灵泉镇 合计"] == sums(town_rows("灵泉镇"))
    assert labelled["罗村镇 合计"] == sums(town_rows("罗村镇"))
    assert labelled["总计"] == sums(rows) == [70, 15000, 50, 8000]
    # text that would run as a formula is written as text
    assert any(r[7] == '\'=HYPERLINK("http://x","欠款")' for r in rows)
    assert {r[8] for r in rows} == {"已化解", "待清理", "清理中"}
    event = AuditEvent.objects.get(action="asset.ledger_export")
    assert event.changes["sha256"] == hashlib.sha256(resp.content).hexdigest()
    assert event.changes["rows"] == 3
    # a township exports its own villages only; another township's village is 404
    township = signed_in("township")
    ws = load_workbook(io.BytesIO(township.get("/assets/ledger.xlsx").content)).active
    villages = {r[2].value for r in ws.iter_rows(min_row=4) if isinstance(r[0].value, int)}
    assert villages == {"胡家峪村"}
    out = township.get(f"/assets/ledger.xlsx?within={world.luocun_village.pk}")
    assert out.status_code == 404
    assert signed_in("gridworker").get("/assets/ledger.xlsx").status_code in (403, 404)
