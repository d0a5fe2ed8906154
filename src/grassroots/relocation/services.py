"""Writes of the relocation app: registering a relocated household, the catalogue, generating
each household's items from the rules, and the sweep that keeps them moving.

Item state changes go through `workflow.item_apply`; everything here runs in one transaction
per call, so a refusal writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level as AreaLevel
from grassroots.areas.models import Area, Post, path_of
from grassroots.areas.scope import scope_for
from grassroots.cases.choices import State as CaseState
from grassroots.cases.models import Matter
from grassroots.core.audit import audit_record
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm, Role
from grassroots.people.models import Household
from grassroots.relocation import facts, rules, workflow
from grassroots.relocation.auditlog import RelocationAuditAction as AA
from grassroots.relocation.choices import OPEN_STATES, Action, Level, Subject
from grassroots.relocation.errors import RelocationConflict, RelocationError
from grassroots.relocation.errors import RelocationErrorCode as E
from grassroots.relocation.models import (
    Entitlement,
    EntitlementItem,
    ItemEvent,
    RelocatedHousehold,
)

# An open item at the community this many days past its due date is escalated by the sweep to
# the township (a linked case); at the township twice as long, to the county department.
ESCALATE_AFTER_DAYS = 15
FIRST_YEAR = 2000


@dataclass(frozen=True)
class RelocationInput:
    """What registering a relocated household asks: only what the registry does not hold."""

    household: int
    origin_village: int
    batch: str
    relocated_year: int
    land_mu: Any = 0
    land_kept: bool = False
    land_trustee: str = ""
    homestead: bool = False
    homestead_agreement: str = ""
    helper: int | None = None


def _checked(data: RelocationInput, today: datetime.date) -> dict[str, Any]:
    village = Area.objects.filter(pk=data.origin_village).first()
    if village is None or village.level not in (AreaLevel.VILLAGE, AreaLevel.COMMUNITY):
        raise RelocationError(
            E.INVALID_VALUE, _("迁出地须为一个村（社区）"), field="origin_village"
        )
    batch = " ".join(str(data.batch or "").split())
    if not batch:
        raise RelocationError(E.INVALID_VALUE, _("请填写搬迁批次"), field="batch")
    if not FIRST_YEAR <= int(data.relocated_year) <= today.year:
        raise RelocationError(
            E.INVALID_VALUE,
            _("搬迁年份须在 %(a)s 至 %(b)s 之间") % {"a": FIRST_YEAR, "b": today.year},
            field="relocated_year",
        )
    try:
        land = Decimal(str(data.land_mu or 0))
    except InvalidOperation:
        raise RelocationError(E.INVALID_VALUE, _("承包地面积须为数字"), field="land_mu") from None
    if not Decimal(0) <= land < Decimal(100000):
        raise RelocationError(E.INVALID_VALUE, _("承包地面积不合理"), field="land_mu")
    trustee = data.land_trustee.strip()
    if trustee and not data.land_kept:
        raise RelocationError(
            E.INVALID_VALUE, _("未保留承包地，不能填写托管方"), field="land_trustee"
        )
    agreement = data.homestead_agreement.strip()
    if agreement and not data.homestead:
        raise RelocationError(
            E.INVALID_VALUE, _("没有旧宅基地，不能填写腾退协议"), field="homestead_agreement"
        )
    return {
        "origin_village": village,
        "batch": batch[:40],
        "relocated_year": int(data.relocated_year),
        "land_mu": land,
        "land_kept": bool(data.land_kept),
        "land_trustee": trustee[:100],
        "homestead": bool(data.homestead),
        "homestead_agreement": agreement[:60],
    }


def relocated_register(*, actor: User | None, data: RelocationInput) -> RelocatedHousehold:
    """Register a registry household as relocated and generate its items.

    NotFound when the household is missing or outside the actor's scope; 400 naming the field
    for a bad value (an origin that is not a village, a year out of range, a trustee without
    kept land, a helper whose post ended or lies outside the community); 409 when the household
    is already registered."""
    today = timezone.localdate()
    household = Household.objects.select_related("area").filter(pk=data.household).first()
    if household is None or household.area is None:
        raise NotFound("household")
    if actor is not None:
        scope_for(actor).require_area(Perm.EDIT_PEOPLE, household.area, "household")
    values = _checked(data, today)
    with transaction.atomic():
        if RelocatedHousehold.objects.filter(household=household).exists():
            raise RelocationConflict(
                E.ALREADY_RELOCATED, _("这户已登记为易地搬迁户"), field="household"
            )
        relocated = RelocatedHousehold(
            household=household,
            area=household.area,
            **path_of(household.area),
            registered_by=actor,
            **values,
        )
        relocated.helper = workflow.check_post(data.helper, relocated, "helper")
        try:
            with transaction.atomic():
                relocated.save(force_insert=True)
        except IntegrityError:
            raise RelocationConflict(
                E.ALREADY_RELOCATED, _("这户已登记为易地搬迁户"), field="household"
            ) from None
        audit_record(
            actor=actor,
            action=AA.REGISTER,
            object_type="relocated_household",
            object_id=relocated.pk,
            changes={"batch": [None, relocated.batch], "year": [None, relocated.relocated_year]},
        )
        items_generate(relocated=relocated, actor=actor, today=today)
    return relocated


def entitlement_define(
    *,
    actor: User | None,
    code: str,
    name: str,
    subject: str,
    rule: str,
    owner_level: str = Level.COMMUNITY,
    matter: str = "",
    due_days: int = 30,
    order: int = 0,
    active: bool = True,
) -> Entitlement:
    """Create or change the catalogue entry `code`. Its rule must parse and name only the
    subject's attributes (400 `invalid_rule` on `rule`, saying what and where)."""
    if actor is not None:
        scope_for(actor).require(Perm.MANAGE_AREAS)
    code = code.strip()
    if not code or not code.replace("_", "").isalnum() or not code.isascii():
        raise RelocationError(E.INVALID_VALUE, _("代码只能由字母、数字和下划线组成"), field="code")
    if not name.strip():
        raise RelocationError(E.INVALID_VALUE, _("请填写名称"), field="name")
    if subject not in Subject.values:
        raise RelocationError(E.INVALID_VALUE, _("适用对象须为按成员或按户"), field="subject")
    if owner_level not in Level.values:
        raise RelocationError(E.INVALID_VALUE, _("未知的责任层级"), field="owner_level")
    try:
        rules.compile_rule(rule, subject)
    except rules.RuleError as exc:
        raise RelocationError(E.INVALID_RULE, str(exc), field="rule") from None
    matter = matter.strip()
    if matter and not Matter.objects.filter(code=matter).exists():
        raise RelocationError(
            E.INVALID_VALUE, _("未知的职能事项：%(c)s") % {"c": matter}, field="matter"
        )
    if not 1 <= int(due_days) <= 3650:
        raise RelocationError(E.INVALID_VALUE, _("落实期限须在 1 至 3650 天之间"), field="due_days")
    with transaction.atomic():
        entry, created = Entitlement.objects.update_or_create(
            code=code,
            defaults={
                "name": name.strip()[:60],
                "subject": subject,
                "rule": rule.strip(),
                "owner_level": owner_level,
                "matter": matter,
                "due_days": int(due_days),
                "order": int(order),
                "active": bool(active),
            },
        )
        audit_record(
            actor=actor,
            action=AA.ENTITLEMENT_DEFINE,
            object_type="entitlement",
            object_id=entry.pk,
            changes={"rule": [None if created else "", entry.rule]},
        )
    return entry


