"""The queue (我的待办) and every case list: filters, presets (overdue, supervised), an area.

Without filters `/cases/` is the viewer's own queue, built from their roles: a handler's open
cases (dispatched first, then accepted), a desk's cases waiting to be dispatched, the resolved
cases waiting for a review or a site check, a supervisor's supervised and overdue cases, a grid
worker's own open reports. Any filter turns it into a list over everything the viewer may see.

`figure=<name>` lists exactly the cases a registered figure counts (`grassroots.figures`): its
definition, with time-dependent conditions as of the figure's cut-off (the refresh mark), so
each dashboard or 三率 figure equals the length of the list behind its link. `at=<area>` lists
the cases placed on that area itself (the "本级" row of a dashboard).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import models as m
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.areas.scope import Scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.cases import metrics, places, selectors
from grassroots.cases.choices import OPEN_STATES, Action, Closure, Satisfaction, State
from grassroots.cases.models import Case, CaseEvent, Notification
from grassroots.cases.views import actor_of, page_of, query_of, shown
from grassroots.core.errors import DomainError, invalid_filter
from grassroots.core.models import User
from grassroots.core.params import flag, row_id
from grassroots.core.roles import Perm
from grassroots.figures import live, registry

FILTERS = ("state", "matter", "overdue", "supervised", "q", "within", "unit", "open")
EXTRA = ("from", "to", "closure", "satisfaction", "late", "figure", "at")
PRESETS = {
    "overdue": {"overdue": "1"},
    "supervised": {"supervised": "1", "open": "1"},
}
INBOX_SIZE = 10
_NONE = Q(pk__in=[])
# Queue order: what needs a first move, then work in hand, then what waits for others.
_RANK = m.Case(
    m.When(state=State.DISPATCHED, then=m.Value(0)),
    m.When(state=State.RECEIVED, then=m.Value(1)),
    m.When(state=State.ACCEPTED, then=m.Value(2)),
    m.When(state=State.RESOLVED, then=m.Value(3)),
    default=m.Value(4),
    output_field=m.IntegerField(),
)


def _unplaced(scope: Scope, perm: str) -> Q:
    """Cases with no area that a county-wide `perm` covers (the county desk's)."""
    return Q(area__isnull=True) if scope.county_wide(perm) else _NONE


def queue_q(actor: User, scope: Scope) -> Q:
    """The cases that wait for the viewer, by role (applied on top of the scoped list)."""
    q = _NONE
    handled = scope.unit_ids(Perm.HANDLE_CASES)
    if handled:
        q |= Q(unit_id__in=handled, state__in=(State.DISPATCHED, State.ACCEPTED))
    if scope.has(Perm.DISPATCH_CASES):
        desks = scope.unit_ids(Perm.DISPATCH_CASES)
        own_desk = Q(unit_id__in=desks) if desks else _NONE
        unrouted = Q(unit__isnull=True) & (
            scope.area_q(Perm.DISPATCH_CASES) | _unplaced(scope, Perm.DISPATCH_CASES)
        )
        # a case the viewer's unit returned has left their hands (workflow._desk_scope)
        returned = Q(returned_by_id__in=desks) if desks else _NONE
        q |= Q(state=State.RECEIVED) & (own_desk | unrouted) & ~returned
    if scope.has(Perm.REVIEW_CASES):
        reviewable = scope.area_q(Perm.REVIEW_CASES) | _unplaced(scope, Perm.REVIEW_CASES)
        q |= Q(state=State.RESOLVED) & reviewable
    if scope.has(Perm.VERIFY_CASES):
        q |= Q(state=State.RESOLVED, needs_site_check=True, site_checked=False) & scope.area_q(
            Perm.VERIFY_CASES
        )
    if scope.has(Perm.SUPERVISE_CASES):
        q |= Q(state__in=OPEN_STATES) & (Q(supervised=True) | Q(overdue=True))
    if scope.has(Perm.CREATE_CASES) and not handled and not scope.has(Perm.DISPATCH_CASES):
        mine = CaseEvent.objects.filter(action=Action.CREATE, actor_id=actor.pk).values("case_id")
        q |= Q(pk__in=mine, state__in=OPEN_STATES)
    return q


def figure_of(name: str) -> registry.Figure:
    """The registered case figure `name` (400 invalid_filter when there is none)."""
    fig = registry.figure(name)
    if fig is None or fig.source != "cases":
        raise invalid_filter("figure", name)
    return fig


def _extra(qs: QuerySet[Case], params: dict[str, str], actor: User) -> QuerySet[Case]:
    """The filters behind the figures: registration period, a registered figure (as of its
    cut-off), the area itself, closure, satisfaction, late."""
    if params.get("figure"):
        qs = qs.filter(figure_of(params["figure"]).q(live.clock()))
    at = row_id("at", params.get("at"))
    if at is not None:
        qs = qs.filter(area_id=area_get(actor=actor, pk=at).pk)
    if params.get("from") or params.get("to"):
        begin, end = metrics.period(params.get("from"), params.get("to"))
        qs = qs.filter(created_at__gte=begin, created_at__lt=end)
    if params.get("closure"):
        if params["closure"] not in Closure.values:
            raise invalid_filter("closure", params["closure"])
        qs = qs.filter(closure=params["closure"])
    if params.get("satisfaction"):
        if params["satisfaction"] not in Satisfaction.values:
            raise invalid_filter("satisfaction", params["satisfaction"])
        qs = qs.filter(satisfaction=params["satisfaction"])
    if flag("late", params.get("late")):
        late = Q(state=State.DISPATCHED, accepted_at__isnull=True, response_due__lt=timezone.now())
        qs = qs.filter(Q(responded_on_time=False) | late)
    return qs


def _cases(actor: User, params: dict[str, str], mine: bool) -> QuerySet[Case]:
    overdue = flag("overdue", params.get("overdue"))
    filters = selectors.CaseFilters(
        state=params.get("state") or None,
        matter=params.get("matter") or None,
        unit=row_id("unit", params.get("unit")),
        within=row_id("within", params.get("within")),
        overdue=overdue,
        supervised=flag("supervised", params.get("supervised")),
        q=params.get("q") or None,
        # "overdue" means overdue now: still open, unless a state is asked for
        open=flag("open", params.get("open"))
        or (overdue is True and not params.get("state"))
        or None,
    )
    qs = _extra(selectors.case_list(actor=actor, filters=filters), params, actor)
    due = F("resolution_due").asc(nulls_last=True)
    if mine:
        return qs.filter(queue_q(actor, scope_for(actor))).order_by(_RANK, due, "id")
    return qs.order_by(due, "id")


def _inbox(actor: Any) -> list[Notification] | None:
    """The newest notifications of the viewer's units; None when they belong to no unit."""
    rows = selectors.notifications_for(actor=actor)
    return None if rows is None else list(rows[:INBOX_SIZE])


@login_required
@require_GET
def case_queue(request: HttpRequest, preset: str | None = None) -> HttpResponse:
    """My queue, or a filtered list; 50 a page, soonest due first, with the unit's inbox."""
    actor = actor_of(request)
    scope = scope_for(actor)
    scope.require(Perm.VIEW_CASES)
    params = {k: request.GET.get(k, "").strip() for k in (*FILTERS, *EXTRA)}
    params.update(PRESETS.get(preset or "", {}))
    mine = preset is None and not any(params.values()) and not request.GET.get("all")
    error = ""
    status = 200
    figure = None
    try:
        figure = figure_of(params["figure"]) if params["figure"] else None
        page = page_of(request, _cases(actor, params, mine))
        page.object_list = places.with_paths(page.object_list)  # one query for the page
        area = area_get(actor=actor, pk=params["within"]) if params["within"] else None
    except DomainError as exc:
        if not shown(exc):
            raise
        error, status = str(exc.message), exc.status
        page, area = page_of(request, Case.objects.none()), None
    own = {k: v for k, v in params.items() if v and k not in PRESETS.get(preset or "", {})}
    if request.GET.get("all"):
        own["all"] = "1"
    context: dict[str, Any] = {
        "page_obj": page,
        "mine": mine,
        "preset": preset or ("mine" if mine else "all"),
        "params": params,
        "area": area,
        "error": error,
        "query": query_of(own),
        "states": State.choices,
        "matters": selectors.matter_list(),
        "inbox": _inbox(actor) if mine else None,
        "now": timezone.now(),
        "figure": figure,
        "asof": live.asof_of(live.mark_at()) if figure else None,
        "can_report": scope.has(Perm.CREATE_CASES),
        "can_desk": scope.has(Perm.DISPATCH_CASES),
    }
    return render(request, "cases/queue.html", context, status=status)
