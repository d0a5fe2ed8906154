"""Registering an ID number held out of the actor's scope answers exactly as a free one does, and
becomes a transfer request that the holder's community sees and answers (issue 15, defect 4)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.areas import services as area_services
from grassroots.areas.models import PostType
from grassroots.core.models import AuditEvent, User
from grassroots.people.models import Resident, TransferRequest
from tests.conftest import PASSWORD, person_id, signed_in
from tests.test_ledger_support import family, ledger, ledger_settings, res, run_import  # noqa: F401

VILLAGER_ID = person_id(15, datetime.date(1970, 7, 7))  # lives in 罗村镇, outside 灵泉镇
FREE_ID = person_id(40, datetime.date(1970, 7, 7))  # same birth date and sex: same mask shape


@pytest.fixture
def holder(world):
    """A grid worker of 罗村镇's micro grid, where the villager lives."""
    user = User.objects.create(username="luocun_worker", full_name="罗村网格员")
    user.set_password(PASSWORD)
    user.save()
    area_services.post_create(
        actor=None,
        person=user,
        post_type=PostType.objects.get(code="grid3_worker"),
        area=world.luocun_grid3,
        started_on=timezone.localdate(),
    )
    return user


def register(client, household, id_number, **extra):
    body = {
        "household": household.pk,
        "name": "张村民",
        "id_number": id_number,
        "relation": "child",
    }
    return client.post("/api/v1/residents/", body | extra, format="json")


def shape(resp):
    """What the actor sees of an answer, with the number's own characters starred out."""
    body = resp.json()
    return resp.status_code, sorted(body), body.get("status"), body.get("message"), body.get("code")


def test_held_out_of_scope_and_free_answer_alike_through_the_api(registry, api):
    client = api("gridworker")
    held = register(client, registry.home_a, VILLAGER_ID)
    free = register(client, registry.home_a, FREE_ID)
    assert (
        shape(held)
        == shape(free)
        == (
            202,
            ["household", "id_number", "message", "name", "status"],
            "submitted",
            "已提交，待核实",
            None,
        )
    )
    assert held.json()["id_number"].count("*") == free.json()["id_number"].count("*") == 16
    assert held.json()["household"] == free.json()["household"]
    assert "duplicate" not in held.content.decode()
    # the free number is registered, the held one is a pending request; the holder is unmoved
    assert Resident.objects.filter(name="张村民", household=registry.home_a).count() == 1
    assert Resident.objects.get(pk=registry.villager.pk).household_id == registry.home_luocun.pk
    (request,) = TransferRequest.objects.all()
    assert request.resident_id == registry.villager.pk and request.state == "pending"
    assert AuditEvent.objects.filter(action="transfer.request", object_id=str(request.pk)).exists()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"phone": "12345"}, "phone_length"),
        ({"tags": ["no_such_tag"]}, "unknown_tag"),
        ({"name": ""}, None),  # the serializer's own 400
    ],
)
def test_bad_values_are_refused_alike_for_held_and_free(registry, api, extra, code):
    client = api("gridworker")
    held = register(client, registry.home_a, VILLAGER_ID, **extra)
    free = register(client, registry.home_a, FREE_ID, **extra)
    assert held.status_code == free.status_code == 400
    assert held.json() == free.json()
    if code:
        assert held.json()["code"] == code
    assert not TransferRequest.objects.exists()


def test_an_id_held_in_scope_is_still_a_duplicate(registry, api):
    # the actor can find that resident by searching: saying so reveals nothing
    resp = register(api("community"), registry.home_a, person_id(14, datetime.date(1940, 1, 2)))
    assert resp.status_code == 400 and resp.json()["code"] == "duplicate_id"


def test_search_and_create_agree(registry, api):
    client = api("gridworker")
    assert client.get("/api/v1/residents/", {"id_number": VILLAGER_ID}).json()["count"] == 0
    assert register(client, registry.home_a, VILLAGER_ID).status_code == 202


def test_the_holder_sees_the_request_and_the_requester_does_not(registry, api, holder):
    register(api("gridworker"), registry.home_a, VILLAGER_ID)
    rows = api("luocun_worker").get("/api/v1/transfer-requests/").json()["results"]
    assert [r["resident"] for r in rows] == [registry.villager.pk]
    assert rows[0]["household_number"] == "H001" and rows[0]["state"] == "pending"
    assert rows[0]["id_number"] == registry.villager.id_number_masked
    assert api("gridworker").get("/api/v1/transfer-requests/").json()["count"] == 0
    assert api("township").get("/api/v1/transfer-requests/").json()["count"] == 0
    pk = rows[0]["id"]
    resp = api("gridworker").post(
        f"/api/v1/transfer-requests/{pk}/decide/", {"decision": "accept"}, format="json"
    )
    assert resp.status_code == 404


