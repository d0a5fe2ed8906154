"""Visits through the API and the pages: scope triads, idempotent logs, need → case, pairings."""

import datetime

import pytest
from django.utils import timezone

from grassroots.visits import services
from grassroots.visits.models import Pairing, Visit
from tests.conftest import signed_in

TODAY = timezone.localdate


def log(client, household, key=None, **body):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        "/api/v1/visits/", {"household": household.pk, **body}, format="json", **headers
    )


@pytest.fixture
def visit_a(registry):
    from grassroots.core.models import User

    visit, _ = services.visit_log(
        actor=User.objects.get(username="gridworker"),
        data=services.VisitInput(
            household=registry.home_a.pk, visited_on=TODAY(), needs="想了解养老保险"
        ),
    )
    return visit


def test_log_a_visit_through_the_api(registry, api):
    resp = log(api("gridworker"), registry.home_a, all_well=True, met=[registry.father.pk])
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["visited_on"] == str(TODAY()) and body["met"][0]["name"] == "王建国"
    assert body["household_number"] == "H001"


def test_visit_log_bad_input(registry, api):
    client = api("gridworker")
    future = str(TODAY() + datetime.timedelta(days=2))
    resp = log(client, registry.home_a, all_well=True, visited_on=future)
    assert resp.status_code == 400 and resp.json()["detail"]["field"] == "visited_on"
    assert log(client, registry.home_b, all_well=True).status_code == 404
    assert log(client, registry.home_a, all_well=True, extra=1).status_code == 400
    assert log(api("auditor"), registry.home_a, all_well=True).status_code == 403
    assert Visit.objects.count() == 0


def test_replay_same_body_200_changed_body_422(registry, api):
    client = api("gridworker")
    first = log(client, registry.home_a, key="outbox-1", all_well=True)
    again = log(client, registry.home_a, key="outbox-1", all_well=True)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    changed = log(client, registry.home_a, key="outbox-1", needs="家里漏水")
    assert changed.status_code == 422 and changed.json()["code"] == "idempotency_mismatch"
    assert Visit.objects.count() == 1


def test_visit_list_and_detail_triad(visit_a, api):
    assert [v["id"] for v in api("gridworker").get("/api/v1/visits/").json()["results"]] == [
        visit_a.pk
    ]
    assert api("township").get("/api/v1/visits/").json()["count"] == 1
    assert api("leader").get(f"/api/v1/visits/{visit_a.pk}/").status_code == 200
    # 罗村's township and the department see nothing; the auditor holds no right at all
    assert api("dept").get("/api/v1/visits/").json()["count"] == 0
    assert api("dept").get(f"/api/v1/visits/{visit_a.pk}/").status_code == 404
    assert api("auditor").get(f"/api/v1/visits/{visit_a.pk}/").status_code == 403
    assert api().get("/api/v1/visits/").status_code == 401


def test_out_of_grid_visit_is_404_for_the_grid_worker(registry, api):
    from grassroots.core.models import User

    other, _ = services.visit_log(
        actor=User.objects.get(username="community"),
        data=services.VisitInput(household=registry.home_b.pk, visited_on=TODAY(), all_well=True),
    )
    assert api("gridworker").get(f"/api/v1/visits/{other.pk}/").status_code == 404
    assert api("community").get(f"/api/v1/visits/{other.pk}/").status_code == 200
    assert api("gridworker").get("/api/v1/visits/").json()["count"] == 0


def test_need_to_case_in_one_call(visit_a, catalogue, api):
    resp = api("gridworker").post(
        f"/api/v1/visits/{visit_a.pk}/case/", {"matter": "M002"}, format="json"
    )
    assert resp.status_code == 201, resp.json()
    case_id = resp.json()["case"]
    case = api("gridworker").get(f"/api/v1/cases/{case_id}/").json()
    assert case["channel"] == "visit" and case["household"] == visit_a.household_id
    again = api("gridworker").post(
        f"/api/v1/visits/{visit_a.pk}/case/", {"matter": "M002"}, format="json"
    )
    assert again.status_code == 409
    page = signed_in("community").get(f"/cases/{case_id}/").content.decode()
    assert "来自入户走访" in page


def test_due_list_scope_and_filters(registry, api):
    rows = api("gridworker").get("/api/v1/visits/due/?horizon=60").json()["results"]
    assert [r["number"] for r in rows] == ["H001"]
    assert api("community").get("/api/v1/visits/due/?horizon=60").json()["count"] == 2
    assert api("auditor").get("/api/v1/visits/due/").status_code == 403
    bad = api("community").get("/api/v1/visits/due/?horizon=abc")
    assert bad.status_code == 400 and bad.json()["detail"]["field"] == "horizon"
    bad = api("community").get("/api/v1/visits/due/?lat=91&lon=110")
    assert bad.status_code == 400 and bad.json()["detail"]["field"] == "lat"
    near = api("community").get("/api/v1/visits/due/?horizon=60&lat=37.0&lon=110.8").json()
    assert all(r["distance_km"] is not None for r in near["results"])


def test_vulnerable_rule_tag_is_hidden_without_the_permission(registry, api):
    hotline = api("hotline").get("/api/v1/visits/due/?horizon=60").json()["results"]
    assert {r["rule_tag"] for r in hotline} == {None}
    community = api("community").get("/api/v1/visits/due/?horizon=60").json()["results"]
    assert {r["rule_tag"] for r in community} == {"disabled", "elderly_alone"}


