"""Reads of disputes, scoped: the area subtrees of the actor's posts (SECURITY.md 7).

A grid worker sees its grid's disputes, a community its own, a township and the county their
subtrees; a dispute outside them is "not found", exactly like a missing one. The filter is one
test of the dispute's own `AreaPath` columns: no join, no DISTINCT.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.areas.scope import Scope, get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.errors import NotFound, invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.disputes.choices import OPEN_STATES, Kind, Level, Risk, State
from grassroots.disputes.models import Dispute, DisputeEvent, FollowUp, Mediation, Party
from grassroots.figures import registry
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Resident
from grassroots.people.selectors import residents_visible


def visibility_q(scope: Scope) -> Q:
    """Disputes in the scope's area subtrees (403 without VIEW_DISPUTES)."""
    scope.require(Perm.VIEW_DISPUTES)
    return scope.area_q(Perm.VIEW_DISPUTES)


def disputes_visible(*, actor: User) -> QuerySet[Dispute]:
    """Every dispute the actor may see, as a plain filter on the disputes table."""
    return Dispute.objects.filter(visibility_q(scope_for(actor)))


def overdue_follow_ups_q(today: datetime.date) -> Q:
    """Disputes with a follow-up visit due before `today` and not done."""
    late = FollowUp.objects.filter(done_on__isnull=True, due_on__lt=today).values("dispute_id")
    return Q(pk__in=late)


@dataclass
class DisputeFilters:
    """The list's filters; every figure is one of these (see `disputes.figures`).

    Date ranges are [from, to): `to` is exclusive.
    """

    state: str | None = None
    risk: str | None = None
    level: str | None = None
    kind: str | None = None
    open: bool | None = None
    within: int | None = None
    found_from: datetime.date | None = None
    found_to: datetime.date | None = None
    settled_from: datetime.date | None = None
    settled_to: datetime.date | None = None
    settled_level: str | None = None
    follow_up_overdue: bool | None = None
    # A registered dispute figure (`disputes.figures`): exactly the rows it counts, those of
    # [period_from, period_to) on its counter's date (no period for the "now" figures).
    figure: str | None = None
    period_from: datetime.date | None = None
    period_to: datetime.date | None = None

    def query(self) -> dict[str, str]:
        """The filters as list query parameters (what the list page and API read back)."""
        out = {}
        for name, value in self.__dict__.items():
            if value is None:
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            out[name] = str(value.isoformat() if isinstance(value, datetime.date) else value)
        return out


def _choice(field: str, value: str | None, allowed: list[str]) -> str | None:
    if value and value not in allowed:
        raise invalid_filter(field, value)
    return value or None


def dispute_list(*, actor: User, filters: DisputeFilters | None = None) -> QuerySet[Dispute]:
    """Disputes in scope, filtered, newest found first. `within` outside the scope is 404."""
    f = filters or DisputeFilters()
    qs = disputes_visible(actor=actor).select_related("area")
    if _choice("state", f.state, State.values):
        qs = qs.filter(state=f.state)
    if _choice("risk", f.risk, Risk.values):
        qs = qs.filter(risk=f.risk)
    if _choice("level", f.level, Level.values):
        qs = qs.filter(level=f.level)
    if _choice("kind", f.kind, Kind.values):
        qs = qs.filter(kind=f.kind)
    if f.open is not None:
        qs = qs.filter(state__in=OPEN_STATES) if f.open else qs.exclude(state__in=OPEN_STATES)
    if f.within is not None:
        qs = qs.filter(area_get(actor=actor, pk=f.within).subtree_q())
    if f.found_from is not None:
        qs = qs.filter(found_on__gte=f.found_from)
    if f.found_to is not None:
        qs = qs.filter(found_on__lt=f.found_to)
    if f.settled_from is not None:
        qs = qs.filter(settled_on__gte=f.settled_from)
    if f.settled_to is not None:
        qs = qs.filter(settled_on__lt=f.settled_to)
    if _choice("settled_level", f.settled_level, Level.values):
        qs = qs.filter(settled_level=f.settled_level)
    if f.follow_up_overdue is not None:
        late = overdue_follow_ups_q(timezone.localdate())
        qs = qs.filter(late) if f.follow_up_overdue else qs.exclude(late)
    if f.figure:
        qs = qs.filter(_figure_q(f))
    return qs.order_by("-found_on", "-id")


def _figure_q(f: DisputeFilters) -> Q:
    """The rows the registered dispute figure `f.figure` counts (400 naming `figure` when
    there is none), as of today, in the period when both ends are given."""
    fig = registry.figure(str(f.figure))
    if fig is None or fig.source != "disputes":
        raise invalid_filter("figure", f.figure)
    q = fig.q(timezone.now())
    if f.period_from is not None and f.period_to is not None:
        q &= fig.period_q(f.period_from, f.period_to)
    elif f.period_from is not None or f.period_to is not None:
        field = "period_to" if f.period_to is None else "period_from"
        raise invalid_filter(field, "")
    return q


def dispute_get(*, actor: User, pk: Any) -> Dispute:
    """One dispute the actor may see; NotFound when missing or out of scope."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise invalid_filter("id", pk) from None
    qs = disputes_visible(actor=actor).select_related("area", "case", "referred_case", "found_by")
    return get_in_scope(qs, "dispute", pk=key)


def dispute_parties(*, dispute: Dispute) -> QuerySet[Party]:
    """The parties with their registry rows (masked fields only are ever shown)."""
    return dispute.parties.select_related("resident").order_by("id")


def dispute_mediations(*, dispute: Dispute) -> QuerySet[Mediation]:
    return dispute.mediations.select_related("recorded_by").order_by("held_on", "id")


def dispute_follow_ups(*, dispute: Dispute) -> QuerySet[FollowUp]:
    return dispute.follow_ups.select_related("done_by").order_by("due_on", "id")


def dispute_events(*, dispute: Dispute) -> QuerySet[DisputeEvent]:
    return dispute.events.select_related("actor").order_by("id")


def agreement_get(*, actor: User, pk: Any) -> Mediation:
    """A session whose agreement scan the actor may download: its dispute in scope, else
    NotFound (also when the session has no scan)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFound("mediation") from None
    mediation = Mediation.objects.filter(pk=key).exclude(agreement_file="").first()
    if mediation is None:
        raise NotFound("mediation")
    dispute_get(actor=actor, pk=mediation.dispute_id)
    return mediation


# At most this many residents answer a party search; a longer name narrows it.
PARTY_SEARCH_LIMIT = 10


def party_candidates(*, actor: User, q: Any) -> list[Resident]:
    """Active residents of the registry the actor sees (VIEW_PEOPLE's subtrees) whose name
    contains `q` or whose household number is `q` (any case), for the screening form's party
    search: by grid, household and id, at most PARTY_SEARCH_LIMIT. 403 without HANDLE_DISPUTES;
    nothing for a blank `q`. The rows carry only the registry's masked ID and phone."""
    scope_for(actor).require(Perm.HANDLE_DISPUTES)
    text = str(q or "").strip()[:40]
    if not text:
        return []
    qs = (
        residents_visible(actor=actor)
        .filter(status=ResidentStatus.ACTIVE)
        .filter(Q(name__contains=text) | Q(household__number__iexact=text))
        .select_related("household", "area")
        .order_by("area__code", "household__number", "id")
    )
    return list(qs[:PARTY_SEARCH_LIMIT])
