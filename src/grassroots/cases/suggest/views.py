"""The desk's suggestion panel: the top three matters for the description being typed.

htmx posts the description (never in a URL, so in no access log) a moment after the operator
stops typing; one click on a suggestion picks that matter in the form (`static/cases/suggest.js`),
exactly as picking it from the keyword search does. The operator may ignore them all.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from grassroots.areas.scope import scope_for
from grassroots.cases.suggest import service
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
