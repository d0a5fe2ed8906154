"""The dispute transition table: its shape, random sequences keep the invariants, races."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.disputes import workflow
from grassroots.disputes.choices import LEVEL_ORDER, OPEN_STATES, Action, Outcome, State
from grassroots.disputes.models import Dispute, DisputeEvent, FollowUp, Mediation
from tests.concurrency import Job, at_once
from tests.disputes_support import screen, session

ACTIONS = sorted(workflow.EFFECTS)


def test_only_open_disputes_move_and_settled_ones_only_take_follow_ups():
    for (state, action), _target in workflow.TRANSITIONS.items():
        assert state in OPEN_STATES or (state, action) == (State.SETTLED, Action.FOLLOW_UP)
    finals = {State.REFERRED, State.CLOSED}
    assert not [k for k in workflow.TRANSITIONS if k[0] in finals]


def test_every_action_has_an_effect_and_an_audit_code():
    assert {a for _s, a in workflow.TRANSITIONS} == set(workflow.EFFECTS)
    assert set(workflow.EFFECTS) | {Action.SCREEN} == set(workflow.AUDIT)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTIONS), st.sampled_from(Outcome.values), st.booleans()),
        min_size=1,
        max_size=10,
    )
)
def test_random_action_sequences_keep_the_invariants(world, catalogue, steps):
    d = screen(None, world.grid3a)
    for action, outcome, with_agreement in steps:
        before = Dispute.objects.get(pk=d.pk)
        counts = (DisputeEvent.objects.filter(dispute=d).count(), Mediation.objects.count())
        follow = FollowUp.objects.filter(dispute=d, done_on__isnull=True).first()
        details = {
            "session": session(
                outcome if action != Action.SETTLE else Outcome.SETTLED,
                "协议" if with_agreement else "",
            ),
            "matter": "M003",
            "follow_up": follow.pk if follow else None,
            "notes": "回访正常",
        }
        if action == Action.MEDIATE:
            details["session"] = session(
                Outcome.FAILED if outcome == Outcome.SETTLED else outcome, ""
            )
        try:
            workflow.dispute_apply(
                dispute_id=d.pk, action=action, actor=None, note="原因", **details
            )
            ok = True
        except DomainError:
            ok = False
        after = Dispute.objects.get(pk=d.pk)
        events = DisputeEvent.objects.filter(dispute=d).count()
        if not ok:
            # a refusal changes nothing and records nothing
            assert (after.state, after.level) == (before.state, before.level)
            assert (events, Mediation.objects.count()) == counts
            continue
        assert events == counts[0] + 1
        assert after.state == workflow.TRANSITIONS[(before.state, action)]
        # levels only climb, one step per escalation
        assert LEVEL_ORDER.index(after.level) - LEVEL_ORDER.index(before.level) == (
            1 if action == Action.ESCALATE else 0
        )
        if after.state == State.SETTLED:
            assert after.settled_level and after.settled_on
            assert Mediation.objects.filter(dispute=d, outcome=Outcome.SETTLED).count() == 1
            assert FollowUp.objects.filter(dispute=d).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_settlements_one_wins(world):
    d = screen(None, world.grid3a)

    def mediator() -> Job:
        def job(ready: Callable[[], None]) -> None:
            actor = User.objects.get(username="community")
            ready()
            workflow.dispute_apply(
                dispute_id=d.pk, action=Action.SETTLE, actor=actor, session=session()
            )

        return job

    results = at_once([mediator() for _ in range(10)])
    assert results.count("ok") == 1, results
    assert all("DisputeConflict" in r for r in results if r != "ok"), results
    assert Mediation.objects.count() == 1 and FollowUp.objects.count() == 1
    assert DisputeEvent.objects.filter(dispute=d, action=Action.SETTLE).count() == 1
