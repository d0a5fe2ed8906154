"""The disputes API: scope triads, masking of parties, bad input, actions, figures = lists."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.disputes import services
from grassroots.disputes.models import Dispute, FollowUp
from grassroots.people.masking import find_full_ids, find_full_phones
from tests.conftest import person_id
from tests.disputes_support import screen, session

TODAY = timezone.localdate


@pytest.fixture
def three(world):
    """One dispute in 微网格A, one in 微网格B (same community), one in 罗村 (another township)."""
    a = screen(world.users["gridworker"], world.grid3a)
    b = screen(world.users["community"], world.grid3b)
    c = screen(None, world.luocun_grid3)
    return a, b, c


def ids(resp):
    return {r["id"] for r in resp.json()["results"]}


def test_list_scope_by_persona(world, api, three):
    a, b, c = three
    assert ids(api("gridworker").get("/api/v1/disputes/")) == {a.pk}
    assert ids(api("community").get("/api/v1/disputes/")) == {a.pk, b.pk}
    assert ids(api("township").get("/api/v1/disputes/")) == {a.pk, b.pk}
    assert ids(api("leader").get("/api/v1/disputes/")) == {a.pk, b.pk, c.pk}


def test_detail_triad(world, api, three):
    a, b, _c = three
    assert api("gridworker").get(f"/api/v1/disputes/{a.pk}/").status_code == 200
    out = api("gridworker").get(f"/api/v1/disputes/{b.pk}/")
    missing = api("gridworker").get("/api/v1/disputes/987654/")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json()
    assert api("dept").get(f"/api/v1/disputes/{a.pk}/").status_code == 403
    assert api("auditor").get("/api/v1/disputes/").status_code == 403
    assert api().get("/api/v1/disputes/").status_code == 401


def test_parties_are_masked_as_the_registry_masks(world, api, registry):
    d = screen(
        world.users["gridworker"],
        world.grid3a,
        parties=(
            services.PartyIn(role="applicant", resident=registry.father.pk),
            services.PartyIn(
                role="respondent", name="外来人员", phone="13655556666", id_number=person_id(77)
            ),
        ),
    )
    resp = api("gridworker").get(f"/api/v1/disputes/{d.pk}/")
    text = resp.content.decode()
    assert not find_full_ids(text) and not find_full_phones(text)
    resident, outsider = resp.json()["parties"]
    assert resident["name"] == "王建国" and resident["phone"] == "138****5678"
    assert resident["id_number"] == registry.father.id_number_masked
    assert outsider["phone"] == "136****6666" and outsider["id_number"].count("*") == 16


def test_create_through_the_api_and_bad_input(world, api):
    body = {
        "area": world.grid3a.pk,
        "kind": "land",
        "summary": "宅基地边界争议",
        "found_via": "visit",
        "found_on": TODAY().isoformat(),
        "source_ref": "V-20260301-7",
        "parties": [{"role": "applicant", "name": "甲"}, {"role": "respondent", "name": "乙"}],
    }
    client = api("gridworker")
    resp = client.post("/api/v1/disputes/", body, format="json")
    assert resp.status_code == 201, resp.content
    assert resp.json()["risk"] == "yellow" and resp.json()["level"] == "grid"
    future = {**body, "found_on": (TODAY() + datetime.timedelta(days=2)).isoformat()}
    resp = client.post("/api/v1/disputes/", future, format="json")
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "found_on"
    outside = {**body, "area": world.grid3b.pk}
    assert client.post("/api/v1/disputes/", outside, format="json").status_code == 404
    unknown = {**body, "state": "settled"}
    assert client.post("/api/v1/disputes/", unknown, format="json").status_code == 400
    assert Dispute.objects.count() == 1


def test_actions_endpoint(world, api):
    d = screen(world.users["gridworker"], world.grid3a)
    client = api("gridworker")
    url = f"/api/v1/disputes/{d.pk}/actions/"
    no_agreement = {"action": "settle", "mediators": [{"name": "老李", "kind": "sage"}]}
    resp = client.post(url, no_agreement, format="json")
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "agreement_text"
    settle = {**no_agreement, "agreement_text": "双方和解"}
    assert client.post(url, settle, format="json").json()["state"] == "settled"
    again = client.post(url, settle, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    follow = FollowUp.objects.get(dispute=d)
    done = {"action": "follow_up", "follow_up": follow.pk, "notes": "已履行"}
    assert client.post(url, done, format="json").status_code == 200
    body = client.get(f"/api/v1/disputes/{d.pk}/").json()
    assert body["follow_ups"][0]["done_on"] == TODAY().isoformat()
    assert [e["action"] for e in body["events"]] == ["screen", "settle", "follow_up"]


def test_out_of_scope_action_is_404(world, api):
    d = screen(world.users["community"], world.grid3b)
    resp = api("gridworker").post(
        f"/api/v1/disputes/{d.pk}/actions/", {"action": "close", "note": "x"}, format="json"
    )
    assert resp.status_code == 404


def test_bad_list_filters_name_the_field(world, api):
    for query in ("risk=purple", "state=x", "found_from=2026-13-01", "within=abc", "open=maybe"):
        resp = api("leader").get(f"/api/v1/disputes/?{query}")
        assert resp.status_code == 400, query
        assert set(resp.json()) == {"code", "message", "detail"}


def _scenario(world):
    """A spread of disputes: settled at two levels, a red one open, an overdue follow-up."""
    gw, com = world.users["gridworker"], world.users["community"]
    today = TODAY()
    a = screen(gw, world.grid3a)
    services.mediation_record(dispute_id=a.pk, actor=gw, session=session())
    b = screen(com, world.xiaozhen, found_on=today - datetime.timedelta(days=60))
    services.mediation_record(
        dispute_id=b.pk,
        actor=com,
        session=session(held_on=today - datetime.timedelta(days=50)),
    )
    screen(gw, world.grid3a, risk="red")
    screen(None, world.luocun_grid3, risk="red")
    return a, b


def test_each_figure_equals_the_count_of_its_list(world, api):
    _scenario(world)
    for who in ("gridworker", "community", "leader"):
        client = api(who)
        body = client.get("/api/v1/metrics/disputes/").json()
        assert {f["code"] for f in body["figures"]} >= {
            "found", "settled", "settled_grid", "settled_community", "high_risk_open",
            "follow_ups_overdue",
        }  # fmt: skip
        for f in body["figures"]:
            listed = client.get("/api/v1/disputes/", f["filters"]).json()["count"]
            assert listed == f["value"], (who, f["code"])
    year_ago = (TODAY() - datetime.timedelta(days=365)).isoformat()
    body = api("leader").get("/api/v1/metrics/disputes/", {"from": year_ago}).json()
    figures = {f["code"]: f["value"] for f in body["figures"]}
    assert figures["settled_grid"] == 1 and figures["settled_community"] == 1
    assert figures["high_risk_open"] == 2 and figures["follow_ups_overdue"] == 1


def test_a_scan_that_is_not_an_image_or_pdf_names_the_field(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    d = screen(world.users["gridworker"], world.grid3a)
    resp = api("gridworker").post(
        f"/api/v1/disputes/{d.pk}/actions/",
        {
            "action": "settle",
            "mediators": '[{"name": "老李", "kind": "sage"}]',
            "agreement_text": "和解",
            "agreement_file": SimpleUploadedFile("a.jpg", b"<html>not a picture</html>"),
        },
        format="multipart",
    )
    assert resp.status_code == 400, resp.content
    assert resp.json()["detail"].get("field") == "agreement_file", resp.json()
    d.refresh_from_db()
    assert d.state == "open"


def test_a_settlement_with_its_scan_through_the_api(world, api, tmp_path, settings):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    d = screen(world.users["gridworker"], world.grid3a)
    resp = api("gridworker").post(
        f"/api/v1/disputes/{d.pk}/actions/",
        {
            "action": "settle",
            "mediators": '[{"name": "老李", "kind": "peoples_mediator"}]',
            "agreement_text": "和解",
            "agreement_file": SimpleUploadedFile("协议.png", out.getvalue()),
        },
        format="multipart",
    )
    assert resp.status_code == 200, resp.content
    body = api("gridworker").get(f"/api/v1/disputes/{d.pk}/").json()
    assert body["mediations"][0]["agreement_file"] is True
    assert body["mediations"][0]["mediators"] == [{"name": "老李", "kind": "peoples_mediator"}]
