"""Grid health uses home visits: a grid whose planned visits are left undone (the households'
visit state kept by refresh-figures) is flagged with a link to its households on the due list;
a home visit counts as work against "no patrol"; the queries stay fixed however many visits
and households there are."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.core.models import User
from grassroots.dashboard import health
from grassroots.dashboard.health import GridFacts, evaluate
from grassroots.visits import services
from tests.conftest import signed_in

LATER = 50  # days after registering: the monthly household (a disabled member) is 20 days late


def later():
    return time_machine.travel(timezone.now() + datetime.timedelta(days=LATER), tick=False)


def test_a_home_visit_counts_against_no_patrol_and_undone_visits_fire():
    assert evaluate(GridFacts(visits_30=1), county_bucket=None, threshold=0.2) == []
    assert [c for c, _ in evaluate(GridFacts(), county_bucket=None, threshold=0.2)] == ["no_patrol"]
    undone = GridFacts(patrol_30=1, visits_overdue=3, visits_overdue_days=40)
    fired = evaluate(undone, county_bucket=None, threshold=0.2)
    assert fired == [("visits_overdue", "逾期未走访超过 14 天的 3 户，最长逾期 40 天")]
    assert evaluate(undone, county_bucket=None, threshold=0.2, active=frozenset()) == []


def test_undone_visits_flag_the_grid_with_a_link_to_its_households(world, registry, monkeypatch):
    monkeypatch.setattr(health, "VISITS_OVERDUE_MIN", 1)
    leader = User.objects.get(username="leader")
    with later():
        call_command("refresh-figures")
        judged = health.grid_health(world.county, leader)
        html = signed_in("leader").get(f"/dashboard/area/{world.county.pk}/health/")
    flagged = {h["area"].pk: dict(h["rules"]) for h in judged}
    assert "逾期未走访超过 14 天的 1 户" in flagged[world.grid3a.pk]["visits_overdue"]
    page = html.content.decode()
    assert f"/visits/?within={world.grid3a.pk}&amp;overdue=1" in page
    # a visit on the plan puts it right, as of the next refresh (every minute)
    with later():
        services.visit_log(
            actor=User.objects.get(username="gridworker"),
            data=services.VisitInput(
                household=registry.home_a.pk, visited_on=timezone.localdate(), all_well=True
            ),
        )
        assert "visits_overdue" in dict(
            next(h for h in health.grid_health(world.county, leader) if h["area"] == world.grid3a)[
                "rules"
            ]
        )
        call_command("refresh-figures")
        judged = health.grid_health(world.county, leader)
    assert all(
        "visits_overdue" not in dict(h["rules"]) for h in judged if h["area"].pk == world.grid3a.pk
    )


def test_without_a_viewer_the_visits_rule_says_why_it_does_not_judge(world, registry):
    judged = health.grid_health(world.county)
    assert "visits_overdue" in {r["code"] for r in judged.inactive}
    assert all("visits_overdue" not in dict(h["rules"]) for h in judged)


@pytest.mark.parametrize("visits", [1, 6])
def test_grid_health_queries_do_not_grow_with_the_visits(world, registry, visits):
    leader = User.objects.get(username="leader")
    worker = User.objects.get(username="gridworker")
    health.grid_health(world.county, leader)  # the leader's scope is read once, then cached

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            health.grid_health(world.county, leader)
        return len(ctx.captured_queries)

    before = count()
    for n in range(visits):
        services.visit_log(
            actor=worker,
            data=services.VisitInput(
                household=registry.home_a.pk,
                visited_on=timezone.localdate() - datetime.timedelta(days=n),
                all_well=True,
            ),
        )
    assert count() == before


def _households(world, n):
    from grassroots.people.models import Dwelling, Household

    dwelling = Dwelling.objects.filter(area=world.grid3a).first()
    for i in range(n):
        Household.objects.create(number=f"HX{i:04d}", dwelling=dwelling, area=world.grid3a)
    # registered long ago and never visited: overdue on every plan
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Household.objects.filter(number__startswith="HX").update(created_at=long_ago)


@pytest.mark.parametrize("more", [0, 30])
def test_grid_health_and_map_queries_do_not_grow_with_the_households(
    world, registry, more, django_assert_num_queries
):
    # given households under a plan, many of them late, and a refresh
    from grassroots.visits.models import HouseholdVisitDue

    _households(world, more)
    with later():
        client = signed_in("leader")
        client.get(f"/dashboard/area/{world.county.pk}/health/")
        call_command("refresh-figures")
        assert HouseholdVisitDue.objects.count() >= more + 2
        leader = User.objects.get(username="leader")
        health.grid_health(world.county, leader)
        # then grid health reads the state in one query (besides the case figures' four)
        with django_assert_num_queries(5):
            judged = health.grid_health(world.county, leader)
        flagged = {h["area"].pk: dict(h["rules"]) for h in judged}
        if more:
            assert f"{more + 1} 户" in flagged[world.grid3a.pk]["visits_overdue"]
        with django_assert_num_queries(HEALTH_PAGE_QUERIES):
            assert client.get(f"/dashboard/area/{world.county.pk}/health/").status_code == 200
        with django_assert_num_queries(MAP_DATA_QUERIES):
            assert client.get(f"/dashboard/map/data/?within={world.county.pk}").status_code == 200


# the session and the viewer (4), the lag mark, four for the case figures, one for the visits
# of 30 days, one for the households' visit state, the community names, the second factor's
# device look-up: fixed
HEALTH_PAGE_QUERIES = 14
MAP_DATA_QUERIES = 17  # likewise, with the second factor's look-up


def test_the_rule_label_follows_the_constants():
    rules = dict(health.RULES)
    assert str(rules["visits_overdue"]) == "按走访计划逾期未走访超过 14 天的户达到 3 户及以上"
