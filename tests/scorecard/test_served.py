"""Residents served (服务群众人次), counted once by the stated rule: a household once a day
however it was served; a case without a household once by itself; kept by the refresher and
checked by verify."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grassroots.cases.services import Intake, case_intake
from grassroots.core.models import User
from grassroots.figures import registry
from grassroots.figures.counts import counts_refresh, figure_count
from grassroots.figures.states import states_refresh, states_verify
from grassroots.scorecard.models import ServedDay
from grassroots.visits.services import visits as visit_services
from tests.conftest import signed_in


def _visit(registry_, day):
    worker = User.objects.get(username="gridworker")
    visit_services.visit_log(
        actor=worker,
        data=visit_services.VisitInput(household=registry_.home_a.pk, visited_on=day, needs="漏水"),
    )


def test_a_household_served_twice_on_a_day_counts_once(world, registry, catalogue):
    today = timezone.localdate()
    # given 微网格A's household visited today and yesterday, and raising a case today
    _visit(registry, today)
    _visit(registry, today - datetime.timedelta(days=1))
    case_intake(
        actor=None,
        intake=Intake(
            matter="M003", channel="hotline", description="漏水", household=registry.home_a.pk
        ),
    )
    # and a case with no household, placed in 微网格B
    case_intake(
        actor=None,
        intake=Intake(matter="M003", channel="hotline", description="路灯", area=world.grid3b.pk),
    )
    # when the refresher runs
    states_refresh()
    counts_refresh()
    # then: the household today once (a case and a visit), yesterday once, the case once
    rows = {(r.household_id, r.case_id, r.day): r.kinds for r in ServedDay.objects.all()}
    assert rows[(registry.home_a.pk, None, today)] == "case,visit"
    assert rows[(registry.home_a.pk, None, today - datetime.timedelta(days=1))] == "visit"
    assert len(rows) == 3
    fig = registry_figure()
    start, end = today - datetime.timedelta(days=7), today + datetime.timedelta(days=1)
    assert figure_count(fig, area=world.county, start=start, end=end) == 3
    assert figure_count(fig, area=world.grid3a, start=start, end=end) == 2
    assert all(not c.differences for c in states_verify())


def registry_figure():
    fig = registry.figure("served_person_times")
    assert fig is not None
    return fig


def test_the_rows_need_the_right_to_see_people(world):
    states_refresh()
    ok = signed_in("leader").get(
        f"/scorecard/rows/?figure=served_person_times&within={world.county.pk}"
    )
    assert ok.status_code == 200
    # the organisation department sees the scorecard but not people
    denied = signed_in("orgdept").get(
        f"/scorecard/rows/?figure=served_person_times&within={world.county.pk}"
    )
    assert denied.status_code == 403


def _rows():
    return {(r.household_id, r.case_id, r.day): (r.pk, r.kinds) for r in ServedDay.objects.all()}


def _as_computed(today):
    from grassroots.scorecard.served import computed

    stored = {(r.household_id, r.case_id, r.day): r.kinds for r in ServedDay.objects.all()}
    assert stored == {key: v["kinds"] for key, v in computed(today).items()}


def test_a_refresh_recomputes_only_the_days_changed_since(world, registry, catalogue, monkeypatch):
    from grassroots.scorecard import served

    # no re-reading margin: only what changed since counts as changed (the margins widen it)
    monkeypatch.setattr(served, "ID_MARGIN", 0)
    monkeypatch.setattr(served, "MARGIN", datetime.timedelta(0))

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _visit(registry, yesterday)
    served.rebuild(today)
    before = _rows()
    # when a case is raised today and the refresher runs again
    case_intake(
        actor=None,
        intake=Intake(
            matter="M003", channel="hotline", description="漏水", household=registry.home_a.pk
        ),
    )
    served.rebuild(today)
    after = _rows()
    # then yesterday's row was left as it was (same row), and today's was added
    assert (
        after[(registry.home_a.pk, None, yesterday)]
        == before[(registry.home_a.pk, None, yesterday)]
    )
    assert after[(registry.home_a.pk, None, today)][1] == "case"
    _as_computed(today)


def test_a_moved_household_a_lost_row_and_a_new_day_recompute_rightly(world, registry, catalogue):
    from grassroots.people.models import Household
    from grassroots.scorecard import served
    from grassroots.visits.models import Visit

    today = timezone.localdate()
    last_week = today - datetime.timedelta(days=7)
    _visit(registry, last_week)
    _visit(registry, today)
    served.rebuild(today)
    # a household moved to another grid: its rows of every day move with it
    Household.objects.filter(pk=registry.home_a.pk).update(
        area=world.grid3b, updated_at=timezone.now()
    )
    served.rebuild(today)
    assert set(ServedDay.objects.values_list("area_id", flat=True)) == {world.grid3b.pk}
    _as_computed(today)
    # a visit deleted (the count no longer adds up): the whole table is recomputed
    Visit.objects.filter(visited_on=last_week).delete()
    served.rebuild(today)
    _as_computed(today)
    assert not ServedDay.objects.filter(day=last_week).exists()
    # the first run of a new day recomputes every row as of that day
    tomorrow = today + datetime.timedelta(days=1)
    served.rebuild(tomorrow)
    assert set(ServedDay.objects.values_list("as_of", flat=True)) == {tomorrow}


def test_the_rows_are_worked_out_outside_any_write_transaction(
    world, registry, catalogue, monkeypatch
):
    # given a visit to count, and the depth of transactions the test itself runs in
    from django.db import connection

    from grassroots.scorecard import served

    _visit(registry, timezone.localdate())
    depth = len(connection.atomic_blocks)
    seen: list[int] = []
    real = served.computed

    def computed(today, days=None):
        seen.append(len(connection.atomic_blocks))
        return real(today, days)

    monkeypatch.setattr(served, "computed", computed)
    # when the refresher rebuilds the kept states
    states_refresh()
    # then the residents served were worked out with no transaction of the refresher open (on
    # SQLite one holds the write lock every intake waits for), and written all the same
    assert seen == [depth]
    _as_computed(timezone.localdate())


def test_a_run_that_wrote_meanwhile_is_not_undone(world, registry, catalogue, monkeypatch):
    from grassroots.scorecard import served

    today = timezone.localdate()
    _visit(registry, today - datetime.timedelta(days=1))
    served.rebuild(today)
    real = served._work
    nested: list[bool] = []

    def work(today_, mark):
        out = real(today_, mark)
        if not nested:
            # given another run that, after this one worked its rows out, counts a new case
            nested.append(True)
            case_intake(
                actor=None,
                intake=Intake(
                    matter="M003",
                    channel="hotline",
                    description="漏水",
                    household=registry.home_a.pk,
                ),
            )
            served.rebuild(today_)
        return out

    monkeypatch.setattr(served, "_work", work)
    # when this run writes, then its older rows did not replace the other's: the table holds
    # the new case's day as a whole recomputation does
    served.rebuild(today)
    assert nested == [True]
    assert _rows()[(registry.home_a.pk, None, today)][1] == "case"
    _as_computed(today)


def test_a_case_written_again_without_a_change_to_count_rewrites_nothing(
    world, registry, catalogue
):
    from grassroots.cases.models import Case
    from grassroots.scorecard import served

    # given the table up to date with a case of 微网格B
    today = timezone.localdate()
    case, _ = case_intake(
        actor=None,
        intake=Intake(matter="M003", channel="hotline", description="路灯", area=world.grid3b.pk),
    )
    served.rebuild(today)
    before = _rows()
    # when the case is written again as the sweep does (a reminder: its stamp moves, nothing
    # the rule counts changes) and the refresher runs
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now(), reminded=50)
    written = served.rebuild(today)
    # then no row was deleted or added
    assert written == 0
    assert _rows() == before
    _as_computed(today)