def test_pairings_api(registry, world, api):
    from grassroots.core.models import User

    staff = User.objects.get(username="community").pk
    client = api("community")
    body = {"household": registry.home_a.pk, "member": registry.father.pk}
    resp = client.post("/api/v1/pairings/", body, format="json")
    assert resp.status_code == 201, resp.json()
    assert resp.json()["partner"] == "王建国"
    second = client.post(
        "/api/v1/pairings/", {"household": registry.home_a.pk, "staff": staff}, format="json"
    )
    assert second.status_code == 409 and second.json()["code"] == "already_paired"
    assert api("gridworker").get("/api/v1/pairings/").json()["count"] == 1
    assert api("dept").get("/api/v1/pairings/").json()["count"] == 0
    assert api("auditor").get("/api/v1/pairings/").status_code == 403
    out = api("gridworker").post(
        "/api/v1/pairings/", {"household": registry.home_b.pk, "staff": staff}, format="json"
    )
    assert out.status_code == 404
    pk = resp.json()["id"]
    ended = client.post(f"/api/v1/pairings/{pk}/end/", {"reason": "reassigned"}, format="json")
    assert ended.status_code == 200 and ended.json()["end_reason"] == "reassigned"


def test_bulk_pairing_cap_through_the_api(registry, world, api):
    client = api("community")
    # one party member (王建国) in 石楼小镇社区 and two households: a cap of 1 is too small
    resp = client.post(
        "/api/v1/pairings/bulk/", {"area": world.xiaozhen.pk, "cap": 1}, format="json"
    )
    assert resp.status_code == 400 and resp.json()["code"] == "over_capacity"
    assert Pairing.objects.count() == 0
    ok = client.post("/api/v1/pairings/bulk/", {"area": world.xiaozhen.pk, "cap": 2}, format="json")
    assert ok.status_code == 201 and len(ok.json()) == 2
    out = client.post("/api/v1/pairings/bulk/", {"area": world.luocun.pk, "cap": 2}, format="json")
    assert out.status_code == 404


def test_plan_rules_api(registry, world, api):
    client = api("community")
    resp = client.post(
        "/api/v1/plan-rules/",
        {"area": world.xiaozhen.pk, "tag": "relocated", "interval_days": 60},
        format="json",
    )
    assert resp.status_code == 201
    tags = {(r["area"], r["tag"]) for r in client.get("/api/v1/plan-rules/").json()["results"]}
    assert (world.xiaozhen.pk, "relocated") in tags and (None, "") in tags
    bad = client.post(
        "/api/v1/plan-rules/", {"area": world.xiaozhen.pk, "interval_days": 0}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["detail"]["field"] == "interval_days"
    other = client.post(
        "/api/v1/plan-rules/", {"area": world.luocun.pk, "interval_days": 9}, format="json"
    )
    assert other.status_code == 404
    assert api("township").get("/api/v1/plan-rules/").status_code == 200
    township_rules = api("dept").get("/api/v1/plan-rules/").json()["results"]
    assert all(r["area"] is None for r in township_rules)


# -- pages -----------------------------------------------------------------------------------


def test_due_page_form_and_all_well_post(registry):
    client = signed_in("gridworker")
    page = client.get("/visits/").content.decode()
    assert "H001" in page and "H002" not in page
    form = client.get(f"/visits/new/?household={registry.home_a.pk}").content.decode()
    assert "王建国" in form and "一切正常" in form
    resp = client.post(
        f"/visits/new/?household={registry.home_a.pk}",
        {
            "household": registry.home_a.pk,
            "visited_on": str(TODAY()),
            "met": [registry.father.pk],
            "all_well": "1",
            "idem": "form-1",
        },
    )
    assert resp.status_code == 302 and resp.url == "/visits/"
    visit = Visit.objects.get()
    assert visit.all_well and list(visit.met.all()) == [registry.father]


def test_the_form_shows_a_future_date_refusal(registry):
    client = signed_in("gridworker")
    future = str(TODAY() + datetime.timedelta(days=3))
    resp = client.post(
        f"/visits/new/?household={registry.home_a.pk}",
        {"household": registry.home_a.pk, "visited_on": future, "all_well": "1", "idem": "f-2"},
    )
    assert resp.status_code == 400 and "走访日期不能晚于今天" in resp.content.decode()
    assert client.get(f"/visits/new/?household={registry.home_b.pk}").status_code == 404


def test_visit_page_turns_the_need_into_a_case(visit_a, catalogue):
    client = signed_in("gridworker")
    assert "想了解养老保险" in client.get(f"/visits/{visit_a.pk}/").content.decode()
    resp = client.post(f"/visits/{visit_a.pk}/case/", {"matter": "M002"})
    assert resp.status_code == 302
    visit_a.refresh_from_db()
    assert resp.url == f"/cases/{visit_a.case_id}/"


def test_pairing_page_lists_the_grid(registry):
    services.pairing_create(actor=None, household=registry.home_a, member=registry.father)
    page = signed_in("community").get("/visits/pairings/").content.decode()
    assert "王建国" in page and "H001" in page
    assert signed_in("auditor").get("/visits/pairings/").status_code == 403
