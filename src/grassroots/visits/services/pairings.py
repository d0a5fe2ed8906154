"""Pairings of party members and staff with households: create, end, bulk by grid, re-pair.

Each service checks EDIT_PEOPLE over the household's grid (out of scope is NotFound), locks
what it changes, writes in one transaction and records an audit row. "At most one active primary
pairing per household" is checked under the household's row lock (a clear 409) and held by a
partial unique constraint besides.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.areas.models import Area, path_of
from grassroots.areas.scope import scope_for
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Household, Resident
from grassroots.visits import plans
from grassroots.visits.auditlog import VisitAuditAction
from grassroots.visits.choices import PARTY_POLITICS, EndReason
from grassroots.visits.errors import VisitConflict, VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.models import Pairing
from grassroots.visits.services.base import audit, require_area

MAX_CAP = 200


def _already_paired() -> VisitConflict:
    return VisitConflict(
        E.ALREADY_PAIRED, _("这一户已有主要结对人，请先结束原结对"), field="household"
    )


def _member(actor: User | None, member: Resident) -> Resident:
    require_area(actor, Perm.VIEW_PEOPLE, member.area, "member")
    if member.status != ResidentStatus.ACTIVE or member.politics not in PARTY_POLITICS:
        raise VisitError(E.INVALID_VALUE, _("结对党员须是在册的中共党员或预备党员"), field="member")
    return member


def pairing_create(
    *,
    actor: User | None,
    household: Household,
    member: Resident | None = None,
    staff: User | None = None,
    primary: bool = True,
    started_on: datetime.date | None = None,
) -> Pairing:
    """Pair `household` with a party member (`member`) or a staff account (`staff`), exactly one.

    Guarantees: the actor may edit people in the household's grid (else NotFound); a member is an
    active party or probationary member the actor can see; a staff account is active; the start
    is not in the future; a second active primary pairing is refused with 409 `already_paired`.
    """
    require_area(actor, Perm.EDIT_PEOPLE, household.area, "household")
    if (member is None) == (staff is None):
        raise VisitError(E.REQUIRED, _("请指定结对党员或结对干部（二选一）"), field="member")
    if member is not None:
        _member(actor, member)
    if staff is not None and not staff.is_active:
        raise VisitError(E.INVALID_VALUE, _("结对干部的账号已停用"), field="staff")
    if staff is not None and not scope_for(staff).covers_area(Perm.VIEW_PEOPLE, household.area):
        raise VisitError(E.INVALID_VALUE, _("结对干部须在这一户所在的区域任职"), field="staff")
    today = timezone.localdate()
    start = started_on or today
    if start > today:
        raise VisitError(E.INVALID_VALUE, _("结对日期不能晚于今天"), field="started_on")
    try:
        with transaction.atomic():
            locked = Household.objects.select_for_update().get(pk=household.pk)
            if primary and _active_primary(locked.pk).exists():
                raise _already_paired()
            pairing = Pairing.objects.create(
                household=locked,
                area_id=locked.area_id,
                **path_of(household.area),
                member=member,
                staff=staff,
                primary=primary,
                started_on=start,
            )
            audit(
                actor,
                VisitAuditAction.PAIRING_CREATE,
                "pairing",
                pairing.pk,
                {"household": locked.pk, "member": getattr(member, "pk", None),
                 "staff": getattr(staff, "pk", None), "primary": primary},
            )  # fmt: skip
    except IntegrityError:
        raise _already_paired() from None
    return pairing


def _active_primary(household_id: int) -> QuerySet[Pairing]:
    return Pairing.objects.filter(household_id=household_id, primary=True, ended_on__isnull=True)


def pairing_end(
    *,
    actor: User | None,
    pairing: Pairing,
    reason: str,
    ended_on: datetime.date | None = None,
) -> Pairing:
    """End an active pairing. Refuses an unknown reason (400, field `reason`), a date in the
    future or before the start (field `ended_on`), a pairing already ended (409)."""
    require_area(actor, Perm.EDIT_PEOPLE, pairing.area, "pairing")
    if reason not in EndReason.values:
        raise VisitError(
            E.INVALID_VALUE, _("结束原因无效：%(r)s") % {"r": str(reason)[:20]}, field="reason"
        )
    day = ended_on or timezone.localdate()
    with transaction.atomic():
        locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
        if locked.ended_on is not None:
            raise VisitConflict(E.PAIRING_ENDED, _("该结对已经结束"), field="pairing")
        if day > timezone.localdate() or day < locked.started_on:
            raise VisitError(E.INVALID_VALUE, _("结束日期须在结对日期与今天之间"), field="ended_on")
        locked.ended_on, locked.end_reason = day, reason
        locked.save(update_fields=["ended_on", "end_reason"])
        audit(
            actor,
            VisitAuditAction.PAIRING_END,
            "pairing",
            locked.pk,
            {"household": locked.household_id, "reason": reason},
        )
    return locked


def _cap(cap: int) -> int:
    if not isinstance(cap, int) or not 1 <= cap <= MAX_CAP:
        raise VisitError(
            E.INVALID_VALUE,
            _("每人最多联系户数须在 1 到 %(m)s 之间") % {"m": MAX_CAP},
            field="cap",
        )
    return cap


def _loads(member_ids: list[int]) -> dict[int, int]:
    counts = Counter(
        Pairing.objects.filter(member_id__in=member_ids, ended_on__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    return {m: counts.get(m, 0) for m in member_ids}


def _assign(actor: User | None, assignment: dict[int, int], start: datetime.date) -> list[Pairing]:
    households = {
        h.pk: h
        for h in Household.objects.select_for_update()
        .select_related("area")
        .filter(pk__in=list(assignment))
    }
    if _active_primary_any(list(assignment)):
        raise _already_paired()
    return [
        Pairing.objects.create(
            household_id=hid,
            area_id=households[hid].area_id,
            **path_of(households[hid].area),
            member_id=mid,
            primary=True,
            started_on=start,
        )
        for hid, mid in assignment.items()
    ]


def _active_primary_any(household_ids: list[int]) -> bool:
    return Pairing.objects.filter(
        household_id__in=household_ids, primary=True, ended_on__isnull=True
    ).exists()


def _unpaired(area: Area) -> list[int]:
    paired = Pairing.objects.filter(primary=True, ended_on__isnull=True).values("household_id")
    return list(
        Household.objects.filter(area__in=Area.objects.filter(area.subtree_q()))
        .exclude(pk__in=paired)
        .order_by("number")
        .values_list("pk", flat=True)
    )


def party_members_in(area: Area) -> list[Resident]:
    """The active party and probationary members registered in `area`'s subtree."""
    return list(
        Resident.objects.filter(
            area__in=Area.objects.filter(area.subtree_q()),
            status=ResidentStatus.ACTIVE,
            politics__in=PARTY_POLITICS,
        )
        .select_related("area")
        .order_by("id")
    )