def test_accepting_moves_the_resident(registry, api, holder):
    register(api("gridworker"), registry.home_a, VILLAGER_ID)
    pk = TransferRequest.objects.get().pk
    client = api("luocun_worker")
    url = f"/api/v1/transfer-requests/{pk}/decide/"
    resp = client.post(url, {"decision": "accept", "note": "本人已确认"}, format="json")
    assert resp.status_code == 200 and resp.json()["state"] == "accepted"
    villager = Resident.objects.get(pk=registry.villager.pk)
    assert villager.household_id == registry.home_a.pk and villager.relation == "child"
    assert villager.memberships.count() == 2
    assert AuditEvent.objects.filter(action="transfer.accept", object_id=str(pk)).exists()
    # now the requester sees the resident, as after any registration
    found = api("gridworker").get("/api/v1/residents/", {"id_number": VILLAGER_ID}).json()
    assert found["count"] == 1
    # an answered request cannot be answered again
    again = client.post(url, {"decision": "decline"}, format="json")
    assert again.status_code == 404  # the resident has left the holder's scope


def test_declining_changes_nothing(registry, api, holder):
    register(api("gridworker"), registry.home_a, VILLAGER_ID)
    pk = TransferRequest.objects.get().pk
    client = api("luocun_worker")
    url = f"/api/v1/transfer-requests/{pk}/decide/"
    assert client.post(url, {"decision": "decline"}, format="json").json()["state"] == "declined"
    assert Resident.objects.get(pk=registry.villager.pk).household_id == registry.home_luocun.pk
    assert client.post(url, {"decision": "accept"}, format="json").status_code == 409
    assert client.get("/api/v1/transfer-requests/", {"state": "pending"}).json()["count"] == 0
    assert client.get("/api/v1/transfer-requests/", {"state": "bogus"}).status_code == 400


def imported(job):
    return (job.status, job.created, job.updated, job.errors, job.skipped, job.problems)


def test_held_out_of_scope_and_free_import_alike(world, registry, holder, tmp_path):
    community = world.users["community"]
    households, residents = family("T", 100)
    residents[2] = res("T-1", "张村民", VILLAGER_ID, "子女")
    held = run_import(ledger(tmp_path / "held.xlsx", households, residents), actor=community)
    households, residents = family("U", 200)
    residents[2] = res("U-1", "张村民", FREE_ID, "子女")
    free = run_import(ledger(tmp_path / "free.xlsx", households, residents), actor=community)
    assert imported(held) == imported(free)
    assert held.status == "done" and held.created == 3 and not held.problems
    assert held.message == free.message.replace("U-1", "T-1")
    # the holder's community sees the request; the villager has not moved
    (request,) = TransferRequest.objects.all()
    assert request.source == "import" and request.household.number == "T-1"
    client = APIClient()
    client.force_authenticate(holder)
    assert client.get("/api/v1/transfer-requests/").json()["count"] == 1
    assert Resident.objects.get(pk=registry.villager.pk).household_id == registry.home_luocun.pk


def test_the_holder_answers_on_the_transfer_page(registry, api, holder):
    register(api("gridworker"), registry.home_a, VILLAGER_ID)
    pk = TransferRequest.objects.get().pk
    page = signed_in("luocun_worker")
    html = page.get("/people/transfers/").content.decode()
    assert "张村民" in html and "H001" in html and registry.villager.id_number_masked in html
    assert VILLAGER_ID not in html
    resp = page.post(
        "/people/transfers/", {"transfer": pk, "decision": "decline", "note": "查无此人"}
    )
    assert resp.status_code == 302
    assert TransferRequest.objects.get().state == "declined"
    assert "查无此人" in page.get("/people/transfers/").content.decode()


def test_the_requester_cannot_see_or_answer_on_the_page(registry, api, holder):
    register(api("gridworker"), registry.home_a, VILLAGER_ID)
    pk = TransferRequest.objects.get().pk
    page = signed_in("gridworker")
    assert "张村民" not in page.get("/people/transfers/").content.decode()
    assert (
        page.post("/people/transfers/", {"transfer": pk, "decision": "accept"}).status_code == 404
    )
    assert signed_in("auditor").get("/people/transfers/").status_code == 403
