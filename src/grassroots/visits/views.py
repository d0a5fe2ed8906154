"""Pages of visits: the worker's due list, the phone visit form, the visit log (the list behind
the `visits` figure), one visit (need → case), and the pairings of a grid. Views parse,
authorise through selectors and call the services; none saves a model. A refusal the worker can
correct (400, 409, 422) is shown on the page."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.areas.scope import scope_for
from grassroots.cases.selectors import matter_list
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm
from grassroots.fieldwork import outbox
from grassroots.fieldwork.pages import offline_page
from grassroots.figures import registry
from grassroots.people.choices import Relation, ResidentStatus
from grassroots.people.models import Resident
from grassroots.visits import due, selectors, services
from grassroots.visits.api import ProposalInSerializer, due_from
from grassroots.visits.choices import ProposalKind
from grassroots.visits.services import photos
from grassroots.visits.services.base import household_for
from grassroots.visits.views_links import dispute_form_context, parties_from

SHOWN = frozenset({400, 409, 422})
PAGE_SIZE = 50


class VisitForm(forms.Form):
    # The household comes from the URL; "信息有变化" rows are parsed by hand (`proposals_from`).
    subject = "people.Household"  # docs/forms-inventory.md
    subject_from = "url (?household=)"
    writes = "visits.Visit"
    fills = {
        "change_<id>": "visits.RegistryProposal.kind",
        "phone_<id>": "visits.RegistryProposal.phone",
    }
    reasons = {"phone_<id>": ProposalInSerializer.reasons["phone"]}

    visited_on = forms.DateField(label=gettext_lazy("走访日期"))
    met = forms.TypedMultipleChoiceField(label=gettext_lazy("见到的人"), coerce=int, required=False)
    needs = forms.CharField(label=gettext_lazy("需求"), required=False, max_length=2000)
    risks = forms.CharField(label=gettext_lazy("风险隐患"), required=False, max_length=2000)
    opinions = forms.CharField(label=gettext_lazy("意见建议"), required=False, max_length=2000)
    all_well = forms.BooleanField(required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    idem = forms.CharField(max_length=100)

    def __init__(self, *args: Any, members: list[Resident], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met"].choices = [(m.pk, m.name) for m in members]  # type: ignore[attr-defined]


def proposals_from(data: Any, members: list[Resident]) -> tuple[services.ProposalIn, ...]:
    """The "信息有变化" part of the visit form: per member `change_<id>` ("", "phone",
    "moved_out") and `phone_<id>`; only members of the household are read."""
    out = []
    for m in members:
        kind = str(data.get(f"change_{m.pk}") or "").strip()
        if kind:
            phone = str(data.get(f"phone_{m.pk}") or "")
            out.append(services.ProposalIn(resident=m.pk, kind=kind, phone=phone))
    return tuple(out)


def _query(values: dict[str, Any]) -> str:
    """The non-empty `values` as a query string ending in "&" (for the pager)."""
    kept = {k: v for k, v in values.items() if v not in (None, "")}
    return urlencode(kept) + "&" if kept else ""


@login_required
@offline_page
@require_GET
def due_page(request: HttpRequest) -> HttpResponse:
    """The worker's due and overdue households (overdue first; nearest first with a position),
    each one tap from its visit form; counts per grid and per paired person."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.VIEW_PEOPLE)
    rows = due_from(request, actor)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "total": len(rows),
        "overdue": sum(r.overdue for r in rows),
        "by_grid": due.due_summary(rows=rows, by="grid")[:20],
        "by_person": due.due_summary(rows=rows, by="person")[:20],
        "only_overdue": params.flag("overdue", request.GET.get("overdue")) or False,
        "mine": params.flag("mine", request.GET.get("mine")) or False,
        "may_log": scope_for(actor).has(Perm.EDIT_PEOPLE),
        "query": _query({k: v for k, v in request.GET.items() if k != "page"}),
    }
    return render(request, "visits/due.html", context)


