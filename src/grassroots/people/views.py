"""Pages of the registry: search, a grid's household list, the household card, the profile.

Every page reads through `people.selectors`, so it shows exactly what the API shows: the actor's
scope, masked values, tags only where the actor may see them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from grassroots.areas.scope import scope_for
from grassroots.areas.selectors import area_ancestors
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.params import row_id
from grassroots.core.roles import Perm
from grassroots.fieldwork.pages import offline_page
from grassroots.people import selectors, services
from grassroots.people.choices import RevealField
from grassroots.people.masking import age_band, mask_id, mask_phone
from grassroots.people.privacy import tag_token


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 50).get_page(request.GET.get("page"))


def _query(request: HttpRequest, *names: str) -> str:
    return "".join(f"{n}={request.GET[n]}&" for n in names if request.GET.get(n))


@login_required
@require_http_methods(["GET", "POST"])
def search(request: HttpRequest) -> HttpResponse:
    """One box for name, household number or address; exact fields for ID number and phone.

    The form is POSTed so that searched numbers never appear in a URL (and so in no access log or
    browser history), and the page echoes them masked. Exact searches are audited and limited per
    hour (`services.exact_search_admit`); over the limit the page answers 429 with the message.
    """
    actor = actor_of(request)
    scope_for(actor).require(Perm.VIEW_PEOPLE)
    g = request.POST if request.method == "POST" else request.GET.copy()
    if request.method == "GET":
        g.pop("id_number", None)
        g.pop("phone", None)
    context: dict[str, Any] = {
        "q": g.get("q", ""),
        "id_number_masked": mask_id(g.get("id_number", "")),
        "phone_masked": mask_phone(g.get("phone", "")),
        "can_edit": scope_for(actor).has(Perm.EDIT_PEOPLE),
    }
    error = None
    status = 200
    residents: Any = None
    households: Any = None
    try:
        services.exact_search_admit(
            actor=actor, terms={"id_number": g.get("id_number"), "phone": g.get("phone")}
        )
        if g.get("id_number") or g.get("phone") or g.get("q"):
            filters = selectors.ResidentFilters(
                id_number=g.get("id_number") or None,
                phone=g.get("phone") or None,
                q=g.get("q") or None,
            )
            residents = selectors.resident_list(actor=actor, filters=filters)[:50]
        if g.get("q") and not (g.get("id_number") or g.get("phone")):
            households = selectors.household_list(actor=actor, q=str(g["q"]))[:50]
    except DomainError as exc:
        error, status = exc.message, (exc.status if exc.status == 429 else 200)
    context.update({"residents": residents, "households": households, "error": error})
    return render(request, "people/search.html", context, status=status)


@login_required
@offline_page
def household_list(request: HttpRequest) -> HttpResponse:
    """Households in scope, by area (`?within=`), number/address (`?q=`) or tag (`?tag=`)."""
    actor = actor_of(request)
    within = row_id("within", request.GET.get("within"))
    qs = selectors.household_list(
        actor=actor,
        within=within,
        q=request.GET.get("q") or None,
        tag=request.GET.get("tag") or None,
    )
    area = None
    if within:
        from grassroots.areas.selectors import area_get

        area = area_get(actor=actor, pk=within)
    return render(
        request,
        "people/households.html",
        {
            "page_obj": _page(request, qs),
            "area": area,
            "ancestors": area_ancestors(area) if area else [],
            "query": _query(request, "within", "q", "tag"),
            "tags": selectors.tags_visible(actor=actor),
            "tag": request.GET.get("tag", ""),
            "q": request.GET.get("q", ""),
        },
    )


def _tag_names(actor: Any, residents: list[Any], area: Any) -> dict[int, list[str]]:
    visible = {tag_token(t.code): t.name for t in selectors.tags_visible(actor=actor, area=area)}
    return {
        r.pk: sorted(visible[row.token] for row in r.tag_rows.all() if row.token in visible)
        for r in residents
    }


@login_required
@offline_page
def household_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The household card (户卡): dwelling, grid, members with masked values and tags."""
    actor = actor_of(request)
    household = selectors.household_get(actor=actor, pk=pk)
    members = list(selectors.household_members(household=household).prefetch_related("tag_rows"))
    tags = _tag_names(actor, members, household.area)
    today = timezone.localdate()
    rows = [
        {"r": m, "age_band": age_band(m.birth_date, today), "tags": tags[m.pk]} for m in members
    ]
    return render(
        request,
        "people/household.html",
        {"household": household, "rows": rows, "ancestors": area_ancestors(household.area)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A resident's profile; a POST with field and purpose reveals one value, once, uncached."""
    actor = actor_of(request)
    resident = selectors.resident_get(actor=actor, pk=pk)
    revealed = None
    error = None
    if request.method == "POST":
        try:
            value = services.resident_reveal(
                actor=actor,
                resident=resident,
                field=request.POST.get("field", ""),
                purpose=request.POST.get("purpose", ""),
            )
            revealed = {"field": RevealField(request.POST["field"]).label, "value": value}
        except DomainError as exc:
            if exc.status != 400:
                raise
            error = exc.message
    resident = (
        type(resident)
        .objects.prefetch_related("tag_rows", "memberships__household")
        .get(pk=resident.pk)
    )
    context = {
        "resident": resident,
        "age_band": age_band(resident.birth_date, timezone.localdate()),
        "tags": _tag_names(actor, [resident], resident.area)[resident.pk],
        "memberships": resident.memberships.all(),
        "can_reveal": scope_for(actor).covers_area(Perm.REVEAL_PEOPLE, resident.area),
        "revealed": revealed,
        "error": error,
        "fields": RevealField.choices,
        "ancestors": area_ancestors(resident.area),
    }
    response = render(request, "people/resident.html", context)
    if revealed is not None:
        response["Cache-Control"] = "no-store"
    return response
