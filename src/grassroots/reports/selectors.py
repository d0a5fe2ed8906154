"""Reads of templates, requests and answers, scoped (SECURITY.md 7).

- Templates: every active template, to anyone who may generate ledgers (VIEW_REPORTS); a
  template is a table's layout, not data.
- Requests: those the actor issued over (ISSUE_REPORTS over the issuing county), and those with
  an answer in the actor's areas (VIEW_REPORTS); anything else is not found (404).
- Answers of a request: all of them to its issuer; to anyone else only their own areas'.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.core.models import User
from grassroots.core.params import positive_id
from grassroots.core.roles import Perm
from grassroots.reports.models import LedgerTemplate, ReportAnswer, ReportRequest


def template_list(*, actor: User) -> QuerySet[LedgerTemplate]:
    scope_for(actor).require(Perm.VIEW_REPORTS)
    return LedgerTemplate.objects.filter(active=True).order_by("-builtin", "name", "pk")


def template_get(*, actor: User, code: Any) -> LedgerTemplate:
    return get_in_scope(template_list(actor=actor), "report_template", code=str(code or "")[:60])


def _issued_q(actor: User) -> Q:
    return scope_for(actor).area_q(Perm.ISSUE_REPORTS, "issuer_area__")


def requests_visible(*, actor: User) -> QuerySet[ReportRequest]:
    scope = scope_for(actor)
    if not (scope.has(Perm.ISSUE_REPORTS) or scope.has(Perm.VIEW_REPORTS)):
        scope.require(Perm.VIEW_REPORTS)
    mine = ReportAnswer.objects.filter(request=OuterRef("pk")).filter(
        scope.area_q(Perm.VIEW_REPORTS, "area__")
    )
    return ReportRequest.objects.filter(_issued_q(actor) | Q(Exists(mine)))


def request_list(*, actor: User) -> QuerySet[ReportRequest]:
    return (
        requests_visible(actor=actor)
        .select_related("template", "issuer_area", "issued_by")
        .order_by("-issued_at", "-pk")
    )


def request_get(*, actor: User, pk: Any) -> ReportRequest:
    qs = requests_visible(actor=actor).select_related("template", "issuer_area", "issued_by")
    return get_in_scope(qs, "report_request", pk=positive_id("id", pk))


def is_issuer(*, actor: User, request: ReportRequest) -> bool:
    return scope_for(actor).covers_area(Perm.ISSUE_REPORTS, request.issuer_area)


def answer_list(*, actor: User, request: ReportRequest) -> QuerySet[ReportAnswer]:
    """The request's answers the actor sees (all to the issuer), by area code."""
    qs = ReportAnswer.objects.filter(request=request).select_related("area", "confirmed_by")
    if not is_issuer(actor=actor, request=request):
        qs = qs.filter(scope_for(actor).area_q(Perm.VIEW_REPORTS, "area__"))
    return qs.order_by("area__code")


def answer_get(*, actor: User, pk: Any) -> ReportAnswer:
    """One answer the actor sees (its area's staff or the issuer), else NotFound."""
    scope = scope_for(actor)
    qs = ReportAnswer.objects.select_related(
        "request__template", "request__issuer_area", "area", "confirmed_by"
    ).filter(
        scope.area_q(Perm.VIEW_REPORTS, "area__")
        | scope.area_q(Perm.ISSUE_REPORTS, "request__issuer_area__")
    )
    return get_in_scope(qs, "report_answer", pk=positive_id("id", pk))
