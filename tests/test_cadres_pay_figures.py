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
from grassroots.figures.counts import counts_refresh, counts_verify, figure_count
from grassroots.figures.services import figures_refresh
from tests.cadres_support import YEAR, cadre_with_terms, year_confirmed
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

# The dashboard's cadres section: the marks of its two sources, their stamps (one, two), one sum.
CADRES_QUERIES = 5


def refresh() -> None:
    """What `refresh-figures` does: the cases' rollups, then the count sources."""
    figures_refresh()
    counts_refresh()


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
        actor=None,
        sheet=yearly,
        cadre=ours,
        amount="2000",
        reason="集体经济",
        approver="县委组织部",
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
    refresh()
    assert figures_verify().differences == []
    check = next(c for c in counts_verify() if c.source == cadre_figures.PAY_SOURCE_NAME)
    assert check.refreshed_at is not None and not check.lag and check.differences == []
    base = registry.figure("cadre_pay_base")
    perf = registry.figure("cadre_pay_performance")
    # 3000.29 × 1 + 200 (7 years) + 300 (一肩挑) = 3500.29 a month, two months
    assert figure_count(base, area=world.county) == 2 * 350029
    # 12000.07 × 1.1 (4★) = 13200.077 → 13200.08; the reward and correction are not performance
    assert figure_count(perf, area=world.lingquan) == 1320008
    assert figure_count(base, area=world.luocun) == 0
    assert cadre_figures.yuan(figure_count(base, area=world.county)) == Decimal("7000.58")
    # a stored total changed behind the refresher's back is reported
    from grassroots.figures.models import SourceCount

    row = SourceCount.objects.filter(figure="cadre_pay_base").first()
    SourceCount.objects.filter(pk=row.pk).update(count=row.count + 1)
    check = next(c for c in counts_verify() if c.source == cadre_figures.PAY_SOURCE_NAME)
    assert check.differences


def test_every_pay_total_on_the_home_page_equals_the_lines_it_links(paid, world):
    refresh()
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
    refresh()
    _ours, _theirs = paid
    sheet = services.sheet_draw(actor=None, area=world.xiaozhen, year=YEAR, month=10)
    services.sheet_confirm(actor=None, sheet=sheet)
    base = registry.figure("cadre_pay_base")
    # read live meanwhile: the same value the refresh will store
    today = timezone.localdate()
    live = figure_count(base, area=world.county, start=today, end=today + datetime.timedelta(1))
    assert live == 3 * 350029
    refresh()
    assert figure_count(base, area=world.county) == live
    assert figures_verify().differences == []


DASH_LINK = re.compile(r'<a data-figure="(cadre_\w+)" href="([^"]+)"[^>]*>([\d.]+)</a>')


def _walk(client, page: str) -> dict[str, str]:
    """Every cadre figure on a dashboard page equals the list its link opens: a count its
    rows, a pay total (yuan) the sum of its lines."""
    found = DASH_LINK.findall(page)
    for name, href, value in found:
        listed = client.get(href.replace("&amp;", "&"))
        assert listed.status_code == 200, href
        if name.startswith("cadre_pay_"):
            assert listed.context["total"] == Decimal(value), (name, href)
        else:
            assert listed.context["count"] == int(value), (name, href)
    return {name: value for name, _h, value in found}


def test_the_dashboard_cadres_section_links_every_number_to_its_rows(
    paid, world, django_assert_max_num_queries
):
    from tests.test_dashboard_pages import MAX_PAGE_QUERIES

    _ours, theirs = paid
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
    refresh()
    # the township: its own villages
    township = signed_in("township")
    page = township.get(f"/dashboard/area/{world.lingquan.pk}/").content.decode()
    shown = _walk(township, page)
    names = set(cadre_figures.figure_names()) | set(cadre_figures.pay_figure_names())
    assert set(shown) == names
    assert shown["cadre_stars_4"] == "1" and shown["cadre_warning_talks"] == "0"
    assert shown["cadre_pay_base"] == "7000.58"
    # a department handler (no cadres rights) sees no section
    plain = signed_in("dept").get("/dashboard/").content.decode()
    assert 'id="cadres"' not in plain and "cadre_" not in plain
    # the county leader reads the county's (stars, grades, pay: read-only rights)
    county = signed_in("leader")
    county.get(f"/dashboard/area/{world.county.pk}/")
    with django_assert_max_num_queries(MAX_PAGE_QUERIES + CADRES_QUERIES):
        page = county.get(f"/dashboard/area/{world.county.pk}/").content.decode()
    shown = _walk(county, page)
    assert shown["cadre_warning_talks"] == "1" and shown["cadre_grade_incompetent"] == "1"
    assert "50%" in page  # one of two graded
