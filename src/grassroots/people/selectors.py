"""Reads of the registry, scoped to the actor (out of scope is NotFound, like missing).

Lists never decrypt: they show the masked copies. Exact search by ID number or phone goes through
the blind index; name, household number and address search is a substring match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.params import positive_id
from grassroots.core.roles import Perm
from grassroots.people.choices import ResidentStatus, TransferState
from grassroots.people.errors import PeopleErrorCode
from grassroots.people.models import Household, Resident, ResidentTag, Tag, TransferRequest
from grassroots.people.privacy import id_index, phone_index, tag_token


def households_visible(*, actor: User) -> QuerySet[Household]:
    return scope_for(actor).filter(Household.objects.all(), Perm.VIEW_PEOPLE, area="area__")


def residents_visible(*, actor: User) -> QuerySet[Resident]:
    return scope_for(actor).filter(Resident.objects.all(), Perm.VIEW_PEOPLE, area="area__")


def tags_visible(*, actor: User, area: Area | None = None) -> QuerySet[Tag]:
    """Tags the actor may see (vulnerable ones only with VIEW_VULNERABLE, over `area` if given)."""
    scope = scope_for(actor)
    if area is not None:
        allowed = scope.covers_area(Perm.VIEW_VULNERABLE, area)
    else:
        allowed = scope.has(Perm.VIEW_VULNERABLE)
    qs = Tag.objects.all()
    return qs if allowed else qs.filter(vulnerable=False)


def _tag_filter(actor: User, code: str) -> Q:
    tag = tags_visible(actor=actor).filter(code=code).first()
    if tag is None:
        raise DomainError(
            PeopleErrorCode.INVALID_FILTER, _("未知标签：%(t)s") % {"t": code}, field="tag"
        )
    # a vulnerable tag filters only where the actor may see vulnerability
    within = scope_for(actor).area_q(Perm.VIEW_VULNERABLE, "area__") if tag.vulnerable else Q()
    ids = ResidentTag.objects.filter(token=tag_token(code)).values("resident_id")
    return Q(pk__in=ids) & within


@dataclass
class ResidentFilters:
    """Filters of the resident list; every one optional."""

    within: str | int | None = None
    tag: str | None = None
    id_number: str | None = None
    phone: str | None = None
    q: str | None = None
    status: str | None = ResidentStatus.ACTIVE
    household: str | int | None = None


def resident_list(*, actor: User, filters: ResidentFilters | None = None) -> QuerySet[Resident]:
    """Residents in scope, by area subtree, tag, exact ID or phone (blind index), name, status."""
    f = filters or ResidentFilters()
    qs = residents_visible(actor=actor).select_related("household", "area")
    if f.within:
        qs = qs.filter(area_get(actor=actor, pk=f.within).subtree_q("area__"))
    if f.household:
        qs = qs.filter(household_id=positive_id("household", f.household))
    if f.status:
        if f.status not in ResidentStatus.values:
            message = _("状态无效：%(s)s") % {"s": f.status}
            raise DomainError(PeopleErrorCode.INVALID_FILTER, message, field="status")
        qs = qs.filter(status=f.status)
    if f.id_number:
        qs = qs.filter(id_number_index=id_index(f.id_number))
    if f.phone:
        qs = qs.filter(phone_index=phone_index(f.phone))
    if f.tag:
        qs = qs.filter(_tag_filter(actor, f.tag))
    if f.q:
        qs = qs.filter(name__contains=f.q.strip())
    return qs.order_by("area__code", "household__number", "id")


def resident_get(*, actor: User, pk: Any) -> Resident:
    qs = residents_visible(actor=actor).select_related("household", "area", "household__dwelling")
    return get_in_scope(qs, "resident", pk=positive_id("id", pk))


def resident_tags(*, actor: User, resident: Resident) -> list[Tag]:
    """The tags of `resident` that the actor may see."""
    tokens = set(ResidentTag.objects.filter(resident=resident).values_list("token", flat=True))
    return [t for t in tags_visible(actor=actor, area=resident.area) if tag_token(t.code) in tokens]


def household_list(
    *, actor: User, within: Any = None, q: str | None = None, tag: str | None = None
) -> QuerySet[Household]:
    """Households in scope, by area subtree, number or address substring, or a member's tag."""
    qs = households_visible(actor=actor).select_related("dwelling", "area", "head")
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q("area__"))
    if q:
        text = q.strip()
        qs = qs.filter(Q(number__contains=text) | Q(dwelling__address__contains=text))
    if tag:
        members = Resident.objects.filter(_tag_filter(actor, tag)).values("household_id")
        qs = qs.filter(pk__in=members)
    return qs.order_by("area__code", "number")


def household_get(*, actor: User, pk: Any) -> Household:
    qs = households_visible(actor=actor).select_related("dwelling", "area", "head")
    return get_in_scope(qs, "household", pk=positive_id("id", pk))


def household_members(*, household: Household) -> QuerySet[Resident]:
    return household.members.order_by("relation", "birth_date")


def transfers_visible(*, actor: User) -> QuerySet[TransferRequest]:
    """Transfer requests routed to the actor: those whose resident lives where the actor may edit
    people (the holder's side). Requesters are never shown their requests (see models_transfer)."""
    qs = TransferRequest.objects.select_related("resident", "household", "household__area")
    return scope_for(actor).filter(qs, Perm.EDIT_PEOPLE, area="resident__area__")


def transfer_list(*, actor: User, state: str | None = None) -> QuerySet[TransferRequest]:
    """The requests routed to the actor, newest first, optionally in one state."""
    qs = transfers_visible(actor=actor)
    if state:
        if state not in TransferState.values:
            message = _("状态无效：%(s)s") % {"s": state}
            raise DomainError(PeopleErrorCode.INVALID_FILTER, message, field="state")
        qs = qs.filter(state=state)
    return qs.order_by("-requested_at", "-id")


def transfer_get(*, actor: User, pk: Any) -> TransferRequest:
    return get_in_scope(
        transfers_visible(actor=actor), "transfer_request", pk=positive_id("id", pk)
    )
