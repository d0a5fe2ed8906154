"""The registry through the API: scope, masking, reveal, search by blind index, writes."""

import datetime

import pytest

from grassroots.core.models import AuditEvent
from grassroots.people.models import Membership, Resident
from tests.conftest import person_id, signed_in

VILLAGER_ID = person_id(15, datetime.date(1970, 7, 7))


def numbers(resp):
    return sorted(r["number"] for r in resp.json()["results"])


def names(resp):
    return sorted(r["name"] for r in resp.json()["results"])


def test_gridworker_lists_only_its_grids_households(registry, api):
    assert numbers(api("gridworker").get("/api/v1/households/")) == ["H001"]


def test_township_lists_its_township(registry, api):
    assert numbers(api("township").get("/api/v1/households/")) == ["H001", "H002"]


def test_dept_lists_none_and_auditor_is_refused(registry, api):
    assert api("dept").get("/api/v1/households/").json()["count"] == 0
    assert api("dept").get("/api/v1/residents/").json()["count"] == 0
    assert api("auditor").get("/api/v1/residents/").status_code == 403
    assert api("orgdept").get("/api/v1/households/").status_code == 403


def test_household_detail_triad(registry, api):
    assert api("gridworker").get(f"/api/v1/households/{registry.home_a.pk}/").status_code == 200
    assert api("gridworker").get(f"/api/v1/households/{registry.home_b.pk}/").status_code == 404
    assert api("auditor").get(f"/api/v1/households/{registry.home_a.pk}/").status_code == 403


def test_values_are_masked(registry, api):
    body = api("community").get(f"/api/v1/residents/{registry.father.pk}/").json()
    assert body["id_number"] == "1" + "*" * 16 + person_id(11)[-1]
    assert body["phone"] == "138****5678"
    assert "birth_date" not in body and "age" not in body
    assert body["age_band"] in {"40-49", "50-59"}


def test_search_by_exact_id_and_phone(registry, api):
    client = api("hotline")
    assert names(client.get("/api/v1/residents/", {"phone": "138 1234 5678"})) == ["王建国"]
    assert names(client.get("/api/v1/residents/", {"id_number": VILLAGER_ID})) == ["张村民"]
    assert names(client.get("/api/v1/residents/", {"phone": "13800000000"})) == []


def test_search_by_id_out_of_scope_finds_nothing(registry, api):
    resp = api("gridworker").get("/api/v1/residents/", {"id_number": VILLAGER_ID})
    assert resp.json()["count"] == 0


def test_bad_id_in_search_is_a_clear_error(registry, api):
    resp = api("hotline").get("/api/v1/residents/", {"id_number": "12345"})
    assert resp.status_code == 400
    assert resp.json()["detail"]["field"] == "id_number"


def test_vulnerable_tags_need_their_permission(registry, api):
    grid = api("community").get(f"/api/v1/residents/{registry.mother.pk}/").json()
    assert grid["tags"] == ["disabled"]
    hotline = api("hotline").get(f"/api/v1/residents/{registry.child.pk}/").json()
    assert hotline["tags"] == ["relocated"]
    assert api("hotline").get("/api/v1/residents/", {"tag": "disabled"}).status_code == 400
    assert names(api("community").get("/api/v1/residents/", {"tag": "disabled"})) == ["李秀英"]


def test_reveal_needs_purpose_is_audited_and_not_cached(registry, api):
    url = f"/api/v1/residents/{registry.father.pk}/reveal/"
    client = api("community")
    assert client.post(url, {"field": "phone", "purpose": ""}).status_code == 400
    resp = client.post(url, {"field": "phone", "purpose": "电话回访诉求办理情况"})
    assert resp.status_code == 200
    assert resp.json() == {"field": "phone", "value": "13812345678"}
    assert "no-store" in resp["Cache-Control"]
    row = AuditEvent.objects.get(action="resident.reveal")
    assert row.actor_name == "community" and row.changes["purpose"] == "电话回访诉求办理情况"


def test_reveal_triad(registry, api):
    url = f"/api/v1/residents/{registry.villager.pk}/reveal/"
    body = {"field": "id_number", "purpose": "核实身份信息"}
    assert api("community").post(url, body).status_code == 404
    assert api("leader").post(url, body).status_code == 403
    assert api("township").post(f"/api/v1/residents/{registry.father.pk}/reveal/", body).json()[
        "value"
    ] == person_id(11)


