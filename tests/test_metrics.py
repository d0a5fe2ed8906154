"""The metrics API (三率) read from the rollups: definitions, scope, lag, fixed query counts."""

from __future__ import annotations

import datetime
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grassroots.cases.choices import OPEN_STATES
from grassroots.cases.figures import HANDLING_BOUNDS, bucket_of, histogram_median
from grassroots.cases.metrics import case_metrics
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake
from grassroots.cases.workflow import case_apply
from grassroots.figures.services import figures_refresh
from tests.test_dashboard_support import build_scenario, recompute

FIGURES = ("total", "answered", "open", "response_rate", "resolution_rate", "satisfaction_rate")


@pytest.fixture
def scenario(world, catalogue):
    return build_scenario(world, catalogue)


def _in_period(case: Case, s) -> bool:
    return s.start <= timezone.localtime(case.created_at).date() < s.end


SCOPES = {
    # the county and, county-wide, the cases not yet placed
    "leader": lambda c, w: c.area is None or c.area.county_id == w.county.pk,
    # the township's subtree and the cases its office owns
    "township": lambda c, w: (
        (c.area and c.area.township_id == w.lingquan.pk) or c.unit_id == w.lingquan_office.pk
    ),
    # the cases the department owns, wherever they are
    "dept": lambda c, w: c.unit_id == w.hrss.pk,
    "gridworker": lambda c, w: c.area is not None and c.area.grid3_id == w.grid3a.pk,
}