def catalogue() -> list[facts.Entry]:
    """The active catalogue as the rules engine needs it."""
    return [
        facts.Entry(pk, subject, rule)
        for pk, subject, rule in Entitlement.objects.filter(active=True).values_list(
            "pk", "subject", "rule"
        )
    ]


def default_owner(relocated: RelocatedHousehold, entry: Entitlement) -> Post | None:
    """The post that owns a new item: the first active post of the household's community
    (community level), of its township (township level), or of the unit of the entry's matter
    (county level); None when there is none (the omission check then reports it)."""
    today = timezone.localdate()
    active = Post.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    if entry.owner_level == Level.COMMUNITY:
        found = active.filter(
            area_id=relocated.community or 0, post_type__role=Role.COMMUNITY_STAFF
        )
    elif entry.owner_level == Level.TOWNSHIP:
        found = active.filter(area_id=relocated.township or 0, post_type__role=Role.TOWNSHIP_STAFF)
    else:
        unit = Matter.objects.filter(code=entry.matter).values_list("unit_id", flat=True).first()
        found = active.filter(unit_id=unit) if unit else active.none()
    return found.order_by("id").first()


@dataclass(frozen=True)
class Generated:
    created: int
    lapsed: int


def items_generate(
    *,
    relocated: RelocatedHousehold,
    actor: User | None,
    today: datetime.date | None = None,
) -> Generated:
    """Bring the household's items in line with the rules as of `today`: create each required
    item that does not exist, lapse each open item no longer required. Idempotent: a second run
    creates nothing. Runs for one household are serialised by its row lock; a concurrent
    duplicate that still collides is refused (409 `duplicate_run`)."""
    today = today or timezone.localdate()
    if actor is not None:
        scope_for(actor).require_area(Perm.EDIT_PEOPLE, relocated.area, "relocated_household")
    try:
        with transaction.atomic():
            return _generate(relocated, actor, today)
    except IntegrityError:
        raise RelocationConflict(
            E.DUPLICATE_RUN, _("这户的权益事项正在生成，请稍后再试"), field="household"
        ) from None


