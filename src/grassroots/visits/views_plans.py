"""The visit plan page (走访计划): the rules in force for an area and its staff's edits.

A community (village), township or county's staff see every rule that reaches their area — the
county-wide defaults, the rules of the areas above it and its own — with the one that wins for
each tag marked, and add, change or remove their area's own rules through the services
(`plan_rule_add`, `plan_rule_set`, `plan_rule_remove`, each audited). Rules of another area are
not editable here: out of scope is 404, as missing. A refusal the staff can correct (a bad
interval, an unknown or duplicate tag) is shown next to its field, with a 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from grassroots.areas.models import Area
from grassroots.areas.scope import scope_for
from grassroots.core import params
from grassroots.core.actors import actor_of
from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import User
from grassroots.core.roles import Perm
from grassroots.people.models import Tag
from grassroots.visits import selectors, services
from grassroots.visits.errors import VisitError
from grassroots.visits.errors import VisitErrorCode as E
from grassroots.visits.services.rules import MAX_INTERVAL, PLAN_LEVELS

SHOWN = frozenset({400, 409})
# At most this many areas in the switcher (a county has a few hundred communities).
MAX_PLACES = 1000


def _interval(raw: Any) -> int:
    """The interval typed on the form, or the service's own error for the field."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise VisitError(
            E.INVALID_VALUE,
            _("走访间隔须在 1 到 %(m)s 天之间") % {"m": MAX_INTERVAL},
            field="interval_days",
        )
    return int(text)


def _places(actor: User) -> list[Area]:
    """The areas whose plans the actor may set: community level and up, in their subtrees."""
    scope = scope_for(actor)
    q = scope.area_q(Perm.EDIT_PEOPLE)
    return list(
        Area.objects.filter(q, level__in=PLAN_LEVELS).order_by("depth", "code")[:MAX_PLACES]
    )


def _page(
    request: HttpRequest,
    actor: User,
    area: Area,
    *,
    errors: dict[str, str] | None = None,
    rule_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_edit = area.level in PLAN_LEVELS and scope_for(actor).covers_area(Perm.EDIT_PEOPLE, area)
    tags = dict(Tag.objects.order_by("code").values_list("code", "name"))
    rows = [
        {
            "rule": r.rule,
            "wins": r.wins,
            "own": r.own,
            "label": tags.get(r.rule.tag, r.rule.tag) if r.rule.tag else _("全部户"),
            "source": r.rule.area.name if r.rule.area else _("全县默认"),
            "error": (rule_errors or {}).get(r.rule.pk, ""),
        }
        for r in selectors.plan_rules_in_force(area=area)
    ]
    context = {
        "area": area,
        "rows": rows,
        "may_edit": may_edit,
        "tags": sorted(tags.items()),
        "places": _places(actor),
        "errors": errors or {},
        "values": request.POST if errors else {},
        "max_interval": MAX_INTERVAL,
    }
    return render(request, "visits/plans.html", context, status=status)


def _back(area: Area) -> HttpResponse:
    return redirect(reverse("visits:plans") + "?" + urlencode({"area": area.pk}))


@login_required
@require_GET
def plan_page(request: HttpRequest) -> HttpResponse:
    """The rules in force for `?area=` (default: the viewer's own community, township or county)."""
    actor = actor_of(request)
    area = selectors.plan_area(actor=actor, pk=params.row_id("area", request.GET.get("area")))
    return _page(request, actor, area)


@login_required
@require_POST
def plan_add(request: HttpRequest) -> HttpResponse:
    """POST `area`, `tag` ("" = every household), `interval_days`: a new rule of that area."""
    actor = actor_of(request)
    area = selectors.plan_area(actor=actor, pk=params.positive_id("area", request.POST.get("area")))
    try:
        services.plan_rule_add(
            actor=actor,
            area=area,
            tag=request.POST.get("tag", ""),
            interval_days=_interval(request.POST.get("interval_days")),
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        field = str(exc.detail.get("field") or "tag")
        return _page(request, actor, area, errors={field: str(exc.message)}, status=400)
    messages.success(request, _("已添加走访计划规则"))
    return _back(area)


def _own_rule(actor: User, pk: int) -> Any:
    """A rule of an area the actor sees (NotFound otherwise); county-wide defaults are not
    changed from this page (NotFound too: no area of the viewer's own)."""
    rule = selectors.plan_rule_get(actor=actor, pk=pk)
    if rule.area is None:
        raise NotFound("plan_rule")
    return rule


@login_required
@require_POST
def plan_change(request: HttpRequest, pk: int) -> HttpResponse:
    """POST `interval_days`: the new interval of one of the area's own rules."""
    actor = actor_of(request)
    rule = _own_rule(actor, pk)
    try:
        services.plan_rule_set(
            actor=actor,
            area=rule.area,
            tag=rule.tag,
            interval_days=_interval(request.POST.get("interval_days")),
        )
    except DomainError as exc:
        if exc.status not in SHOWN:
            raise
        return _page(request, actor, rule.area, rule_errors={rule.pk: str(exc.message)}, status=400)
    messages.success(request, _("已修改走访计划规则"))
    return _back(rule.area)


@login_required
@require_POST
def plan_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of the area's own rules: the rules above it apply again."""
    actor = actor_of(request)
    rule = _own_rule(actor, pk)
    area = rule.area
    services.plan_rule_remove(actor=actor, rule=rule)
    messages.success(request, _("已删除走访计划规则，上级规则重新适用"))
    return _back(area)
