"""The grid worker's patrol report (巡查上报): phone-sized, a few taps.

The grid defaults to the worker's own micro grid (from their post); the position comes from the
phone (static/cases/patrol.js fills the hidden lat/lon); photos are checked and re-encoded while
the form validates and stored on the case's "create" event. Channel: patrol.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.areas.choices import Level
from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_list
from grassroots.cases import attachments, selectors, services
from grassroots.cases.choices import Channel
from grassroots.cases.forms import ACCEPT, PatrolForm, attribute_answers
from grassroots.cases.views import actor_of, shown
from grassroots.cases.views.desk import patrol_q, questions_of, reused
from grassroots.core.errors import DomainError
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.fieldwork import outbox
from grassroots.fieldwork.pages import offline_page


def _grids(actor: User) -> tuple[list[Any], int | None]:
    """The micro grids the actor may report in, and their own post's grid (the default)."""
    scope = scope_for(actor)
    if not scope.has(Perm.VIEW_AREAS):
        return [], None
    grids = list(area_list(actor=actor, level=Level.GRID3).select_related("township", "community"))
    own = set(scope.area_ids(Perm.CREATE_CASES))
    default = next((g.pk for g in grids if g.pk in own), None)
    return grids, default


def _intake(form: PatrolForm) -> services.Intake:
    data = form.cleaned_data
    return services.Intake(
        matter=data["matter"],
        channel=Channel.PATROL,
        description=data["description"],
        area=data.get("area"),
        lat=data.get("lat"),
        lon=data.get("lon"),
        address=data["address"],
        attributes=attribute_answers(form.data) or None,
    )


@login_required
@offline_page
@require_http_methods(["GET", "POST"])
def patrol_report(request: HttpRequest) -> HttpResponse:
    """GET the form; POST registers the report (once per form key) and shows the new case.

    The offline outbox posts the same form with its own `Idempotency-Key` header (it wins over
    the form key) and asks for JSON: 201 created, 200 replayed, 400/422 refused.
    """
    actor = actor_of(request)
    scope_for(actor).require(Perm.CREATE_CASES)
    grids, default = _grids(actor)
    form = PatrolForm(request.POST or None, request.FILES or None)
    error, status = "", 200
    if request.method == "POST":
        error, status = _("请检查填写的内容"), 400
        if form.is_valid():
            try:
                case, created = attachments.case_intake_with_files(
                    actor=actor,
                    intake=_intake(form),
                    idempotency_key=outbox.idempotency_key(request) or form.cleaned_data["idem"],
                    files=form.cleaned_data["photos"],
                )
            except DomainError as exc:
                if not shown(exc):
                    raise
                if outbox.wants_json(request):
                    return outbox.refused(exc)
                field = exc.detail.get("field", "")
                if exc.status == 400 and field in form.fields:
                    form.add_error(field, str(exc.message))
                error, status = str(reused(exc).message), exc.status
            else:
                text = _("已上报，编号 %(n)s") if created else _("已上报过，编号 %(n)s")
                messages.success(request, text % {"n": case.number})
                if outbox.wants_json(request):
                    url = reverse("cases:case", args=[case.pk])
                    return outbox.saved(created=created, url=url, number=case.number)
                return redirect("cases:case", pk=case.pk)
        elif outbox.wants_json(request):
            return outbox.refused(fields=form.errors)
    chosen = form.data.get("matter", "") if form.is_bound else ""
    context = {
        "form": form,
        "error": error,
        "grids": grids,
        "grid": str((form.data.get("area") if form.is_bound else "") or default or ""),
        "patrol": selectors.patrol_matters(
            actor=actor, matters=selectors.matter_list().filter(patrol_q())
        ),
        "chosen": chosen,
        "questions": questions_of(
            selectors.matter_list().filter(code=chosen).first() if chosen else None, form.data
        ),
        "accept": ACCEPT,
        "idem": (form.data.get("idem") if form.is_bound else "") or uuid.uuid4().hex,
    }
    return render(request, "cases/report.html", context, status=status)
