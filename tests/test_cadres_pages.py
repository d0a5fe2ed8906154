"""The cadres pages (two committees, a cadre's file, appraisals behind a figure, pay sheets) and
the cadre figures (registered, equal to their lists, checked by verify-figures)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.cadres import figures as cadre_figures
from grassroots.cadres import services
from grassroots.figures import registry
from grassroots.figures.checks import figures_verify
from grassroots.figures.counts import counts_refresh, figure_count, fresh
from grassroots.figures.registry import count_source
from grassroots.figures.services import figures_refresh
from tests.cadres_support import YEAR, cadre_with_terms, year_confirmed
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world, registry):
    ours = cadre_with_terms(registry.father, world.xiaozhen, "secretary", "director")
    theirs = cadre_with_terms(registry.villager, world.luocun_village, "member")
    year_confirmed(None, ours)
    year_confirmed(
        None,
        theirs,
        annual={
            "pledges": ["unfulfilled"],
            "township": {"tasks": 60, "collective_economy": 60, "stability": 60},
            "reviews": {
                "party_members": {"votes": {"competent": 6, "incompetent": 4}},
                "representatives": {"scores": [70]},
                "township_committee": {"scores": [65]},
            },
        },
    )
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=12)
    return ours, theirs, sheet


def test_the_township_sees_its_villages_committee_and_not_the_others(scene, world) -> None:
    ours, theirs, _sheet = scene
    client = signed_in("township")
    home = client.get("/cadres/")
    assert home.status_code == 200
    assert "石楼小镇社区" in home.content.decode() and "罗村" not in home.content.decode()
    page = client.get(f"/cadres/committee/{world.xiaozhen.pk}/").content.decode()
    assert ours.resident.name in page and "一肩挑" in page
    assert client.get(f"/cadres/committee/{world.luocun_village.pk}/").status_code == 404
    assert client.get(f"/cadres/{theirs.pk}/").status_code == 404
    assert signed_in("gridworker").get("/cadres/").status_code == 403


def test_a_cadre_s_file_explains_the_score(scene) -> None:
    ours, _theirs, _sheet = scene
    page = signed_in("orgdept").get(f"/cadres/{ours.pk}/").content.decode()
    assert "89.88" in page and "reviews.party_members" in page and "4★" in page
    assert "138****5678" in page and "13812345678" not in page
    leader = signed_in("leader").get(f"/cadres/{ours.pk}/").content.decode()
    assert "89.88" in leader  # the leader reads results (VIEW_CADRE_SCORES)
    assert signed_in("dept").get(f"/cadres/{ours.pk}/").status_code == 403


def test_the_pay_sheet_page_totals_its_lines_and_downloads(scene) -> None:
    _ours, _theirs, sheet = scene
    client = signed_in("township")
    page = client.get(f"/cadres/sheets/{sheet.pk}/").content.decode()
    assert "3500.00" in page
    resp = client.get(f"/cadres/sheets/{sheet.pk}/xlsx/")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_every_cadre_figure_equals_its_list_and_verifies(scene, world) -> None:
    figures_refresh()
    counts_refresh()  # the count sources too, as `refresh-figures` does
    assert figures_verify().differences == []
    assert fresh(count_source(cadre_figures.SOURCE_NAME))
    client = signed_in("orgdept")
    # confirmed today: counted on today's date
    start = timezone.localdate().replace(month=1, day=1)
    end = timezone.localdate() + datetime.timedelta(days=1)
    period = {"period_from": start.isoformat(), "period_to": end.isoformat()}
    seen = 0
    for name in cadre_figures.figure_names():
        value = figure_count(registry.figure(name), area=world.county, start=start, end=end)
        resp = client.get("/cadres/appraisals/", {"figure": name, **period})
        assert resp.status_code == 200
        assert resp.context["count"] == value, name
        seen += value
    stars = sum(
        figure_count(registry.figure(f"cadre_stars_{n}"), area=world.county) for n in range(1, 6)
    )
    assert stars == 2 and seen >= 4
    assert figure_count(registry.figure("cadre_warning_talks"), area=world.luocun) == 1
    assert figure_count(registry.figure("cadre_stars_4"), area=world.lingquan) == 1
    assert client.get("/cadres/appraisals/", {"figure": "nope"}).status_code == 400
