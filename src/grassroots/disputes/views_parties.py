"""The screening form's registry parties: search the registry in the actor's scope and fill a
party row with the resident chosen.

Two small GET pages, each an htmx partial of the screening form (`disputes/screen.html`) and
each usable without script: the search form falls back to `/disputes/new/?q=…`, a result's link
to `/disputes/new/?resident=…&row=…`. What is shown is what the registry shows: the name, the
masked ID number, the household's number and the grid. Search words travel in the query string,
which the access log leaves out (gunicorn logs the path only): no personal data in logs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from grassroots.areas.scope import scope_for
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.disputes import selectors
from grassroots.disputes.choices import PartyRole
from grassroots.disputes.forms import PARTY_ROWS
from grassroots.people.choices import ResidentStatus
from grassroots.people.models import Resident
from grassroots.people.selectors import resident_get

# The party rows a search result offers to fill (the first two are always shown).
PICK_ROWS = (0, 1)


def party_row(request: HttpRequest) -> int:
    """The `row` parameter: a party row of the form (0 by default)."""
    row = params.integer("row", request.GET.get("row"), low=0, high=PARTY_ROWS - 1)
    return row or 0


def chosen_resident(actor: User, pk: Any) -> Resident | None:
    """The registry resident a party row holds: in the actor's scope (404 otherwise, as
    missing), or None when no id is given."""
    number = params.row_id("resident", pk)
    if number is None:
        return None
    resident = resident_get(actor=actor, pk=number)
    if resident.status != ResidentStatus.ACTIVE:
        raise NotFound("resident")
    return resident


def party_rows(actor: User, request: HttpRequest) -> list[tuple[int, Resident | None]]:
    """Each party row of the form with the registry resident it holds: from a refused POST's
    `party-N-resident`, else the one picked by `?resident=&row=`; each in the actor's scope."""
    rows: list[tuple[int, Resident | None]] = []
    picked = party_row(request)
    for i in range(PARTY_ROWS):
        if request.method == "POST":
            pk = request.POST.get(f"party-{i}-resident")
        else:
            pk = request.GET.get("resident") if i == picked else None
        rows.append((i, chosen_resident(actor, pk)))
    return rows


def search_context(actor: User, q: Any) -> dict[str, Any]:
    """The search box's words and its results (none for a blank search)."""
    text = str(q or "").strip()
    return {
        "q": text,
        "results": selectors.party_candidates(actor=actor, q=text),
        "searched": bool(text),
        "pick_rows": PICK_ROWS,
    }


@login_required
@require_GET
def resident_search(request: HttpRequest) -> HttpResponse:
    """The search results (`?q=` a name or a household number): residents to pick as a party."""
    actor = actor_of(request)
    context = search_context(actor, request.GET.get("q"))
    return render(request, "disputes/_resident_results.html", context)


@login_required
@require_GET
def party_fill(request: HttpRequest) -> HttpResponse:
    """One party row (`?row=`) holding the resident picked (`?resident=`), or emptied again
    for typing an outsider when no resident is given."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.HANDLE_DISPUTES)
    context = {
        "i": party_row(request),
        "resident": chosen_resident(actor, request.GET.get("resident")),
        "roles": PartyRole.choices,
    }
    return render(request, "disputes/_party.html", context)
