"""Reads of the community app, scoped to the actor (out of scope is NotFound).

A community's page and its API read the community through `community_get` (VIEW_AREAS over it);
rows naming residents (pupils, participants) are listed only with VIEW_PEOPLE. The compliance
facts are gathered in a fixed number of queries, whatever the community's size.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from grassroots.areas.choices import Level
from grassroots.areas.models import Area, Post
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.cases.choices import OPEN_STATES
from grassroots.cases.models import Case
from grassroots.community import compliance
from grassroots.community.models import (
    Activity,
    Facility,
    LiaisonIssue,
    LiaisonVisit,
    Standard,
    Station,
    TeamMember,
)
from grassroots.community.services.base import COMMUNITY_LEVELS
from grassroots.core.errors import NotFound, invalid_filter
from grassroots.core.models import User
from grassroots.core.params import positive_id
from grassroots.core.roles import Perm
from grassroots.figures import counts, registry
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Household, Resident
from grassroots.visits.models import Visit

# The figures a community's page shows, in order; the activity reach over the last year.
PAGE_FIGURES = (
    "service_centre_area", "enrolled_pupils", "medical_staff", "activity_participations",
    "class630_households", "class630_pupils", "liaison_visits", "liaison_issues",
    "liaison_issues_closed",
)  # fmt: skip
# Figures of a period (activities); the liaison station's are counted since it opened.
PERIOD_FIGURES = frozenset({"activity_participations", "class630_households", "class630_pupils"})
REACH_DAYS = 365


def community_get(*, actor: User, pk: Any) -> Area:
    """The community (or village) `pk`, if the actor sees areas over it; else NotFound."""
    qs = scope_for(actor).filter(
        Area.objects.filter(level__in=COMMUNITY_LEVELS), Perm.VIEW_AREAS, area=""
    )
    return get_in_scope(qs, "community", pk=positive_id("id", pk))


def rows_area_get(*, actor: User, pk: Any) -> Area:
    """The area a figure's rows are listed over: a community or village, or a township or
    county above them (the scorecard's figures), if the actor sees areas over it; else
    NotFound."""
    levels = (*COMMUNITY_LEVELS, Level.TOWNSHIP, Level.COUNTY)
    qs = scope_for(actor).filter(Area.objects.filter(level__in=levels), Perm.VIEW_AREAS, area="")
    return get_in_scope(qs, "community", pk=positive_id("id", pk))


def community_list(*, actor: User) -> QuerySet[Area]:
    """The communities and villages the actor sees areas over, by township and code."""
    qs = scope_for(actor).filter(
        Area.objects.filter(level__in=COMMUNITY_LEVELS), Perm.VIEW_AREAS, area=""
    )
    return qs.select_related("township").order_by("township__code", "level", "code")


def standard_of(county_id: int | None) -> Standard | None:
    return (
        Standard.objects.filter(county_id=county_id)
        .prefetch_related("posts__post_type", "facilities", "services")
        .first()
    )


def standard_get(*, actor: User, pk: Any) -> Area:
    """The county `pk` whose standard the actor may read: staff anywhere in the county (every
    community in it is measured against it); else NotFound."""
    scope = scope_for(actor)
    scope.require(Perm.VIEW_AREAS)
    county = Area.objects.filter(pk=positive_id("id", pk), level=Level.COUNTY).first()
    mine = Area.objects.filter(scope.area_q(Perm.VIEW_AREAS), county_id=getattr(county, "pk", 0))
    if county is None or not mine.exists():
        raise NotFound("county")
    return county


def rules_of(standard: Standard) -> compliance.Rules:
    return compliance.Rules(
        posts={
            line.post_type.code: (line.post_type.name, line.count) for line in standard.posts.all()
        },
        facilities={line.kind: line.min_area_sqm for line in standard.facilities.all()},
        services=tuple(line.kind for line in standard.services.all()),
        grids_staffed=standard.grids_staffed,
    )


def _active_posts(today: datetime.date) -> QuerySet[Post]:
    return Post.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )


def community_facts(community: Area, today: datetime.date | None = None) -> compliance.Facts:
    """What the platform holds for `community` (five queries): posts held at it by type,
    the largest area of each facility kind, active team kinds, grids without an active post
    (a micro grid: without a grid worker), and post types held in it without a duty list."""
    today = today or timezone.localdate()
    posts = _active_posts(today)
    held = dict(
        posts.filter(area=community)
        .values_list("post_type__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    facilities = dict(
        Facility.objects.filter(area=community)
        .values_list("kind")
        .annotate(a=Max("area_sqm"))
        .order_by()
    )
    team = TeamMember.objects.filter(area=community, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today)
    )
    services = frozenset(team.values_list("kind", flat=True))
    inside = posts.filter(community.subtree_q("area__"))
    staffed = set(inside.filter(area__level=Level.GRID1).values_list("area_id", flat=True))
    staffed |= set(
        inside.filter(area__level=Level.GRID3, post_type__role="grid_worker").values_list(
            "area_id", flat=True
        )
    )
    grids = Area.objects.filter(
        community.subtree_q(), level__in=(Level.GRID1, Level.GRID3)
    ).order_by("code")
    unstaffed = tuple(g.name for g in grids.only("pk", "name") if g.pk not in staffed)
    no_duties = tuple(
        inside.filter(post_type__duties__isnull=True)
        .values_list("post_type__name", flat=True)
        .order_by("post_type__name")
        .distinct()
    )
    return compliance.Facts(
        posts=held,
        facilities=facilities,
        services=services,
        unstaffed_grids=unstaffed,
        no_duties=no_duties,
    )


def community_compliance(community: Area) -> compliance.Checklist | None:
    """The community's checklist against its county's standard (None: no standard set)."""
    standard = standard_of(community.county_id)
    if standard is None:
        return None
    return compliance.checklist(rules_of(standard), community_facts(community))


def reach_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The activity reach's period: the last REACH_DAYS days up to today, [start, end)."""
    end = (today or timezone.localdate()) + datetime.timedelta(days=1)
    return end - datetime.timedelta(days=REACH_DAYS), end


def rows_link(name: str, community: Area, start: datetime.date, end: datetime.date) -> str:
    query: dict[str, Any] = {"figure": name, "within": community.pk}
    if name in PERIOD_FIGURES:
        query |= {"from": start.isoformat(), "to": end.isoformat()}
    return reverse("community:rows") + "?" + urlencode(query)


def community_figures(community: Area) -> dict[str, dict[str, Any]]:
    """The page's registered figures over the community: {"label", "value", "link"} by name
    (`figures.counts`: a fixed number of queries)."""
    start, end = reach_period()
    figs = [f for f in (registry.figure(n) for n in PAGE_FIGURES) if f is not None]
    period = [f for f in figs if f.name in PERIOD_FIGURES]
    always = [f for f in figs if f.name not in PERIOD_FIGURES]
    values = counts.figure_counts(period, area=community, start=start, end=end)
    values |= counts.figure_counts(always, area=community)
    return {
        f.name: {
            "label": f.label,
            "value": values[f.name],
            "link": rows_link(f.name, community, start, end),
        }
        for f in figs
    }


@dataclass(frozen=True)
class CommunityPage:
    community: Area
    households: int
    residents: int
    figures: dict[str, dict[str, Any]]
    checklist: compliance.Checklist | None
    facilities: Sequence[Facility]
    team: list[TeamMember]
    activities: Sequence[Activity]
    stations: list[Station]
    open_cases: int
    visits: int


def community_page(*, actor: User, community: Area) -> CommunityPage:
    """Everything the community's page shows, each count a registered figure or a row count
    with its own list."""
    today = timezone.localdate()
    month = today.replace(day=1)
    facilities = list(
        Facility.objects.filter(area=community)
        .annotate(
            pupils=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True),
            staff_count=Count("staff", filter=Q(staff__ended_on__isnull=True), distinct=True),
            room_count=Count("rooms", distinct=True),
        )
        .order_by("kind", "id")
    )
    activities = list(
        Activity.objects.filter(area=community, held_on__gte=month, held_on__lte=today)
        .annotate(reached=Count("participants__household", distinct=True))
        .order_by("-held_on", "-id")[:20]
    )
    return CommunityPage(
        community=community,
        households=Household.objects.filter(community.subtree_q("area__")).count(),
        residents=Resident.objects.filter(
            community.subtree_q("area__"), status=ResidentStatus.ACTIVE
        ).count(),
        figures=community_figures(community),
        checklist=community_compliance(community),
        facilities=facilities,
        team=list(
            TeamMember.objects.filter(area=community, ended_on__isnull=True).select_related("unit")
        ),
        activities=activities,
        stations=list(Station.objects.filter(area=community)),
        open_cases=Case.objects.filter(community.subtree_q(), state__in=OPEN_STATES).count(),
        visits=Visit.objects.filter(community.subtree_q(), visited_on__gte=month).count(),
    )


