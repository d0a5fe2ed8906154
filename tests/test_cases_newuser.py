"""The case defects found when the product was tried as a new user would (issue 12, §5): the desk's
found caller, reaching the resident, the handling note, returns, places with context, names with
posts, "…", the work order, the patrol matter order."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.areas import services as area_services
from grassroots.cases import services, workflow
from grassroots.cases.catalogue import matter_define
from grassroots.cases.models import Case
from grassroots.core.models import AuditEvent, User
from tests.conftest import signed_in


def user(name: str) -> User:
    return User.objects.get(username=name)


def register(world, matter="M001", actor="hotline", **fields) -> Case:
    fields.setdefault("area", world.grid3a.pk)
    fields.setdefault("description", "小区路灯三天不亮了")
    channel = fields.pop("channel", "hotline")
    intake = services.Intake(matter=matter, channel=channel, **fields)
    case, _created = services.case_intake(actor=user(actor), intake=intake)
    return case


def act(case, action, username, **details) -> Case:
    return workflow.case_apply(case_id=case.pk, action=action, actor=user(username), **details)[0]


def text(response) -> str:
    return response.content.decode()


def idem(client) -> str:
    return re.search(r'name="idem" value="(\w+)"', text(client.get("/cases/desk/"))).group(1)


# --- 1. the hotline desk: a found caller places the case and is its reporter ------------------


def test_picking_a_found_caller_places_the_case_and_names_the_reporter(registry, catalogue):
    client = signed_in("hotline")
    body = {
        "op": "save",
        "idem": idem(client),
        "matter": "M001",
        "description": "楼下路灯不亮",
        "household": registry.home_a.pk,
        "phone": "13812345678",
        "reporter_name": "",
    }
    response = client.post("/cases/desk/", body)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.household_id == registry.home_a.pk and case.area_id == registry.home_a.area_id
    assert case.reporter_name == "王建国"
    page = text(client.get(response["Location"]))
    assert "王建国" in page and "未定位" not in page


def test_a_typed_reporter_name_wins_over_the_found_caller(registry, catalogue):
    client = signed_in("hotline")
    body = {
        "op": "save",
        "idem": idem(client),
        "matter": "M001",
        "description": "楼下路灯不亮",
        "household": registry.home_a.pk,
        "phone": "13812345678",
        "reporter_name": "王先生的邻居",
    }
    assert client.post("/cases/desk/", body).status_code == 302
    assert Case.objects.get().reporter_name == "王先生的邻居"


def test_the_only_found_household_is_picked_and_its_caller_named(registry, catalogue):
    client = signed_in("hotline")
    html = text(client.post("/cases/desk/", {"op": "lookup", "phone": "13812345678"}))
    picked = re.search(r'<input type="radio" name="household" value="(\d*)"[^>]*checked', html)
    assert picked is not None and picked.group(1) == str(registry.home_a.pk)
    assert re.search(r'name="reporter_name"[^>]*value="王建国"', html)
    fragment = text(client.post("/cases/desk/lookup/", {"phone": "13812345678"}))
    assert re.search(rf'value="{registry.home_a.pk}" data-name="王建国" checked', fragment), (
        "the htmx fragment picks the only household too"
    )


# --- 2. reaching the resident: the reporter's phone for the handler and the reviewer ---------


def _reveal(username, case):
    return signed_in(username).post(f"/cases/{case.pk}/reveal/")


def test_the_handler_reveals_the_reporters_phone_audited_with_the_case_number(world, catalogue):
    case = register(world, reporter_phone="13312349632")  # dispatched to the community station
    page = text(signed_in("community").get(f"/cases/{case.pk}/"))
    assert "133****9632" in page and f"/cases/{case.pk}/reveal/" in page
    response = _reveal("community", case)
    assert response.status_code == 200
    assert "13312349632" in text(response)
    assert response["Cache-Control"] == "no-store"
    row = AuditEvent.objects.get(action="case.reveal")
    assert row.object_type == "case" and row.object_id == str(case.pk)
    assert row.actor_name == "community"
    assert row.changes == {"field": "phone", "purpose": case.number}
    # the plain value is in no audit row
    assert "13312349632" not in str(row.changes)


def test_the_review_operator_reveals_while_the_case_waits_for_review(world, catalogue):
    case = register(world, matter="M002", reporter_phone="13312349632")  # to 县人社局
    assert _reveal("hotline", case).status_code == 403  # not theirs to call yet
    assert _reveal("dept", case).status_code == 200
    act(case, "accept", "dept")
    assert _reveal("dept", case).status_code == 200
    act(case, "resolve", "dept", note="已办理参保登记")
    response = _reveal("hotline", case)
    assert response.status_code == 200 and "13312349632" in text(response)
    assert _reveal("dept", case).status_code == 403  # handed back: the reviewer calls


def test_nobody_else_reveals_the_reporters_phone(world, catalogue, api):
    case = register(world, reporter_phone="13312349632")
    assert _reveal("dept", case).status_code == 404  # out of scope
    for name in ("gridworker", "leader", "township"):  # see the case, do not call
        assert _reveal(name, case).status_code == 403, name
        assert f"/cases/{case.pk}/reveal/" not in text(signed_in(name).get(f"/cases/{case.pk}/"))
    assert _reveal("nobody", case).status_code in (403, 404)
    assert signed_in("community").get(f"/cases/{case.pk}/reveal/").status_code == 405
    assert not AuditEvent.objects.filter(action="case.reveal").exists()


def test_the_reveal_api_follows_the_same_rule(world, catalogue, api):
    case = register(world, reporter_phone="13312349632")
    response = api("community").post(f"/api/v1/cases/{case.pk}/reveal/")
    assert response.status_code == 200 and response.json() == {"phone": "13312349632"}
    assert response["Cache-Control"] == "no-store"
    assert api("dept").post(f"/api/v1/cases/{case.pk}/reveal/").status_code == 404
    assert api("leader").post(f"/api/v1/cases/{case.pk}/reveal/").status_code == 403


# --- 3. 办结 needs a handling note, and 回访 shows it ------------------------------------------


def test_resolve_without_a_note_is_refused_in_the_api_and_the_page(world, catalogue, api):
    case = register(world)
    act(case, "accept", "community")
    refused = api("community").post(
        f"/api/v1/cases/{case.pk}/actions/", {"action": "resolve", "note": " "}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "note_required"
    page = signed_in("community").post(f"/cases/{case.pk}/", {"action": "resolve", "note": ""})
    assert page.status_code == 400 and "请填写办理结果" in text(page)
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_the_review_operator_reads_the_handling_note(world, catalogue):
    case = register(world)
    act(case, "accept", "community")
    act(case, "resolve", "community", note="已更换3号楼东侧灯泡，当晚复亮")
    html = text(signed_in("hotline").get(f"/cases/{case.pk}/"))
    review = html[html.index('value="review"') :]
    assert "已更换3号楼东侧灯泡，当晚复亮" in review[: review.index("</form>")]


# --- 4. a returned case leaves the returner's hands -----------------------------------------


DESK_ACTIONS = {"dispatch", "answer", "reject", "merge"}


def _rows(response) -> str:
    """The queue's table (not its inbox of notifications)."""
    html = text(response)
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_after_a_return_the_returner_takes_no_desk_action(world, catalogue, api):
    case = register(world)  # routed at intake to 石楼小镇社区党群服务站
    act(case, "return", "community", note="不属于本社区")
    case = Case.objects.get(pk=case.pk)
    assert case.state == "received" and case.unit_id is None  # back at the county desk
    assert not DESK_ACTIONS & set(workflow.allowed_actions(user("community"), case))
    refused = api("community").post(
        f"/api/v1/cases/{case.pk}/actions/",
        {"action": "answer", "note": "已答复"},
        format="json",
    )
    assert refused.status_code == 403
    assert case.number not in _rows(signed_in("community").get("/cases/"))
    # the county desk has it, and dispatches it again
    assert case.number in _rows(signed_in("hotline").get("/cases/"))
    act(case, "dispatch", "hotline", unit=world.lingquan_office, note="转乡镇协调")
    assert Case.objects.get(pk=case.pk).returned_by_id is None


