"""Pages and API of a visit's links: need → dispute (page, API, 409 twice, the dispute page's
"来自入户走访"), photos on the form and through the offline outbox (served scoped), and registry
proposals (form, community list, accept / reject, masked, scoped)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from grassroots.core.models import User
from grassroots.disputes.models import Dispute
from grassroots.people.models import Resident
from grassroots.visits import services
from grassroots.visits.models import RegistryProposal, Visit
from tests.conftest import signed_in
from tests.test_cases_attachments import small_pdf

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg(name="门口.jpg"):
    img = Image.new("RGB", (40, 30), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def found(registry, household=None, actor="gridworker", **kw):
    data = services.VisitInput(
        household=(household or registry.home_a).pk,
        visited_on=TODAY(),
        all_well=False,
        risks="两户因漏水争吵",
        met=kw.pop("met", ()),
        **kw,
    )
    return services.visit_log(actor=User.objects.get(username=actor), data=data)[0]


def form_post(registry, **extra):
    body = {"household": registry.home_a.pk, "visited_on": str(TODAY()), "all_well": "1"}
    body.update(extra)
    return body


# -- need → dispute -----------------------------------------------------------------------------


def test_the_visit_page_turns_a_finding_into_a_dispute(registry):
    visit = found(registry, met=(registry.father.pk,))
    client = signed_in("gridworker")
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert "登记为矛盾纠纷" in page and "两户因漏水争吵" in page and "王建国" in page
    resp = client.post(
        f"/visits/{visit.pk}/dispute/",
        {
            "kind": "neighbour",
            "summary": "两户因漏水争吵",
            f"party_{registry.father.pk}": "applicant",
            "outsider_name": "楼上住户",
            "outsider_phone": "13600001111",
        },
    )
    dispute = Dispute.objects.get()
    assert resp.status_code == 302 and resp.url == f"/disputes/{dispute.pk}/"
    assert dispute.parties.count() == 2 and Visit.objects.get().dispute == dispute
    shown = client.get(resp.url).content.decode()
    assert "来自入户走访" in shown and f"/visits/{visit.pk}/" in shown
    assert "13600001111" not in shown
    again = client.post(f"/visits/{visit.pk}/dispute/", {"kind": "neighbour"})
    assert again.status_code == 409 and "已登记为矛盾纠纷" in again.content.decode()
    assert Dispute.objects.count() == 1


def test_the_dispute_form_refuses_bad_input_on_the_page(registry):
    visit = found(registry)
    client = signed_in("gridworker")
    resp = client.post(f"/visits/{visit.pk}/dispute/", {"kind": "neighbour"})  # no party
    assert resp.status_code == 400 and "至少登记一位当事人" in resp.content.decode()
    assert Dispute.objects.count() == 0


def test_need_to_dispute_through_the_api(registry, api):
    visit = found(registry, met=(registry.mother.pk,))
    resp = api("gridworker").post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"kind": "family"}, format="json"
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["dispute"] and body["dispute_number"]
    dispute = Dispute.objects.get(pk=body["dispute"])
    assert [p.resident_id for p in dispute.parties.all()] == [registry.mother.pk]
    again = api("gridworker").post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"kind": "family"}, format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_a_dispute"
    bad = api("gridworker").post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"kind": "x"}, format="json"
    )
    assert bad.status_code == 400
    unknown = api("gridworker").post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"kind": "family", "visit": 1}, format="json"
    )
    assert unknown.status_code == 400


def test_a_dispute_from_a_visit_out_of_scope_is_404(registry, api):
    visit = found(registry, household=registry.home_b, actor="community")
    resp = api("gridworker").post(
        f"/api/v1/visits/{visit.pk}/dispute/", {"kind": "family"}, format="json"
    )
    assert resp.status_code == 404
    assert (
        signed_in("gridworker").post(f"/visits/{visit.pk}/dispute/", {"kind": "x"}).status_code
        == 404
    )
    assert Dispute.objects.count() == 0


# -- photos ----------------------------------------------------------------------------------------


def test_the_form_takes_photos_and_the_page_shows_them_scoped(registry):
    client = signed_in("gridworker")
    form = client.get(f"/visits/new/?household={registry.home_a.pk}").content.decode()
    assert 'name="photos"' in form and 'enctype="multipart/form-data"' in form
    resp = client.post(
        f"/visits/new/?household={registry.home_a.pk}",
        form_post(registry, idem="ph-1", photos=[jpeg(), jpeg("b.jpg")]),
    )
    assert resp.status_code == 302
    visit = Visit.objects.get()
    shots = list(visit.photos.all())
    assert len(shots) == 2
    page = client.get(f"/visits/{visit.pk}/").content.decode()
    assert f"/visits/photos/{shots[0].pk}/" in page
    got = client.get(f"/visits/photos/{shots[0].pk}/")
    data = b"".join(got.streaming_content)
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    assert b"PhoneMaker" not in data and "no-store" in got["Cache-Control"]
    assert signed_in("community").get(f"/visits/photos/{shots[0].pk}/").status_code == 200
    other = services.visit_log(
        actor=User.objects.get(username="community"),
        data=services.VisitInput(household=registry.home_b.pk, visited_on=TODAY(), all_well=True),
        photos=[jpeg()],
    )[0]
    assert client.get(f"/visits/photos/{other.photos.get().pk}/").status_code == 404
    assert client.get("/visits/photos/999999/").status_code == 404


def test_a_pdf_on_the_form_is_refused_naming_photos(registry):
    client = signed_in("gridworker")
    pdf = SimpleUploadedFile("a.pdf", small_pdf(), content_type="application/pdf")
    resp = client.post(
        f"/visits/new/?household={registry.home_a.pk}",
        form_post(registry, idem="ph-2", photos=[pdf]),
    )
    assert resp.status_code == 400 and "不是照片" in resp.content.decode()
    outbox = client.post(
        f"/visits/new/?household={registry.home_a.pk}",
        form_post(registry, idem="ph-3", photos=[pdf]),
        HTTP_ACCEPT="application/json",
        HTTP_IDEMPOTENCY_KEY="ob-2",
    )
    assert outbox.status_code == 400 and outbox.json()["detail"]["field"] == "photos"
    assert Visit.objects.count() == 0


def test_the_offline_outbox_sends_photos_once(registry):
    client = signed_in("gridworker")
    url = f"/visits/new/?household={registry.home_a.pk}"
    for expected in (201, 200):
        resp = client.post(
            url,
            form_post(registry, idem="ob-1", photos=[jpeg()]),
            HTTP_ACCEPT="application/json",
            HTTP_IDEMPOTENCY_KEY="ob-1",
        )
        assert resp.status_code == expected
    assert Visit.objects.count() == 1 and Visit.objects.get().photos.count() == 1


# -- registry proposals ----------------------------------------------------------------------------


def test_a_change_at_the_door_is_proposed_from_the_form(registry):
    client = signed_in("gridworker")
    form = client.get(f"/visits/new/?household={registry.home_a.pk}").content.decode()
    assert "信息有变化" in form and "139****5678" in form and "13912345678" not in form
    body = form_post(
        registry,
        idem="pr-1",
        **{
            f"change_{registry.mother.pk}": "phone",
            f"phone_{registry.mother.pk}": "13700001234",
            f"change_{registry.child.pk}": "moved_out",
        },
    )
    assert client.post(f"/visits/new/?household={registry.home_a.pk}", body).status_code == 302
    assert RegistryProposal.objects.count() == 2
    page = client.get(f"/visits/{Visit.objects.get().pk}/").content.decode()
    assert "137****1234" in page and "13700001234" not in page


def test_a_bad_phone_on_the_form_is_refused_and_writes_nothing(registry):
    client = signed_in("gridworker")
    body = form_post(
        registry,
        idem="pr-2",
        **{f"change_{registry.mother.pk}": "phone", f"phone_{registry.mother.pk}": "12345"},
    )
    resp = client.post(f"/visits/new/?household={registry.home_a.pk}", body)
    assert (
        resp.status_code == 400 and "12345" not in resp.content.decode().split("</form>")[0][-200:]
    )
    assert Visit.objects.count() == 0 and RegistryProposal.objects.count() == 0


def test_the_community_accepts_and_rejects_on_its_page(registry):
    mother, child = registry.mother, registry.child
    items = (
        services.ProposalIn(resident=mother.pk, kind="phone", phone="13700001234"),
        services.ProposalIn(resident=child.pk, kind="moved_out"),
    )
    visit = found(registry, proposals=items)
    phone, moved = (visit.proposals.get(kind=k) for k in ("phone", "moved_out"))
    client = signed_in("community")
    page = client.get("/visits/proposals/").content.decode()
    assert "137****1234" in page and "13700001234" not in page and "李秀英" in page
    assert (
        client.post(f"/visits/proposals/{phone.pk}/decide/", {"decision": "accept"}).status_code
        == 302
    )
    assert Resident.objects.get(pk=mother.pk).phone_masked == "137****1234"
    client.post(f"/visits/proposals/{moved.pk}/decide/", {"decision": "reject"})  # no reason
    assert RegistryProposal.objects.get(pk=moved.pk).state == "pending"
    client.post(
        f"/visits/proposals/{moved.pk}/decide/", {"decision": "reject", "reason": "核实仍在住"}
    )
    assert RegistryProposal.objects.get(pk=moved.pk).state == "rejected"
    assert Resident.objects.get(pk=child.pk).status == "active"
    assert signed_in("leader").get("/visits/proposals/").status_code == 403


def test_proposals_api_is_masked_and_scoped(registry, api):
    item = services.ProposalIn(resident=registry.mother.pk, kind="phone", phone="13700001234")
    p = found(registry, proposals=(item,)).proposals.get()
    item_b = services.ProposalIn(resident=registry.neighbour.pk, kind="moved_out")
    other = found(registry, household=registry.home_b, actor="community", proposals=(item_b,))
    other_p = other.proposals.get()
    rows = api("gridworker").get("/api/v1/registry-proposals/").json()["results"]
    assert [r["id"] for r in rows] == [p.pk] and rows[0]["phone_masked"] == "137****1234"
    assert "13700001234" not in str(rows)
    assert len(api("community").get("/api/v1/registry-proposals/").json()["results"]) == 2
    bad = api("community").get("/api/v1/registry-proposals/?state=nonsense")
    assert bad.status_code == 400 and bad.json()["detail"]["field"] == "state"
    out = api("gridworker").post(
        f"/api/v1/registry-proposals/{other_p.pk}/accept/", {}, format="json"
    )
    assert out.status_code == 404
    no_reason = api("community").post(
        f"/api/v1/registry-proposals/{other_p.pk}/reject/", {}, format="json"
    )
    assert no_reason.status_code == 400 and no_reason.json()["detail"]["field"] == "reason"
    ok = api("gridworker").post(f"/api/v1/registry-proposals/{p.pk}/accept/", {}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    twice = api("gridworker").post(f"/api/v1/registry-proposals/{p.pk}/accept/", {}, format="json")
    assert twice.status_code == 409 and twice.json()["code"] == "proposal_decided"


def test_proposals_through_the_visit_api(registry, api):
    body = {
        "household": registry.home_a.pk,
        "all_well": True,
        "proposals": [{"resident": registry.mother.pk, "kind": "phone", "phone": "bad"}],
    }
    resp = api("gridworker").post("/api/v1/visits/", body, format="json")
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "proposals.0.phone"
    body["proposals"][0]["phone"] = "13700001234"
    resp = api("gridworker").post("/api/v1/visits/", body, format="json")
    assert resp.status_code == 201 and RegistryProposal.objects.count() == 1
    assert "13700001234" not in resp.content.decode()
