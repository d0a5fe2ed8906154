"""Count sources (visits, disputes) in the generic rollup: each figure equals its list, the
refresher recomputes a changed source, verify-figures tells lag from corruption (exit 1)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from grassroots.disputes import services as dispute_services
from grassroots.disputes.models import FollowUp
from grassroots.figures import counts, registry
from grassroots.figures.models import SourceCount, SourceMark
from grassroots.visits import services as visit_services
from tests.conftest import signed_in
from tests.disputes_support import screen, session
from tests.test_disputes_api import _scenario

TODAY = timezone.localdate
DISPUTE_FIGURES = (
    "found", "settled", "settled_grid", "settled_community", "settled_township",
    "settled_county", "high_risk_open", "follow_ups_overdue",
)  # fmt: skip


def _visit(world, household, days_ago=0, who="gridworker"):
    visit, _ = visit_services.visit_log(
        actor=world.users[who],
        data=visit_services.VisitInput(
            household=household.pk,
            visited_on=TODAY() - datetime.timedelta(days=days_ago),
            all_well=True,
        ),
    )
    return visit


@pytest.fixture
def disputes(world):
    return _scenario(world)


@pytest.fixture
def visits(world, registry):
    out = [_visit(world, registry.home_a), _visit(world, registry.home_a, 2)]
    out.append(_visit(world, registry.home_b, 2, "community"))
    return out


def test_every_figure_is_registered_with_its_source():
    for name in DISPUTE_FIGURES:
        assert registry.figure(name).source == "disputes", name
    assert registry.figure("visits").source == "visits"
    assert registry.figure("high_risk_open").current
    assert not registry.figure("settled_grid").current


def test_a_counter_name_cannot_be_taken_twice():
    clash = registry.CountSource(
        name="other",
        rows=lambda: None,
        counters=(registry.Counter("found", "x", lambda today: Q()),),
        stamp=tuple,
        list_url="x",
    )
    with pytest.raises(ImproperlyConfigured):
        registry.register_count_source(clash)
    with pytest.raises(ImproperlyConfigured):
        registry.register(registry.Figure(name="received", label="x", source="visits"))


def test_dispute_figures_equal_their_lists_before_and_after_a_refresh(world, disputes, api):
    start, end = TODAY() - datetime.timedelta(days=365), TODAY() + datetime.timedelta(days=1)
    for refreshed in (False, True):
        if refreshed:
            call_command("refresh-figures")
            assert counts.fresh(registry.count_source("disputes"))
        for who in ("gridworker", "community", "leader"):
            client = api(who)
            area = world.users[who].posts.first().area
            for name in DISPUTE_FIGURES:
                fig = registry.figure(name)
                value = counts.figure_count(fig, area=area, start=start, end=end)
                query = {"figure": name, "period_from": start, "period_to": end}
                resp = client.get("/api/v1/disputes/", query)
                assert resp.status_code == 200, resp.json()
                assert resp.json()["count"] == value, (refreshed, who, name)
    leader = world.users["leader"].posts.first().area
    got = {
        n: counts.figure_count(registry.figure(n), area=leader, start=start, end=end)
        for n in DISPUTE_FIGURES
    }
    assert got["found"] == 4 and got["settled"] == 2
    assert got["settled_grid"] == 1 and got["settled_community"] == 1
    assert got["high_risk_open"] == 2 and got["follow_ups_overdue"] == 1


def test_the_dispute_list_page_takes_a_figure(world, disputes):
    client = signed_in("leader")
    day = TODAY().isoformat()
    resp = client.get(f"/disputes/?figure=settled_grid&period_from={day}&period_to=2999-01-01")
    assert resp.status_code == 200
    assert resp.context["count"] == 1
    assert 'data-figure="settled_grid"' in resp.content.decode()
    assert client.get("/disputes/?figure=received").status_code == 400
    half = client.get(f"/disputes/?figure=found&period_from={day}")
    assert half.status_code == 400


def test_visit_figure_equals_its_list(world, visits, api):
    client = api("leader")
    start, end = TODAY() - datetime.timedelta(days=2), TODAY()
    for refreshed in (False, True):
        if refreshed:
            call_command("refresh-figures")
        for area, whole in ((world.grid3a, 2), (world.grid3b, 1), (None, 3)):
            value = counts.figure_count(
                registry.figure("visits"), area=area, start=start, end=end + datetime.timedelta(1)
            )
            query = {"figure": "visits", "from": start, "to": end}
            if area is not None:
                query["within"] = area.pk
            listed = client.get("/api/v1/visits/", query).json()["count"]
            assert value == listed == whole, (refreshed, area)
    one_day = counts.figure_count(
        registry.figure("visits"), start=end, end=end + datetime.timedelta(1)
    )
    assert one_day == 1
    assert client.get("/api/v1/visits/", {"figure": "found"}).status_code == 400


def test_refresh_writes_one_row_per_figure_day_and_area_then_waits_for_a_change(
    world, registry, visits
):
    call_command("refresh-figures")
    rows = SourceCount.objects.filter(source="visits")
    assert sorted((r.day, r.grid3, r.count) for r in rows) == sorted(
        [
            (TODAY(), world.grid3a.pk, 1),
            (TODAY() - datetime.timedelta(days=2), world.grid3a.pk, 1),
            (TODAY() - datetime.timedelta(days=2), world.grid3b.pk, 1),
        ]
    )
    assert counts.counts_refresh() == 0  # nothing changed: nothing recomputed
    _visit(world, registry.home_b, 1, "community")
    assert not counts.fresh(registry_source("visits"))
    assert counts.counts_refresh() == 1
    assert SourceCount.objects.filter(source="visits").count() == 4


def registry_source(name):
    return registry.count_source(name)


def test_verify_reports_a_tampered_row_and_exits_1(world, visits, disputes, capsys):
    call_command("refresh-figures")
    call_command("verify-figures")
    assert "visits: figures consistent" in capsys.readouterr().out
    row = SourceCount.objects.filter(source="disputes", figure="settled_grid").first()
    SourceCount.objects.filter(pk=row.pk).update(count=row.count + 2)
    with pytest.raises(SystemExit) as exc:
        call_command("verify-figures")
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "corrupt: disputes settled_grid" in err and "count stored=3 expected=1" in err
    checks = {c.source: c for c in counts.counts_verify()}
    assert len(checks["disputes"].differences) == 1 and checks["visits"].differences == []
    call_command("refresh-figures", "--full")
    call_command("verify-figures")


def test_a_missing_row_is_corruption_and_a_change_since_is_lag(world, visits, capsys):
    call_command("refresh-figures")
    SourceCount.objects.filter(source="visits").first().delete()
    with pytest.raises(SystemExit):
        call_command("verify-figures")
    assert "row" in capsys.readouterr().err
    _visit(world, visits[0].household, 1)  # a visit since: the source is lag, not compared
    call_command("verify-figures")
    assert "lag: visits changed since its refresh" in capsys.readouterr().out


def test_overdue_follow_ups_move_with_the_date_alone(world, disputes):
    late = FollowUp.objects.filter(done_on__isnull=True, due_on__lt=TODAY())
    assert late.count() == 1
    late.update(due_on=TODAY())
    call_command("refresh-figures")
    fig = registry.figure("follow_ups_overdue")
    assert counts.figure_count(fig) == 0
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert not counts.fresh(registry.count_source("disputes"), tomorrow)
    assert counts.figure_count(fig, now=tomorrow) == 1
    counts.counts_refresh(now=tomorrow)
    mark = SourceMark.objects.get(source="disputes")
    assert mark.refreshed_at == tomorrow
    assert counts.figure_count(fig, now=tomorrow) == 1


def test_a_dispute_settled_after_the_refresh_is_read_live_until_the_next(world):
    gw = world.users["gridworker"]
    d = screen(gw, world.grid3a, found_on=TODAY() - datetime.timedelta(days=3))
    call_command("refresh-figures")
    fig = registry.figure("settled_grid")
    assert counts.figure_count(fig, area=world.grid3a) == 0
    dispute_services.mediation_record(dispute_id=d.pk, actor=gw, session=session())
    assert not counts.fresh(registry.count_source("disputes"))
    assert counts.figure_count(fig, area=world.grid3a) == 1
    call_command("refresh-figures")
    row = SourceCount.objects.get(figure="settled_grid")
    assert (row.day, row.grid3, row.count) == (TODAY(), world.grid3a.pk, 1)
    assert counts.figure_count(fig, area=world.grid3a) == 1


def test_the_visit_log_page_lists_exactly_the_figures_visits(world, visits):
    call_command("refresh-figures")
    client = signed_in("community")
    start, end = TODAY() - datetime.timedelta(days=2), TODAY()
    query = f"figure=visits&from={start}&to={end}&within={world.grid3a.pk}"
    resp = client.get(f"/visits/log/?{query}")
    assert resp.status_code == 200
    value = counts.figure_count(
        registry.figure("visits"), area=world.grid3a, start=start, end=end + datetime.timedelta(1)
    )
    assert resp.context["count"] == value == 2
    assert 'data-figure="visits"' in resp.content.decode()
    assert client.get("/visits/log/?figure=found").status_code == 400
    assert signed_in("gridworker").get("/visits/log/").context["count"] == 2  # own grid only
