"""Party members, pairings and a year of home visits for the demo's county seat.

Written in bulk exactly as the visits services write them (fast enough for CI: one
`bulk_create` per table, not 30,000 service calls): the party branch on the members' registry
rows (`resident_update`'s field), one primary `Pairing` per household balanced over each
community's party members by `visits.plans.balanced` (what `pairing_bulk` does), `Visit` rows
with the household grid's `AreaPath` columns and the head as met (what `visit_log` writes),
each batch with its audit row. The year's cases of channel 入户走访 (played by the case history
through the real intake and workflow) get the visit that found them, linked both ways as
`visit_to_case` links them.

The schedule follows the visit plans (`PlanRule`, `visits.plans.interval_for`): each household
is visited a few days before it falls due, sometimes late, sometimes a month is skipped; in a
few "lazy" grids (`LAZY_GRIDS`) the worker stopped visiting `LAZY_DAYS` before the demo's now,
so their due visits are left undone and grid health flags them. Nothing is dated after the
demo's today. Deterministic for a seed: it draws from its own `random.Random`.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.areas.models import Area, path_of
from grassroots.cases.choices import Channel
from grassroots.cases.models import Case, CaseEvent
from grassroots.core.audit import audit_record
from grassroots.core.models import User
from grassroots.demo.case_plan import SHANGHAI, Clock
from grassroots.demo.families import Family
from grassroots.demo.residents import Registry
from grassroots.people.auditlog import PeopleAuditAction
from grassroots.people.choices import Relation
from grassroots.people.models import Resident
from grassroots.visits import plans
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.choices import PARTY_POLITICS
from grassroots.visits.models import Pairing, PlanRule, Visit

# Grids whose worker stopped visiting LAZY_DAYS before now (grid health flags them).
LAZY_GRIDS = 6
LAZY_DAYS = 75
# Of the other visits: how often one is late, and how often a round is skipped altogether.
LATE = 0.08
SKIPPED = 0.03
# Besides the plan, a grid worker drops in on one of the grid's households every so many days.
ROUND_DAYS = (18, 27)
# A finding on this share of the other visits (settled at the door or by the community).
FINDING = 0.04
CHINESE_NUMBERS = "一二三四五六七八九十"

NEEDS = [
    "楼下路灯不亮，老人夜间出门不便，已向社区反映",
    "希望了解高龄津贴的申领办法，当场讲解",
    "孩子入学手续不清楚，已告知办理流程",
]
OPINIONS = ["希望小区多装几处健身器材", "建议社区多组织就业培训", "希望增加公交班次"]
RISKS = ["电动车在楼道内充电，存在火灾隐患", "燃气软管老化"]


@dataclass
class Visiting:
    """What was written, for the progress line and the disputes that follow."""

    party_members: int = 0
    pairings: int = 0
    visits: int = 0
    cases: int = 0
    lazy_grids: list[str] = field(default_factory=list)


def branch_name(community: str, index: int) -> str:
    """The party branch of the `index`-th (0-based) group of a community's micro grids."""
    n = CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)
    return f"{community}第{n}党支部"


def _rules() -> list[plans.Rule]:
    return [
        plans.Rule(a, d or 0, t, i)
        for a, d, t, i in PlanRule.objects.values_list(
            "area_id", "area__depth", "tag", "interval_days"
        )
    ]


def _ancestors(area: Area) -> set[int]:
    return {v for v in path_of(area).values() if v} | {area.pk}


