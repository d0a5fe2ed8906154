"""Pages of relocation: the overview by township with the figures, the households, one
household's entitlements at a glance (with its actions), the items behind a figure, the
omission list with the check's history.

Views parse, authorise (through selectors, which apply the viewer's scope) and call the
workflow; none saves a model. A refusal the viewer can correct (400, 409) is shown on the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.areas.scope import scope_for
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError
from grassroots.core.roles import Perm
from grassroots.figures import registry
from grassroots.relocation import figures, selectors, workflow
from grassroots.relocation.api import filters_of
from grassroots.relocation.choices import Action, ItemState

PAGE_SIZE = 50
SHOWN = frozenset({400, 409})


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _figure(request: HttpRequest) -> Any:
    name = request.GET.get("figure")
    return registry.figure(name) if name else None


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The figures (each a link to its rows), the overview by township, the catalogue."""
    actor = actor_of(request)
    scope_for(actor).require(Perm.VIEW_PEOPLE)
    context = {
        "figures": figures.relocation_figures(actor=actor),
        "townships": selectors.township_overview(actor=actor),
        "entitlements": selectors.entitlement_list(),
        "runs": selectors.omission_runs(5),
    }
    return render(request, "relocation/overview.html", context)


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    qs = selectors.relocated_list(actor=actor, filters=filters_of(request.GET))
    context = {"page_obj": _page(request, qs), "count": qs.count(), "figure": _figure(request)}
    return render(request, "relocation/households.html", context)


def _household_context(actor: Any, relocated: Any) -> dict[str, Any]:
    items = list(selectors.items_of(relocated=relocated))
    return {
        "relocated": relocated,
        "household": relocated.household,
        "items": [(i, workflow.allowed_actions(actor, i)) for i in items],
        "glance": selectors.glance(items),
        "open_states": (ItemState.PENDING, ItemState.IN_PROGRESS),
        "action_labels": dict(Action.choices),
    }


@login_required
@require_GET
def household_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A relocated household's items at a glance: owned, helped, moving, complete."""
    actor = actor_of(request)
    relocated = selectors.relocated_get(actor=actor, pk=pk)
    return render(request, "relocation/household.html", _household_context(actor, relocated))


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Apply one action to an item; a refusal is shown on the household's page, naming why."""
    actor = actor_of(request)
    relocated = selectors.relocated_get(actor=actor, pk=pk)
    item = selectors.item_get(relocated=relocated, pk=item_pk)
    action = request.POST.get("action", "")
    details: dict[str, Any] = {"evidence": request.POST.get("evidence", "")}
    for name in ("owner", "helper"):
        if request.POST.get(name):
            details[name] = request.POST[name]
    try:
        workflow.item_apply(
            item_id=item.pk,
            action=action if action not in workflow.SYSTEM_ONLY else "",
            actor=actor,
            note=request.POST.get("note", ""),
            **details,
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        context = _household_context(actor, relocated)
        context["error"] = str(exc.message)
        context["error_item"] = item.pk
        return render(request, "relocation/household.html", context, status=exc.status)
    messages.success(request, _("已保存：%(a)s") % {"a": Action(action).label})
    return redirect("relocation:household", pk=relocated.pk)


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    qs = selectors.item_list(actor=actor, filters=filters_of(request.GET))
    context = {"page_obj": _page(request, qs), "count": qs.count(), "figure": _figure(request)}
    return render(request, "relocation/items.html", context)


@login_required
@require_GET
def omission_list(request: HttpRequest) -> HttpResponse:
    """The omission check's findings (open first) and its recent runs."""
    actor = actor_of(request)
    qs = selectors.omission_list(actor=actor, filters=filters_of(request.GET))
    context = {
        "page_obj": _page(request, qs),
        "count": qs.count(),
        "figure": _figure(request),
        "runs": selectors.omission_runs(10),
    }
    return render(request, "relocation/omissions.html", context)