def test_a_return_goes_back_to_the_desk_that_dispatched_it(world, catalogue):
    case = register(world)
    act(case, "dispatch", "community", unit=world.lingquan_office, note="需乡镇协调")
    act(case, "return", "township", note="应由社区处理")
    case = Case.objects.get(pk=case.pk)
    assert case.unit_id == world.xiaozhen_station.pk and case.state == "received"
    assert "dispatch" in workflow.allowed_actions(user("community"), case)
    assert not DESK_ACTIONS & set(workflow.allowed_actions(user("township"), case))


def test_the_county_desk_is_not_titled_with_a_level(world, catalogue):
    case = register(world)
    act(case, "return", "community", note="不属于本社区")
    html = text(signed_in("hotline").get(f"/cases/{case.pk}/"))
    facts = html[html.index('<dl class="facts">') : html.index("</dl>")]
    assert "县热线受理台" in facts and "社区（村）" not in facts


# --- 5. places with context -----------------------------------------------------------------


def test_case_lists_show_the_place_path_in_a_fixed_number_of_queries(world, catalogue):
    client = signed_in("township")
    register(world)
    with CaptureQueriesContext(connection) as one:
        html = text(client.get("/cases/?all=1"))
    assert "灵泉镇 › 石楼小镇社区 › 微网格A" in html
    for n in range(6):
        register(world, area=world.grid3b.pk, description=f"二号楼路灯不亮{n}")
    register(world, area=world.hujiayu.pk, description="村口路灯不亮")
    with CaptureQueriesContext(connection) as eight:
        html = text(client.get("/cases/?all=1"))
    assert "灵泉镇 › 石楼小镇社区 › 微网格B" in html and "灵泉镇 › 胡家峪村" in html
    assert len(eight) == len(one), "the paths cost one query per page, not one per case"