def test_register_a_resident_through_the_api(registry, api):
    resp = api("gridworker").post(
        "/api/v1/residents/",
        {
            "household": registry.home_a.pk,
            "name": "王小红",
            "id_number": person_id(21, sex="female"),
            "relation": "child",
            "phone": "１３６１２３４５６７８"[:11],
        },
        format="json",
    )
    assert resp.status_code == 202, resp.json()
    assert resp.json()["id_number"] == "1" + "*" * 16 + person_id(21, sex="female")[-1]
    resident = Resident.objects.get(name="王小红")
    assert resident.sex == "female"
    assert Membership.objects.filter(resident=resident, ended_on__isnull=True).count() == 1
    assert AuditEvent.objects.filter(
        action="resident.register", object_id=str(resident.pk)
    ).exists()


@pytest.mark.parametrize(
    ("id_number", "code"),
    [
        ("141126198005170112", "id_checksum"),
        ("14112619800230011X", "id_birth_date"),
        ("141126800517011", "id_old_15"),
        ("14112619800517A111", "id_chars"),
    ],
)
def test_register_refuses_bad_ids(registry, api, id_number, code):
    resp = api("gridworker").post(
        "/api/v1/residents/",
        {"household": registry.home_a.pk, "name": "某人", "id_number": id_number},
        format="json",
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == code
    assert resp.json()["detail"]["field"] == "id_number"


def test_register_refuses_a_duplicate_id(registry, api):
    resp = api("gridworker").post(
        "/api/v1/residents/",
        {"household": registry.home_a.pk, "name": "重复", "id_number": person_id(11)},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["code"] == "duplicate_id"


def test_register_into_out_of_scope_household_is_404(registry, api):
    resp = api("gridworker").post(
        "/api/v1/residents/",
        {"household": registry.home_b.pk, "name": "越界", "id_number": person_id(31)},
        format="json",
    )
    assert resp.status_code == 404


def test_no_mass_assignment(registry, api):
    resp = api("gridworker").patch(
        f"/api/v1/residents/{registry.father.pk}/", {"status": "deceased"}, format="json"
    )
    assert resp.status_code == 400
    assert Resident.objects.get(pk=registry.father.pk).status == "active"


def test_patch_writes_a_masked_change_row(registry, api):
    resp = api("gridworker").patch(
        f"/api/v1/residents/{registry.father.pk}/",
        {"phone": "13700001111", "occupation": "司机"},
        format="json",
    )
    assert resp.status_code == 200
    assert resp.json()["phone"] == "137****1111"
    row = AuditEvent.objects.filter(action="resident.update").latest("id")
    assert row.changes["before"]["phone"] == "138****5678"
    assert row.changes["after"]["phone"] == "137****1111"
    assert "13700001111" not in str(row.changes)


def test_create_household_in_a_micro_grid(world, api):
    resp = api("community").post(
        "/api/v1/households/",
        {"number": "H100", "area": world.grid3b.pk, "address": "石楼小镇3号楼"},
        format="json",
    )
    assert resp.status_code == 201
    resp = api("community").post(
        "/api/v1/households/",
        {"number": "H101", "area": world.xiaozhen.pk, "address": "社区里"},
        format="json",
    )
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "area"


def test_household_detail_lists_members_and_sets_head(registry, api):
    client = api("community")
    body = client.get(f"/api/v1/households/{registry.home_a.pk}/").json()
    assert {m["name"] for m in body["members"]} == {"王建国", "李秀英", "王小明"}
    resp = client.patch(
        f"/api/v1/households/{registry.home_a.pk}/", {"head": registry.mother.pk}, format="json"
    )
    assert resp.json()["head_name"] == "李秀英"
    assert Resident.objects.get(pk=registry.father.pk).relation == "other"


def test_list_query_count_is_fixed(registry, api, django_assert_max_num_queries):
    client = api("township")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/residents/").status_code == 200


def test_party_branch_is_set_through_the_api_and_shown(registry, api):
    url = f"/api/v1/residents/{registry.father.pk}/"
    resp = api("community").patch(url, {"party_branch": "石楼小镇社区第一党支部"}, format="json")
    assert resp.status_code == 200, resp.json()
    assert api("community").get(url).json()["party_branch"] == "石楼小镇社区第一党支部"
    page = signed_in("community").get(f"/people/residents/{registry.father.pk}/")
    assert "石楼小镇社区第一党支部" in page.content.decode()
