"""Lasting support after relocation in 石楼小镇社区, through the relocation services.

A sample of the community's relocated families (`HOUSEHOLDS`, spread over its micro grids) is
registered as relocated households from several origin villages and batches, each helped by its
grid's worker; their items are generated from the default catalogue (owned by the community's
and the township's staff). Most are fulfilled with evidence, some are in progress, a few are
escalated to the township as linked cases (one of which the department has closed, so its item
followed it to fulfilled), two are a few days overdue. The omission check then runs and finds
nothing. Deterministic for a seed.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from grassroots.areas.choices import Level as AreaLevel
from grassroots.areas.models import Area, Post
from grassroots.cases.choices import Action as CaseAction
from grassroots.cases.choices import State as CaseState
from grassroots.cases.models import Case
from grassroots.cases.workflow import case_apply
from grassroots.core.models import User
from grassroots.core.roles import Role
from grassroots.demo import data
from grassroots.demo.case_plan import Clock
from grassroots.demo.residents import Registry
from grassroots.relocation import omissions, services, workflow
from grassroots.relocation.choices import Action, ItemState
from grassroots.relocation.models import Entitlement, EntitlementItem

HOUSEHOLDS = 30
BATCHES = {"2017年第一批": 2017, "2018年第二批": 2018, "2019年第三批": 2019, "2020年第四批": 2020}
ESCALATED = 4
OVERDUE = 2
# The case matters through which the entries escalate (the demo's catalogue).
MATTERS = {
    "primary_school": "M035",
    "junior_school": "M035",
    "disability_services": "M012",
    "employment_help": "M001",
}
EVIDENCE = {
    "kindergarten": "已入读石楼小镇幼儿园，入园通知书已存档",
    "primary_school": "已入读石楼小镇小学，学籍号已登记",
    "junior_school": "已入读县第二中学，学籍号已登记",
    "medical_insurance": "已参加城乡居民医疗保险，缴费凭证已核验",
    "employment_help": "已推荐至社区帮扶车间就业，签订劳动合同",
    "land_trusteeship": "已签订承包地托管协议",
    "property_certificate": "不动产权证书已发放",
    "relocation_subsidy": "搬迁补助和旧宅腾退奖补已拨付到户",
    "elderly_care": "已纳入高龄津贴发放名单，每月上门探访",
    "disability_services": "两项补贴已发放，康复服务已签约",
}


@dataclass
class Relocating:
    households: int = 0
    items: int = 0
    fulfilled: int = 0
    in_progress: int = 0
    escalated: int = 0
    omissions: int = 0


def _sample(registry: Registry, rng: random.Random) -> list[str]:
    """Numbers of relocated families of the relocation community, spread over its grids."""
    mine = [
        f for f in registry.families if f.relocated and f.community == data.RELOCATION_COMMUNITY
    ]
    mine.sort(key=lambda f: f.number)
    step = max(1, len(mine) // HOUSEHOLDS)
    return [f.number for f in mine[::step][:HOUSEHOLDS]]


def _handle(case: Case, at: datetime.datetime) -> None:
    """The case's unit accepts and resolves it, the hotline reviews it, from `at` on."""
    if case.unit_id is None:
        return
    handler = (
        Post.objects.filter(unit_id=case.unit_id, ended_on__isnull=True)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    if handler is None:
        return
    hour = datetime.timedelta(hours=1)
    case_apply(case_id=case.pk, action=CaseAction.ACCEPT, actor=handler.person, at=at)
    case_apply(
        case_id=case.pk,
        action=CaseAction.RESOLVE,
        actor=handler.person,
        note="部门已协调落实",
        at=at + 24 * hour,
    )
    case_apply(
        case_id=case.pk,
        action=CaseAction.REVIEW,
        actor=User.objects.get(username="hotline"),
        satisfaction="satisfied",
        at=at + 26 * hour,
    )


def load_relocation(
    *, seed: int, registry: Registry, areas: dict[str, Area], clock: Clock
) -> Relocating:
    """Register the sample, generate and drive its items, run the omission check."""
    rng = random.Random(seed * 7919 + 18)
    done = Relocating()
    for code, matter in MATTERS.items():
        entry = Entitlement.objects.get(code=code)
        services.entitlement_define(
            actor=None,
            code=code,
            name=entry.name,
            subject=entry.subject,
            rule=entry.rule,
            owner_level=entry.owner_level,
            matter=matter,
            due_days=entry.due_days,
            order=entry.order,
        )
    villages = list(
        Area.objects.filter(level=AreaLevel.VILLAGE).exclude(name__endswith="社区").order_by("code")
    )
    origins = rng.sample(villages, min(5, len(villages)))
    numbers = _sample(registry, rng)
    grid_areas = {f.number: areas[f.grid] for f in registry.families if f.number in set(numbers)}
    helpers = dict(
        Post.objects.filter(
            post_type__role=Role.GRID_WORKER,
            area__in=set(grid_areas.values()),
            ended_on__isnull=True,
        ).values_list("area_id", "pk")
    )
    for number in numbers:
        batch = rng.choice(sorted(BATCHES))
        kept = rng.random() < 0.6
        homestead = rng.random() < 0.9
        services.relocated_register(
            actor=None,
            data=services.RelocationInput(
                household=registry.household_ids[number],
                origin_village=rng.choice(origins).pk,
                batch=batch,
                relocated_year=BATCHES[batch],
                land_mu=f"{rng.randint(2, 12)}.{rng.choice([0, 5])}",
                land_kept=kept,
                land_trustee="原籍村股份经济合作社" if kept and rng.random() < 0.8 else "",
                homestead=homestead,
                homestead_agreement=f"LQ-{BATCHES[batch]}-{rng.randint(1, 999):03d}"
                if homestead
                else "",
                helper=helpers.get(grid_areas[number].pk),
            ),
        )
        done.households += 1
    _drive(rng, done, clock)
    run = omissions.omission_check()
    done.omissions = run.found
    return done


def _drive(rng: random.Random, done: Relocating, clock: Clock) -> None:
    rows = list(
        EntitlementItem.objects.filter(relocated__isnull=False)
        .select_related("entitlement")
        .order_by("pk")
    )
    done.items = len(rows)
    movable = [i for i in rows if i.entitlement.code in MATTERS]
    escalated = {i.pk for i in rng.sample(movable, min(ESCALATED, len(movable)))}
    # what the community did with the items, over the fortnight before the demo's "now"
    start = clock.now - datetime.timedelta(days=14)
    for n, item in enumerate(rows):
        code = item.entitlement.code
        at = start + datetime.timedelta(minutes=17 * n)
        if item.pk in escalated:
            workflow.item_apply(
                item_id=item.pk, action=Action.START, actor=None, note="社区已受理，正在协调", at=at
            )
            item, _event = workflow.item_apply(
                item_id=item.pk,
                action=Action.ESCALATE,
                actor=None,
                note="社区层面无法落实，提请乡镇协调相关部门",
                at=at + datetime.timedelta(days=1),
            )
            done.escalated += 1
            continue
        r = rng.random()
        if r < 0.78:
            workflow.item_apply(
                item_id=item.pk, action=Action.FULFIL, actor=None, evidence=EVIDENCE[code], at=at
            )
        elif r < 0.95:
            workflow.item_apply(
                item_id=item.pk, action=Action.START, actor=None, note="已入户核实，正在办理", at=at
            )
    closing = (
        EntitlementItem.objects.filter(pk__in=escalated, case__state=CaseState.DISPATCHED)
        .select_related("case")
        .order_by("pk")
        .first()
    )
    if closing is not None and closing.case is not None:
        # the department has handled the first escalated item's case (its own handler accepts
        # and resolves, the hotline's operator calls back): the item follows it
        _handle(closing.case, clock.now - datetime.timedelta(days=5))
        workflow.item_apply(
            item_id=closing.pk,
            action=Action.FOLLOW_CASE,
            actor=None,
            at=clock.now - datetime.timedelta(days=3),
        )
    # two items a few days past their due date (as the demo back-dates other histories)
    late = (
        EntitlementItem.objects.filter(state=ItemState.IN_PROGRESS, case=None)
        .filter(~Q(pk__in=escalated))
        .order_by("pk")[:OVERDUE]
    )
    EntitlementItem.objects.filter(pk__in=[i.pk for i in late]).update(
        due_on=timezone.localdate(clock.now) - datetime.timedelta(days=5)
    )
    done.fulfilled = EntitlementItem.objects.filter(state=ItemState.FULFILLED).count()
    done.in_progress = EntitlementItem.objects.filter(state=ItemState.IN_PROGRESS).count()