def _set_branches(
    registry: Registry, areas: dict[str, Area], residents: dict[str, list[tuple[int, str, str]]]
) -> dict[int, list[int]]:
    """Party members get their branch (one per four micro grids of a community); returns the
    party members' ids by community id."""
    grids_of: dict[str, list[str]] = {}
    for family in registry.families:
        seen = grids_of.setdefault(family.community, [])
        if family.grid not in seen:
            seen.append(family.grid)
    by_branch: dict[str, list[int]] = {}
    members: dict[int, list[int]] = {}
    for family in registry.families:
        branch = branch_name(family.community, grids_of[family.community].index(family.grid) // 4)
        for pk, politics, _relation in residents.get(family.number, []):
            if politics in PARTY_POLITICS:
                by_branch.setdefault(branch, []).append(pk)
                community = areas[family.grid].community_id
                members.setdefault(community or 0, []).append(pk)
    for branch, ids in sorted(by_branch.items()):
        Resident.objects.filter(pk__in=ids).update(party_branch=branch)
    for community, ids in sorted(members.items()):
        audit_record(
            actor=None,
            action=PeopleAuditAction.RESIDENT_UPDATE,
            object_type="area",
            object_id=community,
            changes={"party_branch": "set", "residents": len(ids)},
        )
    return members


def _pair(
    registry: Registry, areas: dict[str, Area], members: dict[int, list[int]], start: datetime.date
) -> dict[int, int]:
    """One primary pairing per household, balanced over its community's party members (as
    `pairing_bulk` assigns); returns the member id by household id."""
    by_community: dict[int, list[int]] = {}
    grid_of: dict[int, Area] = {}
    for family in registry.families:
        hid = registry.household_ids[family.number]
        area = areas[family.grid]
        grid_of[hid] = area
        by_community.setdefault(area.community_id or 0, []).append(hid)
    partner: dict[int, int] = {}
    rows: list[Pairing] = []
    for community, households in sorted(by_community.items()):
        chosen = sorted(members.get(community, []))
        if not chosen:
            continue
        cap = math.ceil(len(households) / len(chosen))
        assignment = plans.balanced(
            households=sorted(households), loads=dict.fromkeys(chosen, 0), cap=cap
        )
        for hid, mid in (assignment or {}).items():
            partner[hid] = mid
            rows.append(
                Pairing(
                    household_id=hid,
                    area_id=grid_of[hid].pk,
                    **path_of(grid_of[hid]),
                    member_id=mid,
                    primary=True,
                    started_on=start,
                )
            )
        audit_record(
            actor=None,
            action=VisitAuditAction.PAIRING_BULK,
            object_type="area",
            object_id=community,
            changes={"households": len(assignment or {}), "cap": cap},
        )
    Pairing.objects.bulk_create(rows, batch_size=2000)
    return partner


def _schedule(
    rng: random.Random, interval: int, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    """Visit days for one household from `first` to `last`: a little early as a rule, now and
    then late or a round skipped (the next visit then comes soon after)."""
    days: list[datetime.date] = []
    day = first + datetime.timedelta(days=rng.randrange(min(interval, 60)))
    while day <= last:
        roll = rng.random()
        if roll < SKIPPED and days:
            day += datetime.timedelta(days=rng.randint(5, 15))
            continue
        days.append(day)
        early = rng.randint(0, max(1, interval // 10))
        late = rng.randint(3, 20) if rng.random() < LATE else 0
        day += datetime.timedelta(days=max(7, interval - early + late))
    return days


def _drop_ins(
    rng: random.Random,
    planned: list[tuple[Family, datetime.date]],
    first: datetime.date,
    last: datetime.date,
) -> list[datetime.date]:
    """The grid worker's rounds besides the plan: wherever the grid would go ROUND_DAYS[1] days
    without a visit, a drop-in on some household after ROUND_DAYS[0] to ROUND_DAYS[1] days."""
    days = sorted({day for _f, day in planned} | {last + datetime.timedelta(days=1)})
    out: list[datetime.date] = []
    previous = first - datetime.timedelta(days=rng.randint(0, ROUND_DAYS[0]))
    for day in days:
        while (day - previous).days > ROUND_DAYS[1]:
            previous += datetime.timedelta(days=rng.randint(*ROUND_DAYS))
            if previous > last:
                break
            out.append(previous)
        previous = max(previous, day)
    return out


def load_visits(
    *,
    seed: int,
    registry: Registry,
    areas: dict[str, Area],
    grid_workers: dict[int, User],
    clock: Clock,
) -> Visiting:
    """Write the party branches, pairings, a year of visits up to `clock.today` and a few
    visit-found cases (see the module docstring). Runs inside the demo's transaction."""
    rng = random.Random(seed * 7919 + 14)
    done = Visiting()
    today, first = clock.today, clock.first_day
    residents: dict[str, list[tuple[int, str, str]]] = {}
    for pk, number, politics, relation in Resident.objects.filter(
        household__isnull=False
    ).values_list("pk", "household__number", "politics", "relation"):
        residents.setdefault(number, []).append((pk, politics, relation))
    members = _set_branches(registry, areas, residents)
    done.party_members = sum(len(v) for v in members.values())
    partner = _pair(registry, areas, members, first - datetime.timedelta(days=30))
    done.pairings = len(partner)
    rules = _rules()
    ancestry = {g: _ancestors(areas[g]) for g in registry.by_grid}
    planned = [g for g in sorted(registry.by_grid) if grid_workers.get(areas[g].pk)]
    vulnerable = [
        g
        for g in planned
        if sum(1 for f in registry.by_grid[g] if _interval(f, ancestry, rules) <= 91) >= 3
    ]
    done.lazy_grids = sorted(rng.sample(vulnerable, min(LAZY_GRIDS, len(vulnerable))))
    lazy = set(done.lazy_grids)
    visits: list[Visit] = []
    heads: list[int | None] = []
    for grid in planned:
        area = areas[grid]
        worker = grid_workers[area.pk]
        path = path_of(area)
        stop = today - datetime.timedelta(days=LAZY_DAYS) if grid in lazy else today
        families = registry.by_grid[grid]
        rounds = [
            (family, day)
            for family in families
            for day in _schedule(rng, _interval(family, ancestry, rules), first, stop)
        ]
        rounds += [(rng.choice(families), day) for day in _drop_ins(rng, rounds, first, stop)]
        for family, day in rounds:
            hid = registry.household_ids[family.number]
            people = residents.get(family.number, [])
            head = next((pk for pk, _p, rel in people if rel == Relation.HEAD), None)
            found = rng.random() < FINDING
            need = rng.choice(NEEDS) if found else ""
            visits.append(
                Visit(
                    household_id=hid,
                    area_id=area.pk,
                    **path,
                    visitor=worker,
                    member_id=partner.get(hid) if rng.random() < 0.4 else None,
                    visited_on=day,
                    all_well=not found,
                    needs=need,
                    opinions=rng.choice(OPINIONS) if found and rng.random() < 0.3 else "",
                    risks=rng.choice(RISKS) if found and rng.random() < 0.2 else "",
                )
            )
            heads.append(head)
    linked, linked_met = _found_cases(clock)
    done.cases = len(linked)
    visits += linked
    heads += linked_met
    by_obj = {id(v): h for v, h in zip(visits, heads, strict=True)}
    visits.sort(key=lambda v: (v.visited_on, v.household_id))
    made = Visit.objects.bulk_create(visits, batch_size=2000)
    met = Visit.met.through
    met.objects.bulk_create(
        [met(visit_id=v.pk, resident_id=by_obj[id(v)]) for v in made if by_obj[id(v)]],
        batch_size=4000,
    )
    done.visits = len(made)
    if linked:
        audit_record(
            actor=None,
            action=VisitAuditAction.VISIT_TO_CASE,
            object_type="area",
            object_id=areas[planned[0]].county_id if planned else None,
            changes={"visits": len(linked)},
        )
    audit_record(
        actor=None,
        action=VisitAuditAction.VISIT_LOG,
        object_type="area",
        object_id=areas[planned[0]].county_id if planned else None,
        changes={"visits": len(made), "from": str(first), "to": str(today)},
    )
    return done


def _interval(family: Family, ancestry: dict[str, set[int]], rules: list[plans.Rule]) -> int:
    """The household's visit interval by the plan rules (as `visits.due` decides it)."""
    tags = {t for m in family.members for t in m.tags}
    decided = plans.interval_for(ancestors=ancestry[family.grid], tags=tags, rules=rules)
    return decided[0] if decided else 365


def _found_cases(clock: Clock) -> tuple[list[Visit], list[int | None]]:
    """The visits that found the year's cases of channel 入户走访 (played by the case history
    through the real intake and workflow): one per case with a household, by the person who
    registered the case, on its day, its need the case's description, linked both ways as
    `visit_to_case` links them (`Visit.case`, `case.visits`)."""
    registrar = dict(
        CaseEvent.objects.filter(case__channel=Channel.VISIT, from_state="")
        .order_by("case_id", "at", "id")
        .values_list("case_id", "actor_id")
    )
    heads = dict(
        Resident.objects.filter(relation=Relation.HEAD, household__isnull=False).values_list(
            "household_id", "pk"
        )
    )
    visits: list[Visit] = []
    met: list[int | None] = []
    cases = Case.objects.filter(channel=Channel.VISIT, household__isnull=False).select_related(
        "household__area"
    )
    for case in cases.order_by("id"):
        visitor = registrar.get(case.pk)
        day = timezone.localtime(case.created_at, SHANGHAI).date()
        hid = case.household_id
        if visitor is None or hid is None or case.household is None or day > clock.today:
            continue
        visits.append(
            Visit(
                household_id=hid,
                area_id=case.household.area_id,
                **path_of(case.household.area),
                visitor_id=visitor,
                visited_on=day,
                all_well=False,
                needs=case.description[:2000],
                case=case,
            )
        )
        met.append(heads.get(hid))
    return visits, met
