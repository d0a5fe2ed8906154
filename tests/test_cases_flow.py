"""The closed loop through the API: intake, routing, handling, review, figures."""

import pytest
from django.db import connection

from grassroots.cases.models import Case, CaseEvent
from grassroots.figures.services import figures_refresh
from tests.conftest import inside


def intake(client, **body):
    payload = {"matter": "M001", "channel": "hotline", "description": "小区路灯三天不亮了"}
    payload.update(body)
    return client.post("/api/v1/cases/", payload, format="json")


def act(client, case_id, action, **body):
    return client.post(
        f"/api/v1/cases/{case_id}/actions/", {"action": action, **body}, format="json"
    )


def test_location_routes_to_the_community_and_the_loop_closes(world, catalogue, api):
    hotline, station = api("hotline"), api("community")
    # given a call about a street light inside a micro grid of 石楼小镇社区
    resp = intake(
        hotline, location=inside(world.grid3a), reporter={"name": "王先生", "phone": "13812345678"}
    )
    assert resp.status_code == 201, resp.json()
    case = resp.json()
    # then it is dispatched at intake to the community's station, with due times
    assert case["state"] == "dispatched"
    assert case["area"] == world.grid3a.pk
    assert case["unit"] == world.xiaozhen_station.pk
    assert case["response_due"] and case["resolution_due"]
    assert case["reporter_phone"] == "138****5678"
    # when the station accepts and resolves, and the hotline reviews
    assert act(station, case["id"], "accept").json()["state"] == "accepted"
    assert act(station, case["id"], "resolve", note="已更换灯泡").json()["state"] == "resolved"
    closed = act(hotline, case["id"], "review", satisfaction="satisfied")
    # then it is closed, with one event per step
    assert closed.json()["state"] == "closed"
    events = hotline.get(f"/api/v1/cases/{case['id']}/events/").json()
    assert [e["action"] for e in events] == ["create", "dispatch", "accept", "resolve", "review"]
    # and the figures reflect it, once the rollups are refreshed (every minute in production)
    figures_refresh()
    figures = hotline.get("/api/v1/metrics/cases/").json()
    assert figures["total"] == 1
    assert figures["response_rate"] == 1.0
    assert figures["resolution_rate"] == 1.0
    assert figures["satisfaction_rate"] == 1.0


def test_county_matter_goes_to_the_department(world, catalogue, api):
    case = intake(api("hotline"), matter="M002", area=world.grid3b.pk).json()
    assert case["unit"] == world.hrss.pk and case["level"] == "county"
    assert api("dept").get(f"/api/v1/cases/{case['id']}/").status_code == 200
    assert api("gridworker").get(f"/api/v1/cases/{case['id']}/").status_code == 404


def test_point_outside_every_grid_waits_at_the_county_desk_flagged(world, catalogue, api):
    case = intake(api("hotline"), location={"lat": 10.0, "lon": 100.0}).json()
    assert case["state"] == "received"
    assert case["unit"] is None and case["location_unmatched"] is True
    assert api("hotline").get(f"/api/v1/cases/{case['id']}/").status_code == 200
    assert api("community").get(f"/api/v1/cases/{case['id']}/").status_code == 404
    # the desk dispatches it by hand, naming the unit
    dispatched = act(api("hotline"), case["id"], "dispatch", unit=world.xiaozhen_station.pk)
    assert dispatched.json()["state"] == "dispatched"
    assert dispatched.json()["unit"] == world.xiaozhen_station.pk


def test_unknown_matter_is_a_field_error(world, catalogue, api):
    resp = intake(api("hotline"), matter="M999", area=world.grid3a.pk)
    assert resp.status_code == 400
    assert resp.json()["code"] == "unknown_matter" and resp.json()["detail"]["field"] == "matter"
    assert Case.objects.count() == 0


def test_household_out_of_scope_is_404(registry, catalogue, api):
    resp = intake(api("gridworker"), channel="patrol", household=registry.home_b.pk)
    assert resp.status_code == 404
    assert Case.objects.count() == 0