def test_the_desk_finds_grids_by_township_community_or_name(world, catalogue):
    client = signed_in("hotline")
    desk = text(client.get("/cases/desk/"))
    assert "微网格A" not in desk  # no flat list of every grid in the county
    found = text(client.get("/cases/desk/places/?place_q=石楼小镇"))
    assert "灵泉镇 › 石楼小镇社区" in found
    assert "微网格A" in found and "微网格B" in found and "罗村微网格" not in found
    narrowed = text(client.get("/cases/desk/places/?place_q=罗村镇 微网格"))
    assert "罗村镇 › 罗村" in narrowed and "罗村微网格" in narrowed and "微网格A" not in narrowed
    # without scripts: the desk's own search button does the same by a full-page post
    posted = text(client.post("/cases/desk/", {"op": "places", "place_q": "石楼小镇"}))
    assert f'name="area" value="{world.grid3a.pk}"' in posted


def test_the_grid_search_keeps_to_the_scope(world, catalogue):
    found = text(signed_in("community").get("/cases/desk/places/?place_q=微网格"))
    assert "微网格A" in found and "罗村微网格" not in found


def _dispatch_options(html: str) -> str:
    form = html[html.index('value="dispatch"') :]
    return form[: form.index("</select>")]


def test_dispatch_targets_are_grouped_and_limited_to_the_actors_reach(world, catalogue):
    luocun_station = area_services.unit_create(
        actor=None, code="S02", name="罗村便民服务站", level="community", area=world.luocun_village
    )
    waiting = register(world, area=None, description="位置不详的路灯")  # at the county desk
    hotline = _dispatch_options(text(signed_in("hotline").get(f"/cases/{waiting.pk}/")))
    assert '<optgroup label="县直部门">' in hotline
    assert "社区（村） › 罗村镇" in hotline and luocun_station.name in hotline
    case = register(world, matter="M003")  # township matter: dispatched to 灵泉镇便民服务中心
    township = _dispatch_options(text(signed_in("township").get(f"/cases/{case.pk}/")))
    assert world.hrss.name in township and world.xiaozhen_station.name in township
    assert luocun_station.name not in township
    at_station = register(world)
    community = _dispatch_options(text(signed_in("community").get(f"/cases/{at_station.pk}/")))
    assert world.lingquan_office.name in community  # one level up the linkage
    assert world.hrss.name not in community and luocun_station.name not in community


def test_a_dispatch_outside_the_reach_is_refused(world, catalogue, api):
    case = register(world)
    response = api("community").post(
        f"/api/v1/cases/{case.pk}/actions/",
        {"action": "dispatch", "unit": world.hrss.pk, "note": "转县人社局"},
        format="json",
    )
    assert response.status_code == 400 and response.json()["detail"]["field"] == "unit"
    assert Case.objects.get(pk=case.pk).unit_id == world.xiaozhen_station.pk


# --- 6. names with posts on the timeline ---------------------------------------------------


def test_timelines_show_name_and_post(world, catalogue, api):
    case = register(world)
    act(case, "accept", "community")
    who = "测试community（石楼小镇社区 community_secretary）"
    html = text(signed_in("hotline").get(f"/cases/{case.pk}/"))
    assert who in html and "测试hotline（石楼县 hotline_operator）" in html
    events = api("hotline").get(f"/api/v1/cases/{case.pk}/events/").json()
    accepted = next(e for e in events if e["action"] == "accept")
    assert accepted["actor_display"] == who
    assert accepted["actor_post"] == "石楼小镇社区 community_secretary"