@pytest.mark.parametrize("persona", sorted(SCOPES))
def test_each_persona_gets_a_recount_of_the_cases_in_scope(world, scenario, persona):
    visible = [c for c in Case.objects.select_related("area") if SCOPES[persona](c, world)]
    refreshed = timezone.now()
    figures_refresh(now=refreshed)
    got = case_metrics(
        actor=world.users[persona], start=scenario.start.isoformat(), end=scenario.end.isoformat()
    )
    expected = recompute([c for c in visible if _in_period(c, scenario)], refreshed)
    assert {k: got[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}
    assert got["overdue"] == sum(c.state in OPEN_STATES and c.overdue for c in visible)
    assert got["refreshed_at"] == refreshed.isoformat()


def test_within_unit_and_matter_narrow_the_figures(world, scenario):
    leader = world.users["leader"]
    period = {"start": scenario.start.isoformat(), "end": scenario.end.isoformat()}
    cases = [c for c in Case.objects.select_related("area", "matter") if _in_period(c, scenario)]
    mark = figures_refresh().refreshed_at

    def recount(keep):
        return {k: v for k, v in recompute([c for c in cases if keep(c)], mark).items()}

    def county(c):
        return c.area is not None

    queries = {
        "within": (
            {"within": world.lingquan.pk},
            lambda c: c.area is not None and c.area.township_id == world.lingquan.pk,
        ),
        "matter": ({"matter": "M003"}, lambda c: c.matter.code == "M003"),
        "unit": ({"unit": world.hrss.pk}, lambda c: c.unit_id == world.hrss.pk),
        "both": (
            {"unit": world.civil.pk, "matter": "M003", "within": world.county.pk},
            lambda c: county(c) and c.unit_id == world.civil.pk and c.matter.code == "M003",
        ),
    }
    for name, (params, keep) in queries.items():
        got = case_metrics(actor=leader, **params, **period)
        assert {k: got[k] for k in FIGURES} == {k: recount(keep)[k] for k in FIGURES}, name
    nothing = case_metrics(actor=leader, matter="NOPE", **period)
    assert nothing["total"] == 0 and nothing["median_handling_hours"] is None


def test_figures_follow_the_refresher_and_say_when(world, scenario, api):
    client = api("hotline")
    before = client.get("/api/v1/metrics/cases/").json()
    case_intake(
        actor=None,
        intake=Intake(matter="M002", channel="hotline", description="测试", area=world.grid3a.pk),
    )
    # counted at once (its day is read live), as of the last refresh, which the figures name
    now = client.get("/api/v1/metrics/cases/").json()
    assert now["total"] == before["total"] + 1
    assert now["refreshed_at"] == before["refreshed_at"]
    later = timezone.now() + datetime.timedelta(seconds=1)
    figures_refresh(now=later)
    after = client.get("/api/v1/metrics/cases/").json()
    assert after["total"] == before["total"] + 1
    assert after["refreshed_at"] == later.isoformat()


def test_scope_errors(world, scenario, api):
    assert api("nobody").get("/api/v1/metrics/cases/").status_code == 403
    township = api("township")
    assert township.get(f"/api/v1/metrics/cases/?within={world.county.pk}").status_code == 404
    assert township.get(f"/api/v1/metrics/cases/?within={world.xiaozhen.pk}").status_code == 200
    assert township.get("/api/v1/metrics/cases/?within=x").status_code == 400
    assert township.get("/api/v1/metrics/cases/?unit=x").status_code == 400


def test_query_counts_do_not_grow_with_the_cases(world, scenario, api):
    urls = {
        "leader": [
            f"/api/v1/metrics/cases/?within={world.county.pk}",
            "/api/v1/metrics/cases/",
            f"/api/v1/metrics/cases/?within={world.county.pk}&matter=M002",
            f"/api/v1/metrics/cases/?unit={world.hrss.pk}&matter=M002",
        ],
        "township": ["/api/v1/metrics/cases/"],
        "dept": ["/api/v1/metrics/cases/"],
    }
    clients = {name: api(name) for name in urls}
    for client in clients.values():  # a token's first use is recorded (once a minute)
        assert client.get("/api/v1/me/").status_code == 200

    def counts():
        out = []
        for name, paths in urls.items():
            for path in paths:
                with CaptureQueriesContext(connection) as ctx:
                    assert clients[name].get(path).status_code == 200
                out.append(len(ctx.captured_queries))
        return out

    before = counts()
    # the cut: the mark, the days written since, an area move; and the API's rate-limit count
    # (one upsert a request with the database store; none with Redis)
    assert max(before) <= 9
    build_scenario(world, None)  # the same cases again, twice: three times the cases
    build_scenario(world, None)
    assert counts() == before
    # a case written since the refresh: its day is read live, one more query per part
    case_apply(case_id=scenario.ids["late"], action="accept", actor=None)
    live = counts()
    assert max(live) <= 11 and all(a - b in (1, 2) for a, b in zip(live, before, strict=True))


def test_median_handling_hours_is_read_from_the_histogram(world, scenario):
    resolved = [
        (c.resolved_at - c.created_at).total_seconds() / 3600
        for c in Case.objects.filter(resolved_at__isnull=False)
        if _in_period(c, scenario)
    ]
    got = case_metrics(
        actor=world.users["leader"],
        start=scenario.start.isoformat(),
        end=scenario.end.isoformat(),
    )["median_handling_hours"]
    exact = statistics.median(resolved)
    bucket = bucket_of(exact, HANDLING_BOUNDS)
    low = HANDLING_BOUNDS[bucket - 1] if bucket else 0.0
    assert low <= got <= HANDLING_BOUNDS[bucket]


def test_histogram_median_is_pure():
    assert histogram_median({}) is None
    # two cases in (12, 24]: the middle lies halfway into the bucket
    assert histogram_median({"hand_b4": 2}) == 18.0
    # one case in each of (0, 2] and (2, 4]: the middle is their common bound
    assert histogram_median({"hand_b0": 1, "hand_b1": 1}) == 2.0
    # over 720 hours the median reads as the last bound
    assert histogram_median({"hand_b15": 3, "hand_b0": 1}) == 720.0
    assert bucket_of(1.0) == 0 and bucket_of(1.0001) == 1 and bucket_of(1e6) == 5
