"""The state machine's invariants, its behaviour under concurrency, and the time-limit sweep."""

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.cases import workflow
from grassroots.cases.choices import Action, State
from grassroots.cases.models import Case, CaseEvent
from grassroots.cases.services import Intake, case_intake, case_sweep
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from tests.concurrency import at_once

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
STEP_ACTIONS = [a for a in workflow.NEEDS]


def new_case(world, matter="M001", area=None):
    case, _ = case_intake(
        actor=None,
        intake=Intake(
            matter=matter, channel="hotline", description="路灯不亮", area=(area or world.grid3a).pk
        ),
    )
    return case


def test_the_table_leaves_closed_only_by_reopen():
    exits = {action for (state, action) in workflow.TRANSITIONS if state == State.CLOSED}
    assert exits == {Action.REOPEN}


def test_every_action_has_a_permission():
    assert {a for _s, a in workflow.TRANSITIONS} | workflow.FLAGS <= set(workflow.NEEDS)


def test_every_action_has_exactly_one_effect():
    assert set(workflow.EFFECTS) == set(workflow.NEEDS)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(STEP_ACTIONS), st.sampled_from(["satisfied", "basic", "unsatisfied"])
        ),
        min_size=1,
        max_size=14,
    )
)
def test_random_action_sequences_keep_the_invariants(world, catalogue, steps):
    case = new_case(world)
    other = new_case(world)
    for action, satisfaction in steps:
        before = Case.objects.get(pk=case.pk)
        events_before = CaseEvent.objects.filter(case=case).count()
        details = {"satisfaction": satisfaction, "into": other, "unit": world.xiaozhen_station}
        try:
            workflow.case_apply(case_id=case.pk, action=action, actor=None, note="理由", **details)
            ok = True
        except DomainError:
            ok = False
        after = Case.objects.get(pk=case.pk)
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        if not ok:
            # a refused action changes nothing and records nothing
            assert (after.state, after.unit_id) == (before.state, before.unit_id)
            assert len(events) == events_before
            if before.state == State.CLOSED and action == Action.REOPEN:
                # only a case handled and reviewed goes back; answered or rejected ones stay
                assert before.closure != "resolved"
            continue
        # every change is an event; an unsatisfied review adds the reopening
        assert len(events) - events_before in (1, 2)
        assert events[-1].to_state == after.state
        # one owner at a time, and running cases have their limits
        if after.state in (State.DISPATCHED, State.ACCEPTED, State.RESOLVED):
            assert after.unit_id is not None
            assert after.response_due is not None and after.resolution_due is not None
            assert after.limit_started_at <= after.resolution_due
        if after.state == State.CLOSED:
            assert after.closure
        if before.state == State.CLOSED and after.state != State.CLOSED:
            assert action in (Action.REOPEN, Action.REVIEW) or events[-1].action == Action.REOPEN


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_accepts_one_wins(world, catalogue):
    case = new_case(world)
    handler = User.objects.get(username="community")
    barrier = threading.Barrier(20)
    results: list[str] = []
    lock = threading.Lock()

    def accept():
        try:
            barrier.wait(timeout=10)
            user = User.objects.get(pk=handler.pk)
            workflow.case_apply(case_id=case.pk, action="accept", actor=user)
            outcome = "ok"
        except DomainError as exc:
            outcome = f"{exc.status}"
        except Exception as exc:  # a database that cannot serialise would show here
            outcome = f"error:{type(exc).__name__}:{exc}"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert results.count("409") == 19, results
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def test_sweep_across_a_holiday_and_an_adjusted_working_day(world, catalogue):
    # Friday 2024-09-27 15:00; Sunday 09-29 is a working day (调休), 10-01..07 is the holiday.
    with time_machine.travel(at(2024, 9, 27, 15, 0), tick=False):
        case = new_case(world)
        workflow.case_apply(case_id=case.pk, action="accept", actor=None)
    assert case.resolution_due == at(2024, 10, 8, 18, 0)
    with time_machine.travel(at(2024, 10, 7, 20, 0), tick=False):
        counts = case_sweep()
    case.refresh_from_db()
    # 17 of the limit's 24 working hours are used: the 50 % reminder only
    assert not case.overdue and case.reminded == 50
    assert counts["reminded"] == 1
    with time_machine.travel(at(2024, 10, 8, 18, 30), tick=False):
        first = case_sweep()
        second = case_sweep()  # idempotent
    case.refresh_from_db()
    assert first["overdue"] == 1 and first["escalated"] == 1
    assert second == {"checked": 1, "reminded": 0, "overdue": 0, "escalated": 0}
    # escalated to the township office, with fresh limits from now
    assert case.unit_id == world.lingquan_office.pk and case.level == "township"
    assert case.overdue is False and case.resolution_due > at(2024, 10, 8, 18, 30)
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["create", "dispatch", "accept", "remind", "overdue", "escalate"]


def test_sweep_leaves_cases_within_their_limit(world, catalogue):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        new_case(world)
        assert case_sweep() == {"checked": 1, "reminded": 0, "overdue": 0, "escalated": 0}


def test_a_sweep_with_nothing_due_reads_the_clocks_once_and_locks_nothing(
    world, catalogue, django_assert_max_num_queries
):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        for _ in range(12):
            new_case(world)
        # the running cases' clocks, their count, the working calendar (two reads at most):
        # no case's row lock, so no write transaction, whatever the number of running cases
        with django_assert_max_num_queries(4):
            assert case_sweep() == {"checked": 12, "reminded": 0, "overdue": 0, "escalated": 0}


def test_a_late_acceptance_is_flagged_not_escalated(world, catalogue):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = new_case(world)
    with time_machine.travel(at(2026, 3, 2, 16, 0), tick=False):
        counts = case_sweep()
    case.refresh_from_db()
    assert counts["overdue"] == 1 and counts["escalated"] == 0
    assert case.overdue and case.unit_id == world.xiaozhen_station.pk


@pytest.mark.django_db(transaction=True)
def test_eight_simultaneous_intakes_with_one_key_make_one_case(world, catalogue):
    """The key's unique constraint is the replay check: the first INSERT wins, the others wait
    for its commit and answer with its case."""
    desk = User.objects.get(username="hotline")
    body = Intake(matter="M001", channel="hotline", description="同一通电话", area=world.grid3a.pk)
    got: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def job(ready):
        user = User.objects.get(pk=desk.pk)
        ready()
        case, created = case_intake(actor=user, intake=body, idempotency_key="call-7")
        with lock:
            got.append((case.pk, created))

    assert at_once([job] * 8) == ["ok"] * 8
    assert len({pk for pk, _ in got}) == 1
    assert sorted(created for _, created in got) == [False] * 7 + [True]
    assert Case.objects.filter(description="同一通电话").count() == 1
