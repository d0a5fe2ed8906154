"""Relocated households and their items: generation from the registry and the rules, the
omission check (nothing on a healthy household; each injected omission found), the linkage
(escalation opens a case; its closure fulfils the item; both histories show it), bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.areas import services as area_services
from grassroots.areas.models import Post, PostType
from grassroots.cases.choices import Action as CaseAction
from grassroots.cases.choices import State as CaseState
from grassroots.cases.models import CaseEvent
from grassroots.cases.workflow import case_apply
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import AuditEvent
from grassroots.people import services as people_services
from grassroots.relocation import omissions, services, workflow
from grassroots.relocation.choices import ItemState, Level, OmissionKind
from grassroots.relocation.errors import RelocationConflict, RelocationError
from grassroots.relocation.models import EntitlementItem, ItemEvent, RelocatedHousehold
from tests.conftest import person_id
from tests.relocation_support import helper_post, items, relocate

TODAY = timezone.localdate


@pytest.fixture
def home(world, registry):
    return relocate(world, registry.home_a)


def kinds(found):
    return sorted({f.kind for f in found})


def test_items_follow_the_registry_and_the_rules(world, registry, home):
    codes = sorted(EntitlementItem.objects.filter(relocated=home).values_list(
        "entitlement__code", "member_key"
    ))  # fmt: skip
    members = {registry.father.pk, registry.mother.pk, registry.child.pk}
    assert {m for c, m in codes if c == "medical_insurance"} == members
    assert ("disability_services", registry.mother.pk) in codes  # her certificate (tag)
    assert ("land_trusteeship", 0) in codes and ("property_certificate", 0) in codes
    assert ("employment_help", 0) in codes  # working-age, able, nobody employed
    schooling = [c for c, m in codes if m == registry.child.pk and c.endswith("school")]
    assert len(schooling) == 1
    owners = items(home).values_list("owner__area_id", flat=True).distinct()
    assert set(owners) <= {world.xiaozhen.pk, world.lingquan.pk}
    assert not items(home).filter(helper=None).exists()


def test_generation_is_idempotent_and_lapses_what_no_longer_applies(world, registry, home):
    before = items(home).count()
    assert services.items_generate(relocated=home, actor=None) == services.Generated(0, 0)
    assert items(home).count() == before
    # the father finds work: employment help no longer applies
    people_services.resident_update(
        actor=None, resident=registry.father, changes={"employment": "employed"}
    )
    out = services.items_generate(relocated=home, actor=None)
    assert out == services.Generated(0, 1)
    lapsed = items(home, "employment_help").get()
    assert lapsed.state == ItemState.NOT_APPLICABLE and lapsed.reason
    assert lapsed.events.last().action == "lapse"


def test_the_check_finds_nothing_on_a_healthy_household(home):
    assert omissions.find() == []
    run = omissions.omission_check()
    assert (run.found, run.opened, run.closed) == (0, 0, 0)


def test_the_check_finds_each_injected_omission_then_sees_them_closed(world, registry, home):
    rows = list(items(home).order_by("pk"))
    deleted = rows[0]
    EntitlementItem.objects.filter(pk=deleted.pk).delete()
    EntitlementItem.objects.filter(pk=rows[1].pk).update(owner=None)
    EntitlementItem.objects.filter(pk=rows[2].pk).update(
        progressed_on=TODAY() - datetime.timedelta(days=omissions.STALE_DAYS + 1)
    )
    EntitlementItem.objects.filter(pk=rows[3].pk).update(state=ItemState.FULFILLED, evidence="")
    ended = Post.objects.get(pk=rows[4].owner_id)
    other = area_services.post_create(
        actor=None,
        person=world.users["township"],
        post_type=PostType.objects.get(code="community_secretary"),
        area=world.xiaozhen,
        started_on=TODAY() - datetime.timedelta(days=30),
    )
    EntitlementItem.objects.filter(pk=rows[4].pk).update(owner=other)
    Post.objects.filter(pk=other.pk).update(ended_on=TODAY())
    del ended
    found = omissions.find()
    got = {(f.kind, f.item or f.entitlement) for f in found}
    assert (OmissionKind.MISSING, deleted.entitlement_id) in got
    assert (OmissionKind.NO_OWNER, rows[1].pk) in got
    assert (OmissionKind.STALE, rows[2].pk) in got
    assert (OmissionKind.NO_EVIDENCE, rows[3].pk) in got
    assert (OmissionKind.OWNER_ENDED, rows[4].pk) in got
    assert len(found) == 5
    first = omissions.omission_check()
    assert (first.found, first.opened) == (5, 5)
    # the community repairs two: the deleted item comes back, the owner is set
    services.items_generate(relocated=home, actor=None)
    workflow.item_apply(
        item_id=rows[1].pk, action="assign", actor=world.users["community"],
        owner=rows[0].owner_id,
    )  # fmt: skip
    second = omissions.omission_check()
    assert (second.found, second.opened, second.closed) == (3, 0, 2)


def test_a_child_reaching_school_age_is_missing_until_generated(world, registry, home):
    year = TODAY().year
    baby = people_services.resident_register(
        actor=None,
        household=registry.home_a,
        name="王小小",
        relation="child",
        id_number=person_id(21, datetime.date(year - 3, 10, 1)),
    )
    services.items_generate(relocated=home, actor=None)  # her insurance, today
    assert omissions.find() == []
    june = datetime.date(year + 1, 6, 1)  # 3 on 31 August: kindergarten this school year
    found = [f for f in omissions.find(june) if f.kind == OmissionKind.MISSING]
    assert [(f.member, f.detail) for f in found] == [(baby.pk, found[0].detail)]
    assert "学前教育" in found[0].detail
    services.items_generate(relocated=home, actor=None, today=june)
    assert not [f for f in omissions.find(june) if f.kind == OmissionKind.MISSING]


def _close(case_id):
    for action, extra in (
        (CaseAction.ACCEPT, {}),
        (CaseAction.RESOLVE, {"note": "已为其办理参保"}),
        (CaseAction.REVIEW, {"satisfaction": "satisfied"}),
    ):
        case_apply(case_id=case_id, action=action, actor=None, **extra)


def test_escalation_opens_a_case_whose_closure_fulfils_the_item(world, registry, catalogue, home):
    services.entitlement_define(
        actor=None, code="medical_insurance", name="城乡居民医疗保险参保", subject="member",
        rule="true", matter="M002",
    )  # fmt: skip
    item = items(home, "medical_insurance").first()
    community = world.users["community"]
    item, event = workflow.item_apply(
        item_id=item.pk, action="escalate", actor=community, note="社区无法办理"
    )
    assert item.level == Level.TOWNSHIP and item.case is not None
    assert event.data["case"] == item.case_id
    assert f"#{item.pk}" in item.case.description and item.case.household_id == home.household_id
    item, _ = workflow.item_apply(
        item_id=item.pk, action="escalate", actor=community, note="乡镇协调未果"
    )
    assert item.level == Level.COUNTY
    with pytest.raises(RelocationConflict):
        workflow.item_apply(item_id=item.pk, action="escalate", actor=community, note="再提")
    _close(item.case_id)
    assert services.relocation_sweep().followed == 1
    item.refresh_from_db()
    assert item.state == ItemState.FULFILLED and "已为其办理参保" in item.evidence
    history = list(ItemEvent.objects.filter(item=item).values_list("action", "data"))
    assert ("follow_case", {"case": item.case_id, "case_number": item.case.number}) in history
    notes = CaseEvent.objects.filter(case=item.case, action=CaseAction.NOTE)
    assert any("已据本诉求办结而落实" in n.note for n in notes)
    assert item.case.state == CaseState.CLOSED
    with pytest.raises(RelocationConflict) as exc:
        workflow.item_apply(item_id=item.pk, action="escalate", actor=community, note="x")
    assert exc.value.detail["field"] == "action"


def test_the_sweep_escalates_an_item_stuck_past_its_due_date(world, registry, catalogue, home):
    services.entitlement_define(
        actor=None, code="property_certificate", name="安置房不动产权证", subject="household",
        rule="true", owner_level="township", matter="M002",
    )  # fmt: skip
    item = items(home, "property_certificate").get()
    EntitlementItem.objects.filter(pk=item.pk).update(
        due_on=TODAY() - datetime.timedelta(days=services.ESCALATE_AFTER_DAYS + 1)
    )
    assert services.relocation_sweep().escalated == 1
    item.refresh_from_db()
    assert item.level == Level.TOWNSHIP and item.case_id is not None


@pytest.mark.parametrize(
    ("action", "extra", "code", "field"),
    [
        ("not_applicable", {}, "reason_required", "note"),
        ("fulfil", {"note": "办好了"}, "evidence_required", "evidence"),
        ("escalate", {"note": "办不了"}, "no_matter", "matter"),
    ],
)
def test_a_bad_action_names_the_field_and_writes_nothing(world, home, action, extra, code, field):
    item = items(home).first()
    events, audits = ItemEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        workflow.item_apply(item_id=item.pk, action=action, actor=world.users["community"], **extra)
    assert (exc.value.code, exc.value.detail["field"]) == (code, field)
    assert (ItemEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    item.refresh_from_db()
    assert item.state == ItemState.PENDING and item.level == Level.COMMUNITY


def test_an_owner_outside_the_community_is_refused(world, registry, home):
    luocun = area_services.post_create(
        actor=None,
        person=world.users["township"],
        post_type=PostType.objects.get(code="community_secretary"),
        area=world.luocun_village,
        started_on=TODAY(),
    )
    item = items(home).first()
    with pytest.raises(RelocationError) as exc:
        workflow.item_apply(
            item_id=item.pk, action="assign", actor=world.users["community"], owner=luocun.pk
        )
    assert (exc.value.code, exc.value.detail["field"]) == ("out_of_scope_post", "owner")


def test_not_applicable_keeps_its_reason_and_approver(world, home):
    item = items(home).first()
    item, _ = workflow.item_apply(
        item_id=item.pk, action="not_applicable", actor=world.users["community"],
        note="已在原籍参保",
    )  # fmt: skip
    assert item.state == ItemState.NOT_APPLICABLE
    assert (item.reason, item.approved_by) == ("已在原籍参保", world.users["community"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"origin_village": "grid"}, "origin_village"),
        ({"relocated_year": 1990}, "relocated_year"),
        ({"batch": "  "}, "batch"),
        ({"land_kept": False}, "land_trustee"),
        ({"land_mu": "x"}, "land_mu"),
    ],
)
def test_bad_registration_names_the_field_and_writes_nothing(world, registry, change, field):
    if change.get("origin_village") == "grid":
        change["origin_village"] = world.grid3a.pk
    with pytest.raises(RelocationError) as exc:
        relocate(world, registry.home_a, **change)
    assert exc.value.detail["field"] == field
    assert not RelocatedHousehold.objects.exists() and not EntitlementItem.objects.exists()


def test_a_household_is_registered_once_and_only_in_scope(world, registry, home):
    with pytest.raises(RelocationConflict) as exc:
        relocate(world, registry.home_a)
    assert exc.value.code == "already_relocated"
    with pytest.raises(NotFound):
        services.relocated_register(
            actor=world.users["gridworker"],
            data=services.RelocationInput(
                household=registry.home_b.pk, origin_village=world.hujiayu.pk, batch="一批",
                relocated_year=2020, helper=helper_post(world).pk,
            ),
        )  # fmt: skip


def test_an_unknown_attribute_in_a_rule_is_refused_on_rule(world):
    with pytest.raises(RelocationError) as exc:
        services.entitlement_define(
            actor=world.users["admin"], code="x", name="x", subject="member", rule="agee > 3"
        )
    assert (exc.value.code, exc.value.detail["field"]) == ("invalid_rule", "rule")
    assert "agee" in exc.value.message
