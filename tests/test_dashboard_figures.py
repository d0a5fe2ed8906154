"""Rollups: every figure equals a recomputation from the cases; the refresher; verify-figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from grassroots.cases.figures import HANDLING_BOUNDS, bucket_of
from grassroots.cases.metrics import case_metrics
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.workflow import case_apply
from grassroots.dashboard import selectors
from grassroots.dashboard.health import GridFacts, evaluate
from grassroots.figures.checks import figures_verify
from grassroots.figures.columns import FIELDS, median_bucket
from grassroots.figures.models import DailyFigure, Escalation, RefreshMark
from grassroots.figures.services import figures_refresh
from tests.test_dashboard_support import build_scenario, recompute

KEYS = ("total", "answered", "open", "overdue", "supervised")
RATES = ("response_rate", "resolution_rate", "satisfaction_rate")


def settle():
    """Every case last written an hour ago and refreshed since: no day is lag any more."""
    Case.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))
    figures_refresh(full=True)


@pytest.fixture
def scenario(world, catalogue):
    return build_scenario(world, catalogue)


def _period(s):
    return selectors.Period(s.start, s.end)


def _in(area, s):
    begin = datetime.datetime.combine(
        s.start, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    end = datetime.datetime.combine(
        s.end, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    return Case.objects.filter(area.subtree_q("area__"), created_at__gte=begin, created_at__lt=end)


@pytest.mark.parametrize("name", ["county", "lingquan", "luocun", "xiaozhen", "grid3a", "grid3b"])
def test_each_figure_equals_a_recomputation_from_the_cases(world, scenario, name):
    area = getattr(world, name)
    mark = RefreshMark.objects.get(pk=1)
    figures, _children = selectors.breakdown(area, _period(scenario))
    expected = recompute(_in(area, scenario), mark.refreshed_at)
    for key in KEYS:
        assert figures[key] == expected[key], key
    for key in RATES:
        assert figures[key] == expected[key], key


def test_rates_equal_the_cases_metrics_definition(world, scenario):
    leader = world.users["leader"]
    for area in (world.county, world.lingquan, world.grid3a):
        figures, _ = selectors.breakdown(area, _period(scenario))
        current = case_metrics(
            actor=leader,
            within=area.pk,
            start=scenario.start.isoformat(),
            end=scenario.end.isoformat(),
        )
        for key in (*RATES, "total", "answered", "open"):
            assert figures[key] == current[key], (area.name, key)
        assert figures["counts"]["responded"] == current["counts"]["responded"]


def test_scenario_covers_every_kind_of_case(world, scenario):
    figures, children = selectors.breakdown(world.county, _period(scenario))
    c = figures["counts"]
    assert c["received"] == 10  # the 60-day-old case lies outside the period
    assert c["answered"] == 1 and c["reopened"] == 2 and c["unsatisfied"] == 2
    assert c["responded"] > c["on_time"]  # the late unanswered case counts against
    assert figures["now"]["supervised"] == 1
    assert c["patrol"] == 2
    # the township's own case shows as its row "本级" on the township, not on the county
    _, lq_children = selectors.breakdown(world.lingquan, _period(scenario))
    assert [row["figures"]["total"] for row in lq_children if row["area"] is None] == [1]
    assert sum(row["figures"]["total"] for row in children) == c["received"]


def test_children_sum_to_the_parent(world, scenario):
    figures, children = selectors.breakdown(world.xiaozhen, _period(scenario))
    for f in ("received", "solved", "reviewed"):
        assert sum(r["figures"]["counts"][f] for r in children) == figures["counts"][f]


def test_refresh_recomputes_only_the_changed_days(world, scenario):
    case = Case.objects.get(pk=scenario.ids["late"])
    case_apply(case_id=case.pk, action="accept", actor=None)
    result = figures_refresh()
    assert not result.rebuilt
    assert result.days >= 1
    registered = timezone.localtime(case.created_at).date()
    assert registered in {timezone.localtime(c.created_at).date() for c in Case.objects.all()}
    assert figures_verify().differences == []


def test_refresh_sees_a_response_limit_passing_without_a_write(world, scenario):
    later = timezone.now() + datetime.timedelta(days=10)
    figures_refresh(now=later)
    assert figures_verify().differences == []


def test_verify_finds_a_corrupted_rollup_row(world, scenario, capsys):
    assert figures_verify().differences == []
    row = DailyFigure.objects.filter(grid3=world.grid3a.pk).order_by("day").first()
    DailyFigure.objects.filter(pk=row.pk).update(satisfied=row.satisfied + 3)
    differences = figures_verify().differences
    assert [d.field for d in differences] == ["satisfied"]
    with pytest.raises(SystemExit) as exc:
        call_command("verify-figures")
    assert exc.value.code == 1
    assert "satisfied" in capsys.readouterr().err


def test_verify_finds_a_missing_and_an_extra_row(world, scenario):
    row = DailyFigure.objects.order_by("day").first()
    DailyFigure.objects.filter(pk=row.pk).delete()
    assert {d.field for d in figures_verify().differences} == {"row"}


def test_full_refresh_repairs(world, scenario):
    DailyFigure.objects.update(received=99)
    call_command("refresh-figures", "--full")
    assert figures_verify().differences == []
    call_command("verify-figures")


def test_every_field_is_a_column():
    columns = {f.name for f in DailyFigure._meta.get_fields()}
    assert set(FIELDS) <= columns


def test_median_bucket_and_rules_are_pure():
    assert median_bucket({}) is None
    assert median_bucket({"resp_b0": 1, "resp_b3": 2}) == 3
    facts = GridFacts(
        patrol_30=0, open_now=4, overdue_now=2, unsatisfied_90=2, buckets_90={"resp_b4": 3}
    )
    fired = dict(evaluate(facts, county_bucket=1, threshold=0.2))
    assert set(fired) == {"no_patrol", "overdue_share", "slow_response", "unsatisfied"}
    assert "50%" in fired["overdue_share"]
    healthy = GridFacts(patrol_30=1, open_now=10, overdue_now=2, buckets_90={"resp_b0": 1})
    assert evaluate(healthy, county_bucket=1, threshold=0.2) == []


def test_durations_and_histograms_equal_a_recount(world, scenario):
    # the on-time case was accepted exactly one hour after registration: bucket "≤ 1 h"
    sums = {f: 0.0 for f in FIELDS}
    for row in DailyFigure.objects.values(*FIELDS):
        for f in FIELDS:
            sums[f] += row[f]
    expected = {f: 0.0 for f in FIELDS}
    for case in Case.objects.all():
        if case.resolved_at:
            took = (case.resolved_at - case.created_at).total_seconds() / 3600
            expected["handling_hours"] += took
            expected["handling_count"] += 1
            expected[f"hand_b{bucket_of(took, HANDLING_BOUNDS)}"] += 1
        if case.accepted_at:
            took = (case.accepted_at - case.created_at).total_seconds() / 3600
            expected["response_hours"] += took
            expected["response_count"] += 1
            expected[f"resp_b{bucket_of(took)}"] += 1
    timed = [f for f in FIELDS if f.startswith(("hand_b", "resp_b", "handling", "response_"))]
    assert expected["resp_b0"] >= 1
    assert {f: round(sums[f], 3) for f in timed} == {f: round(expected[f], 3) for f in timed}


def test_a_county_reads_its_subtree_rows_and_gets_the_same_figures(world, scenario, monkeypatch):
    from grassroots.figures import sources

    period = _period(scenario)

    def everything():
        return (
            selectors.breakdown(world.county, period),
            selectors.trend(world.county, period),
            selectors.matters_and_units(world.county, period),
            selectors.today_intake(world.county),
        )

    from_subtrees = everything()
    monkeypatch.setattr(sources, "SUBTREES", ())  # every figure from the daily rows instead
    assert everything() == from_subtrees
    assert from_subtrees[0][1][0]["figures"]["total"] > 0


def test_escalations_are_listed_newest_first_and_follow_the_refresher(world, scenario):
    def listed(area):
        return [e["case_id"] for e in selectors.newest_escalations(area)]

    def events(area):
        escalations = CaseEvent.objects.filter(action="escalate").filter(
            area.subtree_q("case__area__")
        )
        return list(escalations.order_by("-id").values_list("case_id", flat=True))

    assert scenario.ids["escalated"] in listed(world.county) == events(world.county)
    assert listed(world.luocun) == events(world.luocun) == []
    case_apply(case_id=scenario.ids["today"], action="escalate", actor=None, note="提级")
    assert scenario.ids["today"] not in listed(world.county)
    figures_refresh()
    assert listed(world.county)[0] == scenario.ids["today"]
    assert listed(world.county) == events(world.county)
    assert figures_verify().differences == []
    settle()
    Escalation.objects.filter(case_id=scenario.ids["today"]).delete()
    assert {d.table for d in figures_verify().differences} == {"escalation"}


def test_refresh_after_an_area_move_takes_the_subtree_sums_again(world, scenario):
    """Regression: the township sums kept a moved grid's cases under its old township."""
    from grassroots.areas import services as areas

    # every case but one last changed an hour ago: the next refresh rereads one day's cases
    # (the newest are always reread), so only the move can correct the other days' sums
    Case.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))
    Case.objects.filter(pk=Case.objects.order_by("-id")[0].pk).update(updated_at=timezone.now())
    figures_refresh(full=True)
    other = areas.area_create(
        actor=None, code="141126101001", name="罗村社区", level="community", parent=world.luocun
    )
    areas.area_move(actor=None, area=world.grid1, new_parent=other)
    result = figures_refresh()
    assert (result.rebuilt, result.days) == (False, 1)
    assert figures_verify().differences == []


def test_a_rebuild_leaves_fresh_planner_statistics(world, scenario):
    from django.db import connection

    figures_refresh(full=True)
    table = DailyFigure._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cur.execute("SELECT COUNT(*) FROM pg_stats WHERE tablename = %s", [table])
        assert cur.fetchone()[0] > 0
