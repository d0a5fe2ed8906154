"""Case pages: the queue per role, lists and filters, the case page's actions, the hotline desk,
the patrol form, the three rates; scope (200 / 404 / 403) and masked values throughout."""

import datetime
import re

import pytest
from django.test import Client

from grassroots.cases import catalogue as cat
from grassroots.cases import services, workflow
from grassroots.cases.models import Case, CaseEvent
from grassroots.core.models import User
from grassroots.dashboard.services import figures_refresh
from tests.conftest import signed_in


def register(world, matter="M001", actor="hotline", **fields):
    """A case through the real intake service (default: a street light in 微网格A)."""
    fields.setdefault("area", world.grid3a.pk)
    fields.setdefault("description", "小区路灯三天不亮了")
    channel = fields.pop("channel", "hotline")
    intake = services.Intake(matter=matter, channel=channel, **fields)
    case, _created = services.case_intake(actor=User.objects.get(username=actor), intake=intake)
    return case


def act(case, action, username, **details):
    return workflow.case_apply(
        case_id=case.pk, action=action, actor=User.objects.get(username=username), **details
    )[0]


def text(response):
    return response.content.decode()


# --- the queue and the lists -------------------------------------------------------------


def test_handler_queue_lists_dispatched_before_accepted(world, catalogue):
    first = register(world, description="一号楼路灯不亮")
    second = register(world, description="二号楼路灯不亮")
    act(first, "accept", "community")
    html = text(signed_in("community").get("/cases/"))
    assert second.number in html and first.number in html
    assert html.index(second.number) < html.index(first.number)  # dispatched, then accepted
    assert "已派单" in html and "已签收" in html


def test_desk_queue_shows_cases_waiting_at_the_county_desk(world, catalogue):
    waiting = register(world, area=None, lat=10.0, lon=100.0)  # outside every grid
    assert waiting.state == "received"
    assert waiting.number in text(signed_in("hotline").get("/cases/"))
    assert waiting.number not in text(signed_in("community").get("/cases/"))


def test_department_queue_and_out_of_scope(world, catalogue):
    pension = register(world, matter="M002", description="咨询养老保险")
    light = register(world)
    html = text(signed_in("dept").get("/cases/"))
    assert pension.number in html and light.number not in html


def test_leader_queue_shows_supervised_cases(world, catalogue):
    quiet = register(world, description="一号楼路灯不亮")
    watched = register(world, description="二号楼路灯不亮")
    act(watched, "supervise", "leader", note="县领导督办")
    html = text(signed_in("leader").get("/cases/"))
    assert watched.number in html and quiet.number not in html
    listed = text(signed_in("leader").get("/cases/supervised/"))
    assert watched.number in listed and quiet.number not in listed


def test_overdue_list_and_badge(world, catalogue):
    late = register(world, description="一号楼路灯不亮")
    on_time = register(world, description="二号楼路灯不亮")
    Case.objects.filter(pk=late.pk).update(overdue=True)  # what the sweep would flag
    html = text(signed_in("township").get("/cases/overdue/"))
    assert late.number in html and on_time.number not in html
    assert 'class="badge overdue"' in html
    assert late.number in text(signed_in("township").get("/cases/?overdue=1"))


def test_list_filters_text_state_matter_and_area(world, catalogue):
    leak = register(world, matter="M003", description="楼上漏水邻里纠纷")
    light = register(world, area=world.grid3b.pk)
    client = signed_in("hotline")
    assert leak.number in text(client.get("/cases/?q=漏水"))
    assert light.number not in text(client.get("/cases/?q=漏水"))
    assert light.number in text(client.get("/cases/?matter=M001"))
    assert leak.number not in text(client.get("/cases/?matter=M001"))
    within_b = text(client.get(f"/cases/?within={world.grid3b.pk}"))
    assert light.number in within_b and leak.number not in within_b
    assert "微网格B" in within_b
    assert leak.number in text(client.get("/cases/?state=dispatched"))


