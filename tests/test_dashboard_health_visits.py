"""Grid health uses home visits: a grid whose planned visits are left undone is flagged with a
link to its households on the due list; a home visit counts as work against "no patrol"; the
queries stay fixed however many visits there are."""

from __future__ import annotations

import datetime

import pytest
import time_machine
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
        judged = health.grid_health(world.county, leader)
        html = signed_in("leader").get(f"/dashboard/area/{world.county.pk}/health/")
    flagged = {h["area"].pk: dict(h["rules"]) for h in judged}
    assert "逾期未走访超过 14 天的 1 户" in flagged[world.grid3a.pk]["visits_overdue"]
    page = html.content.decode()
    assert f"/visits/?within={world.grid3a.pk}&amp;overdue=1" in page
    # a visit on the plan puts it right
    with later():
        services.visit_log(
            actor=User.objects.get(username="gridworker"),
            data=services.VisitInput(
                household=registry.home_a.pk, visited_on=timezone.localdate(), all_well=True
            ),
        )
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