def pairing_bulk(
    *,
    actor: User | None,
    area: Area,
    cap: int,
    members: list[Resident] | None = None,
    started_on: datetime.date | None = None,
) -> list[Pairing]:
    """Pair every household of `area`'s subtree that has no active primary pairing with one of
    `members` (default: the party members registered there), balanced: each goes to the member
    holding fewest households, nobody over `cap` (counting what they already hold).

    All or nothing: when the free places cannot take every unpaired household, nothing is
    written and a 400 `over_capacity` says how many households and places there are.
    """
    require_area(actor, Perm.EDIT_PEOPLE, area, "area")
    _cap(cap)
    chosen = party_members_in(area) if members is None else [_member(actor, m) for m in members]
    if not chosen:
        raise VisitError(E.REQUIRED, _("该区域没有可结对的党员"), field="members")
    start = started_on or timezone.localdate()
    try:
        with transaction.atomic():
            households = _unpaired(area)
            loads = _loads([m.pk for m in chosen])
            assignment = plans.balanced(households=households, loads=loads, cap=cap)
            if assignment is None:
                free = sum(max(cap - v, 0) for v in loads.values())
                raise VisitError(
                    E.OVER_CAPACITY,
                    _("未结对 %(h)s 户，%(m)s 名党员按每人最多 %(c)s 户只能再联系 %(f)s 户")
                    % {"h": len(households), "m": len(chosen), "c": cap, "f": free},
                    field="cap",
                    households=len(households),
                    free=free,
                )
            made = _assign(actor, assignment, start)
            audit(
                actor,
                VisitAuditAction.PAIRING_BULK,
                "area",
                area.pk,
                {"households": len(made), "cap": cap},
            )
    except IntegrityError:
        raise _already_paired() from None
    return made


def pairing_repair(
    *,
    actor: User | None,
    member: Resident,
    cap: int,
    reason: str = EndReason.MEMBER_LEFT,
) -> tuple[list[Pairing], list[int]]:
    """A member leaves: end each of their active pairings and give each household to another
    party member of the same community (balanced, under `cap`). Returns the new pairings and the
    ids of the households left without one (no free place); nothing half-done on error."""
    _cap(cap)
    active = list(
        Pairing.objects.select_related("area", "household").filter(
            member=member, ended_on__isnull=True
        )
    )
    for p in active:
        require_area(actor, Perm.EDIT_PEOPLE, p.area, "pairing")
    if not active:
        raise NotFound("pairing")
    made: list[Pairing] = []
    left: list[int] = []
    with transaction.atomic():
        for p in active:
            pairing_end(actor=actor, pairing=p, reason=reason)
        by_community: dict[int | None, list[Pairing]] = {}
        for p in active:
            if p.primary:
                by_community.setdefault(p.community, []).append(p)
        for community_id, group in by_community.items():
            root = Area.objects.filter(pk=community_id).first() if community_id else None
            others = [
                r
                for r in (party_members_in(root) if root else [])
                if r.pk != member.pk
                and (actor is None or scope_for(actor).covers_area(Perm.VIEW_PEOPLE, r.area))
            ]
            loads = _loads([r.pk for r in others])
            households = [p.household_id for p in group]
            free = sum(max(cap - v, 0) for v in loads.values())
            placed = households[:free]
            left += households[free:]
            assignment = plans.balanced(households=placed, loads=loads, cap=cap) or {}
            made += _assign(actor, assignment, timezone.localdate())
        audit(
            actor,
            VisitAuditAction.PAIRING_REPAIR,
            "resident",
            member.pk,
            {"households": len(made), "cap": cap, "reason": reason},
        )
    return made, left