# --- lists behind the figures and the API ---------------------------------------------------


def figure_rows(
    *, actor: User, figure: Any, within: Any, date_from: Any = None, date_to: Any = None
) -> tuple[registry.Figure, Area, QuerySet[Any]]:
    """The rows a community figure counts over the community `within` (and [from, to) for a
    period figure): exactly its filter (`Figure.q`); a distinct figure keeps one row per value.
    Rows naming residents need VIEW_PEOPLE."""
    from grassroots.core.params import day

    fig = registry.figure(str(figure or ""))
    if fig is None or not fig.source.startswith("community_") or fig.is_rate:
        raise invalid_filter("figure", figure)
    community = rows_area_get(actor=actor, pk=within)
    if fig.source in ("community_enrolments", "community_participants"):
        scope_for(actor).require_area(Perm.VIEW_PEOPLE, community, "community")
    if fig.source == "community_liaison_issues":  # the issue is the case's own words
        scope_for(actor).require_area(Perm.VIEW_CASES, community, "community")
    src = registry.count_source(fig.source)
    qs = src.rows().filter(fig.q(timezone.now()), community.subtree_q())
    start, end = day("from", date_from), day("to", date_to)
    if start and end and not fig.current:
        qs = qs.filter(fig.period_q(start, end))
    if fig.distinct:
        latest = qs.order_by().values(fig.distinct).annotate(last=Max("pk")).values("last")
        qs = src.rows().filter(pk__in=latest)
    if fig.source == "community_compliance":  # by community, in the standard's order
        return fig, community, qs.order_by("area__code", "position")
    return fig, community, qs.order_by("-pk")


