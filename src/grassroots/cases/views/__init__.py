"""Pages of cases: the queue and lists, the case page, the hotline desk, the patrol form, the
three rates and attachment downloads.

Views parse, authorise (through selectors, which apply the viewer's scope) and call the services
and the workflow; none of them saves a model. A refusal the viewer can correct (400, 409, 422)
is shown on the page; a missing or out-of-scope object is 404 and a missing right 403, rendered
by the DomainError middleware.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.http import urlencode

from grassroots.core.actors import actor_of as actor_of
from grassroots.core.errors import DomainError

PAGE_SIZE = 50
# Refusals a form can correct: shown on the page; anything else propagates (404, 403).
SHOWN = frozenset({400, 409, 422})


def page_of(request: HttpRequest, qs: Any) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def query_of(params: dict[str, Any]) -> str:
    """The non-empty `params` as a query string ending in "&" (for the pager)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return urlencode(kept) + "&" if kept else ""


def shown(exc: DomainError) -> bool:
    """Whether the refusal belongs on the page (else it propagates as 403/404)."""
    return exc.status in SHOWN