def test_wrong_state_missing_reason_and_no_right(world, catalogue, api):
    case = intake(api("hotline"), area=world.grid3a.pk).json()
    assert act(api("community"), case["id"], "resolve", note="已处理").status_code == 409
    assert act(api("community"), case["id"], "return").status_code == 400  # reason required
    assert act(api("gridworker"), case["id"], "accept").status_code == 403
    assert act(api("community"), case["id"], "fly").status_code == 400
    assert CaseEvent.objects.filter(case_id=case["id"]).count() == 2


def test_return_goes_back_to_the_desk(world, catalogue, api):
    case = intake(api("hotline"), area=world.grid3a.pk).json()
    back = act(api("community"), case["id"], "return", note="不属于本社区").json()
    assert back["state"] == "received" and back["unit"] is None


def test_idempotent_intake(world, catalogue, api):
    client = api("hotline")
    first = client.post(
        "/api/v1/cases/",
        {
            "matter": "M001",
            "channel": "hotline",
            "description": "路灯不亮",
            "area": world.grid3a.pk,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-42",
    )
    again = client.post(
        "/api/v1/cases/",
        {
            "matter": "M001",
            "channel": "hotline",
            "description": "路灯不亮",
            "area": world.grid3a.pk,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-42",
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    other = client.post(
        "/api/v1/cases/",
        {"matter": "M001", "channel": "hotline", "description": "别的事", "area": world.grid3a.pk},
        format="json",
        HTTP_IDEMPOTENCY_KEY="call-42",
    )
    assert other.status_code == 422
    assert Case.objects.count() == 1


def test_a_replay_writes_nothing_and_answers_even_when_the_body_is_now_refused(
    world, catalogue, api
):
    from grassroots.cases.models import Matter, Notification

    client = api("hotline")
    body = {"matter": "M002", "channel": "hotline", "description": "井盖缺失"}
    body["area"] = world.grid3a.pk
    first = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-9")
    assert first.status_code == 201
    rows = (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count())
    again = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-9")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count()) == rows
    Matter.objects.filter(code="M002").update(active=False)
    late = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-9")
    assert late.status_code == 200 and late.json()["id"] == first.json()["id"]
    fresh = client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="call-10")
    assert fresh.status_code >= 400


def test_intake_costs_a_fixed_number_of_queries(world, catalogue, api, django_assert_num_queries):
    client = api("hotline")
    intake(client, area=world.grid3a.pk)
    body = {
        "matter": "M001",
        "channel": "hotline",
        "description": "小区路灯三天不亮了",
        "reporter": {"name": "张", "phone": "13812345678"},
        "area": world.grid3a.pk,
    }
    # token, the rate counter (one upsert), posts (with their names: the events record the post
    # the operator acted in), matter, area, handler, resident by phone, the case's id drawn
    # (its number goes in with the row), the test's savepoint pair, and the writes: case,
    # events, (SQLite: search terms,) the handler's inbox, the idempotency key (its unique
    # constraint is the replay check: no look-up first) — on PostgreSQL one statement
    # (db.pipeline), on SQLite an INSERT each
    writes = 5 if connection.vendor == "sqlite" else 1
    with django_assert_num_queries(10 + writes):
        resp = client.post(
            "/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="fixed-queries"
        )
    assert resp.status_code == 201
    assert CaseEvent.objects.filter(case_id=resp.json()["id"]).count() == 2


def test_the_fast_case_json_equals_drfs_generic_output(world, catalogue, api):
    from rest_framework import serializers

    from grassroots.cases.api import CaseSerializer

    client = api("hotline")
    answered = intake(client, area=world.grid3a.pk, answer="已答复").json()
    outside = intake(client, location={"lat": 1.0, "lon": 1.0}).json()
    dispatched = intake(client, matter="M002", area=world.grid3a.pk).json()
    act(client, dispatched["id"], "supervise", note="督办")
    for pk in (answered["id"], outside["id"], dispatched["id"]):
        case = Case.objects.get(pk=pk)
        ser = CaseSerializer(case)
        generic = serializers.ModelSerializer.to_representation(ser, case)
        assert ser.data == generic


def test_unsatisfied_reopens_once_then_escalates(world, catalogue, api):
    hotline, station = api("hotline"), api("community")
    case = intake(hotline, area=world.grid3a.pk).json()
    for _ in range(2):
        act(station, case["id"], "accept")
        act(station, case["id"], "resolve", note="已处理")
    # first unsatisfied: back to the same handler
    first = act(hotline, case["id"], "review", satisfaction="unsatisfied").json()
    assert first["state"] == "accepted" and first["unit"] == world.xiaozhen_station.pk
    act(station, case["id"], "resolve", note="已处理")
    second = act(hotline, case["id"], "review", satisfaction="unsatisfied").json()
    # second unsatisfied: up to the township office
    assert second["state"] == "dispatched" and second["unit"] == world.lingquan_office.pk
    assert second["level"] == "township" and second["reopen_count"] == 2


def test_escalation_climbs_the_three_levels(world, catalogue, api):
    case = intake(api("hotline"), area=world.grid3a.pk).json()
    up = act(api("community"), case["id"], "escalate", note="需乡镇协调").json()
    assert up["unit"] == world.lingquan_office.pk and up["level"] == "township"
    top = act(api("township"), case["id"], "escalate", note="需县直部门处理").json()
    assert top["unit"] == world.civil.pk and top["level"] == "county"
    assert act(api("township"), case["id"], "escalate", note="x").status_code == 403


def test_patrol_case_needs_a_site_check_before_closing(world, catalogue, api):
    case = intake(api("gridworker"), channel="patrol", area=world.grid3a.pk).json()
    act(api("community"), case["id"], "accept")
    act(api("community"), case["id"], "resolve", note="已处理")
    refused = act(api("hotline"), case["id"], "review", satisfaction="satisfied")
    assert refused.status_code == 409
    assert act(api("gridworker"), case["id"], "verify").status_code == 200
    assert (
        act(api("hotline"), case["id"], "review", satisfaction="satisfied").json()["state"]
        == "closed"
    )


def test_supervise_and_urge_are_flags_with_events(world, catalogue, api):
    case = intake(api("hotline"), area=world.grid3a.pk).json()
    assert (
        act(api("leader"), case["id"], "supervise", note="县领导督办").json()["supervised"] is True
    )
    assert act(api("township"), case["id"], "urge", note="请尽快办理").json()["urge_count"] == 1
    assert act(api("gridworker"), case["id"], "urge", note="x").status_code == 403
    listed = api("leader").get("/api/v1/cases/?supervised=true").json()
    assert listed["count"] == 1


def test_answered_at_the_seat_counts(world, catalogue, api):
    client = api("hotline")
    closed = intake(client, matter="M002", answer="已告知参保材料和办理地点").json()
    assert closed["state"] == "closed" and closed["closure"] == "answered"
    events = client.get(f"/api/v1/cases/{closed['id']}/events/").json()
    assert [e["action"] for e in events] == ["create", "answer"]
    figures_refresh()
    assert client.get("/api/v1/metrics/cases/").json()["answered"] == 1


def test_lists_filter_and_sort_by_due(world, catalogue, api):
    client = api("hotline")
    intake(client, matter="M003", area=world.grid3a.pk, description="楼上漏水邻里纠纷")
    intake(client, matter="M002", area=world.grid3a.pk, description="咨询养老保险")
    rows = client.get("/api/v1/cases/").json()["results"]
    assert rows[0]["resolution_due"] <= rows[1]["resolution_due"]
    assert client.get("/api/v1/cases/?q=漏水").json()["count"] == 1
    assert client.get("/api/v1/cases/?matter=M002").json()["count"] == 1
    assert client.get(f"/api/v1/cases/?within={world.grid3b.pk}").json()["count"] == 0
    assert client.get("/api/v1/cases/?state=bogus").status_code == 400


@pytest.mark.parametrize(
    "query", ["from=2026-13-01", "from=2026-02-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01"]
)
def test_bad_metric_periods(world, catalogue, api, query):
    resp = api("leader").get(f"/api/v1/metrics/cases/?{query}")
    assert resp.status_code == 400
    assert set(resp.json()) == {"code", "message", "detail"}


def test_matters_catalogue(world, catalogue, api):
    body = api("gridworker").get("/api/v1/matters/?level=community").json()
    assert [m["code"] for m in body["results"]] == ["M001"]
    assert api("hotline").get("/api/v1/matters/?q=ldbl").json()["count"] == 1


def test_a_co_handler_sees_the_case_and_is_notified(
    world, catalogue, api, django_capture_on_commit_callbacks
):
    from grassroots.cases.models import Notification

    case = intake(api("hotline"), matter="M002", area=world.grid3a.pk).json()
    assert api("township").get(f"/api/v1/cases/{case['id']}/").status_code == 200  # its area
    with django_capture_on_commit_callbacks(execute=True):
        resp = act(api("hotline"), case["id"], "assist", unit=world.civil.pk)
    assert resp.status_code == 200
    assert api("hotline").get(f"/api/v1/cases/{case['id']}/").json()["assists"] == [world.civil.pk]
    assert Notification.objects.filter(unit=world.civil, kind="assist").exists()
    # the owner stays the owner
    assert resp.json()["unit"] == world.hrss.pk
    assert act(api("hotline"), case["id"], "assist", unit=world.hrss.pk).status_code == 400


def test_a_case_with_several_co_handlers_is_listed_once(world, catalogue, api):
    case = intake(api("hotline"), matter="M002", area=world.grid3a.pk).json()
    for unit in (world.civil, world.lingquan_office):
        assert act(api("hotline"), case["id"], "assist", unit=unit.pk).status_code == 200
    # the owner's staff (hrss) see it once, not once per co-handler
    listed = api("dept").get("/api/v1/cases/").json()
    assert [c["id"] for c in listed["results"]] == [case["id"]]
    assert listed["count"] == 1


def test_duplicates_are_offered_for_merging(world, catalogue, api):
    client = api("hotline")
    first = intake(client, area=world.grid3a.pk, description="3号楼路灯不亮").json()
    second = intake(client, area=world.grid3a.pk, description="3号楼门口路灯坏了").json()
    elsewhere = intake(client, area=world.grid3b.pk).json()
    body = client.get(f"/api/v1/cases/{second['id']}/").json()
    assert body["duplicates"] == [{"id": first["id"], "number": first["number"]}]
    assert client.get(f"/api/v1/cases/{elsewhere['id']}/").json()["duplicates"] == []


def test_notifications_also_go_to_the_sms_backend(
    world, catalogue, api, settings, django_capture_on_commit_callbacks
):
    from grassroots.cases import notify

    settings.SMS_BACKEND = "grassroots.cases.notify.OutboxSmsBackend"
    notify.OutboxSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        intake(api("hotline"), area=world.grid3a.pk)
    assert [u for u, _n, _t in notify.OutboxSmsBackend.outbox] == [world.xiaozhen_station.pk]


def test_the_inbox_row_is_written_with_the_case_and_the_sms_only_after_commit(
    world, catalogue, api, settings, django_capture_on_commit_callbacks
):
    from grassroots.cases import notify
    from grassroots.cases.models import Notification

    settings.SMS_BACKEND = "grassroots.cases.notify.OutboxSmsBackend"
    notify.OutboxSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        case = intake(api("hotline"), area=world.grid3a.pk).json()
    # one transaction holds the case and its handler's inbox message; the SMS waits for commit
    assert Notification.objects.filter(case_id=case["id"], unit=world.xiaozhen_station).exists()
    assert notify.OutboxSmsBackend.outbox == []
    assert len(pending) == 1
