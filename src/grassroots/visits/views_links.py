"""Pages around a visit: the dispute form's context and parties, the visit's photos (served to
viewers of the visit only), and the community's list of registry proposals with accept / reject.
Views parse, authorise through selectors and call the services; none saves a model."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.disputes.choices import Kind, PartyRole, Risk
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Resident
from grassroots.visits import selectors, services
from grassroots.visits.choices import ProposalState
from grassroots.visits.models import Visit

SHOWN = frozenset({400, 409, 422})
PAGE_SIZE = 50


def dispute_form_context(visit: Visit) -> dict[str, Any]:
    """What the "登记为矛盾纠纷" form on a visit's page shows: the household's members as
    parties (those met ticked as applicants), the kinds, risks and roles, the summary prefilled."""
    met = {r.pk for r in visit.met.all()}
    members = Resident.objects.filter(
        household_id=visit.household_id, status=ResidentStatus.ACTIVE
    ).order_by("relation", "birth_date", "pk")
    return {
        "may_dispute": True,
        "dispute_members": [(m, PartyRole.APPLICANT if m.pk in met else "") for m in members],
        "dispute_kinds": Kind.choices,
        "dispute_risks": Risk.choices,
        "party_roles": PartyRole.choices,
        "dispute_summary": "\n".join(t for t in (visit.risks, visit.needs, visit.opinions) if t),
    }


def parties_from(data: Any, visit: Visit) -> tuple[services.PartyIn, ...]:
    """The parties ticked on the dispute form: `party_<resident id>` = a role for members of the
    visited household (others are ignored), and one outsider (`outsider_name`, `_role`,
    `_phone`) when named."""
    parties = []
    members = Resident.objects.filter(household_id=visit.household_id).values_list("pk", flat=True)
    for pk in members:
        role = str(data.get(f"party_{pk}") or "").strip()
        if role:
            parties.append(services.PartyIn(role=role, resident=pk))
    name = str(data.get("outsider_name") or "").strip()
    if name:
        parties.append(
            services.PartyIn(
                role=str(data.get("outsider_role") or PartyRole.RESPONDENT),
                name=name,
                phone=str(data.get("outsider_phone") or ""),
            )
        )
    return tuple(parties)


@login_required
@require_GET
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    """One photo of a visit, for viewers of the visit (404 otherwise, as missing). Shown inline:
    the bytes are the re-encoded image, never the upload; not cached."""
    photo = selectors.photo_get(actor=actor_of(request), pk=pk)
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def proposal_page(request: HttpRequest) -> HttpResponse:
    """The registry proposals of the grids the viewer edits (pending first by default)."""
    actor = actor_of(request)
    state = request.GET.get("state") or ProposalState.PENDING
    within = params.row_id("within", request.GET.get("within"))
    qs = selectors.proposal_list(actor=actor, state=state, within=within)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": [("all", _("全部")), *ProposalState.choices],
        "query": f"state={state}&" + (f"within={within}&" if within else ""),
    }
    return render(request, "visits/proposals.html", context)


@login_required
@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `decision` = accept | reject (with `reason`): applied through the people services."""
    actor = actor_of(request)
    proposal = selectors.proposal_get(actor=actor, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "reject"):
        messages.error(request, _("请选择采纳或不采纳"))
        return redirect("visits:proposals")
    try:
        services.proposal_decide(
            actor=actor,
            proposal=proposal,
            accept=decision == "accept",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        messages.error(request, str(exc.message))
    else:
        done = _("已采纳，登记信息已更新") if decision == "accept" else _("已标记为不采纳")
        messages.success(request, done)
    return redirect("visits:proposals")
