"""Places with their context: a case's path (灵泉镇 › 石楼小镇社区 › 3-2-4微网格), the grid search
of the desk, and the units a dispatcher can reach, grouped by level.

Paths come from the `AreaPath` columns the case already carries: a page of cases costs one query
for the names of their townships and communities, whatever the page's length. The grid search
answers from the server, so a county of 1,116 micro grids never sends them all to the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from grassroots.areas.choices import Level, UnitLevel
from grassroots.areas.models import Area, Unit
from grassroots.areas.scope import Scope
from grassroots.areas.selectors import area_list
from grassroots.cases.errors import CaseError
from grassroots.cases.errors import CaseErrorCode as E
from grassroots.core.models import User
from grassroots.core.roles import ROLE_PERMS, Perm

SEP = " › "
GRID_HITS = 40
_ABOVE = ("township", "community")


def with_paths(cases: Iterable[Any]) -> list[Any]:
    """`cases` (rows with `area` selected) as a list, each given `place_path`: the names of its
    township, community and own area, joined by " › " ("" when unplaced). One query."""
    rows = list(cases)
    ids = {getattr(c, col) for c in rows for col in _ABOVE if getattr(c, col)}
    names = dict(Area.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    for c in rows:
        parts = [names.get(getattr(c, col), "") for col in _ABOVE if getattr(c, col)]
        if c.area_id is not None and c.area_id not in (c.township, c.community):
            parts.append(c.area.name)
        c.place_path = SEP.join(p for p in parts if p)
    return rows


def area_path(area: Area | None) -> str:
    """One area's path from its township down ("" for None); one query."""
    if area is None:
        return ""
    ids = [i for i in (area.township_id, area.community_id) if i is not None and i != area.pk]
    names = dict(Area.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    return SEP.join([*(names[i] for i in ids if i in names), area.name])


@dataclass
class GridGroup:
    """The matching micro grids of one community, under "township › community"."""

    label: str
    grids: list[Area] = field(default_factory=list)


def grid_search(*, actor: User, q: str, chosen: int | None = None) -> list[GridGroup]:
    """Micro grids in the actor's scope whose name, or whose community's or township's name,
    contains every word of `q` (at most `GRID_HITS`), grouped by township › community; the
    `chosen` grid always among them. Nothing for an empty search without a chosen grid."""
    words = q.split()
    qs = area_list(actor=actor, level=Level.GRID3).select_related("township", "community")
    if not words and chosen is None:
        return []
    found: list[Area] = []
    if words:
        hits = qs
        for word in words[:5]:
            hits = hits.filter(
                Q(name__contains=word)
                | Q(community__name__contains=word)
                | Q(township__name__contains=word)
                | Q(grid1__name__contains=word)
                | Q(grid2__name__contains=word)
            )
        found = list(hits.order_by("code")[:GRID_HITS])
    if chosen is not None and all(a.pk != chosen for a in found):
        found = [*qs.filter(pk=chosen), *found]
    groups: dict[str, GridGroup] = {}
    for area in found:
        label = SEP.join(a.name for a in (area.township, area.community) if a is not None)
        groups.setdefault(label, GridGroup(label)).grids.append(area)
    return list(groups.values())


def reach_q(scope: Scope, perm: str = Perm.DISPATCH_CASES) -> Q:
    """The units an actor may send a case to (派单, 协办) through `perm`: every unit serving an
    area of their subtrees, their own units, and one level up the three-level linkage — a
    community's township office, a township's county departments. No query."""
    q = Q(pk__in=scope.unit_ids(perm))
    for grant in scope.grants:
        if grant.area_id is None or grant.area_column is None:
            continue
        if perm not in ROLE_PERMS.get(grant.role, ()):
            continue
        q |= Q(**{f"area__{grant.area_column}": grant.area_id})
        if grant.area_column == "community":
            townships = Area.objects.filter(pk=grant.area_id).values("township_id")
            q |= Q(level=UnitLevel.TOWNSHIP, area__in=townships)
        elif grant.area_column == "township":
            q |= Q(level=UnitLevel.COUNTY)
    return q


def require_reach(scope: Scope, unit: Any) -> None:
    """Refuse (400, on the unit field) a unit named for 派单 or 协办 that `scope` cannot reach."""
    if isinstance(unit, Unit) and not Unit.objects.filter(reach_q(scope), pk=unit.pk).exists():
        raise CaseError(E.INVALID_VALUE, _("该单位不在您的派单范围内"), field="unit")


def units_in_reach(scope: Scope) -> QuerySet[Unit]:
    """Active units the scope may dispatch to, county departments first, then by township."""
    return (
        Unit.objects.filter(reach_q(scope), active=True)
        .select_related("area__township")
        .order_by("level", "area__township__code", "code")
    )


@dataclass
class UnitGroup:
    label: str
    units: list[Unit]


def unit_groups(units: Sequence[Unit]) -> list[UnitGroup]:
    """`units` (from `units_in_reach`) grouped for a picker: county departments, township
    offices, then the community and village stations of each township."""
    groups: dict[str, UnitGroup] = {}
    for unit in units:
        label = str(unit.get_level_display())
        if unit.level == UnitLevel.COMMUNITY and unit.area.township is not None:
            label = f"{label}{SEP}{unit.area.township.name}"
        groups.setdefault(label, UnitGroup(label, [])).units.append(unit)
    return list(groups.values())
