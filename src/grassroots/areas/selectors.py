"""Reads of areas, units and posts, always restricted to the actor's scope (STYLE rule 2).

Anything outside the scope raises NotFound, exactly like a missing row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from grassroots.areas.choices import ANCESTOR_COLUMNS, DEPTH, Level, UnitLevel
from grassroots.areas.models import Area, Post, Unit
from grassroots.areas.scope import get_in_scope, scope_for
from grassroots.core.errors import invalid_filter
from grassroots.core.models import User
from grassroots.core.params import positive_id
from grassroots.core.roles import Perm


def areas_visible(*, actor: User) -> QuerySet[Area]:
    """Every area the actor may see: the subtrees of their posts' areas (403 without the right)."""
    return scope_for(actor).filter(Area.objects.all(), Perm.VIEW_AREAS, area="")


def area_get(*, actor: User, pk: int | str) -> Area:
    """One area in scope, or NotFound."""
    return get_in_scope(areas_visible(actor=actor), "area", pk=positive_id("id", pk))


def area_list(
    *,
    actor: User,
    level: str | None = None,
    parent: str | int | None = None,
    within: str | int | None = None,
) -> QuerySet[Area]:
    """Areas in scope, filtered by `level`, direct `parent` and/or `within` (a whole subtree).

    A `parent` or `within` outside the scope gives NotFound; an unknown level an invalid_filter.
    """
    qs = areas_visible(actor=actor)
    if level:
        if level not in Level.values:
            raise invalid_filter("level", level)
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent=area_get(actor=actor, pk=parent))
    if within:
        qs = qs.filter(area_get(actor=actor, pk=within).subtree_q())
    return qs.order_by("code")


def area_roots(*, actor: User) -> list[Area]:
    """The highest areas the actor sees (the roots of their scope), by code."""
    scope = scope_for(actor)
    scope.require(Perm.VIEW_AREAS)
    roots = list(Area.objects.filter(pk__in=scope.area_ids(Perm.VIEW_AREAS)))
    ids = {a.pk for a in roots}
    return sorted((a for a in roots if not set(a.ancestor_ids()) & ids), key=lambda a: a.code)


def area_ancestors(area: Area) -> list[Area]:
    """The ancestors of `area`, root first, in one query (breadcrumbs; not scope-checked)."""
    return list(Area.objects.filter(pk__in=area.ancestor_ids()).order_by("depth"))


@dataclass
class ChildRow:
    """A child of a node and how many nodes of each level lie in its subtree (itself included)."""

    area: Area
    counts: dict[str, int]


def area_children(*, area: Area) -> list[ChildRow]:
    """The children of `area` with per-level descendant counts, in two queries whatever the size.

    Counting groups the subtree by the children's ancestor column; nothing walks the tree.
    """
    children = list(Area.objects.filter(parent=area).order_by("code"))
    if not children:
        return []
    child_depth = DEPTH[Level(area.level)] + 1
    child_col = ANCESTOR_COLUMNS[child_depth - 1]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Area.objects.filter(area.subtree_q(), depth__gte=child_depth)
        .values_list(child_col, "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for child_id, level, n in rows:
        counts[child_id][level] = n
    return [ChildRow(area=c, counts=counts.get(c.pk, {})) for c in children]


def area_level_counts(*, area: Area) -> dict[str, int]:
    """How many nodes of each level lie below `area` (one GROUP BY)."""
    rows = (
        Area.objects.filter(area.subtree_q())
        .exclude(pk=area.pk)
        .values_list("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


def units_visible(*, actor: User) -> QuerySet[Unit]:
    """Units of the actor's posts and units serving an area inside the actor's subtrees."""
    return scope_for(actor).filter(Unit.objects.all(), Perm.VIEW_UNITS, area="area__", unit="pk")


def unit_list(
    *, actor: User, level: str | None = None, area: str | int | None = None
) -> QuerySet[Unit]:
    """Units in scope, by `level` (county, township, community) and/or the area they serve."""
    qs = units_visible(actor=actor).select_related("area")
    if level:
        if level not in UnitLevel.values:
            raise invalid_filter("level", level)
        qs = qs.filter(level=level)
    if area:
        qs = qs.filter(area_id=positive_id("area", area))
    return qs.order_by("level", "code")


def unit_get(*, actor: User, pk: int | str) -> Unit:
    return get_in_scope(
        units_visible(actor=actor).select_related("area"), "unit", pk=positive_id("id", pk)
    )


def posts_visible(*, actor: User) -> QuerySet[Post]:
    """Posts over an area in the actor's subtrees or in one of the actor's units, and their own."""
    scope = scope_for(actor)
    qs = scope.filter(Post.objects.all(), Perm.VIEW_POSTS, area="area__", unit="unit")
    return Post.objects.filter(Q(pk__in=qs.values("pk")) | Q(person_id=actor.pk))


def post_list(
    *,
    actor: User,
    area: str | int | None = None,
    unit: str | int | None = None,
    role: str | None = None,
) -> QuerySet[Post]:
    """Posts in scope, person, type, area and unit loaded; by area subtree, unit or role."""
    qs = posts_visible(actor=actor).select_related("person", "post_type", "area", "unit")
    if area:
        qs = qs.filter(area_get(actor=actor, pk=area).subtree_q("area__"))
    if unit:
        qs = qs.filter(unit_id=positive_id("unit", unit))
    if role:
        qs = qs.filter(post_type__role=role)
    return qs.order_by("area__code", "unit__code", "id")


def post_get(*, actor: User, pk: int | str) -> Post:
    qs = posts_visible(actor=actor).select_related("person", "post_type", "area", "unit")
    return get_in_scope(qs.prefetch_related("post_type__duties"), "post", pk=positive_id("id", pk))


def my_posts(*, actor: User) -> QuerySet[Post]:
    """The actor's own active and ended posts."""
    return (
        Post.objects.filter(person=actor)
        .select_related("post_type", "area", "unit")
        .order_by("-ended_on", "id")
    )
