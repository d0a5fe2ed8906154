"""Cases in various states for the dashboard tests, built through the real services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from grassroots.cases.choices import OPEN_STATES, Channel, Closure, Satisfaction, State
from grassroots.cases.models import Case
from grassroots.cases.services import Intake, case_intake, case_sweep
from grassroots.cases.workflow import case_apply
from grassroots.figures.counts import counts_refresh
from grassroots.figures.services import figures_refresh
from grassroots.figures.states import states_refresh


@dataclass
class Scenario:
    ids: dict[str, int]
    start: datetime.date
    end: datetime.date


def _days_ago(n: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=n)
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _new(matter: str, area, days: int, channel: str = Channel.HOTLINE, **kw) -> Case:
    case, _ = case_intake(
        actor=None,
        intake=Intake(matter=matter, channel=channel, description="测试诉求", area=area.pk, **kw),
        at=_days_ago(days),
    )
    return case


def _do(case: Case, action: str, days: int, hour: int, **kw) -> None:
    case_apply(case_id=case.pk, action=action, actor=None, at=_days_ago(days, hour), **kw)


def build_scenario(world, catalogue) -> Scenario:
    """Eleven cases over the last week in three grids, a township and both townships."""
    ids: dict[str, int] = {}
    closed = _new("M002", world.grid3a, 6)  # county matter: accepted on time, closed satisfied
    _do(closed, "accept", 6, 11)
    _do(closed, "resolve", 5, 10)
    _do(closed, "review", 5, 16, satisfaction=Satisfaction.SATISFIED)
    ids["closed"] = closed.pk
    reopened = _new("M003", world.grid3a, 5, channel=Channel.PATROL)  # reviewed unsatisfied
    _do(reopened, "accept", 5, 11)
    _do(reopened, "resolve", 4, 10)
    _do(reopened, "review", 4, 12, satisfaction=Satisfaction.UNSATISFIED)
    ids["reopened"] = reopened.pk
    unhappy = _new("M003", world.grid3a, 4)
    _do(unhappy, "accept", 4, 11)
    _do(unhappy, "resolve", 3, 10)
    _do(unhappy, "review", 3, 12, satisfaction=Satisfaction.UNSATISFIED)
    ids["unhappy"] = unhappy.pk
    ids["late"] = _new("M002", world.grid3b, 5).pk  # dispatched, never accepted: late
    ids["answered"] = _new("M003", world.grid3b, 3, answer="已按知识库答复").pk
    supervised = _new("M002", world.luocun_grid3, 2, channel=Channel.VISIT)
    _do(supervised, "supervise", 2, 12, note="请加快办理")
    ids["supervised"] = supervised.pk
    escalated = _new("M003", world.grid3b, 2)
    _do(escalated, "escalate", 2, 11, note="本级无法解决")
    ids["escalated"] = escalated.pk
    ids["township"] = _new("M002", world.lingquan, 1).pk  # placed on the township itself
    ids["dispatched"] = _new("M002", world.luocun_grid3, 1).pk
    unplaced, _ = case_intake(  # no place, returned to the desk, rejected
        actor=None,
        intake=Intake(matter="M002", channel=Channel.HOTLINE, description="测试诉求"),
        at=_days_ago(1),
    )
    _do(unplaced, "return", 1, 11, note="不属于本单位")
    _do(unplaced, "reject", 1, 12, note="不属于受理范围")
    ids["rejected"] = unplaced.pk
    ids["today"] = _new("M003", world.grid3a, 0).pk
    ids["old"] = _new("M003", world.grid3a, 60).pk  # outside the default period
    case_sweep()  # overdue flags for the running clocks
    # Written an hour ago: the refresh's rollups hold every day (none is read live) until a
    # test writes a case again.
    Case.objects.update(updated_at=F("updated_at") - datetime.timedelta(hours=1))
    at = figures_refresh().refreshed_at
    states_refresh(now=at)  # the households' visit state, then the visit and dispute counts
    counts_refresh(now=at)
    today = timezone.localdate()
    return Scenario(ids, today - datetime.timedelta(days=29), today + datetime.timedelta(days=1))


def recompute(cases, now: datetime.datetime) -> dict[str, float | int | None]:
    """The figures of `cases`, counted one by one in Python from cases/metrics.py's wording."""
    cases = list(cases)
    handed = [
        c for c in cases if c.closure not in (Closure.ANSWERED, Closure.REJECTED, Closure.MERGED)
    ]
    late = [
        c
        for c in cases
        if c.state == State.DISPATCHED
        and c.accepted_at is None
        and c.response_due
        and c.response_due < now
    ]
    # a case counts once: responded at some time, or late without an answer now
    responded = [c for c in cases if c.responded_on_time is not None or c in late]
    on_time = [c for c in cases if c.responded_on_time is True]
    solved = [
        c for c in handed if c.state in (State.RESOLVED, State.CLOSED) and c.reopen_count == 0
    ]
    reviewed = [c for c in cases if c.satisfaction]
    satisfied = [
        c
        for c in reviewed
        if c.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC) and c.reopen_count == 0
    ]

    def rate(a, b):
        return round(len(a) / len(b), 4) if b else None

    return {
        "total": len(cases),
        "answered": sum(c.closure == Closure.ANSWERED for c in cases),
        "open": sum(c.state in OPEN_STATES for c in cases),
        "overdue": sum(c.state in OPEN_STATES and c.overdue for c in cases),
        "supervised": sum(c.state in OPEN_STATES and c.supervised for c in cases),
        "response_rate": rate(on_time, responded),
        "resolution_rate": rate(solved, handed),
        "satisfaction_rate": rate(satisfied, reviewed),
    }
