"""Template context: the navigation that the signed-in user's permissions allow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.areas.scope import Scope, scope_for
from grassroots.core.roles import ROLE_PERMS, Perm


def over_an_area(perm: str) -> Callable[[Scope], bool]:
    """Held over some area: pages that list an area's rows (a unit-only grant sees none there)."""
    return lambda scope: bool(scope.area_ids(perm))


def over_communities(scope: Scope) -> bool:
    """Sees areas over a community or above: has communities to look at (社区建设)."""
    return any(
        g.area_column in ("county", "township", "community")
        and Perm.VIEW_AREAS in ROLE_PERMS.get(g.role, ())
        for g in scope.grants
    )


# (url name, label, who sees it: None = everyone signed in, a Perm, or a test of the scope).
# An entry shows only where its page answers with something the person can use.
NAV = [
    ("home", _("首页"), None),
    ("areas:browser", _("区划网格"), Perm.VIEW_AREAS),
    ("cases:queue", _("我的待办"), Perm.VIEW_CASES),
    ("cases:desk", _("热线受理"), Perm.DISPATCH_CASES),
    ("cases:report", _("巡查上报"), Perm.CREATE_CASES),
    ("cases:figures", _("三率统计"), Perm.VIEW_CASES),
    ("disputes:list", _("矛盾纠纷"), Perm.VIEW_DISPUTES),
    ("cadres:home", _("村干部"), Perm.VIEW_CADRES),
    ("training:home", _("领头雁培训"), over_an_area(Perm.VIEW_CADRES)),
    ("assets:home", _("清化收"), over_an_area(Perm.VIEW_ASSETS)),
    ("dashboard:home", _("领导驾驶舱"), over_an_area(Perm.VIEW_CASES)),
    ("scorecard:home", _("三化三力指标"), over_an_area(Perm.VIEW_SCORECARD)),
    ("people:search", _("人口与房屋"), over_an_area(Perm.VIEW_PEOPLE)),
    ("visits:due", _("入户走访"), over_an_area(Perm.EDIT_PEOPLE)),
    ("relocation:overview", _("易地搬迁后续帮扶"), over_an_area(Perm.VIEW_PEOPLE)),
    ("community:index", _("社区建设"), over_communities),
    ("ledger:home", _("台账导入导出"), over_an_area(Perm.VIEW_PEOPLE)),
    ("reports:home", _("一表通报表"), over_an_area(Perm.VIEW_REPORTS)),
    ("areas:units", _("单位"), Perm.VIEW_UNITS),
    ("areas:posts", _("岗位"), Perm.VIEW_POSTS),
    ("accounts:list", _("账号管理"), Perm.MANAGE_POSTS),
    ("audit", _("审计日志"), Perm.VIEW_AUDIT),
]


def allows(scope: Scope, requirement: str | Callable[[Scope], bool] | None) -> bool:
    """Whether `scope` meets a NAV entry's requirement."""
    if requirement is None:
        return True
    if callable(requirement):
        return requirement(scope)
    return scope.has(requirement)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = scope_for(user)
    items = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for name, label, perm in NAV
        if allows(scope, perm)
    ]
    return {"nav": items, "scope": scope}
