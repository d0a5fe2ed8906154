"""Reads of the relocation app, each scoped to the actor (VIEW_PEOPLE over the household's
area): out of scope is NotFound, exactly like missing."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.core import params
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.relocation.choices import ItemState, OmissionKind
from grassroots.relocation.models import (
    Entitlement,
    EntitlementItem,
    ItemEvent,
    Omission,
    OmissionRun,
    RelocatedHousehold,
)


def _id(name: str, value: Any) -> int:
    return params.positive_id(name, value)


def relocated_visible(*, actor: User) -> QuerySet[RelocatedHousehold]:
    return scope_for(actor).filter(RelocatedHousehold.objects.all(), Perm.VIEW_PEOPLE, area="")


@dataclass
class Filters:
    """List filters (the API's query parameters); `figure` lists a registered figure's rows."""

    within: int | None = None
    batch: str | None = None
    state: str | None = None
    kind: str | None = None
    open: bool | None = None
    figure: str | None = None


def _within(qs: QuerySet[Any], actor: User, within: int | None) -> QuerySet[Any]:
    if within is None:
        return qs
    return qs.filter(area_get(actor=actor, pk=within).subtree_q())


def _figure(qs: QuerySet[Any], source: str, name: str | None) -> QuerySet[Any]:
    if not name:
        return qs
    fig = registry.figure(name)
    if fig is None or fig.source != source:
        raise invalid_filter("figure", name)
    return qs.filter(fig.q(timezone.now()))


def relocated_list(*, actor: User, filters: Filters | None = None) -> QuerySet[RelocatedHousehold]:
    """Relocated households in scope, by household number."""
    f = filters or Filters()
    qs = relocated_visible(actor=actor).select_related("household", "area", "origin_village")
    qs = _within(qs, actor, f.within)
    if f.batch:
        qs = qs.filter(batch=f.batch)
    qs = _figure(qs, "relocation_households", f.figure)
    return qs.order_by("household__number", "pk")


def relocated_get(*, actor: User, pk: Any) -> RelocatedHousehold:
    qs = relocated_visible(actor=actor).select_related(
        "household__dwelling", "area", "origin_village__parent", "helper__person"
    )
    return get_in_scope(qs, "relocated_household", pk=_id("id", pk))


def relocated_of_household(*, actor: User, household_id: int) -> RelocatedHousehold | None:
    return relocated_visible(actor=actor).filter(household_id=household_id).first()


def items_of(*, relocated: RelocatedHousehold) -> QuerySet[EntitlementItem]:
    return EntitlementItem.objects.filter(relocated=relocated).select_related(
        "entitlement",
        "member",
        "owner__person",
        "owner__post_type",
        "helper__person",
        "helper__post_type",
        "case",
        "area",
    )


def item_get(*, relocated: RelocatedHousehold, pk: Any) -> EntitlementItem:
    return get_in_scope(items_of(relocated=relocated), "entitlement_item", pk=_id("item", pk))


def item_events(*, item: EntitlementItem) -> QuerySet[ItemEvent]:
    return ItemEvent.objects.filter(item=item).order_by("at", "pk")


def item_list(*, actor: User, filters: Filters | None = None) -> QuerySet[EntitlementItem]:
    """Items in scope (the rows behind the item figures)."""
    f = filters or Filters()
    qs = scope_for(actor).filter(EntitlementItem.objects.all(), Perm.VIEW_PEOPLE, area="")
    qs = _within(qs, actor, f.within)
    if f.state:
        if f.state not in ItemState.values:
            raise invalid_filter("state", f.state)
        qs = qs.filter(state=f.state)
    qs = _figure(qs, "relocation_items", f.figure)
    return qs.select_related("entitlement", "relocated__household", "member", "case").order_by(
        "relocated__household__number", "entitlement__order", "member_key"
    )


def omission_list(*, actor: User, filters: Filters | None = None) -> QuerySet[Omission]:
    """Omissions in scope, open ones first (`open=True`: only those)."""
    f = filters or Filters()
    qs = scope_for(actor).filter(Omission.objects.all(), Perm.VIEW_PEOPLE, area="")
    qs = _within(qs, actor, f.within)
    if f.kind:
        if f.kind not in OmissionKind.values:
            raise invalid_filter("kind", f.kind)
        qs = qs.filter(kind=f.kind)
    if f.open is not None:
        qs = qs.filter(closed_on__isnull=f.open)
    qs = _figure(qs, "relocation_omissions", f.figure)
    return qs.select_related("relocated__household", "entitlement", "member").order_by(
        "closed_on", "-found_on", "pk"
    )


def omission_runs(limit: int = 10) -> list[OmissionRun]:
    return list(OmissionRun.objects.order_by("-at", "-pk")[:limit])


def entitlement_list() -> QuerySet[Entitlement]:
    return Entitlement.objects.order_by("order", "code")


@dataclass
class TownshipRow:
    township: Area
    households: int = 0
    items: int = 0
    fulfilled: int = 0
    in_progress: int = 0
    escalated: int = 0
    omissions: int = 0


def township_overview(*, actor: User) -> list[TownshipRow]:
    """Per township of the resettlement communities in scope: households, items, fulfilled,
    in progress, escalated, open omissions (four grouped queries)."""
    rows: dict[int, TownshipRow] = {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for t, n in relocated_visible(actor=actor).values_list("township").annotate(n=Count("pk")):
        counts[t]["households"] = n
    items = scope_for(actor).filter(EntitlementItem.objects.all(), Perm.VIEW_PEOPLE, area="")
    for t, n, done, moving, up in items.values_list("township").annotate(
        n=Count("pk", filter=~Q(state=ItemState.NOT_APPLICABLE)),
        done=Count("pk", filter=Q(state=ItemState.FULFILLED)),
        moving=Count("pk", filter=Q(state=ItemState.IN_PROGRESS)),
        up=Count("pk", filter=Q(escalated_on__isnull=False)),
    ):
        counts[t].update(items=n, fulfilled=done, in_progress=moving, escalated=up)
    omissions = omission_list(actor=actor, filters=Filters(open=True))
    for t, n in omissions.order_by().values_list("township").annotate(n=Count("pk")):
        counts[t]["omissions"] = n
    towns = Area.objects.in_bulk([t for t in counts if t is not None])
    for t, values in counts.items():
        if t in towns:
            rows[t] = TownshipRow(towns[t], **values)
    return sorted(rows.values(), key=lambda r: r.township.code)


def glance(items: list[EntitlementItem], today: datetime.date | None = None) -> dict[str, int]:
    """A household's items at a glance: owned, helped, moving, complete (of those that apply)."""
    live = [i for i in items if i.state != ItemState.NOT_APPLICABLE]
    return {
        "total": len(live),
        "owned": sum(1 for i in live if i.owner_id),
        "helped": sum(1 for i in live if i.helper_id),
        "moving": sum(1 for i in live if i.state == ItemState.IN_PROGRESS),
        "complete": sum(1 for i in live if i.state == ItemState.FULFILLED),
    }
