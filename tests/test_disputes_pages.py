"""The dispute pages: list filters, the dispute page, the screening and mediation forms."""

from __future__ import annotations

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.disputes import services
from grassroots.disputes.models import Dispute, Mediation
from tests.conftest import signed_in
from tests.disputes_support import screen, session


def test_list_filters_and_scope(world):
    a = screen(world.users["gridworker"], world.grid3a, risk="red")
    b = screen(world.users["community"], world.grid3b)
    page = signed_in("gridworker").get("/disputes/")
    assert page.status_code == 200
    assert a.number in page.content.decode() and b.number not in page.content.decode()
    community = signed_in("community")
    red = community.get("/disputes/?risk=red").content.decode()
    assert a.number in red and b.number not in red
    assert community.get("/disputes/?level=township").content.decode().count('data-dispute="') == 0
    assert community.get("/disputes/?risk=purple").status_code == 400


def test_dispute_page_and_out_of_scope(world):
    d = screen(world.users["community"], world.grid3b)
    assert signed_in("community").get(f"/disputes/{d.pk}/").status_code == 200
    assert signed_in("gridworker").get(f"/disputes/{d.pk}/").status_code == 404


def test_screening_form_records_a_dispute(world):
    client = signed_in("gridworker")
    assert client.get("/disputes/new/").status_code == 200
    resp = client.post(
        "/disputes/new/",
        {
            "area": world.grid3a.pk,
            "kind": "neighbour",
            "summary": "噪音扰民",
            "found_via": "patrol",
            "found_on": timezone.localdate().isoformat(),
            "party-0-role": "applicant",
            "party-0-name": "甲",
            "party-0-phone": "13611112222",
            "party-1-role": "respondent",
            "party-1-name": "乙",
        },
    )
    assert resp.status_code == 302
    d = Dispute.objects.get()
    assert d.parties.count() == 2
    page = client.get(resp["Location"]).content.decode()
    assert "136****2222" in page and "13611112222" not in page


def test_screening_form_shows_a_future_date_error(world):
    resp = signed_in("gridworker").post(
        "/disputes/new/",
        {
            "area": world.grid3a.pk,
            "kind": "neighbour",
            "summary": "噪音扰民",
            "found_via": "patrol",
            "found_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "party-0-name": "甲",
        },
    )
    assert resp.status_code == 400
    assert "日期不能晚于今天" in resp.content.decode()
    assert not Dispute.objects.exists()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "JPEG")
    return out.getvalue()


def test_mediation_form_settles_with_a_scan(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    d = screen(world.users["gridworker"], world.grid3a)
    client = signed_in("gridworker")
    assert client.get(f"/disputes/{d.pk}/mediate/").status_code == 200
    form = {
        "held_on": timezone.localdate().isoformat(),
        "outcome": "settled",
        "mediator-0-name": "老张",
        "mediator-0-kind": "sage",
        "agreement_text": "",
    }
    refused = client.post(f"/disputes/{d.pk}/mediate/", form)
    assert refused.status_code == 400 and "调解协议" in refused.content.decode()
    form["agreement_text"] = "乙方赔偿甲方 300 元"
    form["agreement_file"] = SimpleUploadedFile("协议.jpg", _jpeg(), content_type="image/jpeg")
    assert client.post(f"/disputes/{d.pk}/mediate/", form).status_code == 302
    m = Mediation.objects.get()
    assert m.agreement_sha256 and m.mediators == [{"name": "老张", "kind": "sage"}]
    download = client.get(f"/disputes/agreements/{m.pk}/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert signed_in("township").get(f"/disputes/agreements/{m.pk}/").status_code == 200
    other = screen(None, world.luocun_grid3)
    assert other and signed_in("township").get(f"/disputes/{other.pk}/").status_code == 404


def test_escalate_from_the_page_needs_a_reason(world):
    d = screen(world.users["gridworker"], world.grid3a)
    client = signed_in("gridworker")
    resp = client.post(f"/disputes/{d.pk}/act/", {"action": "escalate", "note": ""})
    assert resp.status_code == 400
    assert (
        client.post(f"/disputes/{d.pk}/act/", {"action": "escalate", "note": "难调"}).status_code
        == 302
    )
    d.refresh_from_db()
    assert d.level == "community"


def test_figure_links_list_exactly_their_rows(world):
    gw = world.users["gridworker"]
    a = screen(gw, world.grid3a)
    services.mediation_record(dispute_id=a.pk, actor=gw, session=session())
    screen(gw, world.grid3a, risk="red")
    client = signed_in("community")
    page = client.get("/disputes/figures/").content.decode()
    links = re.findall(r'<a href="([^"]+)" data-figure="([^"]+)"><strong>(\d+)</strong>', page)
    assert len(links) == 8
    for href, code, value in links:
        listed = client.get(href.replace("&amp;", "&")).content.decode().count('data-dispute="')
        assert listed == int(value), code


def test_risk_rules_are_edited_in_the_configuration_through_the_service(world):
    from grassroots.core.models import AuditEvent
    from grassroots.disputes.models import RiskRule

    admin = signed_in("admin")
    resp = admin.post(
        "/admin/disputes/riskrule/add/",
        {"kind": "family", "min_parties": "", "risk": "yellow", "note": "赡养纠纷", "active": "on"},
    )
    assert resp.status_code == 302, resp.content.decode()[:500]
    assert RiskRule.objects.filter(kind="family", risk="yellow").exists()
    assert AuditEvent.objects.filter(action="dispute_rule.define").count() == 1
    assert signed_in("township").get("/admin/disputes/riskrule/").status_code in (302, 403)


def test_list_queries_do_not_grow_with_rows(world, django_assert_max_num_queries, api):
    for _ in range(12):
        screen(world.users["gridworker"], world.grid3a)
    client = api("leader")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/disputes/").json()["count"] == 12
