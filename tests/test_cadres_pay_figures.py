"""The pay totals: registered figures (fen, shown in yuan) over the lines of confirmed sheets,
each equal to the lines its link lists, checked by verify-figures."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.cadres import figures as cadre_figures
from grassroots.cadres import services
from grassroots.cadres.models import PayRule
from grassroots.figures import registry
from grassroots.figures.checks import figures_verify
from grassroots.figures.counts import counts_verify, figure_count
from grassroots.figures.services import figures_refresh
from tests.cadres_support import YEAR, cadre_with_terms, year_confirmed
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a data-figure="(cadre_pay_\w+)" href="([^"]+)">([\d.]+)</a>')


@pytest.fixture
def paid(world, registry):
    """胡家峪-like secretary and director in 石楼小镇 (灵泉), a member in 罗村: the county base
    has odd fen (SQLite's floating decimals must still sum exactly)."""
    config = {"county_base": "3000.29", "performance_base": "12000.07"}
    services.pay_rule_set(actor=None, year=YEAR, config=config)
    ours = cadre_with_terms(registry.father, world.xiaozhen, "secretary", "director")
    theirs = cadre_with_terms(registry.villager, world.luocun_village, "member")
    year_confirmed(None, ours)
    for month in (11, 12):
        sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=month)
        services.sheet_confirm(actor=None, sheet=sheet)
    yearly = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR)
    services.sheet_adjust(
        actor=None, sheet=yearly, cadre=ours, amount="2000", reason="集体经济", approver="县委组织部"
    )
    services.sheet_confirm(actor=None, sheet=yearly)
    services.sheet_adjust(
        actor=None,
        sheet=yearly,
        cadre=ours,
        amount="-0.01",
        reason="更正",
        approver="县委组织部",
        correction=True,
    )
    # a draft sheet counts nothing
    services.sheet_draw(actor=None, area=world.luocun_village, year=YEAR, month=12)
    assert PayRule.objects.count() == 1
    return ours, theirs


def test_pay_totals_are_exact_and_count_only_confirmed_base_and_performance(paid, world):
    figures_refresh()
    assert figures_verify().differences == []
    check = next(c for c in counts_verify() if c.source == cadre_figures.PAY_SOURCE_NAME)
    assert not check.lag and check.differences == []
    base = registry.figure("cadre_pay_base")
    perf = registry.figure("cadre_pay_performance")
    # 3000.29 × 1 + 200 (7 years) + 300 (一肩挑) = 3500.29 a month, two months
    assert figure_count(base, area=world.county) == 2 * 350029
    # 12000.07 × 1.1 (4★) = 13200.077 → 13200.08; the reward and correction are not performance
    assert figure_count(perf, area=world.lingquan) == 1320008
    assert figure_count(base, area=world.luocun) == 0
    assert cadre_figures.yuan(figure_count(base, area=world.county)) == Decimal("7000.58")


def test_every_pay_total_on_the_home_page_equals_the_lines_it_links(paid, world):
    figures_refresh()
    client = signed_in("orgdept")
    page = client.get("/cadres/", {"year": timezone.localdate().year}).content.decode()
    found = LINK.findall(page)
    assert {n for n, _h, _v in found} == set(cadre_figures.pay_figure_names())
    assert any(Decimal(v) for _n, _h, v in found)
    for name, href, value in found:
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200, href
        assert listed.context["total"] == Decimal(value), (name, href)
        assert sum(line.amount for line in listed.context["page_obj"]) == Decimal(value)
    # the township sees its own township's row only, and its lines only
    township = signed_in("township")
    mine = township.get("/cadres/", {"year": timezone.localdate().year}).content.decode()
    assert "灵泉" in mine and "罗村镇" not in mine
    lines = township.get("/cadres/pay-lines/").context["page_obj"]
    assert {line.sheet.area_id for line in lines} == {world.xiaozhen.pk}
    assert client.get("/cadres/pay-lines/", {"figure": "cadre_stars_5"}).status_code == 400
    assert signed_in("gridworker").get("/cadres/pay-lines/").status_code == 403


def test_a_new_line_is_lag_then_counted_after_the_refresh(paid, world):
    figures_refresh()
    ours, _theirs = paid
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=10)
    services.sheet_confirm(actor=None, sheet=sheet)
    base = registry.figure("cadre_pay_base")
    # read live meanwhile: the same value the refresh will store
    today = timezone.localdate()
    live = figure_count(base, area=world.county, start=today, end=today + datetime.timedelta(1))
    assert live == 3 * 350029
    figures_refresh()
    assert figure_count(base, area=world.county) == live
    assert figures_verify().differences == []
