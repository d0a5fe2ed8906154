"""Pages of disputes: the list (filters: risk, state, level, and each figure's), the dispute page
with sessions and follow-ups, the phone-sized screening and mediation forms, the figures.

Views parse, authorise (through selectors, which apply the viewer's scope) and call the services
and the workflow; none saves a model. A refusal the viewer can correct (400, 409) is shown on the
page; a missing or out-of-scope dispute is 404 and a missing right 403 (the DomainError
middleware renders them).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.disputes import figures, selectors, services, workflow
from grassroots.disputes.api import filters_of
from grassroots.disputes.choices import (
    Action,
    FoundVia,
    Kind,
    Level,
    MediatorKind,
    Outcome,
    PartyRole,
    Risk,
    State,
)
from grassroots.disputes.effects import Session
from grassroots.disputes.forms import (
    ACCEPT,
    MEDIATOR_ROWS,
    ActionForm,
    MediationForm,
    ScreenForm,
)
from grassroots.disputes.views_parties import party_rows, search_context
from grassroots.figures import registry

PAGE_SIZE = 50
SHOWN = frozenset({400, 409})
# The levels at which a dispute may be placed (grids below the micro grid are not used).
PLACES = ("county", "township", "community", "village", "grid3")


def _shown(exc: DomainError) -> bool:
    return exc.status in SHOWN


@login_required
@require_GET
def dispute_list(request: HttpRequest) -> HttpResponse:
    """Disputes in scope, filtered; the filters of a figure's link give exactly its rows."""
    actor = actor_of(request)
    filters = filters_of(request.GET)
    qs = selectors.dispute_list(actor=actor, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = filters.query()
    context = {
        "page_obj": page,
        "count": page.paginator.count,
        "query": urlencode(kept) + "&" if kept else "",
        "chosen": kept,
        "risks": Risk.choices,
        "states": State.choices,
        "levels": Level.choices,
        "may_screen": scope_for(actor).has(Perm.HANDLE_DISPUTES),
        "figure": registry.figure(filters.figure) if filters.figure else None,
    }
    return render(request, "disputes/list.html", context)


def _page_context(actor: User, dispute: Any) -> dict[str, Any]:
    return {
        "dispute": dispute,
        "parties": selectors.dispute_parties(dispute=dispute),
        "mediations": selectors.dispute_mediations(dispute=dispute),
        "follow_ups": selectors.dispute_follow_ups(dispute=dispute),
        "events": selectors.dispute_events(dispute=dispute),
        "actions": workflow.allowed_actions(actor, dispute),
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def dispute_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, pk=pk)
    return render(request, "disputes/dispute.html", _page_context(actor, dispute))


def _places(actor: User) -> list[Area]:
    """The areas the actor may place a dispute in, by code (their own posts' areas first)."""
    scope = scope_for(actor)
    q = scope.area_q(Perm.HANDLE_DISPUTES)
    own = set(scope.area_ids(Perm.HANDLE_DISPUTES))
    rows = list(Area.objects.filter(q, level__in=PLACES).defer("polygon").order_by("code")[:500])
    return sorted(rows, key=lambda a: (a.pk not in own, a.code))


@login_required
@require_http_methods(["GET", "POST"])
def dispute_screen(request: HttpRequest) -> HttpResponse:
    """GET the screening form (``?resident=<id>&row=<n>`` prefills a registry party, ``?q=``
    searches the registry for one: `views_parties`); POST records it."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.HANDLE_DISPUTES)
    form = ScreenForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        error, status = _("请检查填写的内容"), 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                dispute = services.dispute_screen(
                    actor=actor,
                    screening=services.Screening(
                        area=data["area"],
                        kind=data["kind"],
                        summary=data["summary"],
                        found_via=data["found_via"],
                        found_on=data["found_on"],
                        parties=tuple(services.PartyIn(**p) for p in form.parties()),
                        risk=data["risk"],
                        case=data.get("case"),
                        source_ref=data["source_ref"],
                    ),
                )
            except DomainError as exc:
                if not _shown(exc):
                    raise
                field = str(exc.detail.get("field", ""))
                if field in form.fields:
                    form.add_error(field, str(exc.message))
                error = str(exc.message)
            else:
                messages.success(request, _("已登记，编号 %(n)s") % {"n": dispute.number})
                return redirect("disputes:dispute", pk=dispute.pk)
    places = _places(actor)
    context = {
        "form": form,
        "error": error,
        "places": places,
        "place": str(form.data.get("area") or (places[0].pk if places else "")),
        "kinds": Kind.choices,
        "sources": FoundVia.choices,
        "risks": Risk.choices,
        "roles": PartyRole.choices,
        # each party row with its registry resident: picked without script (`?resident=&row=`)
        # or sent back with a refused form; and the registry search's results (`?q=`)
        "party_rows": party_rows(actor, request),
        **search_context(actor, request.GET.get("q")),
    }
    return render(request, "disputes/screen.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def dispute_mediate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET the mediation form; POST records the session (settled ones need the agreement)."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, pk=pk)
    form = MediationForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        error, status = _("请检查填写的内容"), 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mediation_record(
                    dispute_id=dispute.pk,
                    actor=actor,
                    session=Session(
                        held_on=data["held_on"],
                        mediators=form.mediators(),
                        outcome=data["outcome"],
                        agreement_text=data["agreement_text"],
                        agreement_file=data["agreement_file"],
                        notes=data["notes"],
                    ),
                )
            except DomainError as exc:
                if not _shown(exc):
                    raise
                field = str(exc.detail.get("field", ""))
                if field in form.fields:
                    form.add_error(field, str(exc.message))
                error, status = str(exc.message), exc.status
            else:
                messages.success(request, _("调解记录已保存"))
                return redirect("disputes:dispute", pk=dispute.pk)
    context = {
        "dispute": dispute,
        "form": form,
        "error": error,
        "outcomes": Outcome.choices,
        "kinds": MediatorKind.choices,
        "rows": range(MEDIATOR_ROWS),
        "accept": ACCEPT,
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "disputes/mediate.html", context, status=status)


@login_required
@require_POST
def dispute_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Escalate, refer, close or record a follow-up; a refusal is shown on the dispute page."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, pk=pk)
    form = ActionForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] in workflow.EFFECTS:
        data = form.cleaned_data
        try:
            workflow.dispute_apply(
                dispute_id=dispute.pk,
                action=data["action"],
                actor=actor,
                note=data["note"],
                matter=data["matter"],
                follow_up=data["follow_up"],
                done_on=data["done_on"],
                notes=data["notes"],
            )
        except DomainError as exc:
            if not _shown(exc):
                raise
            context = _page_context(actor, dispute)
            context["error"] = str(exc.message)
            return render(request, "disputes/dispute.html", context, status=exc.status)
        messages.success(request, _("已保存：%(a)s") % {"a": Action(data["action"]).label})
        return redirect("disputes:dispute", pk=dispute.pk)
    context = _page_context(actor, dispute)
    context["error"] = _("请检查填写的内容")
    return render(request, "disputes/dispute.html", context, status=400)


@login_required
@require_GET
def agreement_download(request: HttpRequest, pk: int) -> FileResponse:
    """The agreement scan of a session, for viewers of its dispute; always a download."""
    mediation = selectors.agreement_get(actor=actor_of(request), pk=pk)
    response = FileResponse(
        mediation.agreement_file.open("rb"),
        as_attachment=True,
        filename=mediation.agreement_name or "agreement",
        content_type=mediation.agreement_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def dispute_figures(request: HttpRequest) -> HttpResponse:
    """The figures over the viewer's scope for a period (default: this year), each a link."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.VIEW_DISPUTES)
    start, end = figures.default_period(timezone.localdate())
    start = params.day("from", request.GET.get("from")) or start
    end = params.day("to", request.GET.get("to")) or end
    within = params.row_id("within", request.GET.get("within"))
    rows = figures.dispute_figures(actor=actor, start=start, end=end, within=within)
    return render(request, "disputes/figures.html", {"figures": rows, "start": start, "end": end})
