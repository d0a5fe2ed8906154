"""With nobody at a console: a case filed through the API reaches the county's figures, and an
overdue case gets its flag, at the scheduler's next minute (issue 12, "done when").

The clock is travelled and the ticks are driven explicitly (the loop of `grassroots serve`
calls the same `tick` every 10 s); nothing sleeps.
"""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine

from grassroots.cases.choices import Action
from grassroots.cases.models import Case, CaseEvent
from grassroots.core.scheduler.choices import Outcome
from grassroots.core.scheduler.models import JobState
from grassroots.core.scheduler.runner import Scheduler
from tests.conftest import inside

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
T0 = datetime.datetime(2026, 12, 4, 10, 0, 0, tzinfo=SHANGHAI)


def seconds(n: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=n)


def refreshed(metrics: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(metrics["refreshed_at"])


def test_a_case_filed_through_the_api_reaches_the_county_metrics_within_a_minute(
    world, catalogue, api
):
    hotline, leader = api("hotline"), api("leader")
    with time_machine.travel(T0, tick=False) as clock:
        server = Scheduler(holder="server", threaded=False)  # the registered jobs
        assert server.tick().started == []  # first sight: the minute jobs are due at 10:01
        clock.move_to(seconds(60))
        assert {"sweep", "refresh-figures"} <= set(server.tick().started)
        baseline = leader.get("/api/v1/metrics/cases/").json()
        assert refreshed(baseline) == seconds(60)

        # 10:01:05, a call is registered through the API
        clock.move_to(seconds(65))
        payload = {"matter": "M001", "channel": "hotline", "description": "小区路灯三天不亮了"}
        filed = hotline.post(
            "/api/v1/cases/", {**payload, "location": inside(world.grid3a)}, format="json"
        )
        assert filed.status_code == 201, filed.json()
        # ticks within the minute start nothing: the figures still say 10:01
        for s in (70, 80, 90, 100, 110):
            clock.move_to(seconds(s))
            assert server.tick().started == []
        assert (
            leader.get("/api/v1/metrics/cases/").json()["refreshed_at"] == baseline["refreshed_at"]
        )

        # the tick at 10:02:00 refreshes them: 55 s after the call
        clock.move_to(seconds(120))
        assert "refresh-figures" in server.tick().started
        after = leader.get("/api/v1/metrics/cases/").json()
    assert refreshed(after) == seconds(120)
    assert after["total"] == baseline["total"] + 1
    state = JobState.objects.get(name="refresh-figures")
    assert state.last_outcome == Outcome.OK and state.run_count == 2


def test_a_case_past_its_limit_is_flagged_by_the_sweep(world, catalogue, api):
    hotline = api("hotline")
    payload = {"matter": "M001", "channel": "hotline", "description": "小区路灯三天不亮了"}
    with time_machine.travel(T0, tick=False) as clock:
        case_id = hotline.post(
            "/api/v1/cases/", {**payload, "location": inside(world.grid3a)}, format="json"
        ).json()["id"]
        server = Scheduler(holder="server", threaded=False)
        server.tick()
        clock.move_to(seconds(60))
        assert "sweep" in server.tick().started
        assert not CaseEvent.objects.filter(case_id=case_id, action=Action.OVERDUE).exists()
        # the scheduler keeps ticking for a month while nobody handles the case: each
        # minute's sweep in turn (ticks are driven here at the minute, 3 days apart)
        for day in range(1, 31, 3):
            clock.move_to(T0 + datetime.timedelta(days=day, minutes=1))
            assert "sweep" in server.tick().started
    events = CaseEvent.objects.filter(case_id=case_id, actor=None)
    # reminded on the way, then flagged once past its limit, however many sweeps ran after
    assert Case.objects.get(pk=case_id).overdue
    assert events.filter(action=Action.OVERDUE).count() == 1
    assert events.filter(action=Action.REMIND).exists()
    assert JobState.objects.get(name="sweep").run_count == 11