def _generate(relocated: RelocatedHousehold, actor: User | None, today: datetime.date) -> Generated:
    relocated = RelocatedHousehold.objects.select_for_update(of=("self",)).get(pk=relocated.pk)
    household = Household.objects.select_related("area").get(pk=relocated.household_id)
    if household.area_id and household.area_id != relocated.area_id:
        # the household moved: scope and figures follow it
        relocated.area = household.area
        for col, value in path_of(household.area).items():
            setattr(relocated, col, value)
        relocated.save()
        EntitlementItem.objects.filter(relocated=relocated).update(
            area=household.area, **path_of(household.area)
        )
    fact = facts.load([relocated], today)[relocated.pk]
    required = facts.required(catalogue(), fact)
    rows = list(
        EntitlementItem.objects.filter(relocated=relocated).values_list(
            "entitlement_id", "member_key", "pk", "state"
        )
    )
    have = {(e, m) for e, m, _pk, _s in rows}
    entries = Entitlement.objects.in_bulk({e for e, _m in required - have})
    helper = relocated.helper if relocated.helper_id else None
    if helper is not None and not workflow.post_active(helper, today):
        helper = None
    owners: dict[int, Post | None] = {}
    new = []
    for entry_id, member in sorted(required - have):
        entry = entries[entry_id]
        if entry_id not in owners:
            owners[entry_id] = default_owner(relocated, entry)
        new.append(
            EntitlementItem(
                relocated=relocated,
                entitlement=entry,
                member_id=member or None,
                member_key=member,
                area=relocated.area,
                **path_of(relocated.area),
                owner=owners[entry_id],
                helper=helper,
                due_on=today + datetime.timedelta(days=entry.due_days),
                progressed_on=today,
            )
        )
    created = len(EntitlementItem.objects.bulk_create(new))
    # one "generate" event per item; the household's one audit row below covers them all
    now = timezone.now()
    ItemEvent.objects.bulk_create(
        ItemEvent(
            item=item,
            at=now,
            actor=actor,
            actor_name=actor.get_username() if actor else "system",
            action=Action.GENERATE,
            to_state=item.state,
            to_level=item.level,
        )
        for item in new
    )
    lapsed = 0
    for entry_id, member, pk, state in rows:
        if state in OPEN_STATES and (entry_id, member) not in required:
            workflow.item_apply(item_id=pk, action=Action.LAPSE, actor=None)
            lapsed += 1
    if created or lapsed:
        audit_record(
            actor=actor,
            action=AA.GENERATE,
            object_type="relocated_household",
            object_id=relocated.pk,
            changes={"created": created, "lapsed": lapsed},
        )
    return Generated(created, lapsed)


@dataclass(frozen=True)
class Swept:
    generated: int
    lapsed: int
    followed: int
    escalated: int


def relocation_sweep(*, today: datetime.date | None = None) -> Swept:
    """The nightly sweep: re-generate every household's items (birthdays, new members, moves,
    deaths), fulfil the items whose linked case closed, and escalate the items stuck past their
    due date (`ESCALATE_AFTER_DAYS` at the community, twice that at the township)."""
    today = today or timezone.localdate()
    generated = lapsed = followed = escalated = 0
    for relocated in RelocatedHousehold.objects.order_by("pk"):
        out = items_generate(relocated=relocated, actor=None, today=today)
        generated += out.created
        lapsed += out.lapsed
    closed = EntitlementItem.objects.filter(
        state__in=OPEN_STATES, case__state=CaseState.CLOSED
    ).values_list("pk", flat=True)
    for pk in list(closed):
        workflow.item_apply(item_id=pk, action=Action.FOLLOW_CASE, actor=None)
        followed += 1
    late = today - datetime.timedelta(days=ESCALATE_AFTER_DAYS)
    stuck = EntitlementItem.objects.filter(state__in=OPEN_STATES).filter(
        Q(level=Level.COMMUNITY, due_on__lt=late)
        | Q(level=Level.TOWNSHIP, due_on__lt=late - datetime.timedelta(days=ESCALATE_AFTER_DAYS))
    )
    for pk in list(stuck.exclude(entitlement__matter="").values_list("pk", flat=True)):
        workflow.item_apply(
            item_id=pk,
            action=Action.ESCALATE,
            actor=None,
            note=_("逾期 %(d)s 天未落实，自动提级") % {"d": ESCALATE_AFTER_DAYS},
        )
        escalated += 1
    return Swept(generated, lapsed, followed, escalated)
