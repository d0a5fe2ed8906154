"""The dispute state machine: screening, sessions, settlement, escalation, referral, follow-up."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.cases.models import Case
from grassroots.core.errors import DomainError, Forbidden, NotFound
from grassroots.core.models import AuditEvent
from grassroots.disputes import rules, services, workflow
from grassroots.disputes.choices import Action, Level, Risk, State
from grassroots.disputes.errors import DisputeConflict, DisputeError
from grassroots.disputes.models import Dispute, DisputeEvent, FollowUp, Mediation, RiskRule
from tests.disputes_support import YESTERDAY, county_mediator, screen, session


def test_screening_opens_at_the_areas_level_with_a_number_event_and_audit(world):
    d = screen(world.users["gridworker"], world.grid3a)
    assert d.state == State.OPEN and d.level == Level.GRID
    assert d.number.startswith("JF") and d.grid3 == world.grid3a.pk
    assert DisputeEvent.objects.filter(dispute=d, action=Action.SCREEN).count() == 1
    assert AuditEvent.objects.filter(action="dispute.screen", object_id=str(d.pk)).exists()
    c = screen(world.users["community"], world.xiaozhen)
    assert c.level == Level.COMMUNITY


def test_future_found_on_is_refused_naming_the_field(world):
    with pytest.raises(DisputeError) as err:
        screen(world.users["gridworker"], world.grid3a, found_on=timezone.localdate() + YESTERDAY)
    assert err.value.detail["field"] == "found_on"
    assert not Dispute.objects.exists()


def test_area_outside_scope_is_not_found(world):
    with pytest.raises(NotFound):
        screen(world.users["gridworker"], world.grid3b)
    with pytest.raises(NotFound):
        screen(world.users["community"], world.luocun_grid3)
    assert not Dispute.objects.exists()


def test_without_the_right_to_handle_disputes_it_is_forbidden(world):
    with pytest.raises(Forbidden):
        screen(world.users["leader"], world.grid3a)


def test_bad_outsider_phone_names_the_party_field(world):
    bad = (services.PartyIn(role="applicant", name="甲", phone="12345"),)
    with pytest.raises(DisputeError) as err:
        screen(world.users["gridworker"], world.grid3a, parties=bad)
    assert err.value.detail["field"] == "parties.0.phone"
    assert not Dispute.objects.exists()


def test_a_party_needs_a_resident_or_a_name(world):
    with pytest.raises(DisputeError) as err:
        screen(
            world.users["gridworker"], world.grid3a, parties=(services.PartyIn(role="applicant"),)
        )
    assert err.value.detail["field"] == "parties.0.name"


def test_resident_outside_scope_is_not_found(world, registry):
    far = (services.PartyIn(role="applicant", resident=registry.villager.pk),)
    with pytest.raises(NotFound):
        screen(world.users["gridworker"], world.grid3a, parties=far)


def test_hotline_source_needs_a_visible_case(world):
    with pytest.raises(DisputeError) as err:
        screen(world.users["community"], world.xiaozhen, found_via="hotline")
    assert err.value.detail["field"] == "case"


def test_rules_set_the_risk_highest_wins(world):
    five = tuple(services.PartyIn(role="applicant", name=f"工人{i}") for i in range(5))
    d = screen(world.users["gridworker"], world.grid3a, kind="labour", parties=five)
    assert d.risk == Risk.RED
    assert screen(world.users["gridworker"], world.grid3a, kind="land").risk == Risk.YELLOW
    assert screen(world.users["gridworker"], world.grid3a).risk == Risk.GREEN
    # the screener may raise it, the rules never lower it
    assert screen(world.users["gridworker"], world.grid3a, risk="red").risk == Risk.RED


def test_edited_rules_apply_to_the_next_screening(world):
    services.risk_rule_define(actor=world.users["admin"], kind="neighbour", risk="yellow")
    assert screen(world.users["gridworker"], world.grid3a).risk == Risk.YELLOW
    with pytest.raises(Forbidden):
        services.risk_rule_define(actor=world.users["township"], kind="family", risk="red")
    with pytest.raises(DisputeError) as err:
        services.risk_rule_define(actor=world.users["admin"], risk="red")
    assert err.value.detail["field"] == "kind"
    assert RiskRule.objects.count() == 7


def test_settlement_records_level_date_and_a_follow_up(world):
    d = screen(world.users["gridworker"], world.grid3a)
    d, event = services.mediation_record(
        dispute_id=d.pk, actor=world.users["gridworker"], session=session()
    )
    assert d.state == State.SETTLED and d.settled_level == Level.GRID
    assert d.settled_on == timezone.localdate()
    follow = FollowUp.objects.get(dispute=d)
    assert follow.due_on == d.settled_on + datetime.timedelta(days=30)
    assert event.action == Action.SETTLE and event.data["follow_up"] == follow.pk


def test_settlement_without_agreement_is_refused_and_nothing_written(world):
    d = screen(world.users["gridworker"], world.grid3a)
    with pytest.raises(DisputeError) as err:
        services.mediation_record(
            dispute_id=d.pk, actor=world.users["gridworker"], session=session(agreement=" ")
        )
    assert err.value.detail["field"] == "agreement_text"
    d.refresh_from_db()
    assert d.state == State.OPEN
    assert not Mediation.objects.exists() and not FollowUp.objects.exists()


def test_a_second_settlement_is_a_conflict(world):
    d = screen(world.users["gridworker"], world.grid3a)
    services.mediation_record(dispute_id=d.pk, actor=world.users["gridworker"], session=session())
    with pytest.raises(DisputeConflict):
        services.mediation_record(
            dispute_id=d.pk, actor=world.users["gridworker"], session=session()
        )
    assert Mediation.objects.count() == 1 and FollowUp.objects.count() == 1


def test_session_dates_neither_future_nor_before_found(world):
    d = screen(world.users["gridworker"], world.grid3a, found_on=timezone.localdate() - YESTERDAY)
    for held in (timezone.localdate() + YESTERDAY, timezone.localdate() - 2 * YESTERDAY):
        with pytest.raises(DisputeError) as err:
            services.mediation_record(
                dispute_id=d.pk, actor=world.users["gridworker"], session=session(held_on=held)
            )
        assert err.value.detail["field"] == "held_on"


def test_failed_session_keeps_it_mediating(world):
    d = screen(world.users["gridworker"], world.grid3a)
    d, _ = services.mediation_record(
        dispute_id=d.pk, actor=world.users["gridworker"], session=session("failed", "")
    )
    assert d.state == State.MEDIATING and not FollowUp.objects.exists()


def test_escalation_climbs_to_the_county_and_no_further(world):
    med = county_mediator(world)
    d = screen(world.users["gridworker"], world.grid3a)
    steps = [
        ("gridworker", Level.COMMUNITY),
        ("community", Level.TOWNSHIP),
        ("township", Level.COUNTY),
    ]
    for who, level in steps:
        d, _ = workflow.dispute_apply(
            dispute_id=d.pk, action=Action.ESCALATE, actor=world.users[who], note="调解不成"
        )
        assert d.level == level and d.state == State.OPEN
    assert d.escalations == 3
    with pytest.raises(DisputeConflict) as err:
        workflow.dispute_apply(dispute_id=d.pk, action=Action.ESCALATE, actor=med, note="再提级")
    assert err.value.code == "no_higher_level"
    d, _ = services.mediation_record(dispute_id=d.pk, actor=med, session=session())
    assert d.settled_level == Level.COUNTY


def test_a_lower_level_cannot_act_once_escalated(world):
    d = screen(world.users["gridworker"], world.grid3a)
    workflow.dispute_apply(
        dispute_id=d.pk, action=Action.ESCALATE, actor=world.users["gridworker"], note="难调"
    )
    with pytest.raises(Forbidden):
        services.mediation_record(
            dispute_id=d.pk, actor=world.users["gridworker"], session=session()
        )
    d, _ = services.mediation_record(
        dispute_id=d.pk, actor=world.users["township"], session=session()
    )
    assert d.settled_level == Level.COMMUNITY


def test_escalation_needs_a_reason(world):
    d = screen(world.users["gridworker"], world.grid3a)
    with pytest.raises(DisputeError) as err:
        workflow.dispute_apply(
            dispute_id=d.pk, action=Action.ESCALATE, actor=world.users["gridworker"]
        )
    assert err.value.detail["field"] == "note"


def test_referral_opens_a_linked_case(world, catalogue):
    d = screen(world.users["community"], world.grid3a, kind="labour")
    d, event = workflow.dispute_apply(
        dispute_id=d.pk,
        action=Action.REFER,
        actor=world.users["community"],
        note="欠薪须人社部门处理",
        matter="M002",
    )
    case = Case.objects.get(pk=d.referred_case_id)
    assert d.state == State.REFERRED and case.channel == "patrol"
    assert case.extra["dispute"] == d.number and case.area_id == world.grid3a.pk
    assert event.data["case"] == case.pk


def test_referral_with_an_unknown_matter_writes_nothing(world, catalogue):
    d = screen(world.users["community"], world.grid3a)
    with pytest.raises(DomainError):
        workflow.dispute_apply(
            dispute_id=d.pk,
            action=Action.REFER,
            actor=world.users["community"],
            note="x",
            matter="NOPE",
        )
    d.refresh_from_db()
    assert d.state == State.OPEN and not Case.objects.exists()


def test_follow_up_is_recorded_once(world):
    d = screen(world.users["gridworker"], world.grid3a)
    services.mediation_record(dispute_id=d.pk, actor=world.users["gridworker"], session=session())
    follow = FollowUp.objects.get(dispute=d)
    kw = {"dispute_id": d.pk, "action": Action.FOLLOW_UP, "actor": world.users["gridworker"]}
    with pytest.raises(DisputeError):
        workflow.dispute_apply(**kw, follow_up=follow.pk, notes="")
    workflow.dispute_apply(**kw, follow_up=follow.pk, notes="双方已履行协议")
    follow.refresh_from_db()
    assert follow.done_on == timezone.localdate()
    with pytest.raises(DisputeConflict):
        workflow.dispute_apply(**kw, follow_up=follow.pk, notes="再来")


def test_closing_records_the_reason(world):
    d = screen(world.users["gridworker"], world.grid3a)
    d, event = workflow.dispute_apply(
        dispute_id=d.pk, action=Action.CLOSE, actor=world.users["gridworker"], note="当事人撤回"
    )
    assert d.state == State.CLOSED and event.note == "当事人撤回"
    with pytest.raises(DisputeConflict):
        services.mediation_record(
            dispute_id=d.pk, actor=world.users["gridworker"], session=session()
        )


def test_pure_rules():
    r = [rules.Rule("", 5, "red"), rules.Rule("land", None, "yellow")]
    assert rules.risk_of(r, kind="land", parties=2) == "yellow"
    assert rules.risk_of(r, kind="land", parties=6) == "red"
    assert rules.risk_of(r, kind="family", parties=1) == "green"
    assert rules.risk_of(r, kind="family", parties=1, floor="yellow") == "yellow"
    assert rules.next_level("county") is None
    assert rules.next_level("grid") == "community"
    assert rules.may_act_at("township", "grid") and not rules.may_act_at("grid", "community")
