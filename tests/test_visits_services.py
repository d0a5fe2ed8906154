"""Visits services: pairings (one primary, bulk under a cap, re-pairing), visit logs (dates,
scope, who was met, idempotent replays), need → case, and the plan's due dates."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.cases.models import Case
from grassroots.core.errors import NotFound
from grassroots.core.models import AuditEvent, User
from grassroots.people import services as ps
from grassroots.visits import due, plans, services
from grassroots.visits.errors import VisitConflict, VisitError, VisitIdempotencyMismatch
from grassroots.visits.models import Pairing, PlanRule, Visit
from tests.conftest import person_id

TODAY = timezone.localdate


def user(name):
    return User.objects.get(username=name)


def visit_input(household, **kw):
    return services.VisitInput(household=household.pk, visited_on=kw.pop("on", TODAY()), **kw)


# -- pure plan arithmetic --------------------------------------------------------------------


RULES = [
    plans.Rule(None, 0, "", 365),
    plans.Rule(None, 0, "elderly_alone", 30),
    plans.Rule(None, 0, "relocated", 91),
    plans.Rule(7, 3, "", 180),
]


def test_interval_is_the_shortest_of_the_tags_rules():
    assert plans.interval_for(ancestors={1}, tags=[], rules=RULES) == (365, "")
    assert plans.interval_for(ancestors={1}, tags=["relocated"], rules=RULES) == (91, "relocated")
    both = plans.interval_for(ancestors={1}, tags=["relocated", "elderly_alone"], rules=RULES)
    assert both == (30, "elderly_alone")


def test_a_deeper_area_rule_overrides_the_default():
    assert plans.interval_for(ancestors={1, 7}, tags=[], rules=RULES) == (180, "")
    assert plans.interval_for(ancestors={1}, tags=[], rules=[]) is None


def test_balanced_assignment_never_passes_the_cap_and_stays_even():
    got = plans.balanced(households=list(range(10)), loads={1: 2, 2: 0, 3: 0}, cap=4)
    loads = {m: list(got.values()).count(m) for m in (1, 2, 3)}
    assert loads == {1: 2, 2: 4, 3: 4}
    assert plans.balanced(households=list(range(11)), loads={1: 2, 2: 0, 3: 0}, cap=4) is None


def test_due_date_counts_from_the_last_visit_or_registration():
    day = datetime.date(2026, 1, 1)
    assert plans.due_on(last_visit=None, since=day, interval=30) == datetime.date(2026, 1, 31)
    assert plans.due_on(last_visit=day, since=datetime.date(2020, 1, 1), interval=1) == (
        datetime.date(2026, 1, 2)
    )


# -- pairings --------------------------------------------------------------------------------


def test_pairing_a_household_with_a_party_member(registry):
    p = services.pairing_create(
        actor=user("gridworker"), household=registry.home_a, member=registry.father
    )
    assert p.area == registry.home_a.area and p.grid3 == registry.home_a.area_id
    assert AuditEvent.objects.filter(action="pairing.create", object_id=str(p.pk)).exists()


def test_a_second_primary_pairing_is_a_clear_409(registry):
    services.pairing_create(actor=None, household=registry.home_a, member=registry.father)
    with pytest.raises(VisitConflict) as err:
        services.pairing_create(actor=None, household=registry.home_a, staff=user("gridworker"))
    assert err.value.status == 409 and err.value.code == "already_paired"
    assert Pairing.objects.count() == 1


def test_the_database_holds_one_active_primary_too(registry):
    services.pairing_create(actor=None, household=registry.home_a, member=registry.father)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(
            household=registry.home_a,
            area=registry.home_a.area,
            staff=user("community"),
            started_on=TODAY(),
        )


def test_only_party_members_are_paired(registry):
    with pytest.raises(VisitError) as err:
        services.pairing_create(actor=None, household=registry.home_a, member=registry.mother)
    assert err.value.detail["field"] == "member"


def test_pairing_out_of_scope_is_not_found(registry):
    with pytest.raises(NotFound):
        services.pairing_create(
            actor=user("gridworker"), household=registry.home_b, staff=user("gridworker")
        )


def test_staff_must_hold_a_post_over_the_household(registry):
    with pytest.raises(VisitError) as err:
        services.pairing_create(actor=None, household=registry.home_b, staff=user("gridworker"))
    assert err.value.detail["field"] == "staff"


def test_ending_then_pairing_again(registry):
    p = services.pairing_create(actor=None, household=registry.home_a, member=registry.father)
    services.pairing_end(actor=user("community"), pairing=p, reason="reassigned")
    with pytest.raises(VisitConflict):
        services.pairing_end(actor=user("community"), pairing=p, reason="reassigned")
    again = services.pairing_create(actor=None, household=registry.home_a, staff=user("community"))
    assert again.ended_on is None


def _member(household, n):
    return ps.resident_register(
        actor=None,
        household=household,
        name=f"党员{n}",
        id_number=person_id(100 + n),
        politics="party",
    )


def _homes(world, count):
    out = []
    for i in range(count):
        d = ps.dwelling_create(actor=None, area=world.grid3b, address=f"石楼小镇9号楼{i}室")
        out.append(ps.household_create(actor=None, number=f"HB{i:02d}", dwelling=d))
    return out


def test_bulk_pairing_is_balanced_and_under_the_cap(registry, world):
    homes = _homes(world, 5)
    m1, m2 = _member(homes[0], 1), _member(homes[1], 2)
    made = services.pairing_bulk(actor=user("community"), area=world.grid3b, cap=4)
    # every household of 微网格B (the five and H002) got one member, three each
    assert len(made) == 6
    loads = sorted(Pairing.objects.filter(member__in=[m1, m2]).values_list("member", flat=True))
    assert loads.count(m1.pk) == 3 and loads.count(m2.pk) == 3
    assert services.pairing_bulk(actor=user("community"), area=world.grid3b, cap=4) == []


def test_bulk_pairing_over_the_cap_is_refused_and_writes_nothing(registry, world):
    homes = _homes(world, 5)
    _member(homes[0], 1)
    with pytest.raises(VisitError) as err:
        services.pairing_bulk(actor=user("community"), area=world.grid3b, cap=3)
    assert err.value.code == "over_capacity" and err.value.detail["field"] == "cap"
    assert err.value.detail["households"] == 6 and err.value.detail["free"] == 3
    assert Pairing.objects.count() == 0


def test_a_member_leaving_is_re_paired_in_the_community(registry, world):
    homes = _homes(world, 2)
    m1, m2 = _member(homes[0], 1), _member(homes[1], 2)
    for h in homes:
        services.pairing_create(actor=None, household=h, member=m1)
    made, left = services.pairing_repair(actor=user("community"), member=m1, cap=5)
    # the other party members of the community (王建国 in 微网格A, and 党员2) take them, evenly
    assert len(made) == 2 and left == []
    assert not Pairing.objects.filter(member=m1, ended_on__isnull=True).exists()
    assert {p.member_id for p in made} == {m2.pk, registry.father.pk}


# -- visit logs ------------------------------------------------------------------------------


def test_a_routine_all_well_visit(registry):
    visit, created = services.visit_log(
        actor=user("gridworker"),
        data=visit_input(registry.home_a, all_well=True, met=(registry.father.pk,)),
    )
    assert created and visit.grid3 == registry.home_a.area_id
    assert list(visit.met.all()) == [registry.father]


def test_a_visit_in_the_future_is_refused_naming_visited_on(registry):
    with pytest.raises(VisitError) as err:
        services.visit_log(
            actor=user("gridworker"),
            data=visit_input(
                registry.home_a, all_well=True, on=TODAY() + datetime.timedelta(days=1)
            ),
        )
    assert err.value.status == 400 and err.value.detail["field"] == "visited_on"
    assert Visit.objects.count() == 0


def test_a_visit_out_of_scope_is_not_found(registry):
    with pytest.raises(NotFound):
        services.visit_log(
            actor=user("gridworker"), data=visit_input(registry.home_b, all_well=True)
        )
    with pytest.raises(NotFound):
        services.visit_log(
            actor=user("gridworker"),
            data=services.VisitInput(household=987654, visited_on=TODAY(), all_well=True),
        )


def test_who_was_met_must_live_there(registry):
    with pytest.raises(VisitError) as err:
        services.visit_log(
            actor=user("community"),
            data=visit_input(registry.home_a, all_well=True, met=(registry.neighbour.pk,)),
        )
    assert err.value.detail["field"] == "met"


def test_a_visit_that_is_not_all_well_says_what_was_found(registry):
    with pytest.raises(VisitError) as err:
        services.visit_log(actor=user("gridworker"), data=visit_input(registry.home_a))
    assert err.value.detail["field"] == "needs"


def test_a_replay_returns_the_first_visit_and_a_changed_body_is_422(registry):
    actor = user("gridworker")
    first, created = services.visit_log(
        actor=actor, data=visit_input(registry.home_a, all_well=True), idempotency_key="k-1"
    )
    again, created_again = services.visit_log(
        actor=actor, data=visit_input(registry.home_a, all_well=True), idempotency_key="k-1"
    )
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(VisitIdempotencyMismatch) as err:
        services.visit_log(
            actor=actor,
            data=visit_input(registry.home_a, needs="想申请低保"),
            idempotency_key="k-1",
        )
    assert err.value.status == 422
    assert Visit.objects.count() == 1


def test_a_found_need_becomes_a_case_linked_both_ways(registry, catalogue):
    actor = user("gridworker")
    visit, _ = services.visit_log(
        actor=actor, data=visit_input(registry.home_a, needs="楼道路灯坏了，老人晚上出门不便")
    )
    visit, case = services.visit_to_case(actor=actor, visit=visit, matter="M001")
    assert case.channel == "visit" and case.household == registry.home_a
    assert case.description == "楼道路灯坏了，老人晚上出门不便"
    assert list(case.visits.all()) == [visit]
    with pytest.raises(VisitConflict):
        services.visit_to_case(actor=actor, visit=visit, matter="M001")
    assert Case.objects.count() == 1


# -- plans and due visits --------------------------------------------------------------------


def test_default_rules_are_seeded(db):
    got = dict(PlanRule.objects.filter(area=None).values_list("tag", "interval_days"))
    assert got == {"elderly_alone": 30, "disabled": 30, "relocated": 91, "": 365}


def test_due_visits_follow_the_plan_and_the_last_visit(registry):
    actor = user("community")
    later = TODAY() + datetime.timedelta(days=400)
    rows = {r.number: r for r in due.due_rows(actor=actor, horizon=400, today=later)}
    # H001 has a disabled member (monthly), H002 an elderly person living alone (monthly)
    assert rows["H001"].interval_days == 30 and rows["H002"].interval_days == 30
    assert rows["H001"].overdue and rows["H001"].rule_tag == "disabled"
    services.visit_log(actor=actor, data=visit_input(registry.home_a, all_well=True))
    rows = {r.number: r for r in due.due_rows(actor=actor, horizon=10)}
    assert "H001" not in rows  # visited today: due in 30 days


def test_a_community_rule_overrides_the_default(registry, world):
    services.plan_rule_set(actor=user("community"), area=world.xiaozhen, tag="", interval_days=7)
    rows = due.due_rows(actor=user("community"), horizon=0, today=TODAY() + datetime.timedelta(8))
    assert {r.number for r in rows} == {"H001", "H002"}
    assert {r.interval_days for r in rows} == {7}
    with pytest.raises(VisitError) as err:
        services.plan_rule_set(actor=user("community"), area=world.grid3a, tag="", interval_days=7)
    assert err.value.detail["field"] == "area"


def test_the_due_list_is_scoped(registry):
    later = TODAY() + datetime.timedelta(days=60)
    grid = {r.number for r in due.due_rows(actor=user("gridworker"), today=later)}
    township = {r.number for r in due.due_rows(actor=user("township"), today=later)}
    assert grid == {"H001"} and township == {"H001", "H002"}
