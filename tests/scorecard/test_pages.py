"""The scorecard pages: scope (out of scope 404, no right 403), the three pillars, every
value equal to the rows behind its link, a bounded number of queries, the .xlsx."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from grassroots.areas import services as area_services
from grassroots.core.models import AuditEvent
from grassroots.figures.counts import counts_refresh
from grassroots.figures.states import states_refresh
from tests.conftest import signed_in
from tests.test_dashboard_support import build_scenario
from tests.test_figures_live import settle


class _Rows(HTMLParser):
    """Each indicator row: its code, its value (data-value) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict] = {}
        self._code = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-indicator" in a:
            self._code = a["data-indicator"]
            self.rows[self._code] = {"value": None, "links": []}
        elif tag == "td" and "data-value" in a and self._code:
            self.rows[self._code]["value"] = a["data-value"]
        elif tag == "a" and "data-link" in a and self._code:
            self.rows[self._code]["links"].append(a["href"])


def rows_of(html: str) -> dict[str, dict]:
    p = _Rows()
    p.feed(html)
    return p.rows


def list_count(client, href: str) -> int:
    resp = client.get(href)
    assert resp.status_code == 200, (href, resp.status_code)
    if "page_obj" in resp.context:
        return resp.context["page_obj"].paginator.count
    return int(resp.context["count"])


@pytest.fixture
def scenario(world, catalogue):
    s = build_scenario(world, catalogue)
    settle()
    states_refresh()
    counts_refresh()
    return s


def test_the_leader_sees_the_county_scorecard_with_three_pillars(world, scenario):
    resp = signed_in("leader").get("/scorecard/")
    assert resp.status_code == 200
    assert resp.context["area"] == world.county
    body = resp.content.decode()
    for pillar in ("community", "cadres", "relocation"):
        assert f'data-pillar="{pillar}"' in body
    assert "社区建设规范化 → 基层保障力" in body
    assert "区域内现有的三级网格数" in body  # the definition, in words


def test_the_navigation_links_the_scorecard_for_those_who_see_it(world):
    assert 'href="/scorecard/"' in signed_in("leader").get("/").content.decode()
    assert 'href="/scorecard/"' in signed_in("township").get("/").content.decode()
    assert 'href="/scorecard/"' not in signed_in("gridworker").get("/").content.decode()


def test_a_township_sees_its_own_scorecard_and_no_other(world):
    client = signed_in("township")
    assert client.get("/scorecard/").context["area"] == world.lingquan
    assert client.get(f"/scorecard/{world.lingquan.pk}/").status_code == 200
    assert client.get(f"/scorecard/{world.xiaozhen.pk}/").status_code == 200
    assert client.get(f"/scorecard/{world.luocun.pk}/").status_code == 404
    assert client.get(f"/scorecard/{world.county.pk}/").status_code == 404
    assert client.get(f"/scorecard/{world.luocun.pk}/scorecard.xlsx").status_code == 404


def test_a_community_sees_its_own_and_grids_have_no_scorecard(world):
    client = signed_in("community")
    assert client.get("/scorecard/").context["area"] == world.xiaozhen
    assert client.get(f"/scorecard/{world.lingquan.pk}/").status_code == 404
    assert client.get(f"/scorecard/{world.grid3a.pk}/").status_code == 404
    assert signed_in("leader").get(f"/scorecard/{world.grid3a.pk}/").status_code == 404


def test_without_the_right_the_scorecard_is_forbidden(world):
    assert signed_in("gridworker").get("/scorecard/").status_code == 403
    assert signed_in("nobody").get("/scorecard/").status_code == 403


def test_a_bad_period_is_a_clear_error(world):
    resp = signed_in("leader").get("/scorecard/?span=week")
    assert resp.status_code == 400
    resp = signed_in("leader").get("/scorecard/?span=month&at=2026-13-01")
    assert resp.status_code == 400


@pytest.mark.parametrize("span", ["all", "month", "quarter", "year"])
def test_every_value_equals_the_rows_behind_its_link(world, scenario, span):
    client = signed_in("leader")
    for area in (world.county, world.lingquan, world.xiaozhen):
        resp = client.get(f"/scorecard/{area.pk}/?span={span}")
        data = resp.context
        checked = 0
        for pillar in data["pillars"]:
            for row in pillar["rows"]:
                ind = row.indicator
                if ind.unit not in ("count", "rate") or not row.links:
                    continue  # a sum (m², mu) adds up its rows rather than counting them
                parts = (
                    [row.numerator, row.denominator] if row.denominator is not None else [row.value]
                )
                for n, link in zip(parts, row.links, strict=True):
                    assert n == list_count(client, link["url"]), (area.name, ind.code, link)
                    checked += 1
        assert checked >= 30, checked


def test_the_page_shows_the_values_it_checked(world, scenario):
    client = signed_in("leader")
    rows = rows_of(client.get("/scorecard/").content.decode())
    assert rows["grids_level3"]["value"] == "3"
    assert list_count(client, rows["grids_level3"]["links"][0]) == 3
    assert rows["cases_received"]["value"] == str(
        list_count(client, rows["cases_received"]["links"][0])
    )


def test_the_township_ranks_among_its_peers(world, scenario):
    resp = signed_in("leader").get(f"/scorecard/{world.lingquan.pk}/?span=year")
    row = next(
        r for p in resp.context["pillars"] for r in p["rows"] if r.indicator.code == "grids_level3"
    )
    assert row.peers == 2 and row.value == 2 and row.rank == 1


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_costs_the_same_whatever_the_number_of_areas(world, scenario):
    client = signed_in("leader")
    url = f"/scorecard/{world.lingquan.pk}/?span=quarter"
    client.get(url)
    before = _queries(client, url)
    for i in range(4):
        town = area_services.area_create(
            actor=None,
            code=f"14112610{i + 2}000",
            name=f"新镇{i}",
            level="township",
            parent=world.county,
        )
        area_services.area_create(
            actor=None,
            code=f"14112610{i + 2}001",
            name=f"新社区{i}",
            level="community",
            parent=town,
        )
    counts_refresh()
    client.get(url)
    after = _queries(client, url)
    assert after == before
    assert before < 120


def test_the_scorecard_exports_as_xlsx_with_the_values_shown(world, scenario):
    client = signed_in("leader")
    page = client.get(f"/scorecard/{world.county.pk}/?span=year")
    resp = client.get(f"/scorecard/{world.county.pk}/scorecard.xlsx?span=year")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    cells = {row[1]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    shown = {r.indicator.label: r.shown for p in page.context["pillars"] for r in p["rows"]}
    assert cells["三级网格（微网格）"][3] == shown["三级网格（微网格）"] == "3"
    assert cells["受理诉求"][3] == shown["受理诉求"]
    assert AuditEvent.objects.filter(action="scorecard.export").count() == 1
