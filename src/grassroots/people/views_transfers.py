"""The holder's page of transfer requests (转入申请): list those routed here, accept or decline.

Reads through `people.selectors.transfer_list` (requests whose resident lives where the viewer may
edit people) and writes through `services.transfer_decide`, exactly as the API does.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grassroots.areas.scope import scope_for
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm
from grassroots.people import selectors, services
from grassroots.people.choices import TransferState
from grassroots.people.errors import PeopleError, PeopleErrorCode


@login_required
@require_http_methods(["GET", "POST"])
def transfer_requests(request: HttpRequest) -> HttpResponse:
    """Pending requests first, then the last answered ones; a POST answers one and comes back."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.EDIT_PEOPLE)
    error = None
    if request.method == "POST":
        transfer = selectors.transfer_get(actor=actor, pk=request.POST.get("transfer"))
        decision = request.POST.get("decision", "")
        try:
            if decision not in ("accept", "decline"):
                raise PeopleError(
                    PeopleErrorCode.INVALID_CHOICE, _("请选择同意或不同意"), field="decision"
                )
            services.transfer_decide(
                actor=actor,
                transfer=transfer,
                accept=decision == "accept",
                note=request.POST.get("note", ""),
            )
            return redirect("people:transfers")
        except DomainError as exc:
            if exc.status not in (400, 409):
                raise
            error = exc.message
    rows = selectors.transfer_list(actor=actor)
    context = {
        "pending": list(rows.filter(state=TransferState.PENDING)[:100]),
        "answered": list(rows.exclude(state=TransferState.PENDING)[:20]),
        "error": error,
    }
    return render(request, "people/transfers.html", context, status=400 if error else 200)
