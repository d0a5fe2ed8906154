"""Reads of cases, scoped: the areas of the actor's posts and the cases of their units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import Scope, get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import search
from grassroots.cases.choices import OPEN_STATES, Action, Channel, State
from grassroots.cases.models import Article, Case, CaseAssist, CaseEvent, Matter, Notification
from grassroots.core import params
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm


def visibility_q(scope: Scope) -> Q:
    """Cases the scope may see: in its area subtrees, owned or co-handled by its units, and —
    for county-wide posts — cases not yet placed in any area (the county desk's).

    The area part tests the case's own `AreaPath` columns (no join); co-handling is a
    subquery, so the filter never repeats a case and needs no DISTINCT.
    """
    scope.require(Perm.VIEW_CASES)
    q = scope.area_q(Perm.VIEW_CASES)
    units = scope.unit_ids(Perm.VIEW_CASES)
    if units:
        assisted = CaseAssist.objects.filter(unit_id__in=units).values("case_id")
        q |= Q(unit_id__in=units) | Q(pk__in=assisted)
    if scope.county_wide(Perm.VIEW_CASES):
        q |= Q(area__isnull=True)
    return q


def cases_visible(*, actor: User) -> QuerySet[Case]:
    """Every case the actor may see (each once), as a plain filter on the cases table."""
    return Case.objects.filter(visibility_q(scope_for(actor)))


@dataclass
class CaseFilters:
    state: str | None = None
    matter: str | None = None
    unit: str | int | None = None
    within: str | int | None = None
    overdue: bool | None = None
    supervised: bool | None = None
    q: str | None = None
    open: bool | None = None


class CountedApart(QuerySet[Case]):
    """A list whose count is read by another query of the same rows (`counted`), planned for
    counting where this one is planned for reading a page. Only this very queryset counts that
    way: a filtered or re-ordered copy is a plain queryset again."""

    counted: QuerySet[Case] | None = None

    def count(self) -> int:
        if self.counted is None or self._result_cache is not None or self.query.is_sliced:
            return super().count()
        return self.counted.count()


def case_list(
    *,
    actor: User,
    filters: CaseFilters | None = None,
    ordering: str = "due",
    paged: bool = False,
) -> QuerySet[Case]:
    """Cases in scope, filtered, ordered by resolution due time (soonest first) or newest first.

    `paged`: the caller counts the result and reads a page of it as it is (no further filter
    or order); a search may then count and read the page through different plans."""
    f = filters or CaseFilters()
    visible = visibility_q(scope_for(actor))
    found = search.Found(visible, visible)
    if f.q:  # an index finds candidates; LIKE decides
        found = search.text_search(visible, f.q.strip(), by_due=paged and ordering == "due")
    narrow = Q()
    if f.state:
        if f.state not in State.values:
            raise invalid_filter("state", f.state)
        narrow &= Q(state=f.state)
    if f.open:
        narrow &= Q(state__in=OPEN_STATES)
    if f.matter:
        narrow &= Q(matter__code=f.matter)
    if f.unit:
        narrow &= Q(unit_id=params.positive_id("unit", f.unit))
    if f.within:
        narrow &= area_get(actor=actor, pk=f.within).subtree_q()
    if f.overdue is not None:
        narrow &= Q(overdue=f.overdue)
    if f.supervised is not None:
        narrow &= Q(supervised=f.supervised)
    if ordering not in ("due", "-created"):
        raise invalid_filter("ordering", ordering)
    order = ("resolution_due", "id") if ordering == "due" else ("-created_at", "-id")
    qs = Case.objects.filter(found.page, narrow).select_related("matter", "area", "unit")
    qs = qs.order_by(*order)
    if found.page is found.rows:
        return qs
    listed = CountedApart(model=Case, query=qs.query, using=qs.db)
    listed.counted = Case.objects.filter(found.rows, narrow)
    return listed


def case_get(*, actor: User, pk: Any) -> Case:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise invalid_filter("id", pk) from None
    qs = cases_visible(actor=actor).select_related("matter", "area", "unit", "household")
    return get_in_scope(qs, "case", pk=key)


def case_events(*, case: Case) -> QuerySet[CaseEvent]:
    """The case's events, oldest first, with units and actors (for `actor_display`)."""
    return case.events.select_related("from_unit", "to_unit", "actor").order_by("id")


def matter_list(
    *, level: str | None = None, unit: Any = None, public: bool | None = None, q: str | None = None
) -> QuerySet[Matter]:
    """The active catalogue (not personal data: every signed-in user may read it)."""
    qs = Matter.objects.filter(active=True).select_related("unit")
    if level:
        qs = qs.filter(level=level)
    if unit:
        qs = qs.filter(unit_id=unit)
    if public is not None:
        qs = qs.filter(public=public)
    if q:
        text = q.strip().lower()
        qs = qs.filter(
            Q(name__contains=text)
            | Q(keywords__contains=text)
            | Q(pinyin__contains=text)
            | Q(code__iexact=text)
        )
    return qs.order_by("code")


PATROL_DAYS = 180
OWN_RECENT = 5


@dataclass
class PatrolMatters:
    """The patrol form's matters in the order a grid worker wants them, and which are theirs."""

    matters: list[Matter]
    recent: set[int]


def patrol_matters(*, actor: User, matters: QuerySet[Matter]) -> PatrolMatters:
    """`matters` ordered for patrol: the actor's own last reported ones (newest first), then those
    reported most often on patrol in the actor's county over the last `PATROL_DAYS` days, then
    the rest by code. Three queries, whatever the number of cases."""
    rows = list(matters)
    since = timezone.now() - datetime.timedelta(days=PATROL_DAYS)
    counties = Area.objects.filter(pk__in=scope_for(actor).area_ids(Perm.CREATE_CASES))
    counts = dict(
        Case.objects.filter(channel=Channel.PATROL, created_at__gte=since)
        .filter(county__in=counties.values("county_id"))
        .values_list("matter_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    mine = (
        CaseEvent.objects.filter(actor_id=actor.pk, action=Action.CREATE, at__gte=since)
        .order_by("-id")
        .values_list("case__matter_id", flat=True)[:50]
    )
    recent = list(dict.fromkeys(mine))[:OWN_RECENT]
    rank = {matter_id: i for i, matter_id in enumerate(recent)}
    rows.sort(key=lambda m: (rank.get(m.pk, len(rank)), -counts.get(m.pk, 0), m.code))
    return PatrolMatters(rows, set(recent))


DUPLICATE_DAYS = 3


def duplicate_candidates(*, actor: User, case: Case, days: int = DUPLICATE_DAYS) -> QuerySet[Case]:
    """Open cases the actor can see of the same matter in the same micro grid registered in the
    `days` before this one: offered for merging (the reporter may have called twice)."""
    if case.area_id is None:
        return Case.objects.none()
    since = case.created_at - datetime.timedelta(days=days)
    return (
        cases_visible(actor=actor)
        .filter(matter_id=case.matter_id, area_id=case.area_id, state__in=OPEN_STATES)
        .filter(created_at__gte=since, created_at__lte=case.created_at)
        .exclude(pk=case.pk)
        .order_by("created_at")
    )


def article_list(*, matter: str | None = None, q: str | None = None) -> QuerySet[Article]:
    """Knowledge-base articles of active matters: by title or pinyin initials, else by matter."""
    qs = Article.objects.filter(matter__active=True).select_related("matter")
    if q:
        text = q.strip()
        qs = qs.filter(Q(title__contains=text) | Q(pinyin__contains=text.lower()))
    elif matter:
        qs = qs.filter(matter__code=matter)
    else:
        qs = qs.none()
    return qs.order_by("matter__code", "id")


def article_get(*, pk: Any) -> Article | None:
    """One article (not personal data: every signed-in user may read the knowledge base)."""
    article_id = params.id_or_none(pk)
    return Article.objects.filter(pk=article_id).first() if article_id else None


def notifications_for(*, actor: User) -> QuerySet[Notification] | None:
    """The inbox of the actor's units, newest first; None when they belong to no unit."""
    units = scope_for(actor).unit_ids(Perm.VIEW_CASES)
    if not units:
        return None
    return (
        Notification.objects.filter(unit_id__in=units)
        .select_related("case", "unit")
        .order_by("-id")
    )