@login_required
@offline_page
@require_http_methods(["GET", "POST"])
def visit_form(request: HttpRequest) -> HttpResponse:
    """The phone form for one household (from the due list): members from the registry, the
    head ticked as met; "一切正常" saves at once, "保存记录" saves what was found.

    Kept on the phone for working offline (`fieldwork`): a visit typed without a signal waits in
    the outbox and is sent later with its own `Idempotency-Key`, answered in JSON."""
    actor = actor_of(request)
    household = household_for(actor, request.GET.get("household") or request.POST.get("household"))
    members = sorted(
        Resident.objects.filter(household=household, status=ResidentStatus.ACTIVE),
        key=lambda r: (r.relation != Relation.HEAD, r.birth_date, r.pk),
    )
    form = VisitForm(request.POST or None, members=members)
    proposals = proposals_from(request.POST, members) if request.method == "POST" else ()
    error, status = "", 200
    if request.method == "POST":
        error, status = _("请检查填写的内容"), 400
        if form.is_valid():
            d = form.cleaned_data
            data = services.VisitInput(
                household=household.pk,
                visited_on=d["visited_on"],
                met=tuple(d["met"]),
                all_well=d["all_well"],
                needs=d["needs"],
                risks=d["risks"],
                opinions=d["opinions"],
                lat=d["lat"],
                lon=d["lon"],
                proposals=proposals,
            )
            try:
                visit, created = services.visit_log(
                    actor=actor,
                    data=data,
                    idempotency_key=outbox.idempotency_key(request) or d["idem"],
                    photos=request.FILES.getlist("photos"),
                )
            except DomainError as exc:
                if outbox.wants_json(request):
                    return outbox.refused(exc)
                if exc.status not in SHOWN:
                    raise
                field = exc.detail.get("field", "")
                if exc.status == 400 and field in form.fields:
                    form.add_error(field, str(exc.message))
                error, status = str(exc.message), exc.status
            else:
                text = _("已记录 %(n)s 的走访") if created else _("这次走访已记录过（%(n)s）")
                messages.success(request, text % {"n": household.number})
                # an all-well visit goes back to the due list; one with findings to its page
                url = reverse(
                    "visits:due" if visit.all_well else "visits:visit",
                    args=[] if visit.all_well else [visit.pk],
                )
                if outbox.wants_json(request):
                    return outbox.saved(created=created, url=url, number=household.number)
                return redirect(url)
    if request.method == "POST" and outbox.wants_json(request):
        return outbox.refused(fields=form.errors)
    head = household.head_id
    context = {
        "household": household,
        "members": members,
        "form": form,
        "error": error,
        "met": [i for i in map(params.id_or_none, request.POST.getlist("met")) if i]
        if form.is_bound
        else [head],
        "today": timezone.localdate(),
        "visited_on": form.data.get("visited_on") if form.is_bound else timezone.localdate(),
        "last": selectors.visit_list(actor=actor, household=household.pk)[:3],
        "idem": (form.data.get("idem") if form.is_bound else "") or uuid.uuid4().hex,
        "changes": bool(proposals),
        "change_rows": [
            (m, next((p for p in proposals if p.resident == m.pk), None)) for m in members
        ],
        "change_kinds": ProposalKind.choices,
        "accept_photos": photos.ACCEPT,
    }
    return render(request, "visits/form.html", context, status=status)


@login_required
@require_GET
def visit_log_page(request: HttpRequest) -> HttpResponse:
    """Visits in scope, newest first: by area (`within`), date range (`from`, `to`, both
    included) and registered figure (`figure=visits`: exactly the visits the figure counts)."""
    actor = actor_of(request)
    get = request.GET
    name = get.get("figure") or ""
    rows = selectors.visit_list(
        actor=actor,
        within=params.row_id("within", get.get("within")),
        date_from=get.get("from"),
        date_to=get.get("to"),
        figure=name,
    )
    page = Paginator(rows, PAGE_SIZE).get_page(get.get("page"))
    context = {
        "page_obj": page,
        "count": page.paginator.count,
        "figure": registry.figure(name) if name else None,
        "query": _query({k: v for k, v in get.items() if k != "page"}),
    }
    return render(request, "visits/log.html", context)


@login_required
@require_GET
def visit_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: who, when, what was found; a found need becomes a case in one action."""
    actor = actor_of(request)
    visit = selectors.visit_get(actor=actor, pk=pk)
    return render(request, "visits/visit.html", _visit_context(actor, visit))


def _visit_context(actor: Any, visit: Any, error: str = "") -> dict[str, Any]:
    scope = scope_for(actor)
    may_dispute = (
        visit.dispute_id is None
        and not visit.all_well
        and scope.covers_area(Perm.HANDLE_DISPUTES, visit.area)
    )
    return {
        "visit": visit,
        "met": list(visit.met.all()),
        "error": error,
        "may_case": scope.has(Perm.CREATE_CASES) and visit.case_id is None,
        "matters": matter_list().order_by("category", "code") if visit.case_id is None else [],
        "photos": list(visit.photos.all()),
        "proposals": list(visit.proposals.select_related("resident")),
        **(dispute_form_context(visit) if may_dispute else {"may_dispute": False}),
    }


@login_required
@require_POST
def visit_case(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: the visit's need becomes a case (channel 入户走访); then the case page."""
    actor = actor_of(request)
    visit = selectors.visit_get(actor=actor, pk=pk)
    try:
        visit, case = services.visit_to_case(
            actor=actor,
            visit=visit,
            matter=request.POST.get("matter", ""),
            description=request.POST.get("description", ""),
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        context = _visit_context(actor, visit, str(exc.message))
        return render(request, "visits/visit.html", context, status=exc.status)
    messages.success(request, _("已转为诉求，编号 %(n)s") % {"n": case.number})
    return redirect("cases:case", pk=case.pk)


@login_required
@require_POST
def visit_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: what the visit found becomes a dispute (found via 入户走访, the household's members
    as parties); then the dispute's page. A second attempt is shown as 409."""
    actor = actor_of(request)
    visit = selectors.visit_get(actor=actor, pk=pk)
    try:
        visit, dispute = services.visit_to_dispute(
            actor=actor,
            visit=visit,
            kind=request.POST.get("kind", ""),
            summary=request.POST.get("summary", ""),
            risk=request.POST.get("risk", ""),
            parties=parties_from(request.POST, visit),
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        visit = selectors.visit_get(actor=actor, pk=pk)
        context = _visit_context(actor, visit, str(exc.message))
        return render(request, "visits/visit.html", context, status=exc.status)
    messages.success(request, _("已登记为矛盾纠纷，编号 %(n)s") % {"n": dispute.number})
    return redirect("disputes:dispute", pk=dispute.pk)


@login_required
@require_GET
def pairing_page(request: HttpRequest) -> HttpResponse:
    """The active pairings in scope (or of one area's subtree), by grid and household."""
    actor = actor_of(request)
    within = params.row_id("within", request.GET.get("within"))
    qs = selectors.pairing_list(actor=actor, within=within)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query({"within": within})
    return render(request, "visits/pairings.html", {"page": page, "query": query})
