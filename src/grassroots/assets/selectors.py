"""Reads of collective assets and their clean-up, scoped (SECURITY.md 7): a village sees its
own, a township its villages, the county all (VIEW_ASSETS over the row's village). Out of
scope answers exactly like missing (404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from grassroots.areas.models import Area
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.areas.selectors import area_get
from grassroots.assets.choices import OPEN_STATES, Status
from grassroots.assets.models import CollectiveAsset, Problem
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.figures import registry


def _key(pk: Any, what: str) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise invalid_filter(what, pk) from None


def _within(actor: User, qs: QuerySet[Any], within: Any) -> QuerySet[Any]:
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    return qs


def assets_visible(*, actor: User) -> QuerySet[CollectiveAsset]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_ASSETS)
    return CollectiveAsset.objects.filter(scope.area_q(Perm.VIEW_ASSETS))


def asset_list(*, actor: User, within: Any = None) -> QuerySet[CollectiveAsset]:
    qs = _within(actor, assets_visible(actor=actor), within)
    return qs.select_related("area").order_by("area__code", "id")


def problems_visible(*, actor: User) -> QuerySet[Problem]:
    scope = scope_for(actor)
    scope.require(Perm.VIEW_ASSETS)
    return Problem.objects.filter(scope.area_q(Perm.VIEW_ASSETS))


def problem_list(
    *, actor: User, within: Any = None, status: str | None = None
) -> QuerySet[Problem]:
    qs = _within(actor, problems_visible(actor=actor), within)
    if status:
        if status not in Status.values:
            raise invalid_filter("status", status)
        qs = qs.filter(status=status)
    return qs.select_related("area", "asset").order_by("area__code", "found_on", "id")


def problem_get(*, actor: User, pk: Any) -> Problem:
    qs = problems_visible(actor=actor).select_related("area", "asset")
    return get_in_scope(qs, "asset_problem", pk=_key(pk, "asset_problem"))


TOTALS = {
    "problems": Count("pk"),
    "open": Count("pk", filter=Q(status__in=OPEN_STATES)),
    "resolved": Count("pk", filter=Q(status=Status.RESOLVED)),
    "area_mu": Sum("area_mu"),
    "recovered_mu": Sum("recovered_mu"),
    "amount_yuan": Sum("amount_yuan"),
    "recovered_yuan": Sum("recovered_yuan"),
}


def totals(*, actor: User, within: Any = None) -> dict[str, Any]:
    """Problems open and resolved, mu and yuan involved and recovered: for the whole scope
    (`within`'s subtree), and by township and by village (one GROUP BY each)."""
    qs = _within(actor, problems_visible(actor=actor), within).order_by()
    whole = {k: v or 0 for k, v in qs.aggregate(**TOTALS).items()}
    names = dict(
        Area.objects.filter(level__in=("township", "village", "community")).values_list(
            "pk", "name"
        )
    )

    def by(col: str) -> list[dict[str, Any]]:
        rows = qs.values(col).annotate(**TOTALS)
        out = [
            {**{k: r[k] or 0 for k in TOTALS}, "name": names.get(r[col] or 0, ""), "area": r[col]}
            for r in rows
        ]
        return sorted(out, key=lambda r: r["name"])

    return {"total": whole, "townships": by("township"), "villages": by("area_id")}


def figure_rows(
    *, actor: User, figure: Any, within: Any = None
) -> tuple[registry.Figure, QuerySet[Any]]:
    """The rows an assets figure counts, in the actor's scope: exactly its filter."""
    fig = registry.figure(str(figure or ""))
    if fig is None or not fig.source.startswith("assets"):
        raise invalid_filter("figure", figure)
    scope = scope_for(actor)
    scope.require(Perm.VIEW_ASSETS)
    rows = registry.count_source(fig.source).rows().filter(scope.area_q(Perm.VIEW_ASSETS))
    rows = _within(actor, rows, within)
    return fig, rows.filter(fig.q(timezone.now())).order_by("pk")
