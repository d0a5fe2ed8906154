"""Reads of pairings, plan rules and visits, scoped to the actor (out of scope is NotFound).

Pairings and visits carry the household grid's `AreaPath` columns, so the scope test is one
column test on their own table (`Scope.filter(..., area="")`), no join.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.errors import NotFound, invalid_filter
from grassroots.core.models import User
from grassroots.core.params import day, flag, positive_id, row_id
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.visits.choices import ProposalState
from grassroots.visits.models import Pairing, PlanRule, RegistryProposal, Visit, VisitPhoto
from grassroots.visits.services.rules import PLAN_LEVELS


def visits_visible(*, actor: User) -> QuerySet[Visit]:
    return scope_for(actor).filter(Visit.objects.all(), Perm.VIEW_PEOPLE, area="")


def pairings_visible(*, actor: User) -> QuerySet[Pairing]:
    return scope_for(actor).filter(Pairing.objects.all(), Perm.VIEW_PEOPLE, area="")


def visit_list(
    *,
    actor: User,
    within: Any = None,
    household: Any = None,
    visitor: Any = None,
    date_from: Any = None,
    date_to: Any = None,
    figure: Any = None,
) -> QuerySet[Visit]:
    """Visits in scope, newest first, by area subtree, household, visitor, date range (both
    ends included) and registered visit figure (`visits.figures`: exactly the visits it counts;
    one visit per household for households visited),
    each bad parameter a 400 naming it; an area out of scope NotFound."""
    qs = visits_visible(actor=actor).select_related(
        "household", "household__dwelling", "area", "visitor", "member", "case"
    )
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    if household:
        qs = qs.filter(household_id=positive_id("household", household))
    if visitor:
        qs = qs.filter(visitor_id=row_id("visitor", visitor))
    fig = None
    if figure:
        fig = registry.figure(str(figure))
        if fig is None or fig.source != "visits":
            raise invalid_filter("figure", figure)
        qs = qs.filter(fig.q(timezone.now()))
    start: datetime.date | None = day("from", date_from)
    end: datetime.date | None = day("to", date_to)
    if start:
        qs = qs.filter(visited_on__gte=start)
    if end:
        qs = qs.filter(visited_on__lte=end)
    if fig is not None and fig.distinct:
        # a distinct figure (households visited) counts each household once: its latest visit
        latest = qs.order_by().values(fig.distinct).annotate(last=Max("pk")).values("last")
        qs = qs.filter(pk__in=latest)
    return qs.order_by("-visited_on", "-id")


def visit_get(*, actor: User, pk: Any) -> Visit:
    qs = visits_visible(actor=actor).select_related(
        "household", "household__dwelling", "area", "visitor", "member", "case", "dispute"
    )
    return get_in_scope(qs, "visit", pk=positive_id("id", pk))


def pairing_list(
    *, actor: User, within: Any = None, active: Any = "1", household: Any = None
) -> QuerySet[Pairing]:
    """Pairings in scope (active ones unless `active` is false), by area subtree and household."""
    qs = pairings_visible(actor=actor).select_related(
        "household", "household__dwelling", "area", "member", "staff"
    )
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    if household:
        qs = qs.filter(household_id=positive_id("household", household))
    if flag("active", active) is not False:
        qs = qs.filter(ended_on__isnull=True)
    return qs.order_by("area__code", "household__number", "-primary", "id")


def pairing_get(*, actor: User, pk: Any) -> Pairing:
    qs = pairings_visible(actor=actor).select_related("household", "area", "member", "staff")
    return get_in_scope(qs, "pairing", pk=positive_id("id", pk))


def plan_rules(*, actor: User) -> QuerySet[PlanRule]:
    """The county-wide defaults and the rules of the areas in the actor's scope."""
    scope = scope_for(actor)
    scope.require(Perm.VIEW_PEOPLE)
    return PlanRule.objects.filter(
        Q(area__isnull=True) | scope.area_q(Perm.VIEW_PEOPLE, "area__")
    ).select_related("area")


