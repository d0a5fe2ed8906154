"""Visit coverage: the households' visit state kept by refresh-figures (one definition with the
due list), the plan figures and households visited, each equal to its list after a refresh,
after a visit with no refresh and after the date moves; verify-figures tells a tampered state
row (exit 1) from lag (exit 0); the dashboard's visits and disputes section links every
number to its list."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from grassroots.core.models import User
from grassroots.figures import counts
from grassroots.figures import registry as figures
from grassroots.figures.models import SourceMark
from grassroots.figures.states import states_refresh, states_verify
from grassroots.visits import coverage, services
from grassroots.visits.due import MAX_HORIZON, due_rows
from grassroots.visits.models import HouseholdVisitDue
from tests.conftest import signed_in
from tests.test_disputes_api import _scenario

PLAN = ("plan_households", "plan_on_schedule", "plan_overdue")
LATER = 50  # days on: the disabled member's household (monthly) is 20 days late


def _visit(world, household, days_ago=0):
    visit, _ = services.visit_log(
        actor=world.users["community"],
        data=services.VisitInput(
            household=household.pk,
            visited_on=timezone.localdate() - datetime.timedelta(days=days_ago),
            all_well=True,
        ),
    )
    return visit


def _listed(client, name, within):
    resp = client.get(f"/visits/coverage/?figure={name}&within={within}")
    assert resp.status_code == 200
    return resp.context["count"]


def _assert_figures_equal_lists(world, client):
    for area in (world.county, world.lingquan, world.grid3a, world.luocun):
        for name in PLAN:
            value = counts.figure_count(figures.figure(name), area=area)
            assert value == _listed(client, name, area.pk), (name, area)
        start, end = timezone.localdate() - datetime.timedelta(days=30), timezone.localdate()
        value = counts.figure_count(
            figures.figure("visited_households"),
            area=area,
            start=start,
            end=end + datetime.timedelta(days=1),
        )
        query = f"figure=visited_households&within={area.pk}&from={start}&to={end}"
        assert client.get(f"/visits/log/?{query}").context["count"] == value, area


def test_the_state_is_the_due_lists_own_computation(world, registry):
    _visit(world, registry.home_a, 3)
    call_command("refresh-figures")
    state = {r.household_id: r for r in HouseholdVisitDue.objects.all()}
    rows = due_rows(actor=User.objects.get(username="leader"), horizon=MAX_HORIZON)
    assert {r.household_id: (r.due_on, r.interval_days, r.last_visit) for r in rows} == {
        pk: (s.due_on, s.interval_days, s.last_visit) for pk, s in state.items()
    }
    assert state[registry.home_a.pk].grid3 == world.grid3a.pk
    assert state[registry.home_a.pk].county == world.county.pk


def _visit_state_rebuilt(**kwargs) -> bool:
    """Whether `states_refresh` rebuilt the households' visit state (other apps keep states
    of their own, rebuilt on their own stamps)."""
    mark = SourceMark.objects.filter(source=f"state:{coverage.STATE}")
    before = mark.values_list("refreshed_at", flat=True).first()
    states_refresh(**kwargs)
    return mark.values_list("refreshed_at", flat=True).first() != before


def test_the_state_is_rebuilt_only_when_its_stamp_changes(world, registry):
    assert _visit_state_rebuilt()
    assert states_refresh() == 0  # nothing changed: no state at all is rebuilt
    _visit(world, registry.home_b, 1)
    assert _visit_state_rebuilt()
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert _visit_state_rebuilt(now=tomorrow)  # the date alone


def test_figures_equal_their_lists_after_a_refresh_a_visit_and_the_date_moving(world, registry):
    # given a household late on its plan, after a refresh
    with time_machine.travel(timezone.now() + datetime.timedelta(days=LATER), tick=False):
        client = signed_in("leader")
        call_command("refresh-figures")
        late = counts.figure_count(registry_fig("plan_overdue"), area=world.county)
        assert late >= 1
        _assert_figures_equal_lists(world, client)
        # when a visit is logged with no refresh: both still read the state of the refresh
        _visit(world, registry.home_a)
        assert counts.figure_count(registry_fig("plan_overdue"), area=world.county) == late
        _assert_figures_equal_lists(world, client)
        call_command("refresh-figures")
        assert counts.figure_count(registry_fig("plan_overdue"), area=world.county) == late - 1
        _assert_figures_equal_lists(world, client)
    # when the date moves on with no refresh (home_a, monthly, late again; passwords last 90 days)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=LATER + 35), tick=False):
        client = signed_in("leader")
        fig = registry_fig("plan_overdue")
        assert not counts.fresh(figures.count_source("visit_plan"))
        assert counts.figure_count(fig, area=world.county) > late - 1  # home_a is late again
        _assert_figures_equal_lists(world, client)


def registry_fig(name):
    return figures.figure(name)


def test_households_visited_count_a_household_once(world, registry):
    _visit(world, registry.home_a, 1)
    _visit(world, registry.home_a, 2)
    _visit(world, registry.home_b, 2)
    call_command("refresh-figures")
    fig = figures.figure("visited_households")
    start, end = timezone.localdate() - datetime.timedelta(days=7), timezone.localdate()
    assert counts.figure_count(fig, area=world.county, start=start, end=end) == 2
    assert (
        counts.figure_count(figures.figure("visits"), area=world.county, start=start, end=end) == 3
    )
    query = f"figure=visited_households&from={start}&to={end}"
    assert signed_in("community").get(f"/visits/log/?{query}").context["count"] == 2


def test_the_plan_list_is_scoped_and_refuses_other_figures(world, registry):
    call_command("refresh-figures")
    worker = signed_in("gridworker")
    county = _listed(signed_in("leader"), "plan_households", world.county.pk)
    mine = worker.get("/visits/coverage/?figure=plan_households")
    assert 0 < mine.context["count"] < county
    assert (
        worker.get(f"/visits/coverage/?figure=plan_households&within={world.luocun.pk}").status_code
        == 404
    )
    assert worker.get("/visits/coverage/?figure=visits").status_code == 400


def test_verify_reports_a_tampered_state_row_and_lag(world, registry, capsys):
    call_command("refresh-figures")
    call_command("verify-figures")
    assert "state:visit_due: figures consistent" in capsys.readouterr().out
    row = HouseholdVisitDue.objects.first()
    HouseholdVisitDue.objects.filter(pk=row.pk).update(
        due_on=row.due_on + datetime.timedelta(days=5)
    )
    with pytest.raises(SystemExit) as exc:
        call_command("verify-figures")
    assert exc.value.code == 1
    assert "corrupt: state:visit_due" in capsys.readouterr().err
    # a visit since the refresh: lag, not compared (exit 0)
    _visit(world, registry.home_b)
    call_command("verify-figures")
    assert "lag: state:visit_due changed since its refresh" in capsys.readouterr().out
    call_command("refresh-figures")
    assert all(not c.differences and not c.lag for c in states_verify())


LINK = re.compile(r'<a data-figure="(\w+)" href="([^"]+)"[^>]*>(\d+)</a>')


@pytest.mark.parametrize(("who", "area"), [("leader", "county"), ("township", "lingquan")])
def test_the_dashboard_section_links_every_number_to_its_list(world, registry, who, area):
    # given visits, late households and disputes, refreshed
    _scenario(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=LATER), tick=False):
        _visit(world, registry.home_b, 2)
        call_command("refresh-figures")
        client = signed_in(who)
        page = client.get(f"/dashboard/area/{getattr(world, area).pk}/").content.decode()
        found = LINK.findall(page)
        # every section's links are walked (the cadres section's too)
        assert {name for name, _, _ in found} >= {
            "visits", "plan_on_schedule", "plan_households", "plan_overdue",
            "found", "settled", "high_risk_open", "follow_ups_overdue",
            # the relocation section's figures link to their rows the same way (none here)
            "relocated_households", "relocation_items_due", "relocation_items_fulfilled",
            "relocation_items_in_progress", "relocation_items_escalated",
            "relocation_omissions_open", "relocation_omissions_closed",
        }  # fmt: skip
        assert "走访与矛盾纠纷" in page
        assert any(name.startswith("cadre_") for name, _, _ in found)  # both read the cadres
        for name, href, number in found:
            listed = client.get(href.replace("&amp;", "&"))
            assert listed.status_code == 200, href
            assert listed.context["count"] == int(number), (name, href)
        assert any(int(n) for name, _, n in found if name == "plan_overdue")


def test_a_grid_dashboard_has_no_section(world, registry):
    call_command("refresh-figures")
    page = signed_in("gridworker").get("/dashboard/").content.decode()
    assert "走访与矛盾纠纷" not in page


def test_the_state_is_worked_out_before_its_write_and_a_visit_rewrites_one_row(
    world, registry, monkeypatch
):
    # given the state after a refresh, and the depth of transactions the test runs in
    from django.db import connection

    with time_machine.travel(timezone.now() + datetime.timedelta(days=LATER), tick=False):
        call_command("refresh-figures")
        held = coverage.stored()
        assert (registry.home_a.pk,) in held and len(held) >= 2
        depth = len(connection.atomic_blocks)
        seen: list[int] = []
        real = coverage.computed

        def computed(today):
            seen.append(len(connection.atomic_blocks))
            return real(today)

        monkeypatch.setattr(coverage, "computed", computed)
        # when one household is visited and the state is rebuilt
        _visit(world, registry.home_a)
        written = coverage.rebuild(timezone.localdate())
        # then the rows were worked out with no transaction open (on SQLite one holds the
        # write lock every intake waits for), and only the visited household's row was written
        assert seen == [depth] and written == 1
        now = coverage.stored()
        assert now.keys() == held.keys()
        assert [h for h in held if now[h] != held[h]] == [(registry.home_a.pk,)]
        assert coverage.stored() == coverage.expected(timezone.localdate())


def test_rows_replaced_refuses_a_column_it_would_never_compare(db):
    from grassroots.figures.kept import rows_replaced

    with pytest.raises(ValueError, match="neither key nor field"):
        rows_replaced(
            HouseholdVisitDue, ("household_id",), ("due_on",), [{"household_id": 1, "x": 2}]
        )
