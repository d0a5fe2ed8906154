"""Dashboard pages, metrics API, map data and exports: scope, fixed query counts, bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from grassroots.core.models import User
from tests.conftest import PASSWORD
from tests.otp_support import verify_session
from tests.test_dashboard_support import build_scenario

# 16 for the case figures, 6 for the visits and disputes section (the count sources' marks,
# their four stamp queries, one sum), all sources refreshed; 1 for the second factor's
# look-up per request (is the session verified, or enrolled); 5 for the relocation section (its
# three sources' marks and stamps, one sum); 5 for the cadres section the county leader reads
# (its sources' marks and stamps, one sum: tests/test_cadres_pay_figures.CADRES_QUERIES)
MAX_PAGE_QUERIES = 33


@pytest.fixture
def scenario(world, catalogue):
    return build_scenario(world, catalogue)


@pytest.fixture
def browser(client):
    def login(username: str):
        assert client.login(username=username, password=PASSWORD)
        verify_session(client, User.objects.get(username=username))
        return client

    return login


def test_leader_sees_the_county_with_links_to_the_cases(world, scenario, browser):
    resp = browser("leader").get("/dashboard/")
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "石楼县驾驶舱" in html and "灵泉镇" in html and "罗村镇" in html
    assert f"within={world.county.pk}" in html and "figure=overdue" in html
    assert "figure=satisfied" in html and "figure=reviewed" in html
    assert "matter=M002" in html and f"unit={world.hrss.pk}" in html
    assert "数据截至" in html
    assert 'id="dashboard-chart"' in html and "<script>" not in html


def test_township_sees_only_its_township(world, scenario, browser):
    client = browser("township")
    home = client.get("/dashboard/")
    assert home.status_code == 200 and "灵泉镇驾驶舱" in home.content.decode()
    assert "罗村镇" not in home.content.decode()
    assert client.get(f"/dashboard/area/{world.county.pk}/").status_code == 404
    assert client.get(f"/dashboard/area/{world.luocun.pk}/").status_code == 404
    assert client.get(f"/dashboard/area/{world.xiaozhen.pk}/").status_code == 200


def test_gridworker_gets_404_for_the_county(world, scenario, browser):
    client = browser("gridworker")
    assert client.get(f"/dashboard/area/{world.county.pk}/").status_code == 404
    assert client.get(f"/dashboard/map/data/?within={world.county.pk}").status_code == 404
    assert "微网格A" in client.get("/dashboard/").content.decode()


def test_no_right_to_cases_is_403(world, scenario, browser):
    assert browser("orgdept").get("/dashboard/").status_code == 403


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("from=2024-13-01", 400, "日期格式"),
        ("from=2024-03-01&to=2024-02-01", 400, "开始日期必须早于结束日期"),
        ("from=2020-01-01&to=2024-01-01", 400, "统计区间不能超过"),
    ],
)
def test_bad_periods_are_clear_messages(world, scenario, browser, query, status, message):
    resp = browser("leader").get(f"/dashboard/area/{world.county.pk}/?{query}")
    assert resp.status_code == status and message in resp.content.decode()


def test_unknown_areas(world, scenario, browser, api):
    client = browser("leader")
    assert client.get("/dashboard/area/999999/").status_code == 404
    assert client.get("/dashboard/map/data/?within=abc").status_code == 400
    assert api("leader").get("/api/v1/metrics/dashboard/?within=999999").status_code == 404
    assert api("leader").get("/api/v1/metrics/dashboard/?within=x").status_code == 400
    assert client.get(f"/dashboard/area/{world.county.pk}/export/nothing.xlsx").status_code == 404
    assert client.get(f"/dashboard/area/{world.county.pk}/report/?month=2024-99").status_code == 400


def test_dashboard_page_queries_are_fixed(world, scenario, browser, django_assert_max_num_queries):
    client = browser("leader")
    client.get("/dashboard/")
    with django_assert_max_num_queries(MAX_PAGE_QUERIES):
        assert client.get(f"/dashboard/area/{world.county.pk}/").status_code == 200


def test_metrics_api(world, scenario, api, django_assert_max_num_queries):
    client = api("leader")
    with django_assert_max_num_queries(14):
        resp = client.get(f"/api/v1/metrics/dashboard/?within={world.lingquan.pk}")
    assert resp.status_code == 200
    body = resp.json()
    assert body["area"]["name"] == "灵泉镇"
    assert [c["area"]["name"] if c["area"] else None for c in body["children"]] == [
        "石楼小镇社区",
        "胡家峪村",
        None,
    ]
    assert body["figures"]["total"] == sum(c["total"] for c in body["children"])
    assert len(body["trend"]) == 30 and body["matters"] and body["units"]
    assert (
        api("township").get(f"/api/v1/metrics/dashboard/?within={world.county.pk}").status_code
        == 404
    )
    assert (
        api("gridworker").get(f"/api/v1/metrics/dashboard/?within={world.county.pk}").status_code
        == 404
    )
    assert api("township").get("/api/v1/metrics/dashboard/").json()["area"]["name"] == "灵泉镇"


def test_map_data(world, scenario, browser, django_assert_max_num_queries):
    client = browser("leader")
    client.get("/dashboard/")
    # 14 for the figures and cases, 1 for the visits of 30 days, 1 for the households' visit
    # state (grid health judged for the leader), 1 for the second factor: fixed, whatever the rows
    with django_assert_max_num_queries(17):
        resp = client.get(f"/dashboard/map/data/?within={world.county.pk}")
    data = resp.json()
    grids = [f for f in data["features"] if f["properties"]["kind"] == "grid"]
    assert {g["properties"]["name"] for g in grids} == {"微网格A", "微网格B", "罗村微网格"}
    a = next(g for g in grids if g["properties"]["name"] == "微网格A")
    assert a["properties"]["url"] == f"/dashboard/area/{world.grid3a.pk}/"
    page = client.get(f"/dashboard/area/{world.county.pk}/map/?figure=satisfaction")
    assert page.status_code == 200 and "vendor/leaflet/leaflet.js" in page.content.decode()


def test_map_with_a_tile_url_allows_its_origin(world, scenario, browser, settings):
    settings.MAP_TILE_URL = "https://t0.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}"
    resp = browser("leader").get("/dashboard/map/")
    assert "https://t0.tianditu.gov.cn" in resp["Content-Security-Policy"]
    assert "tianditu" in resp.content.decode()


def test_grid_health_lists_rules_and_facts(world, scenario, browser):
    resp = browser("leader").get(f"/dashboard/area/{world.county.pk}/health/")
    html = resp.content.decode()
    assert "近 30 天没有巡查上报或入户走访" in html  # the rules are shown
    assert "微网格B" in html and "巡查/走访上报 0 件" in html  # 微网格B had no patrol
    assert "近 90 天不满意 2 件" in html  # 微网格A: two unsatisfied reviews


def test_exports_are_xlsx_with_fixed_queries(
    world, scenario, browser, django_assert_max_num_queries
):
    client = browser("leader")
    client.get("/dashboard/")
    for table in ("children", "matters", "units", "trend", "health"):
        # 24, and 2 fixed ones for the health table's visits (as on the map data); +1 second factor
        with django_assert_max_num_queries(27 if table == "health" else 25):
            resp = client.get(f"/dashboard/area/{world.county.pk}/export/{table}.xlsx")
        assert resp.status_code == 200
        sheet = load_workbook(io.BytesIO(resp.content)).active
        assert sheet.max_row >= 2
    children = load_workbook(
        io.BytesIO(client.get(f"/dashboard/area/{world.county.pk}/export/children.xlsx").content)
    ).active
    assert [c.value for c in children[3]][:1] == ["灵泉镇"]


def test_monthly_report_prints(world, scenario, browser):
    resp = browser("leader").get(f"/dashboard/area/{world.county.pk}/report/")
    html = resp.content.decode()
    assert resp.status_code == 200 and "月度报告" in html and "dashboard/report.js" in html


def test_query_counts_do_not_grow_with_the_cases(world, scenario, browser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_dashboard_support import build_scenario as more

    client = browser("leader")
    urls = [
        f"/dashboard/area/{world.county.pk}/",
        f"/dashboard/map/data/?within={world.county.pk}",
        f"/api/v1/metrics/dashboard/?within={world.county.pk}",
    ]
    client.get(urls[0])

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    more(world, None)  # the same eleven cases again: twice the cases
    more(world, None)
    assert counts() == before
    # cases written since the refresh: their days are read live, in one more query per read
    from grassroots.cases.services import Intake, case_intake

    def write(n):
        for _ in range(n):
            case_intake(
                actor=None,
                intake=Intake(
                    matter="M002", channel="hotline", description="新", area=world.grid3a.pk
                ),
            )

    write(2)
    live = counts()
    # the page and the API: one live query (two at most to name a matter or unit only it holds)
    assert live[0] - before[0] in (1, 2, 3) and live[2] - before[2] in (1, 2, 3)
    assert live[0] <= MAX_PAGE_QUERIES + 3
    write(20)  # ten times the live cases: the same queries
    assert counts() == live
