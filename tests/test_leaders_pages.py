"""The leaders' pages as a county would first meet them: grid health judges only with data,
the monthly report opens on the last full month and stays short, the map names its places."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from grassroots.cases.choices import Channel
from grassroots.dashboard import health, mapdata, selectors
from grassroots.figures.services import figures_refresh
from tests.conftest import PASSWORD
from tests.test_dashboard_support import _new, build_scenario

MAP_JS = Path(__file__).parent.parent / "src/grassroots/dashboard/static/dashboard/map.js"


@pytest.fixture
def scenario(world, catalogue):
    return build_scenario(world, catalogue)


@pytest.fixture
def leader(client):
    assert client.login(username="leader", password=PASSWORD)
    return client


def _codes(found):
    return {code for h in found for code, _facts in h["rules"]}


def test_no_patrol_does_not_fire_where_nobody_reports_on_patrol_yet(world, catalogue, leader):
    # given: hotline cases only, no patrol report or visit anywhere
    _new("M003", world.grid3a, 1)
    _new("M003", world.luocun_grid3, 2)
    figures_refresh()
    # when
    found = health.grid_health(world.county)
    # then: no grid is flagged for silence, and the rule is named as inactive
    assert "no_patrol" not in _codes(found)
    assert "no_patrol" in {r["code"] for r in found.inactive}
    html = leader.get(f"/dashboard/area/{world.county.pk}/health/").content.decode()
    assert "因缺少数据暂不判定" in html and 'data-rule="no_patrol"' in html
    assert "巡查/走访上报 0 件" not in html


def test_no_patrol_fires_where_most_grids_report(world, catalogue):
    # given: 微网格A reported on patrol, 微网格B of the same community did not (half reported);
    # 罗村's only grid reported at a visit
    _new("M003", world.grid3a, 3, channel=Channel.PATROL)
    _new("M003", world.luocun_grid3, 3, channel=Channel.VISIT)
    figures_refresh()
    # when
    found = health.grid_health(world.county)
    # then
    silent = [h["area"] for h in found if "no_patrol" in dict(h["rules"])]
    assert silent == [world.grid3b]
    assert "no_patrol" not in {r["code"] for r in found.inactive}
    (community,) = [c for c in found.by_community if c["community_id"] == world.grid3b.community_id]
    assert (community["grids"], community["flagged"], community["no_patrol"]) == (2, 1, 1)


def test_the_monthly_report_opens_on_the_last_full_month(world, scenario, leader):
    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    html = leader.get(f"/dashboard/area/{world.county.pk}/report/").content.decode()
    assert f'name="month" value="{last:%Y-%m}"' in html
    assert f"{last:%Y-%m} 诉求办理月度报告" in html
    # an explicit month is kept
    html = leader.get(f"/dashboard/area/{world.county.pk}/report/?month=2026-01").content.decode()
    assert 'value="2026-01"' in html


def _grid_section(html: str) -> str:
    return html[html.index("运行不顺畅的网格</h2>") :]


def test_the_monthly_report_lists_a_capped_number_of_grids(world, scenario, leader, monkeypatch):
    # given: three flagged grids (微网格B silent and overdue, 微网格A unsatisfied twice, 罗村微网格
    # overdue) and room for one
    assert len(health.grid_health(world.county)) == 3
    monkeypatch.setattr(health, "REPORT_GRIDS", 1)
    monkeypatch.setattr(health, "REPORT_MATTERS", 1)
    # when
    html = leader.get(f"/dashboard/area/{world.county.pk}/report/").content.decode()
    # then: one grid listed, the rest counted and linked, the communities summarised
    section = _grid_section(html)
    assert section.count("<li>") == 1
    assert "另有 2 个网格" in section and f"/dashboard/area/{world.county.pk}/health/" in section
    summary = re.search(r"<table.*?</table>", section, re.S)
    assert summary is not None and "石楼小镇社区" in summary.group(0)
    matters = html[html.index("高频事项</h2>") : html.index("承办单位排名")]
    assert matters.count("<tr>") <= 2 and "另有" in matters


def test_the_map_data_names_townships_communities_and_villages(world, scenario):
    period = selectors.Period(scenario.start, scenario.end)
    labels = mapdata.map_data(area=world.county, period=period)["labels"]
    by_name = {label["name"]: label for label in labels}
    assert by_name["灵泉镇"]["level"] == "township"
    assert by_name["石楼小镇社区"]["level"] == "community"
    assert by_name["胡家峪村"]["level"] == "village"
    assert all(isinstance(label["lat"], float) for label in labels)
    assert not any(label["level"] in ("grid1", "grid2", "grid3") for label in labels)


def test_the_map_credits_plain_leaflet():
    source = MAP_JS.read_text(encoding="utf-8")
    assert 'attributionControl.setPrefix("Leaflet")' in source


def test_slow_response_needs_enough_responses_to_judge():
    slow = {"resp_b4": health.RESPONSE_MIN - 1}
    few = health.GridFacts(patrol_30=1, buckets_90=slow)
    assert health.evaluate(few, county_bucket=1, threshold=0.2) == []
    enough = health.GridFacts(patrol_30=1, buckets_90={"resp_b4": health.RESPONSE_MIN})
    assert [c for c, _f in health.evaluate(enough, county_bucket=1, threshold=0.2)] == [
        "slow_response"
    ]


def test_a_rule_left_inactive_does_not_fire():
    silent = health.GridFacts(patrol_30=0)
    assert health.evaluate(silent, county_bucket=None, threshold=0.2)[0][0] == "no_patrol"
    inactive = health.ALL_RULES - {"no_patrol"}
    assert health.evaluate(silent, county_bucket=None, threshold=0.2, active=inactive) == []
