"""A year of disputes (矛盾纠纷排查化解) in the county seat, through the disputes services.

Each dispute is screened with `disputes.services.dispute_screen` by the community staff (found on
a visit or a patrol) and driven with `disputes.workflow.dispute_apply`, back-dated (`at=`) and
never after the demo's now: most are settled at community level (some after a first session
that failed), some small ones in the grid, a few escalated to the township and settled there;
the newest are still open, and one high-risk (red) dispute is escalated and still being
mediated. Settled ones get their follow-up visit, done when its day has passed (a few are
left overdue). `dispute_screen` stamps the moment of screening; the demo moves that stamp back
to the day the dispute was found, as the case history does with `at=`.

Deterministic for a seed: it draws from its own `random.Random`.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from grassroots.areas.models import Area, Post
from grassroots.core.models import User
from grassroots.core.roles import Role
from grassroots.demo.case_plan import SHANGHAI, Clock
from grassroots.demo.residents import Registry
from grassroots.disputes.choices import Action, FoundVia, Kind, MediatorKind, Outcome, PartyRole
from grassroots.disputes.effects import Session
from grassroots.disputes.models import Dispute, DisputeEvent, FollowUp
from grassroots.disputes.services import PartyIn, Screening, dispute_screen
from grassroots.disputes.workflow import dispute_apply
from grassroots.people.choices import Relation
from grassroots.people.models import Resident

DISPUTES = 96
ESCALATED = 6
OPEN_DAYS = 6  # disputes found in the last days are still open
SAGES = ["王德厚", "李明山", "张守义", "刘长青", "郭永福"]
MEDIATORS = ["白秀兰", "任志刚", "高玉梅"]
SUMMARIES = {
    Kind.NEIGHBOUR: "楼上漏水殃及楼下，双方就维修费用发生争执",
    Kind.FAMILY: "兄弟之间因赡养老人费用分担发生矛盾",
    Kind.MARRIAGE: "夫妻因家庭琐事多次争吵，一方提出分居",
    Kind.PROPERTY: "业主与物业就车位收费发生纠纷",
    Kind.LABOUR: "务工人员反映工地拖欠工资",
    Kind.LAND: "搬迁前原籍承包地流转费用发生争议",
}
AGREEMENT = "经调解，双方自愿达成协议：一、按约定分担费用；二、今后互谅互让，不再因此争执。"


@dataclass
class Disputing:
    disputes: int = 0
    settled: int = 0
    escalated: int = 0
    open: int = 0


def _at(day: datetime.date, clock: Clock, hour: int = 15) -> datetime.datetime:
    return min(datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI), clock.now)


def _posts(role: str) -> dict[int, User]:
    out: dict[int, User] = {}
    for post in (
        Post.objects.filter(post_type__role=role, ended_on__isnull=True, area__isnull=False)
        .select_related("person")
        .order_by("id")
    ):
        if post.area_id is not None:
            out.setdefault(post.area_id, post.person)
    return out


def _session(day: datetime.date, outcome: str, rng: random.Random, who: str) -> Session:
    mediators = [
        {"name": who, "kind": MediatorKind.CADRE},
        {"name": rng.choice(SAGES), "kind": MediatorKind.SAGE},
    ]
    if rng.random() < 0.5:
        mediators.append({"name": rng.choice(MEDIATORS), "kind": MediatorKind.PEOPLES_MEDIATOR})
    return Session(
        held_on=day,
        mediators=mediators,
        outcome=outcome,
        agreement_text=AGREEMENT if outcome == Outcome.SETTLED else "",
        notes="当事双方到场，调解员释法说理，乡贤从中说和。",
    )


def load_disputes(
    *, seed: int, registry: Registry, areas: dict[str, Area], clock: Clock
) -> Disputing:
    """Screen and mediate the year's disputes (see the module docstring); returns the counts."""
    rng = random.Random(seed * 7919 + 41)
    done = Disputing()
    community_staff = _posts(Role.COMMUNITY_STAFF)
    township_staff = _posts(Role.TOWNSHIP_STAFF)
    grids = [g for g in sorted(registry.by_grid) if areas[g].community_id in community_staff]
    heads = dict(
        Resident.objects.filter(relation=Relation.HEAD, household__isnull=False).values_list(
            "household__number", "pk"
        )
    )
    span = (clock.today - clock.first_day).days
    plan = sorted(rng.randrange(span) for _ in range(DISPUTES))
    escalate_at = set(rng.sample(range(DISPUTES - 10), ESCALATED))
    red_at = DISPUTES - 12  # found about a month ago, still being mediated at the township
    for i, offset in enumerate(plan):
        found_on = clock.first_day + datetime.timedelta(days=offset)
        grid = areas[rng.choice(grids)]
        community = grid.community_id or 0
        families = [f for f in registry.by_grid[grid.code] if f.number in heads]
        if len(families) < 2:
            continue
        a, b = rng.sample(families, 2)
        red = i == red_at
        kind = Kind.LAND if red else rng.choice(list(SUMMARIES))
        in_grid = not red and i not in escalate_at and rng.random() < 0.15
        area = grid if in_grid else Area.objects.get(pk=community)
        screener = community_staff[community]
        parties = [
            PartyIn(role=PartyRole.APPLICANT, resident=heads[a.number]),
            PartyIn(role=PartyRole.RESPONDENT, resident=heads[b.number]),
        ]
        if red:
            parties += [
                PartyIn(role=PartyRole.APPLICANT, resident=heads[f.number])
                for f in families[:6]
                if f not in (a, b)
            ]
        dispute = dispute_screen(
            actor=screener,
            screening=Screening(
                area=area.pk,
                kind=kind,
                summary=SUMMARIES[kind],
                found_via=rng.choice([FoundVia.VISIT, FoundVia.VISIT, FoundVia.PATROL]),
                found_on=found_on,
                parties=tuple(parties),
                risk="red" if red else "",
            ),
        )
        screened = _at(found_on, clock, 10)
        Dispute.objects.filter(pk=dispute.pk).update(created_at=screened)
        DisputeEvent.objects.filter(dispute=dispute, action=Action.SCREEN).update(at=screened)
        done.disputes += 1
        day = found_on + datetime.timedelta(days=rng.randint(1, 6))
        if (clock.today - found_on).days < OPEN_DAYS or day >= clock.today:
            done.open += 1
            continue
        actor = screener
        if red or i in escalate_at:
            if rng.random() < 0.5 or red:
                dispute_apply(
                    dispute_id=dispute.pk,
                    action=Action.MEDIATE,
                    actor=actor,
                    at=_at(day, clock),
                    session=_session(day, Outcome.FAILED, rng, screener.full_name),
                )
            dispute_apply(
                dispute_id=dispute.pk,
                action=Action.ESCALATE,
                actor=actor,
                note="涉及人数多、社区调解未成，提请街道调解",
                at=_at(day, clock, 17),
            )
            done.escalated += 1
            actor = township_staff.get(grid.township_id or 0) or screener
            day += datetime.timedelta(days=rng.randint(3, 10))
            if day >= clock.today:
                done.open += 1
                continue
        elif rng.random() < 0.2:
            dispute_apply(
                dispute_id=dispute.pk,
                action=Action.MEDIATE,
                actor=actor,
                at=_at(day, clock),
                session=_session(day, Outcome.PARTIAL, rng, screener.full_name),
            )
            day += datetime.timedelta(days=rng.randint(2, 8))
            if day >= clock.today:
                done.open += 1
                continue
        outcome = Outcome.PARTIAL if red else Outcome.SETTLED
        dispute_apply(
            dispute_id=dispute.pk,
            action=Action.SETTLE if outcome == Outcome.SETTLED else Action.MEDIATE,
            actor=actor,
            at=_at(day, clock),
            session=_session(day, outcome, rng, actor.full_name),
        )
        if outcome != Outcome.SETTLED:
            done.open += 1
            continue
        done.settled += 1
        follow = FollowUp.objects.filter(dispute=dispute, done_on__isnull=True).first()
        if follow is not None and follow.due_on < clock.today and rng.random() < 0.9:
            dispute_apply(
                dispute_id=dispute.pk,
                action=Action.FOLLOW_UP,
                actor=screener,
                at=_at(follow.due_on, clock),
                follow_up=follow.pk,
                done_on=follow.due_on,
                notes="回访当事双方，协议已履行，关系和睦。",
            )
    return done
