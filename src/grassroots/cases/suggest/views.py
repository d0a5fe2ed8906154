"""The desk's suggestion panel: the top three matters for the description being typed.

htmx posts the description (never in a URL, so in no access log) a moment after the operator
stops typing; one click on a suggestion picks that matter in the form (`static/cases/suggest.js`),
exactly as picking it from the keyword search does. The operator may ignore them all.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.areas.scope import scope_for
from grassroots.cases.models import Matter
from grassroots.cases.suggest import service, store
from grassroots.cases.views import actor_of
from grassroots.core import params
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm

DESK_TOP = 3


@login_required
@require_POST
def desk_suggest(request: HttpRequest) -> HttpResponse:
    """htmx fragment: up to three suggested matters for the POSTed `description`."""
    actor = actor_of(request)
    scope = scope_for(actor)
    scope.require(Perm.CREATE_CASES)
    area = params.id_or_none(request.POST.get("area")) if scope.has(Perm.VIEW_AREAS) else None
    description = request.POST.get("description", "")
    try:
        found = service.suggest(actor=actor, description=description, area=area, top=DESK_TOP)
    except DomainError:  # an area gone out of scope meanwhile: suggest without it
        found = service.suggest(actor=actor, description=description, top=DESK_TOP)
    context = {"found": found, "typed": len(description.strip()) >= 2}
    return render(request, "cases/_suggestions.html", context)


IGNORED_DAYS = 30


@login_required
@require_GET
def suggest_status(request: HttpRequest) -> HttpResponse:
    """The model's page for administrators: which model answers (or that the keyword search
    does, and why), its training date and counts, its held-out accuracy, the matters it most
    often mistakes for one another, and how often the operators took or ignored it."""
    scope_for(actor_of(request)).require(Perm.MANAGE_AREAS)
    loaded = store.load()
    meta = loaded.model.meta if loaded.model is not None else {}
    evaluation = meta.get("evaluation", {})
    names = dict(Matter.objects.values_list("code", "name"))
    confused = [
        {"right": names.get(r, r), "wrong": names.get(w, w), "count": n}
        for r, w, n in evaluation.get("confused", [])
    ]
    since = timezone.now() - datetime.timedelta(days=IGNORED_DAYS)
    context = {
        "loaded": loaded,
        "meta": meta,
        "evaluation": evaluation,
        "confused": confused,
        "ignored": service.ignored_counts(since=since),
        "days": IGNORED_DAYS,
    }
    return render(request, "cases/suggest_status.html", context)