def facilities_of(community: Area) -> QuerySet[Facility]:
    return (
        Facility.objects.filter(area=community)
        .prefetch_related("rooms")
        .annotate(
            pupils=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True),
            staff_count=Count("staff", filter=Q(staff__ended_on__isnull=True), distinct=True),
        )
        .order_by("kind", "id")
    )


def facility_get(*, community: Area, pk: Any) -> Facility:
    qs = Facility.objects.filter(area=community).select_related("area")
    return get_in_scope(qs, "facility", pk=positive_id("facility", pk))


def activities_of(community: Area) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(area=community)
        .annotate(
            households=Count("participants__household", distinct=True),
            pupils=Count("participants", filter=Q(participants__pupil=True)),
        )
        .order_by("-held_on", "-id")
    )


def team_of(community: Area) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(area=community).select_related("unit").order_by("kind", "id")


def stations_of(community: Area) -> QuerySet[Station]:
    return Station.objects.filter(area=community).order_by("id")


def station_get(*, community: Area, pk: Any) -> Station:
    qs = Station.objects.filter(area=community).select_related("area")
    return get_in_scope(qs, "station", pk=positive_id("station", pk))


def liaison_visits_of(community: Area) -> QuerySet[LiaisonVisit]:
    return (
        LiaisonVisit.objects.filter(area=community)
        .select_related("station")
        .annotate(issue_count=Count("issues"))
        .order_by("-visited_on", "-id")
    )


def liaison_visit_get(*, community: Area, pk: Any) -> LiaisonVisit:
    qs = LiaisonVisit.objects.filter(area=community).select_related("area", "station")
    return get_in_scope(qs, "liaison_visit", pk=positive_id("visit", pk))


def liaison_issues_of(*, actor: User, community: Area) -> QuerySet[LiaisonIssue]:
    """The issues collected in the community, for those who see its cases (VIEW_CASES)."""
    scope_for(actor).require_area(Perm.VIEW_CASES, community, "community")
    return (
        LiaisonIssue.objects.filter(area=community)
        .select_related("case", "visit")
        .order_by("-collected_on", "-id")
    )