# --- 7. truncated titles end with "…" ------------------------------------------------------


def test_a_title_cut_from_the_description_ends_with_an_ellipsis(world, catalogue):
    long = "石楼小镇三号楼东侧的路灯已经连续三天晚上不亮了，老人晚上出门很不方便"
    case = register(world, description=long)
    assert case.title.endswith("…") and len(case.title) == services.TITLE_LENGTH
    assert long.startswith(case.title[:-1])
    short = register(world, description="路灯不亮")
    assert short.title == "路灯不亮"


def test_lists_cut_long_titles_with_an_ellipsis(world, catalogue, api):
    title = "关于石楼小镇三号楼东侧路灯连续多日夜间不亮影响居民出行安全的反映"
    created = api("hotline").post(
        "/api/v1/cases/",
        {
            "matter": "M001",
            "channel": "hotline",
            "description": "路灯不亮",
            "title": title,
            "area": world.grid3a.pk,
        },
        format="json",
    )
    assert created.status_code == 201
    html = text(signed_in("hotline").get("/cases/?all=1"))
    row = re.search(r'<td class="title">([^<]*)</td>', html).group(1)
    assert row.endswith("…") and len(row) <= 30


# --- 8. the work order to print --------------------------------------------------------------


def test_the_case_prints_as_a_work_order(world, catalogue):
    case = register(world, reporter_name="王建国", reporter_phone="13312349632")
    act(case, "accept", "community")
    client = signed_in("community")
    assert f"/cases/{case.pk}/print/" in text(client.get(f"/cases/{case.pk}/"))
    sheet = text(client.get(f"/cases/{case.pk}/print/"))
    for part in (
        case.number,
        "路灯不亮",
        "灵泉镇 › 石楼小镇社区 › 微网格A",
        "王建国",
        "133****9632",
        "小区路灯三天不亮了",
        "测试community（石楼小镇社区 community_secretary）",
        "签收",
    ):
        assert part in sheet, part
    assert "cases/print.css" in sheet and "<nav" not in sheet
    assert signed_in("dept").get(f"/cases/{case.pk}/print/").status_code == 404


# --- 9. patrol matters in the order patrols report them ------------------------------------


def _patrol_matters(world):
    common = dict(category="社区事务", unit=world.civil, level="community",
                  response=(1, "working_days"), resolution=(3, "working_days"))  # fmt: skip
    matter_define(actor=None, code="M004", name="就业登记", **common)
    matter_define(actor=None, code="M005", name="占道经营", **common)
    matter_define(actor=None, code="M006", name="垃圾乱堆", **common)


def test_patrol_matters_put_the_workers_own_then_the_countys_most_reported_first(world, catalogue):
    _patrol_matters(world)
    html = text(signed_in("gridworker").get("/cases/report/"))
    order = re.findall(r'name="matter" value="(M\d+)"', html)
    assert order[:2] == ["M001", "M004"]  # nothing reported yet: by code
    for n in range(3):
        register(world, matter="M006", actor="community", channel="patrol", description=f"垃圾{n}")
    register(world, matter="M005", actor="gridworker", channel="patrol", description="占道经营")
    html = text(signed_in("gridworker").get("/cases/report/"))
    order = re.findall(r'name="matter" value="(M\d+)"', html)
    assert order[:3] == ["M005", "M006", "M001"], order
    assert "最近上报" in html
    fragment = text(signed_in("gridworker").get("/cases/desk/matters/?patrol=1"))
    assert re.findall(r'value="(M\d+)"', fragment)[:2] == ["M005", "M006"]


def test_not_placing_by_household_stays_chosen_when_the_form_comes_back(registry, catalogue):
    client = signed_in("hotline")
    body = {"op": "save", "idem": idem(client), "phone": "13812345678", "household": ""}
    html = text(client.post("/cases/desk/", body))  # no matter: shown again with errors
    assert re.search(r'name="household" value="" data-name="" checked', html)


def test_where_it_will_go_names_the_place_by_its_path(world, catalogue, registry):
    client = signed_in("hotline")
    by_grid = text(client.get(f"/cases/desk/route/?matter=M001&area={world.grid3a.pk}"))
    assert "灵泉镇 › 石楼小镇社区 › 微网格A" in by_grid
    by_home = text(client.get(f"/cases/desk/route/?matter=M001&household={registry.home_b.pk}"))
    assert "灵泉镇 › 石楼小镇社区 › 微网格B" in by_home