def test_bad_filter_is_a_message_not_a_500(world, catalogue):
    response = signed_in("hotline").get("/cases/?state=bogus")
    assert response.status_code == 400
    assert 'role="alert"' in text(response)


def test_area_list_out_of_scope_is_404_and_no_right_is_403(world, catalogue):
    assert signed_in("gridworker").get(f"/cases/?within={world.grid3b.pk}").status_code == 404
    assert signed_in("auditor").get("/cases/").status_code == 403


def test_queue_shows_the_units_inbox(world, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = register(world)
    html = text(signed_in("community").get("/cases/"))
    assert "消息" in html and f"{case.number} 派单" in html


def test_queue_query_count_does_not_grow_with_cases(
    world, catalogue, django_assert_max_num_queries
):
    for n in range(30):
        register(world, description=f"路灯不亮 {n} 号")
    client = signed_in("community")
    client.get("/cases/")  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get("/cases/")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/cases/?all=1&q=路灯").status_code == 200


def test_lists_paginate_by_fifty(world, catalogue):
    for n in range(51):
        register(world, description=f"路灯不亮 {n} 号")
    client = signed_in("hotline")
    first = text(client.get("/cases/?all=1"))
    assert "第 1 / 2 页" in first and "all=1&amp;page=2" in first
    second = text(client.get("/cases/?all=1&page=2"))
    assert len(re.findall(r'href="/cases/\d+/"', second)) == 1


def test_pages_need_a_login(world):
    response = Client().get("/cases/")
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- the case page ---------------------------------------------------------------------


def test_case_page_scope_triad(world, catalogue):
    case = register(world, reporter_phone="13812345678", reporter_name="王先生")
    page = signed_in("community").get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    html = text(page)
    assert "138****5678" in html and "13812345678" not in html
    assert "办理过程" in html and "自动派单" in html  # the timeline: create, then dispatch
    assert signed_in("dept").get(f"/cases/{case.pk}/").status_code == 404
    assert signed_in("auditor").get(f"/cases/{case.pk}/").status_code == 403
    assert signed_in("community").get("/cases/999999/").status_code == 404


def test_case_page_offers_exactly_the_allowed_actions(world, catalogue):
    case = register(world)
    html = text(signed_in("community").get(f"/cases/{case.pk}/"))
    offered = set(re.findall(r'name="action" value="(\w+)"', html))
    community = User.objects.get(username="community")
    assert offered == set(workflow.allowed_actions(community, case))
    assert "accept" in offered and "resolve" not in offered
    grid_html = text(signed_in("gridworker").get(f"/cases/{case.pk}/"))
    assert 'value="accept"' not in grid_html


def test_accept_then_resolve_from_the_page(world, catalogue):
    case = register(world)
    client = signed_in("community")
    response = client.post(f"/cases/{case.pk}/", {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    page = text(client.get(f"/cases/{case.pk}/"))
    assert "已签收" in page
    client.post(f"/cases/{case.pk}/", {"action": "resolve", "note": "已更换灯泡"})
    case.refresh_from_db()
    assert case.state == "resolved"
    assert "已更换灯泡" in text(client.get(f"/cases/{case.pk}/"))


def test_missing_reason_is_shown_not_applied(world, catalogue):
    case = register(world)
    response = signed_in("community").post(f"/cases/{case.pk}/", {"action": "return"})
    assert response.status_code == 400
    assert "此操作须填写原因" in text(response)
    case.refresh_from_db()
    assert case.state == "dispatched"


def test_conflict_is_a_message_with_the_current_state(world, catalogue):
    case = register(world)
    client = signed_in("community")
    client.post(f"/cases/{case.pk}/", {"action": "accept"})
    again = client.post(f"/cases/{case.pk}/", {"action": "accept"})  # a stale second tab
    assert again.status_code == 409
    assert 'role="alert"' in text(again) and "已签收" in text(again)
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_no_right_to_the_action_is_403(world, catalogue):
    case = register(world)
    assert (
        signed_in("gridworker").post(f"/cases/{case.pk}/", {"action": "accept"}).status_code == 403
    )


def test_review_needs_a_satisfaction(world, catalogue):
    case = register(world)
    act(case, "accept", "community")
    act(case, "resolve", "community", note="已更换灯泡")
    client = signed_in("hotline")
    assert client.post(f"/cases/{case.pk}/", {"action": "review"}).status_code == 400
    client.post(f"/cases/{case.pk}/", {"action": "review", "satisfaction": "satisfied"})
    case.refresh_from_db()
    assert case.state == "closed" and case.satisfaction == "satisfied"


def test_dispatch_from_the_desk_picks_a_unit(world, catalogue):
    case = register(world, area=None, lat=10.0, lon=100.0)
    client = signed_in("hotline")
    page = text(client.get(f"/cases/{case.pk}/"))
    assert world.xiaozhen_station.name in page  # offered in the unit list
    assert client.post(f"/cases/{case.pk}/", {"action": "dispatch"}).status_code == 400
    client.post(f"/cases/{case.pk}/", {"action": "dispatch", "unit": world.xiaozhen_station.pk})
    case.refresh_from_db()
    assert case.state == "dispatched" and case.unit_id == world.xiaozhen_station.pk


def test_redispatch_to_another_unit_needs_a_reason(world, catalogue):
    case = register(world)
    client = signed_in("hotline")
    url = f"/cases/{case.pk}/"
    refused = client.post(url, {"action": "dispatch", "unit": world.lingquan_office.pk})
    assert refused.status_code == 400 and "原因" in text(refused)
    client.post(url, {"action": "dispatch", "unit": world.lingquan_office.pk, "note": "需乡镇协调"})
    case.refresh_from_db()
    assert case.unit_id == world.lingquan_office.pk


def test_merge_by_number(world, catalogue):
    original = register(world, area=None, lat=10.0, lon=100.0, description="路灯不亮")
    duplicate = register(world, area=None, lat=10.0, lon=100.0, description="路灯又不亮")
    client = signed_in("hotline")
    unknown = client.post(f"/cases/{duplicate.pk}/", {"action": "merge", "into": "20990101"})
    assert unknown.status_code == 400 and "20990101" in text(unknown)
    client.post(f"/cases/{duplicate.pk}/", {"action": "merge", "into": original.number})
    duplicate.refresh_from_db()
    assert duplicate.state == "closed" and duplicate.merged_into_id == original.pk


# --- the hotline desk ------------------------------------------------------------------


def test_desk_lookup_by_phone_finds_the_caller_masked(registry, catalogue, world):
    past = register(world, reporter_phone="13812345678", description="去年路灯不亮")
    client = signed_in("hotline")
    response = client.post("/cases/desk/", {"op": "lookup", "phone": "13812345678"})
    html = text(response)
    assert response.status_code == 200
    assert "王建国" in html and "H001" in html
    assert "138****5678" in html and "13812345678" not in html
    assert past.number in html
    assert f'name="household" value="{registry.home_a.pk}"' in html


def test_desk_lookup_fragment_for_htmx(registry, catalogue):
    client = signed_in("hotline")
    html = text(client.post("/cases/desk/lookup/", {"phone": "139 1234 5678"}))
    assert "李秀英" in html and "139****5678" in html
    assert "<html" not in html
    assert 'role="alert"' in text(client.post("/cases/desk/lookup/", {"phone": "12"}))


def test_desk_lookup_is_never_a_get(registry, catalogue):
    client = signed_in("hotline")
    assert client.get("/cases/desk/lookup/?phone=13812345678").status_code == 405
    assert 'name="caller"' not in text(client.get("/cases/desk/"))


def test_desk_registers_a_call_once_per_form(registry, catalogue, world):
    client = signed_in("hotline")
    form = text(client.get("/cases/desk/"))
    key = re.search(r'name="idem" value="(\w+)"', form).group(1)
    body = {
        "op": "save",
        "idem": key,
        "matter": "M001",
        "description": "楼下路灯不亮",
        "household": registry.home_a.pk,
        "channel": "hotline",
        "phone": "13812345678",
        "reporter_name": "王先生",
    }
    first = client.post("/cases/desk/", body)
    second = client.post("/cases/desk/", body)  # a double click
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/cases/{case.pk}/"
    page = text(client.get(first["Location"]))
    assert case.number in page and "138****5678" in page
    assert case.household_id == registry.home_a.pk and case.state == "dispatched"
    assert case.resident_id == registry.father.pk


def test_desk_carries_the_looked_up_phone_without_showing_it(registry, catalogue):
    client = signed_in("hotline")
    looked = text(client.post("/cases/desk/", {"op": "lookup", "phone": "13812345678"}))
    token = re.search(r'name="caller" value="([^"]+)"', looked).group(1)
    key = re.search(r'name="idem" value="(\w+)"', looked).group(1)
    client.post(
        "/cases/desk/",
        {"op": "save", "idem": key, "caller": token, "matter": "M002", "description": "问参保"},
    )
    assert Case.objects.get().reporter_phone_masked == "138****5678"


def test_desk_same_key_with_another_call_is_refused(world, catalogue):
    client = signed_in("hotline")
    body = {"op": "save", "idem": "k9", "matter": "M002", "description": "问参保"}
    assert client.post("/cases/desk/", body).status_code == 302
    other = client.post("/cases/desk/", {**body, "description": "别的事"})
    assert other.status_code == 422 and "请先刷新页面" in text(other)
    assert Case.objects.count() == 1


def test_desk_form_errors_are_shown(world, catalogue):
    client = signed_in("hotline")
    response = client.post("/cases/desk/", {"op": "save", "idem": "k1", "description": "x"})
    assert response.status_code == 400 and "请选择职能事项" in text(response)
    unknown = client.post(
        "/cases/desk/", {"op": "save", "idem": "k2", "matter": "M999", "description": "x"}
    )
    assert unknown.status_code == 400 and "M999" in text(unknown)
    assert Case.objects.count() == 0


def test_desk_answer_at_the_seat_from_an_article(world, catalogue):
    article = cat.article_define(
        actor=None,
        matter=catalogue.pension,
        title="城乡居民养老保险参保办理",
        body="携带户口簿到乡镇便民服务中心办理。",
        review_on=datetime.date(2026, 12, 31),
    )
    client = signed_in("hotline")
    found = text(client.get("/cases/desk/articles/?kq=cxjm"))
    assert "城乡居民养老保险参保办理" in found
    assert "城乡居民养老保险参保办理" in text(client.get("/cases/desk/articles/?matter=M002"))
    response = client.post(
        "/cases/desk/",
        {
            "op": f"answer:{article.pk}",
            "idem": "answer-1",
            "matter": "M002",
            "description": "咨询怎么参保",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.state == "closed" and case.closure == "answered"
    assert "户口簿" in CaseEvent.objects.get(case=case, action="answer").note


def test_desk_matter_suggestions_by_pinyin(world, catalogue):
    client = signed_in("hotline")
    html = text(client.get("/cases/desk/matters/?q=ldbl"))
    assert "路灯不亮" in html and 'value="M001"' in html and "养老" not in html
    assert "养老" in text(client.get("/cases/desk/matters/?q=养老"))


def test_route_preview(world, catalogue, registry):
    client = signed_in("hotline")
    here = text(client.get(f"/cases/desk/route/?matter=M001&area={world.grid3a.pk}"))
    assert world.xiaozhen_station.name in here and "直接派至" in here
    county = text(client.get("/cases/desk/route/?matter=M002"))
    assert world.hrss.name in county
    nowhere = text(client.get("/cases/desk/route/?matter=M001"))
    assert "县热线受理台" in nowhere
    by_home = text(client.get(f"/cases/desk/route/?matter=M001&household={registry.home_b.pk}"))
    assert world.xiaozhen_station.name in by_home
    assert "选择事项" in text(client.get("/cases/desk/route/"))
    assert Case.objects.count() == 0


def test_desk_needs_the_right_to_register(world, catalogue):
    assert signed_in("dept").get("/cases/desk/").status_code == 403
    assert (
        signed_in("auditor").post("/cases/desk/lookup/", {"phone": "13812345678"}).status_code
        == 403
    )
    assert signed_in("hotline").get("/cases/desk/").status_code == 200


# --- the patrol form -------------------------------------------------------------------


def test_patrol_form_defaults_to_the_workers_grid(world, catalogue):
    html = text(signed_in("gridworker").get("/cases/report/"))
    assert f'<option value="{world.grid3a.pk}" selected>' in html
    assert 'value="M001"' in html and 'value="M002"' not in html  # county matters are not patrol's
    assert "patrol.js" in html


def test_patrol_report_without_photo(world, catalogue):
    client = signed_in("gridworker")
    response = client.post(
        "/cases/report/",
        {
            "idem": "p1",
            "matter": "M001",
            "description": "路灯杆倾斜",
            "area": world.grid3a.pk,
            "lat": "37.005",
            "lon": "110.805",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.channel == "patrol" and case.area_id == world.grid3a.pk
    assert case.lat == pytest.approx(37.005) and case.needs_site_check
    assert case.number in text(client.get(response["Location"]))
    assert "巡查上报" in text(client.get("/cases/"))  # the shortcut; and the report is queued
    assert case.number in text(client.get("/cases/"))


def test_patrol_outside_own_grid_is_404(world, catalogue):
    response = signed_in("gridworker").post(
        "/cases/report/",
        {"idem": "p2", "matter": "M001", "description": "x", "area": world.luocun_grid3.pk},
    )
    assert response.status_code == 404
    assert Case.objects.count() == 0


def test_patrol_needs_the_right_to_report(world):
    assert signed_in("dept").get("/cases/report/").status_code == 403


# --- the three rates -------------------------------------------------------------------


def test_figures_page_links_to_the_cases_behind(world, catalogue):
    case = register(world)
    act(case, "accept", "community")
    act(case, "resolve", "community", note="已更换灯泡")
    act(case, "review", "hotline", satisfaction="satisfied")
    overdue = register(world, description="二号楼路灯不亮")
    Case.objects.filter(pk=overdue.pk).update(overdue=True)
    figures_refresh()  # the figures are read from the rollups
    client = signed_in("leader")
    response = client.get(f"/cases/figures/?within={world.xiaozhen.pk}")
    html = text(response)
    assert response.status_code == 200
    assert "响应率" in html and "100.0%" in html
    link = re.search(r'href="(/cases/\?[^"]*overdue=1[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"within={world.xiaozhen.pk}" in link
    listed = text(client.get(link))
    assert overdue.number in listed and case.number not in listed
    total = re.search(r'href="(/cases/\?[^"]*from=[^"]*)"', html).group(1).replace("&amp;", "&")
    behind = text(client.get(total))
    assert case.number in behind and overdue.number in behind


@pytest.mark.parametrize(
    "query", ["from=2026-13-01", "from=2026-02-01&to=2026-01-01", "from=2020-01-01&to=2026-01-01"]
)
def test_figures_bad_period_is_a_message(world, catalogue, query):
    response = signed_in("leader").get(f"/cases/figures/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in text(response)


def test_figures_scope(world, catalogue):
    assert signed_in("auditor").get("/cases/figures/").status_code == 403
    assert (
        signed_in("gridworker").get(f"/cases/figures/?within={world.grid3b.pk}").status_code == 404
    )
    assert signed_in("dept").get("/cases/figures/").status_code == 200