def plan_rule_get(*, actor: User, pk: Any) -> PlanRule:
    return get_in_scope(plan_rules(actor=actor), "plan_rule", pk=positive_id("id", pk))


@dataclass(frozen=True)
class RuleInForce:
    """One rule that reaches an area: its own, or inherited from an ancestor or the county-wide
    default. `wins`: no deeper rule for the same tag reaches the area (so this one applies)."""

    rule: PlanRule
    wins: bool
    own: bool


def plan_area(*, actor: User, pk: Any = None) -> Area:
    """The area whose visit plan a page shows: `pk`, which must lie where the actor sees people
    (NotFound otherwise, as missing); by default the shallowest area over which the actor may
    set rules, else the first where they see people. Forbidden (403) without VIEW_PEOPLE."""
    scope = scope_for(actor)
    scope.require(Perm.VIEW_PEOPLE)
    if pk is not None:
        area = area_get(actor=actor, pk=pk)
        if not scope.covers_area(Perm.VIEW_PEOPLE, area):
            raise NotFound("area")
        return area
    roots = Area.objects.filter(pk__in=scope.area_ids(Perm.EDIT_PEOPLE), level__in=PLAN_LEVELS)
    found = roots.order_by("depth", "code").first()
    if found is None:
        ids = scope.area_ids(Perm.VIEW_PEOPLE)
        found = Area.objects.filter(pk__in=ids).order_by("depth", "code").first()
    if found is None:
        raise NotFound("area")
    return found


def plan_rules_in_force(*, area: Area) -> list[RuleInForce]:
    """The rules that reach `area` (the county-wide defaults and the rules of `area` and its
    ancestors), every-household rule first, then by tag, the winning rule of each tag first.
    Call with an area from `plan_area` (already in the actor's scope). One query."""
    reach = [*area.ancestor_ids(), area.pk]
    rows = list(
        PlanRule.objects.filter(Q(area__isnull=True) | Q(area_id__in=reach))
        .select_related("area")
        .order_by("tag", "pk")
    )
    rows.sort(key=lambda r: (r.tag, -(r.area.depth if r.area else 0)))
    seen: set[str] = set()
    out = []
    for rule in rows:
        out.append(RuleInForce(rule=rule, wins=rule.tag not in seen, own=rule.area_id == area.pk))
        seen.add(rule.tag)
    return out


def photo_get(*, actor: User, pk: Any) -> VisitPhoto:
    """A photo of a visit the actor may see; NotFound (404) for a missing one or one outside
    the actor's scope, exactly alike."""
    qs = VisitPhoto.objects.filter(visit__in=visits_visible(actor=actor))
    return get_in_scope(qs, "photo", pk=positive_id("id", pk))


def proposals_visible(*, actor: User) -> QuerySet[RegistryProposal]:
    """Registry proposals of the grids the actor may edit people in (the community decides)."""
    return scope_for(actor).filter(RegistryProposal.objects.all(), Perm.EDIT_PEOPLE, area="")


def proposal_list(
    *, actor: User, state: Any = "pending", within: Any = None
) -> QuerySet[RegistryProposal]:
    """Proposals in scope (pending unless `state` says otherwise; "all" for every state), by
    area subtree, newest first; a bad `state` is a 400 naming it."""
    qs = proposals_visible(actor=actor).select_related(
        "visit", "visit__household", "resident", "area", "proposed_by", "decided_by"
    )
    chosen = (state or "pending").strip()
    if chosen != "all":
        if chosen not in ProposalState.values:
            raise invalid_filter("state", chosen)
        qs = qs.filter(state=chosen)
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    return qs.order_by("-created_at", "-id")


def proposal_get(*, actor: User, pk: Any) -> RegistryProposal:
    qs = proposals_visible(actor=actor).select_related("visit", "resident", "area")
    return get_in_scope(qs, "registry_proposal", pk=positive_id("id", pk))
