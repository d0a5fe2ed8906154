"""On the Shilou demo: every number of the county dashboard that links to a list equals the
length of that list (totals, each rate's numerator and denominator, every township, matter and
unit row), right after loading, settled (every day from the rollups) and after cases changed
since the refresh; and what the live part of a figure costs.

`tests/test_demo.py` runs `walk_the_county_dashboard` on the demo it loads (one load of the
demo for both, inside a transaction rolled back at the end); `pytest -s` prints the costs.
"""

from __future__ import annotations

import datetime
import sys
import time

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from grassroots.areas.models import Area
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake
from grassroots.cases.workflow import case_apply
from grassroots.dashboard import selectors
from grassroots.figures.checks import figures_verify
from grassroots.figures.services import figures_refresh
from tests.test_figures_live import assert_figures_equal_their_lists


def _county_walk(client) -> int:
    walked = assert_figures_equal_their_lists(client, "/dashboard/", minimum=60)
    hrefs = [h for h, _ in walked]
    for figure in ("received", "answered", "on_time", "responded", "solved", "handed"):
        assert any(f"figure={figure}&" in h for h in hrefs), figure
    assert any("matter=" in h for h in hrefs) and any("unit=" in h for h in hrefs)
    return len(walked)


def _cost(area, period) -> dict[str, float | int]:
    """Queries and time of one dashboard read, and of its cut and live rows alone."""
    with CaptureQueriesContext(connection) as whole:
        started = time.perf_counter()
        selectors.dashboard(area=area, period=period)
        took = time.perf_counter() - started
    with CaptureQueriesContext(connection) as part:
        started = time.perf_counter()
        at = selectors.cutoff(area)
        live_took = time.perf_counter() - started
    return {
        "queries": len(whole.captured_queries),
        "ms": round(took * 1000, 1),
        "live_queries": len(part.captured_queries),
        "live_ms": round(live_took * 1000, 1),
        "live_rows": len(at.rows),
        "dirty_days": len(at.cut.days or ()),
    }


def walk_the_county_dashboard(client) -> dict[str, dict[str, float | int]]:
    """Walk every figure link of the county dashboard (as `client`, the county leader) in three
    states and return what one dashboard read costs in each."""
    county = Area.objects.get(level="county")
    period = selectors.period_of(None, None)
    costs = {}
    # right after loading: the cases written in the load's last minutes are read live
    costs["after load"] = _cost(county, period)
    links = _county_walk(client)
    assert figures_verify().differences == []
    # settled: every case written an hour ago and refreshed since — all from the rollups
    Case.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))
    figures_refresh(full=True)
    costs["settled"] = _cost(county, period)
    assert costs["settled"]["live_rows"] == 0
    _county_walk(client)
    # cases written since the refresh: a few accepted, resolved, and new ones today
    open_ids = list(
        Case.objects.filter(state="dispatched")
        .order_by("-created_at")
        .values_list("pk", flat=True)[:5]
    )
    for pk in open_ids:
        case_apply(case_id=pk, action="accept", actor=None)
    area = Case.objects.filter(area__level="grid3").values_list("area_id", flat=True).first()
    for _ in range(7):
        case_intake(
            actor=None,
            intake=Intake(matter="M001", channel="hotline", description="今日来电", area=area),
        )
    costs["5 accepted + 7 new"] = _cost(county, period)
    # one live query, and at most two to name a matter or a unit only the live rows hold
    extra = costs["5 accepted + 7 new"]["queries"] - costs["settled"]["queries"]
    assert 1 <= extra <= 3, costs
    _county_walk(client)
    verdict = figures_verify()
    assert verdict.differences == [] and verdict.lag_cases >= 12
    sys.stdout.write(f"\ncounty dashboard on the demo: {links} figure links checked\n")
    for name, cost in costs.items():
        sys.stdout.write(f"  {name}: {cost}\n")
    return costs
